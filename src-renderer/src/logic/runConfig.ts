// The New run form's state and the run config it becomes (the JSON stored with the run; see
// src-main/store/types.ts). Model, optimizer and schedule parts follow the core registries; the
// server resolves and checks the whole config again before anything runs.
import { planSteps, RUN_DEFAULTS, type OptimizerMeta, type ParamValue, type Preset, type RunConfig, type ScheduleMeta, type ScheduleParamSpec, type StepPlan } from '../api/protocol.ts';
import { fieldsFrom, parseFields, type EditableSpec, type FieldValue } from './params.ts';

export interface RunForm {
  name: string;
  model: { kind: 'linear' | 'mlp'; hidden: string; activation: string };
  optimizer: { name: string; preset: Preset; fields: Record<string, FieldValue> };
  /** name 'none': the optimizer's lr, unchanged. */
  schedule: { name: string; fields: Record<string, FieldValue> };
  training: { epochs: number; batchSize: number; seed: number };
}

export interface DataChoice {
  source: string;
  target?: string;
  task?: 'classification' | 'regression';
  missing: 'drop' | 'impute';
  valSplit: number;
}

/** Schedules the form can edit (sequential nests schedules, which it cannot). */
export function editableSchedules(all: readonly ScheduleMeta[]): ScheduleMeta[] {
  return all.filter((s) => s.params.every((p) => p.kind !== 'schedules'));
}

export function editableSpecs(specs: readonly (ScheduleParamSpec | EditableSpec)[]): EditableSpec[] {
  return specs.filter((p): p is EditableSpec => p.kind !== 'schedules');
}

/** The form's starting values: the run config's defaults (the core's, as the CLI's), Adam with torch's. */
export function defaultForm(): RunForm {
  return {
    name: '',
    model: { kind: 'mlp', hidden: RUN_DEFAULTS.mlp.hidden.join(', '), activation: RUN_DEFAULTS.mlp.activation },
    optimizer: { name: 'adam', preset: 'torch', fields: {} },
    schedule: { name: 'none', fields: {} },
    training: { ...RUN_DEFAULTS.training },
  };
}

const EPOCHS_ERROR = 'a whole number of epochs from 1 to 100000';
const BATCH_ERROR = 'a whole number ≥ 1';
const validEpochs = (n: number) => Number.isInteger(n) && n >= 1 && n <= 100_000;
const validBatchSize = (n: number) => Number.isInteger(n) && n >= 1 && n <= 1_000_000;

/**
 * The steps the run will take, planned as the training session plans them; null while there are
 * no training rows or the epochs or batch size are invalid (nothing derived from them is shown).
 */
export function formStepPlan(trainRows: number, training: RunForm['training']): StepPlan | null {
  if (!(trainRows >= 1) || !validEpochs(training.epochs) || !validBatchSize(training.batchSize)) return null;
  return planSteps({ epochs: training.epochs, batchSize: training.batchSize }, trainRows);
}

/** Training rows after a validation split of `valSplit`: about n − round(n·valSplit) (the split rounds per class when stratified). */
export function trainRowsFor(rowsUsed: number, valSplit: number): number {
  return rowsUsed - Math.round(rowsUsed * valSplit);
}

/** The optimizer's fields under a preset: its registry defaults. */
export function optimizerFields(meta: OptimizerMeta, preset: Preset): Record<string, FieldValue> {
  const values = meta.presetValues[preset] ?? meta.presetValues.torch ?? {};
  return fieldsFrom(meta.hyperparams, values);
}

/**
 * A schedule's fields: its defaults, and for the parameters it requires, values that fit a run of
 * `totalSteps` steps (cosine's T_max the whole run, step decay every third of it, ...).
 */
export function scheduleFields(meta: ScheduleMeta, totalSteps: number): Record<string, FieldValue> {
  const n = Math.max(1, totalSteps);
  const suggested: Record<string, ParamValue> = {
    T_max: n,
    total_steps: n,
    step_size: Math.max(1, Math.round(n / 3)),
    T_0: Math.max(1, Math.round(n / 4)),
    milestones: [...new Set([Math.max(1, Math.round(n / 2)), Math.max(2, Math.round((3 * n) / 4))])].sort((a, b) => a - b),
    gamma: meta.name === 'exponential' ? Number((0.01 ** (1 / n)).toPrecision(4)) : 0.1,
  };
  const values: Record<string, ParamValue | null> = {};
  for (const p of editableSpecs(meta.params)) {
    const d = 'default' in p ? p.default : undefined;
    values[p.name] = d === undefined ? (suggested[p.name] ?? null) : d;
  }
  return fieldsFrom(editableSpecs(meta.params), values);
}

/** "64, 32" -> [64, 32]; "" -> [] (an MLP needs at least one layer). */
export function parseHidden(text: string): { ok: true; value: number[] } | { ok: false; error: string } {
  const parts = text.split(/[,\s]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, error: 'at least one hidden layer width, e.g. 64 or 64, 32' };
  const xs = parts.map(Number);
  const bad = parts.find((p, i) => !Number.isInteger(xs[i]) || xs[i] < 1 || xs[i] > 100_000);
  if (bad !== undefined) return { ok: false, error: `${bad} is not a layer width (a whole number from 1 to 100000)` };
  return { ok: true, value: xs };
}

export interface BuiltConfig {
  config: RunConfig | null;
  /** Errors by field: 'model.hidden', 'optimizer.lr', 'schedule.T_max', 'training.epochs', ... */
  errors: Record<string, string>;
}

export function buildRunConfig(form: RunForm, data: DataChoice | null, optimizer: OptimizerMeta | undefined, schedule: ScheduleMeta | undefined): BuiltConfig {
  const errors: Record<string, string> = {};
  if (!data) errors.data = 'choose a data set first (Datasets)';
  if (!optimizer) errors.optimizer = 'choose an optimizer';

  let model: RunConfig['model'] = { kind: 'linear' };
  if (form.model.kind === 'mlp') {
    const hidden = parseHidden(form.model.hidden);
    if (!hidden.ok) errors['model.hidden'] = hidden.error;
    else model = { kind: 'mlp', hidden: hidden.value, activation: form.model.activation };
  }

  const hp = optimizer ? parseFields(optimizer.hyperparams, form.optimizer.fields) : { values: {}, errors: {} };
  for (const [k, e] of Object.entries(hp.errors)) errors[`optimizer.${k}`] = e;

  let scheduleConfig: RunConfig['schedule'] = null;
  if (form.schedule.name !== 'none') {
    if (!schedule) errors.schedule = `unknown schedule ${form.schedule.name}`;
    else {
      const specs = editableSpecs(schedule.params);
      const sp = parseFields(specs, form.schedule.fields, (s) => 'default' in s && s.default === null);
      for (const [k, e] of Object.entries(sp.errors)) errors[`schedule.${k}`] = e;
      scheduleConfig = { name: schedule.name, ...sp.values };
    }
  }

  const t = form.training;
  if (!validEpochs(t.epochs)) errors['training.epochs'] = EPOCHS_ERROR;
  if (!validBatchSize(t.batchSize)) errors['training.batchSize'] = BATCH_ERROR;
  if (!Number.isInteger(t.seed)) errors['training.seed'] = 'a whole number';
  if (data && !(data.valSplit >= 0 && data.valSplit < 1)) errors['data.valSplit'] = 'a fraction in [0, 1)';

  if (Object.keys(errors).length > 0 || !data || !optimizer) return { config: null, errors };
  return {
    config: {
      model,
      optimizer: { name: optimizer.name, preset: form.optimizer.preset, hyperparams: hp.values },
      schedule: scheduleConfig,
      data: {
        source: data.source,
        ...(data.target ? { target: data.target } : {}),
        ...(data.task ? { task: data.task } : {}),
        missing: data.missing,
        valSplit: data.valSplit,
      },
      training: { epochs: t.epochs, batchSize: t.batchSize, seed: t.seed },
    },
    errors,
  };
}
