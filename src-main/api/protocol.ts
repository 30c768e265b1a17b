// The one protocol of Precond Lab's backend API: every request, response and event that crosses
// a process boundary (Electron IPC, browser mode's WebSocket and HTTP) is described here with zod,
// and both sides of every boundary validate against these schemas. The renderer imports this
// module, so it imports nothing from Node: only zod and plain type/const modules.
//
//   request   { id, method, params }                 -> METHODS[method].params
//   response  { id, ok: true, result }               -> METHODS[method].result
//             { id, ok: false, error: ApiError }      (a bad message gets this, never a crash)
//   events    { events: ApiEvent[] }                  (pushed, in order; filtered per connection;
//                                                    on a socket, the events of one burst in one message)
//
// On the WebSocket and HTTP transports messages are JSON text made by encodeWire(): a Float32Array
// travels as { $f32: base64 }, a Float64Array as { $f64: base64 }, and NaN / ±Infinity as { $num: 'NaN' | 'Infinity' | '-Infinity' }.
// Electron's IPC uses structured clone, which carries both as they are.
import { z } from 'zod';
import { TARGET_SCALING_METHODS } from '../core/data/types.ts';
import { RUN_STATUSES } from '../store/types.ts';
import { SweepSpecSchema } from '../core/sweep/spec.ts';

// Pure core functions and constants both sides use: the run config's defaults, a run's default
// name, and how many steps a run plans (the New run form shows what the backend will do).
export { RUN_DEFAULTS } from '../core/train/defaults.ts';
export { datasetNameOf, defaultRunName, type NamedRunParts } from '../core/train/naming.ts';
export { planSteps, type StepPlan } from '../core/train/plan.ts';

// --- building blocks ----------------------------------------------------------------------

/** Any number, NaN and ±Infinity included (metric values may be NaN; zod's number() refuses them). */
const anyNumber = z.custom<number>((v) => typeof v === 'number', { message: 'expected a number' });
const finite = z.number();
const int = z.number().int();
const runId = z.number().int().positive();
const nonEmpty = z.string().min(1);
const f32 = z.custom<Float32Array>((v) => v instanceof Float32Array, { message: 'expected a Float32Array' });
const f64 = z.custom<Float64Array>((v) => v instanceof Float64Array, { message: 'expected a Float64Array' });

export const RunStatusSchema = z.enum(RUN_STATUSES);
export const TaskSchema = z.enum(['classification', 'regression']);
export const MissingPolicySchema = z.enum(['drop', 'impute']);
export const TargetScalingMethodSchema = z.enum(TARGET_SCALING_METHODS);
export const ColumnKindSchema = z.enum(['numeric', 'categorical', 'text', 'id', 'constant', 'missing']);

// --- errors -------------------------------------------------------------------------------

export const API_ERROR_CODES = [
  'bad-request', // the message does not fit the protocol (not JSON, unknown method, bad params)
  'data', // a data file that does not load (details in `data`)
  'config', // a run configuration that is invalid (the field in `field`)
  'not-found', // no run / data set with that id
  'conflict', // not allowed in the current state (delete a live run, pause a finished one)
  'forbidden', // a file outside the folders this transport may read
  'store', // the database cannot be used (corrupt, locked, newer)
  'unavailable', // a capability this process does not have
  'internal', // a bug: one line, the stack stays in the server's log
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** A data-loading error as the UI shows it: where (file, line, column) and what. */
export const DataErrorSchema = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  line: int.optional(),
  column: int.optional(),
  columnName: z.string().optional(),
  field: z.string().optional(),
  expected: z.string().optional(),
  found: z.string().optional(),
  problem: z.string().optional(),
  hint: z.string().optional(),
});
export type DataError = z.infer<typeof DataErrorSchema>;

export const ApiErrorSchema = z.object({
  code: z.enum(API_ERROR_CODES),
  /** One line meant for a person; never a stack trace. */
  message: z.string(),
  /** The offending field of a config / params error (`optimizer.hyperparams.lr`). */
  field: z.string().optional(),
  data: DataErrorSchema.optional(),
});
export type ApiErrorInfo = z.infer<typeof ApiErrorSchema>;

// --- datasets -----------------------------------------------------------------------------

export const SampleSchema = z.object({ name: z.string(), path: z.string(), sizeBytes: int });

export const ColumnSchemaSchema = z.object({
  index: int,
  name: z.string(),
  kind: ColumnKindSchema,
  reason: z.string().optional(),
  rows: int,
  present: int,
  missing: int,
  numeric: int,
  distinct: int.nullable(),
  integer: z.boolean().optional(),
  min: anyNumber.optional(),
  max: anyNumber.optional(),
  invalid: z.object({ count: int, first: z.object({ line: int, value: z.string() }) }).optional(),
});

export const CsvFormatSchema = z.object({
  encoding: z.string(),
  encodingSource: z.string(),
  bomLength: int,
  delimiter: z.string(),
  decimal: z.enum(['.', ',']),
});

export const CsvPreviewSchema = z.object({
  file: z.string(),
  /** The file's base name, for titles. */
  name: z.string(),
  sizeBytes: int,
  format: CsvFormatSchema,
  header: z.array(z.string()),
  rows: z.array(z.array(z.string())),
  lines: z.array(int),
  columns: z.array(ColumnSchemaSchema),
  sampledRows: int,
  complete: z.boolean(),
  target: z.object({ column: z.string(), task: TaskSchema.nullable(), reason: z.string() }),
  /** How the file was read beyond its format (e.g. re-read as windows-1252 for a late byte that is not UTF-8). */
  notes: z.array(z.string()).optional(),
  error: DataErrorSchema.optional(),
});
export type CsvPreview = z.infer<typeof CsvPreviewSchema>;

export const DatasetSummarySchema = z.object({
  file: z.string(),
  sample: z.string().optional(),
  format: z.object({ encoding: z.string(), delimiter: z.string(), decimal: z.enum(['.', ',']) }),
  rowsRead: int,
  rowsUsed: int,
  rowsDropped: int,
  rowsDroppedMissingTarget: int,
  cellsImputed: int,
  missingPolicy: MissingPolicySchema,
  target: z.string(),
  task: TaskSchema,
  taskReason: z.string(),
  classes: z.array(z.object({ label: z.string(), count: int })).nullable(),
  /** Regression: the target's scaling for training (model units t = (y − mean) / std); null for classification. */
  targetScaling: z.object({ method: TargetScalingMethodSchema, mean: z.number(), std: z.number() }).nullable(),
  featureCount: int,
  featureNames: z.array(z.string()),
  columns: z.array(
    z.object({
      name: z.string(),
      kind: ColumnKindSchema,
      role: z.enum(['feature', 'target', 'excluded']),
      missing: int,
      reason: z.string().optional(),
    }),
  ),
  excluded: z.array(z.object({ column: z.string(), kind: ColumnKindSchema, reason: z.string() })),
  trainRows: int,
  validationRows: int,
  seed: int,
  notes: z.array(z.string()),
});
export type DatasetSummary = z.infer<typeof DatasetSummarySchema>;

/** The options of a load (the `data` part of a run config, without the source). */
export const DataOptionsSchema = z.strictObject({
  target: nonEmpty.optional(),
  task: TaskSchema.optional(),
  missing: MissingPolicySchema.optional(),
  valSplit: finite.min(0).lt(1).optional(),
  seed: int.optional(),
  /** Regression only; default 'standardize'. */
  targetScaling: TargetScalingMethodSchema.optional(),
});

// --- runs ---------------------------------------------------------------------------------

/** A run's config: the store reads a few fields, the training loop owns the rest (store/types.ts). */
export const RunConfigSchema = z.looseObject({
  model: z.looseObject({ kind: z.string() }),
  optimizer: z.looseObject({ name: z.string(), preset: z.string().optional(), hyperparams: z.record(z.string(), z.unknown()) }),
  schedule: z.looseObject({ name: z.string() }).nullable().optional(),
  data: z.looseObject({ source: nonEmpty }),
  training: z.record(z.string(), z.unknown()).optional(),
  preprocessing: z.unknown().optional(),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

export const RunSummarySchema = z.object({
  id: runId,
  name: z.string(),
  status: RunStatusSchema,
  optimizer: z.string(),
  modelKind: z.string(),
  dataSource: z.string(),
  dataset: z.string(),
  datasetId: int.nullable(),
  hyperparams: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  error: z.string().nullable(),
  divergedStep: int.nullable(),
  notes: z.string(),
  tags: z.array(z.string()),
  archived: z.boolean(),
  /** The sweep the run is a member of (sweeps.*), or null. Optional so run summaries made before sweeps (fixtures, other builds) still fit; the store always sets it. */
  sweepId: int.nullable().optional(),
  summary: z.record(z.string(), anyNumber),
  lastStep: int.nullable(),
});
export type RunSummary = z.infer<typeof RunSummarySchema>;

const MetricPointSchema = z.object({ step: int, epoch: anyNumber, wallTime: anyNumber, value: anyNumber });

export const RunDetailSchema = RunSummarySchema.extend({
  config: RunConfigSchema,
  final: z.record(z.string(), anyNumber),
  series: z.array(
    z.object({
      key: z.string(),
      count: int,
      first: MetricPointSchema,
      last: MetricPointSchema,
      min: z.object({ step: int, value: anyNumber }).nullable(),
      max: z.object({ step: int, value: anyNumber }).nullable(),
      firstNanStep: int.nullable(),
    }),
  ),
  snapshotCount: int,
  /** Distinct snapshot steps stored (each step has one snapshot per layer and kind). */
  snapshotSteps: int,
  /** The steps the run planned (its budget over its training rows); null when the config does not say. */
  plannedSteps: int.nullable(),
  owner: z.object({ pid: int, host: z.string(), start: z.string() }).nullable(),
  lastWriteAt: z.string().nullable(),
});
export type RunDetail = z.infer<typeof RunDetailSchema>;

export const RunFilterSchema = z.strictObject({
  status: z.union([RunStatusSchema, z.array(RunStatusSchema)]).optional(),
  optimizer: z.string().optional(),
  dataset: z.string().optional(),
  tag: z.union([z.string(), z.array(z.string())]).optional(),
  text: z.string().optional(),
  archived: z.enum(['exclude', 'only', 'include']).optional(),
  /** Members of this sweep only. */
  sweep: int.positive().optional(),
  where: z
    .array(z.strictObject({ key: nonEmpty, op: z.enum(['=', '!=', '<', '<=', '>', '>=']), value: z.union([finite, z.string(), z.boolean()]) }))
    .optional(),
  sort: z.strictObject({ key: nonEmpty, desc: z.boolean().optional() }).optional(),
  limit: int.positive().max(100_000).optional(),
  offset: int.nonnegative().optional(),
});

export const SeriesSchema = z.object({
  runId,
  key: z.string(),
  count: int,
  downsampled: z.boolean(),
  step: z.array(int),
  epoch: z.array(anyNumber),
  wallTime: z.array(anyNumber),
  value: z.array(anyNumber),
});
export type Series = z.infer<typeof SeriesSchema>;

/**
 * A series as typed columns (runs.seriesColumns): the same points as SeriesSchema, but 8 bytes
 * per number on the wire instead of JSON text, and no per-number validation or parsing, so a
 * comparison of 20 runs × 100k points loads in seconds rather than half a minute.
 */
export const SeriesColumnsSchema = z.object({
  runId,
  key: z.string(),
  count: int,
  downsampled: z.boolean(),
  step: f64,
  epoch: f64,
  wallTime: f64,
  value: f64,
});
export type SeriesColumns = z.infer<typeof SeriesColumnsSchema>;

export const SnapshotSchema = z.object({
  id: int,
  runId,
  step: int,
  layer: z.string(),
  kind: z.string(),
  shape: z.array(int),
  originalShape: z.array(int),
  data: f32.nullable(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

export const ExportFormatSchema = z.enum(['csv', 'json']);

// --- optimizer, schedule and model metadata (core registries, plain data) -----------------

const RangeSchema = z.object({
  min: finite,
  max: finite.optional(),
  minOpen: z.boolean().optional(),
  maxOpen: z.boolean().optional(),
  integer: z.boolean().optional(),
});
export type Range = z.infer<typeof RangeSchema>;

export const ParamValueSchema = z.union([finite, z.boolean(), z.string(), z.array(finite).readonly()]);
export type ParamValue = z.infer<typeof ParamValueSchema>;

const specBase = { name: z.string(), help: z.string() };
const choiceList = z.array(z.object({ value: z.string(), help: z.string() })).readonly();
const specKinds = {
  number: z.object({ kind: z.literal('number'), ...specBase, range: RangeSchema }),
  pair: z.object({ kind: z.literal('pair'), ...specBase, range: z.tuple([RangeSchema, RangeSchema]).readonly(), ordered: z.boolean().optional() }),
  boolean: z.object({ kind: z.literal('boolean'), ...specBase }),
  choice: z.object({ kind: z.literal('choice'), ...specBase, choices: choiceList }),
  list: z.object({ kind: z.literal('list'), ...specBase, range: RangeSchema, increasing: z.boolean().optional() }),
};
const PresetDefaultsSchema = z.object({ torch: ParamValueSchema, keras: ParamValueSchema.optional(), optax: ParamValueSchema.optional() });
const hyperExtra = { defaults: PresetDefaultsSchema, convention: z.boolean().optional() };

export const HyperparamSpecSchema = z.discriminatedUnion('kind', [
  specKinds.number.extend(hyperExtra),
  specKinds.pair.extend(hyperExtra),
  specKinds.boolean.extend(hyperExtra),
  specKinds.choice.extend(hyperExtra),
  specKinds.list.extend(hyperExtra),
]);
export type HyperparamSpec = z.infer<typeof HyperparamSpecSchema>;

export const PresetSchema = z.enum(['torch', 'keras', 'optax']);
export type Preset = z.infer<typeof PresetSchema>;

export const OptimizerMetaSchema = z.object({
  name: z.string(),
  label: z.string(),
  summary: z.string(),
  effectiveLr: z.string(),
  presets: z.array(PresetSchema).readonly(),
  hyperparams: z.array(HyperparamSpecSchema).readonly(),
  rules: z.array(z.string()).readonly().optional(),
  /** Every hyperparameter's value under each preset this optimizer has (what a form starts from). */
  presetValues: z.partialRecord(PresetSchema, z.record(z.string(), ParamValueSchema)),
});
export type OptimizerMeta = z.infer<typeof OptimizerMetaSchema>;

const gradientDefaults = { defaults: z.record(PresetSchema, ParamValueSchema.nullable()) };
const GradientOptionSchema = z.discriminatedUnion('kind', [
  specKinds.number.extend(gradientDefaults),
  specKinds.pair.extend(gradientDefaults),
  specKinds.boolean.extend(gradientDefaults),
  specKinds.choice.extend(gradientDefaults),
  specKinds.list.extend(gradientDefaults),
]);

const scheduleDefault = { default: ParamValueSchema.nullable().optional() };
export const ScheduleParamSpecSchema = z.discriminatedUnion('kind', [
  specKinds.number.extend(scheduleDefault),
  specKinds.pair.extend(scheduleDefault),
  specKinds.boolean.extend(scheduleDefault),
  specKinds.choice.extend(scheduleDefault),
  specKinds.list.extend(scheduleDefault),
  z.object({ kind: z.literal('schedules'), name: z.literal('schedules'), help: z.string() }),
]);
export type ScheduleParamSpec = z.infer<typeof ScheduleParamSpecSchema>;

export const ScheduleMetaSchema = z.object({
  name: z.string(),
  label: z.string(),
  summary: z.string(),
  driver: z.enum(['step', 'metric']),
  params: z.array(ScheduleParamSpecSchema).readonly(),
});
export type ScheduleMeta = z.infer<typeof ScheduleMetaSchema>;

export const ScheduleConfigSchema = z.looseObject({ name: nonEmpty });

// --- the runner and its live events -------------------------------------------------------

export const LivePointSchema = z.object({ key: z.string(), step: int, epoch: anyNumber, wallTime: anyNumber, value: anyNumber });

export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status'), runId, status: RunStatusSchema, error: z.string().optional(), divergedStep: int.optional() }),
  z.object({
    type: z.literal('progress'),
    runId,
    step: int,
    totalSteps: int,
    epoch: anyNumber,
    epochs: anyNumber,
    samplesPerSecond: anyNumber,
    etaSeconds: anyNumber.nullable(),
  }),
  z.object({ type: z.literal('metrics'), runId, points: z.array(LivePointSchema) }),
  z.object({ type: z.literal('snapshot'), runId, step: int, layer: z.string(), kind: z.string(), shape: z.array(int), originalShape: z.array(int), data: f32 }),
]);
export type RunEventMessage = z.infer<typeof RunEventSchema>;

/**
 * The live feed's rates (api/live.ts): connections get a run's events as a display stream, not
 * every point. Per run at most one batch every `intervalMs` — its metrics (a key with more than
 * `pointsPerKey` points in the batch decimated: first, min, max and last of each chunk, every
 * non-finite value), the newest snapshot step at most every `snapshotIntervalMs`, the latest
 * progress — and status changes at once, after what was pending. The store keeps every point.
 */
export const LIVE_FEED = { intervalMs: 250, snapshotIntervalMs: 1000, pointsPerKey: 16 } as const;

/** Everything pushed to a client: the runner's events, and changes to the stored runs. */
export const ApiEventSchema = z.union([
  RunEventSchema,
  z.object({ type: z.literal('runs'), change: z.enum(['created', 'updated', 'deleted']), runIds: z.array(runId) }),
]);
export type ApiEvent = z.infer<typeof ApiEventSchema>;
export type ApiEventType = ApiEvent['type'];
export const API_EVENT_TYPES = ['status', 'progress', 'metrics', 'snapshot', 'runs'] as const satisfies readonly ApiEventType[];

/** Which events a connection receives: runs (null: every run) and event types. */
export const EventFilterSchema = z.strictObject({
  runIds: z.array(runId).max(10_000).nullable(),
  types: z.array(z.enum(API_EVENT_TYPES)),
});
export type EventFilter = z.infer<typeof EventFilterSchema>;

/**
 * A connection's subscription: the events any of its filters lets through. (Several filters, not
 * their union: "status of every run" and "metrics of run 3" must not become "metrics of every run".)
 */
export const SubscriptionSchema = z.strictObject({ filters: z.array(EventFilterSchema).max(100) });
export type Subscription = z.infer<typeof SubscriptionSchema>;

/** What a new connection receives until it subscribes: status changes and list changes of every run. */
export const DEFAULT_SUBSCRIPTION: Subscription = { filters: [{ runIds: null, types: ['status', 'runs'] }] };

/** Does any filter of the subscription let `event` through? */
export function subscribed(subscription: Subscription, event: { type: string; runId?: number; runIds?: number[] }): boolean {
  return subscription.filters.some((f) => matches(f, event));
}

/** Does `filter` let `event` through? (The server filters per connection, the client per listener.) */
export function matches(filter: EventFilter, event: { type: string; runId?: number; runIds?: number[] }): boolean {
  if (!(filter.types as readonly string[]).includes(event.type)) return false;
  if (filter.runIds === null) return true;
  const ids = event.runIds ?? (event.runId === undefined ? [] : [event.runId]);
  return ids.some((id) => filter.runIds!.includes(id));
}

export const StartParamsSchema = z.strictObject({
  config: RunConfigSchema,
  name: z.string().max(200).optional(),
  tags: z.array(nonEmpty.max(100)).max(50).optional(),
  notes: z.string().max(100_000).optional(),
});

// --- sweeps (issue 7): one config over learning rates, seeds or optimizers -------------------

export { SweepSpecSchema };
export type { SweepSpec } from '../core/sweep/spec.ts';

const SweepPointSchema = z.object({ lr: finite.optional(), seed: int.optional(), optimizer: z.string().optional() });
export type SweepPoint = z.infer<typeof SweepPointSchema>;

/** What a sweep would launch: the axes' values and each member's name and point (sweeps.plan). */
export const SweepPlanSchema = z.object({
  name: z.string(),
  lrs: z.array(finite).nullable(),
  seeds: z.array(int).nullable(),
  optimizers: z.array(z.string()).nullable(),
  members: z.array(z.object({ index: int, name: z.string(), point: SweepPointSchema })),
});
export type SweepPlan = z.infer<typeof SweepPlanSchema>;

export const SweepSummarySchema = z.object({
  id: int.positive(),
  name: z.string(),
  spec: z.unknown(),
  createdAt: z.string(),
  runIds: z.array(runId),
  statusCounts: z.partialRecord(RunStatusSchema, int),
  /** Each member's place on the axes, read from its stored config. */
  members: z.array(z.object({ runId, optimizer: z.string(), lr: finite.nullable(), seed: int.nullable() })),
});
export type SweepSummary = z.infer<typeof SweepSummarySchema>;

const AnalyzedMemberSchema = z.object({
  runId,
  optimizer: z.string(),
  lr: finite,
  seed: int.nullable(),
  state: z.enum(['finished', 'diverged', 'active', 'ended']),
  value: finite.nullable(),
  divergedStep: int.nullable(),
});
const LrMeanSchema = z.object({ optimizer: z.string(), lr: finite, mean: finite, count: int, runIds: z.array(runId) });

/** The Goldilocks reading of a sweep (core/sweep/analysis.ts): per-member states, means over seeds, the best lr, the diverged. */
export const SweepAnalysisSchema = z.object({
  metric: z.string(),
  higherIsBetter: z.boolean(),
  members: z.array(AnalyzedMemberSchema),
  means: z.array(LrMeanSchema),
  best: LrMeanSchema.nullable(),
  diverged: z.array(AnalyzedMemberSchema),
  counts: z.object({ finished: int, diverged: int, active: int, ended: int }),
});
export type SweepAnalysis = z.infer<typeof SweepAnalysisSchema>;

/** A sweep with its member runs (their status, hyperparameters and final metrics) and its Goldilocks reading. */
export const SweepDetailSchema = SweepSummarySchema.extend({ runs: z.array(RunSummarySchema), analysis: SweepAnalysisSchema });
export type SweepDetail = z.infer<typeof SweepDetailSchema>;

// --- the method table -----------------------------------------------------------------------

const none = z.strictObject({});
const byRun = z.strictObject({ id: runId });
const byRunId = z.strictObject({ runId });
const done = z.object({ done: z.literal(true) });

/** A data source: a sample name (`iris`) or a CSV path this process may read. */
const source = nonEmpty.max(4096);

export const AppInfoSchema = z.object({
  version: z.string(),
  dbPath: z.string(),
  /** Where uploads (browser mode) are kept: `datasets` beside the database. */
  uploadsDir: z.string(),
  samplesDir: z.string(),
  kernels: z.string(),
  /** False when this process cannot train (the runner is not available). */
  canTrain: z.boolean(),
  /** Why it cannot train, when it cannot. */
  trainingUnavailable: z.string().nullable(),
  /** 'any': any file the user names; 'uploads': samples and uploaded files only (browser mode). */
  fileAccess: z.enum(['any', 'uploads']),
  platform: z.string(),
});
export type AppInfo = z.infer<typeof AppInfoSchema>;

function method<P extends z.ZodType, R extends z.ZodType>(params: P, result: R) {
  return { params, result };
}

export const METHODS = {
  'app.info': method(none, AppInfoSchema),

  'datasets.samples': method(none, z.array(SampleSchema)),
  'datasets.preview': method(z.strictObject({ source, rows: int.min(1).max(500).optional() }), CsvPreviewSchema),
  /** The full load report; a file that does not load is an error with code 'data' and its location. */
  'datasets.load': method(DataOptionsSchema.extend({ source }), DatasetSummarySchema),

  'runs.list': method(RunFilterSchema, z.array(RunSummarySchema)),
  'runs.get': method(byRun, RunDetailSchema),
  'runs.rename': method(z.strictObject({ id: runId, name: nonEmpty.max(200) }), RunDetailSchema),
  'runs.tag': method(z.strictObject({ id: runId, tag: nonEmpty.max(100), remove: z.boolean().optional() }), RunDetailSchema),
  'runs.notes': method(z.strictObject({ id: runId, notes: z.string().max(100_000) }), RunDetailSchema),
  'runs.archive': method(z.strictObject({ id: runId, archived: z.boolean() }), RunDetailSchema),
  'runs.delete': method(byRun, z.object({ deleted: runId })),
  /** Series of several runs × keys, downsampled in the store to ≤ maxPoints (first, last, min, max kept). */
  'runs.series': method(
    z.strictObject({ runIds: z.array(runId).min(1).max(1000), keys: z.array(nonEmpty).min(1).max(1000), maxPoints: int.min(5).max(200_000) }),
    z.array(SeriesSchema),
  ),
  /** The same series as typed Float64Array columns (long series: compact on the wire, NaN carried as is). */
  'runs.seriesColumns': method(
    z.strictObject({ runIds: z.array(runId).min(1).max(1000), keys: z.array(nonEmpty).min(1).max(1000), maxPoints: int.min(5).max(200_000) }),
    z.array(SeriesColumnsSchema),
  ),
  /** Snapshots by step range; `maxSteps` keeps at most that many steps, evenly spread, always the last. */
  'runs.snapshots': method(
    z.strictObject({
      id: runId,
      fromStep: int.optional(),
      toStep: int.optional(),
      layer: z.string().optional(),
      kind: z.string().optional(),
      withData: z.boolean().optional(),
      maxSteps: int.min(1).optional(),
    }),
    z.array(SnapshotSchema),
  ),
  /** Every point of a run, as the CLI's `runs export` writes it. */
  'runs.export': method(z.strictObject({ id: runId, format: ExportFormatSchema }), z.object({ filename: z.string(), mime: z.string(), text: z.string() })),

  'runner.start': method(StartParamsSchema, z.object({ runId })),
  /** Checks a config as runner.start would, without starting: the resolved config, or an error. */
  'runner.validate': method(z.strictObject({ config: RunConfigSchema }), z.object({ config: RunConfigSchema })),
  'runner.pause': method(byRunId, done),
  'runner.resume': method(byRunId, done),
  'runner.stop': method(byRunId, done),
  'runner.active': method(none, z.array(z.object({ runId, status: RunStatusSchema }))),

  /** Replaces this connection's subscription (the events any of its filters lets through). */
  'events.subscribe': method(SubscriptionSchema, done),

  'meta.optimizers': method(
    none,
    z.object({ presets: z.array(PresetSchema).readonly(), optimizers: z.array(OptimizerMetaSchema), gradient: z.array(GradientOptionSchema).readonly() }),
  ),
  'meta.schedules': method(none, z.array(ScheduleMetaSchema)),
  'meta.models': method(
    none,
    z.object({ kinds: z.array(z.enum(['linear', 'mlp'])), activations: z.array(z.string()).readonly(), inits: z.array(z.string()).readonly() }),
  ),
  /**
   * The learning rate of each step 0..steps-1 under a schedule (null: constant), for a base lr;
   * sampled every `stride` steps when steps > maxPoints (lrs[k] is the lr at step k·stride).
   */
  'meta.schedulePreview': method(
    z.strictObject({ schedule: ScheduleConfigSchema.nullable(), lr: finite.positive(), steps: int.min(1).max(100_000_000), maxPoints: int.min(10).max(100_000).optional() }),
    z.object({ lrs: z.array(anyNumber), stride: int.positive(), steps: int, driver: z.enum(['step', 'metric']) }),
  ),

  /** The members a sweep spec expands to, every config checked as sweeps.start would; launches nothing. */
  'sweeps.plan': method(SweepSpecSchema, SweepPlanSchema),
  /** Checks every member first (a bad field fails the whole sweep, nothing launched), records the sweep, launches its runs on the pool. */
  'sweeps.start': method(SweepSpecSchema, z.object({ sweepId: int.positive(), runIds: z.array(runId) })),
  /** A sweep, its runs, and its analysis by `metric` (default: val_loss when the members have it, else train_loss). */
  'sweeps.get': method(z.strictObject({ id: int.positive(), metric: nonEmpty.max(200).optional() }), SweepDetailSchema),
  'sweeps.list': method(none, z.array(SweepSummarySchema)),

  // Part 2 (issue 7) adds its namespaces here: 'playground.*' (surfaces, optimizer paths from core/surfaces).
} as const;

export type Method = keyof typeof METHODS;
export const METHOD_NAMES = Object.keys(METHODS) as Method[];
/** What a caller passes (defaults not yet applied). */
export type Params<M extends Method> = z.input<(typeof METHODS)[M]['params']>;
/** What a handler receives (validated). */
export type ValidParams<M extends Method> = z.output<(typeof METHODS)[M]['params']>;
export type Result<M extends Method> = z.output<(typeof METHODS)[M]['result']>;

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(METHODS, name);
}

// --- messages -----------------------------------------------------------------------------

export const RequestSchema = z.strictObject({ id: int.nonnegative(), method: z.string(), params: z.unknown().optional() });
export type RequestMessage = { id: number; method: Method; params?: unknown };

export const ResponseSchema = z.discriminatedUnion('ok', [
  z.object({ id: int.nonnegative().nullable(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: int.nonnegative().nullable(), ok: z.literal(false), error: ApiErrorSchema }),
]);
export type ResponseMessage = z.infer<typeof ResponseSchema>;

/** Pushed events, in order (a socket carries each burst of events — a run's live batch — as one message). */
export const EventMessageSchema = z.object({ events: z.array(ApiEventSchema) });
export type EventMessage = z.infer<typeof EventMessageSchema>;

/** Anything the server sends on a socket. */
export const ServerMessageSchema = z.union([ResponseSchema, EventMessageSchema]);

/** A zod failure as one line: `params.id: expected a number` (first issue, plus how many more). */
export function describeZodError(error: z.ZodError, prefix = 'params'): string {
  const first = error.issues[0];
  if (!first) return `${prefix}: invalid`;
  const path = [prefix, ...first.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))].join('').replace(/\.\[/g, '[');
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return `${path}: ${first.message.replace(/^Invalid input: /, '')}${more}`;
}

// --- wire encoding (WebSocket and HTTP) ----------------------------------------------------

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < B64.length; i++) B64_INDEX[B64.charCodeAt(i)] = i;

const B64_CODES = Uint8Array.from(B64, (c) => c.charCodeAt(0));
const PAD = 61; // '='

/** Standard base64 (RFC 4648) of bytes (written as ASCII codes into one buffer, then decoded once: fast for tens of MB). */
export function bytesToBase64(bytes: Uint8Array): string {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i] << 16) | (bytes[i + 1] << 8) | bytes[i + 2];
    out[o++] = B64_CODES[n >> 18];
    out[o++] = B64_CODES[(n >> 12) & 63];
    out[o++] = B64_CODES[(n >> 6) & 63];
    out[o++] = B64_CODES[n & 63];
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    out[o++] = B64_CODES[bytes[i] >> 2];
    out[o++] = B64_CODES[(bytes[i] & 3) << 4];
    out[o++] = PAD;
    out[o++] = PAD;
  } else if (rest === 2) {
    out[o++] = B64_CODES[bytes[i] >> 2];
    out[o++] = B64_CODES[((bytes[i] & 3) << 4) | (bytes[i + 1] >> 4)];
    out[o++] = B64_CODES[(bytes[i + 1] & 15) << 2];
    out[o++] = PAD;
  }
  // Every byte is ASCII, which every TextDecoder label decodes as itself.
  return new TextDecoder('latin1').decode(out);
}

/** Bytes of standard base64; throws on a character outside the alphabet or a bad length. */
export function base64ToBytes(text: string): Uint8Array {
  if (text.length % 4 !== 0) throw new Error('base64 text length is not a multiple of 4');
  const pad = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const out = new Uint8Array((text.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < text.length; i += 4) {
    let n = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(i + k);
      const v = c === 61 && i + k >= text.length - pad ? 0 : c < 128 ? B64_INDEX[c] : -1;
      if (v < 0) throw new Error(`not base64: character ${JSON.stringify(text[i + k])} at ${i + k}`);
      n = (n << 6) | v;
    }
    if (o < out.length) out[o++] = n >> 16;
    if (o < out.length) out[o++] = (n >> 8) & 255;
    if (o < out.length) out[o++] = n & 255;
  }
  return out;
}

/** JSON text of a message; Float32Arrays and Float64Arrays (little-endian bytes) and non-finite numbers survive. */
export function encodeWire(message: unknown): string {
  return JSON.stringify(message, (_key, value: unknown) => {
    if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) };
    if (value instanceof Float32Array) return { $f32: bytesToBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
    if (value instanceof Float64Array) return { $f64: bytesToBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
    return value;
  });
}

const NON_FINITE: Record<string, number> = { NaN: NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** The message of encodeWire() text; throws a SyntaxError on text that is not JSON. */
export function decodeWire(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      const keys = Object.keys(value);
      if (keys.length === 1) {
        const o = value as Record<string, unknown>;
        if (typeof o.$num === 'string' && o.$num in NON_FINITE) return NON_FINITE[o.$num];
        if (typeof o.$f32 === 'string') {
          const bytes = base64ToBytes(o.$f32);
          if (bytes.length % 4 !== 0) throw new Error('a $f32 payload is not a whole number of float32 values');
          return new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4);
        }
        if (typeof o.$f64 === 'string') {
          const bytes = base64ToBytes(o.$f64);
          if (bytes.length % 8 !== 0) throw new Error('a $f64 payload is not a whole number of float64 values');
          return new Float64Array(bytes.buffer, bytes.byteOffset, bytes.length / 8);
        }
      }
    }
    return value;
  });
}

// --- the Electron bridge (preload <-> main) -------------------------------------------------
// The preload exposes exactly this surface as `window.precond` (contextBridge; no ipcRenderer).
// Requests and the dialogs' arguments are validated here in the preload and again in main.

export const IPC = {
  invoke: 'precond:invoke',
  event: 'precond:event',
  openCsv: 'precond:open-csv',
  saveExport: 'precond:save-export',
  saveFile: 'precond:save-file',
  menu: 'precond:menu',
} as const;

/** What the application menu asks the renderer to do. */
export const MENU_COMMANDS = ['open-csv', 'go-datasets', 'go-new-run', 'go-runs', 'export-run-csv', 'export-run-json'] as const;
export const MenuCommandSchema = z.enum(MENU_COMMANDS);
export type MenuCommand = z.infer<typeof MenuCommandSchema>;

export const SaveExportSchema = z.strictObject({ id: runId, format: ExportFormatSchema });
export const SaveFileSchema = z.strictObject({
  defaultName: nonEmpty.max(255),
  data: z.union([z.string(), z.instanceof(Uint8Array)]),
  filters: z.array(z.strictObject({ name: z.string(), extensions: z.array(z.string()) })).max(10).optional(),
});
export type SaveFileRequest = z.infer<typeof SaveFileSchema>;
/** A path, or null when the user cancelled the dialog. */
export const DialogResultSchema = z.string().nullable();

export interface PrecondBridge {
  readonly transport: 'electron';
  /** One request -> its response (never rejects for an API error: the response says ok: false). */
  invoke(request: RequestMessage): Promise<ResponseMessage>;
  /** Pushed events of this window's connection; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void;
  /** The native open dialog for CSV files: the chosen path, or null. */
  openCsvDialog(): Promise<string | null>;
  /** The native save dialog, then the run's full export written there: the path, or null. */
  saveRunExport(id: number, format: 'csv' | 'json'): Promise<string | null>;
  /** The native save dialog for bytes or text made in the renderer (chart exports): the path, or null. */
  saveFile(request: SaveFileRequest): Promise<string | null>;
  /** The path of a File dropped on the window (Electron's webUtils.getPathForFile), '' if it has none. */
  pathForFile(file: object): string;
  /** Commands from the application menu; returns the unsubscribe function. */
  onMenu(listener: (command: MenuCommand) => void): () => void;
}
