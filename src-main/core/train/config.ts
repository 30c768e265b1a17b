// The run configuration: what a training run is, as plain JSON (stored verbatim with the run, so
// a run is reproducible from it), its zod schema, and resolution — every default filled in here
// and nowhere else, every value checked, an error naming the field otherwise.
//
//   { model: { kind: 'mlp', hidden: [64], activation: 'relu' },
//     optimizer: { name: 'adam', preset: 'torch', hyperparams: { lr: 0.001 } },
//     schedule: { name: 'cosine', T_max: 900 } | null,
//     data: { source: 'digits', target: null, task: null, missing: 'drop', valSplit: 0.2, targetScaling: 'standardize' },
//     training: { epochs: 20, batchSize: 32, seed: 0, dtype: 'float32', evalEvery: null, ... } }
//
// The model, optimizer and schedule parts are checked by their own modules' resolvers (so the
// registries stay the one source of truth); the rest by the zod schema below.
import { z } from 'zod';
import { TARGET_SCALING_METHODS, type MissingPolicy, type Preprocessing, type TargetScalingMethod, type Task } from '../data/types.ts';
import { ACTIVATIONS, BINARY_HEADS, INIT_SCHEMES, resolveModelSpec, type ResolvedModelSpec } from '../models/spec.ts';
import { resolveOptimizerConfig, type ResolvedOptimizerConfig } from '../optim/config.ts';
import { ConfigError, showValue } from '../optim/errors.ts';
import { PRESETS } from '../optim/registry.ts';
import { resolveScheduleConfig, SCHEDULES, type ResolvedScheduleConfig } from '../schedules/registry.ts';
import type { Dtype } from '../tensor.ts';
import { RUN_DEFAULTS } from './defaults.ts';

/** A run config that is invalid: `field` is its dotted path (`training.batchSize`, `optimizer.hyperparams.lr`). */
export class RunConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'RunConfigError';
  }
}

export interface EarlyStopping {
  /** Evaluations without an improvement of the validation loss before the run stops. */
  patience: number;
  /** An improvement is a validation loss below best − minDelta. */
  minDelta: number;
}

export interface ResolvedTraining {
  /** Passes over the training rows; null when `steps` sets the budget. */
  epochs: number | null;
  /** Optimizer steps; null when `epochs` sets the budget. */
  steps: number | null;
  batchSize: number;
  /** Seeds the train/validation split, the initialization and every epoch's shuffle. */
  seed: number;
  dtype: Dtype;
  /** Evaluate every this many steps; null: at the end of every epoch. The last step is always evaluated. */
  evalEvery: number | null;
  /** Effective-step-size snapshots every this many steps (and at the first and last step); null: as evalEvery; 0: none. */
  snapshotEvery: number | null;
  /** A tensor with more elements is snapshot as block means on a grid of at most this many cells. */
  snapshotMaxElements: number;
  earlyStopping: EarlyStopping | null;
  /** False (default): biases are a parameter group of their own, with weight decay 0. */
  biasWeightDecay: boolean;
  /** The run diverges when a training loss exceeds this multiple of the first one (or is not finite). */
  divergenceFactor: number;
}

export interface ResolvedData {
  /** A CSV path or a sample dataset name. */
  source: string;
  /** null: the last column. */
  target: string | null;
  /** null: inferred from the target column. */
  task: Task | null;
  missing: MissingPolicy;
  valSplit: number;
  maxCategories: number;
  /** Regression: the loss is on the target standardized with its training mean and std ('standardize'), or on the raw target ('none'). Ignored for classification. */
  targetScaling: TargetScalingMethod;
}

/** A validated config with every default present. Also a valid input (resolving it again gives it back). */
export interface ResolvedRunConfig {
  model: ResolvedModelSpec;
  optimizer: ResolvedOptimizerConfig;
  schedule: ResolvedScheduleConfig | null;
  data: ResolvedData;
  training: ResolvedTraining;
  /** Recorded by the runner once the data is loaded; not an input. */
  preprocessing?: Preprocessing;
}

// --- the schema ------------------------------------------------------------------------------

const wholeAtLeast = (min: number) => z.int(`a whole number ≥ ${min}`).min(min, `a whole number ≥ ${min}`);
const finite = (what: string) => z.number(what);

const modelSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({
      kind: z.literal('linear'),
      init: z.enum(INIT_SCHEMES, `one of: ${INIT_SCHEMES.join(', ')}`).optional(),
      binaryHead: z.enum(BINARY_HEADS, `one of: ${BINARY_HEADS.join(', ')}`).optional(),
    }),
    z.strictObject({
      kind: z.literal('mlp'),
      hidden: z.array(wholeAtLeast(1), 'a list of layer widths, e.g. [64, 32]').min(1, 'at least one hidden layer width').default(() => [...RUN_DEFAULTS.mlp.hidden]),
      activation: z.enum(ACTIVATIONS, `one of: ${ACTIVATIONS.join(', ')}`).default(RUN_DEFAULTS.mlp.activation),
      init: z.enum(INIT_SCHEMES, `one of: ${INIT_SCHEMES.join(', ')}`).optional(),
      binaryHead: z.enum(BINARY_HEADS, `one of: ${BINARY_HEADS.join(', ')}`).optional(),
    }),
  ],
  '"linear" or "mlp"',
);

const optimizerSchema = z.strictObject({
  name: z.string('an optimizer name'),
  preset: z.enum(PRESETS, `one of: ${PRESETS.join(', ')}`).optional(),
  hyperparams: z.record(z.string(), z.unknown(), 'an object of hyperparameters').default({}),
  gradient: z.record(z.string(), z.unknown(), 'an object of gradient options').optional(),
});

const dataSchema = z.strictObject({
  source: z.string('a CSV path or a sample name').min(1, 'a CSV path or a sample name'),
  target: z.string('a column name').min(1, 'a column name').nullable().default(null),
  task: z.enum(['classification', 'regression'], '"classification" or "regression"').nullable().default(null),
  missing: z.enum(['drop', 'impute'], '"drop" or "impute"').default(RUN_DEFAULTS.data.missing),
  valSplit: finite('a fraction in [0, 1)').min(0, 'a fraction in [0, 1)').lt(1, 'a fraction in [0, 1)').default(RUN_DEFAULTS.data.valSplit),
  maxCategories: wholeAtLeast(1).default(20),
  targetScaling: z.enum(TARGET_SCALING_METHODS, '"standardize" or "none"').default('standardize'),
});

const trainingSchema = z.strictObject({
  epochs: wholeAtLeast(1).nullable().optional(),
  steps: wholeAtLeast(1).nullable().optional(),
  batchSize: wholeAtLeast(1).default(RUN_DEFAULTS.training.batchSize),
  seed: z.int('a whole number').default(RUN_DEFAULTS.training.seed),
  dtype: z.enum(['float32', 'float64'], '"float32" or "float64"').default('float32'),
  evalEvery: wholeAtLeast(1).nullable().default(null),
  snapshotEvery: wholeAtLeast(0).nullable().default(null),
  snapshotMaxElements: wholeAtLeast(1).default(4096),
  earlyStopping: z
    .strictObject({
      patience: wholeAtLeast(1).default(5),
      minDelta: finite('a number ≥ 0').min(0, 'a number ≥ 0').default(0),
    })
    .nullable()
    .default(null),
  biasWeightDecay: z.boolean('true or false').default(false),
  divergenceFactor: finite('a number > 1').gt(1, 'a number > 1').default(1e6),
});

/** The zod schema of a run config (model, optimizer and schedule only shaped here; resolveRunConfig checks them fully). */
export const runConfigSchema = z.strictObject({
  model: modelSchema,
  optimizer: optimizerSchema,
  schedule: z.looseObject({ name: z.string('a schedule name') }, 'an object { name, ...params } or null').nullable().default(null),
  data: dataSchema,
  training: trainingSchema.prefault({}),
  preprocessing: z.unknown().optional(),
});

/** What may be given: a JSON object, defaults optional. */
export type RunConfigInput = z.input<typeof runConfigSchema>;

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let v = input;
  for (const p of path) v = typeof v === 'object' && v !== null ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  return v;
}

function issueError(input: unknown, issue: z.core.$ZodIssue): RunConfigError {
  if (issue.code === 'unrecognized_keys') {
    const where = pathText(issue.path);
    const field = `${where ? where + '.' : ''}${issue.keys[0]}`;
    return new RunConfigError(field, `unknown field ${field} in the run config`);
  }
  const field = pathText(issue.path) || '(the config)';
  const value = valueAt(input, issue.path);
  return new RunConfigError(field, `${field}: expected ${issue.message}, found ${showValue(value)}`);
}

/** ConfigErrors of the optimizer and schedule resolvers, with their field placed in the whole config. */
function within<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConfigError) {
      const field = err.field.startsWith(prefix) ? err.field : `${prefix}.${err.field}`;
      const message = err.message.startsWith(err.field) ? `${field}${err.message.slice(err.field.length)}` : `${prefix}: ${err.message}`;
      throw new RunConfigError(field, message);
    }
    if (err instanceof Error) throw new RunConfigError(prefix, `${prefix}: ${err.message}`);
    throw err;
  }
}

/**
 * Validates a run config (any JSON value) and fills in every default: the one place defaults
 * are decided. Throws RunConfigError naming the first bad field.
 */
export function resolveRunConfig(input: unknown): ResolvedRunConfig {
  const parsed = runConfigSchema.safeParse(input);
  if (!parsed.success) throw issueError(input, parsed.error.issues[0]);
  const c = parsed.data;
  const model = within('model', () => resolveModelSpec(c.model));
  const optimizer = within('optimizer', () => resolveOptimizerConfig(c.optimizer));
  const schedule = c.schedule === null ? null : within('schedule', () => resolveScheduleConfig(c.schedule, 'schedule'));
  const t = c.training;
  const epochs = t.epochs ?? null;
  const steps = t.steps ?? null;
  if (epochs !== null && steps !== null)
    throw new RunConfigError('training.steps', `training.epochs (${epochs}) and training.steps (${steps}) are two budgets: give one of them`);
  const training: ResolvedTraining = {
    epochs: epochs === null && steps === null ? RUN_DEFAULTS.training.epochs : epochs,
    steps,
    batchSize: t.batchSize,
    seed: t.seed,
    dtype: t.dtype,
    evalEvery: t.evalEvery,
    snapshotEvery: t.snapshotEvery,
    snapshotMaxElements: t.snapshotMaxElements,
    earlyStopping: t.earlyStopping,
    biasWeightDecay: t.biasWeightDecay,
    divergenceFactor: t.divergenceFactor,
  };
  const data: ResolvedData = { ...c.data };
  const needsValidation = training.earlyStopping ? 'training.earlyStopping' : schedule && SCHEDULES[schedule.name].driver === 'metric' ? 'schedule' : null;
  if (needsValidation && data.valSplit === 0)
    throw new RunConfigError('data.valSplit', `data.valSplit is 0, but ${needsValidation === 'schedule' ? `the ${schedule!.name} schedule` : 'early stopping'} watches the validation loss: hold out some rows (e.g. 0.2)`);
  const out: ResolvedRunConfig = { model, optimizer, schedule, data, training };
  if (c.preprocessing !== undefined) out.preprocessing = c.preprocessing as Preprocessing;
  return out;
}
