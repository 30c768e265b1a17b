// The run store's contract with the rest of Precond Lab (runner, training loop, API, CLI, UI).
//
// ## A run's config
// Stored verbatim as JSON in `runs.config`, immutable once the run exists. The store reads only
// `optimizer.name`, `optimizer.hyperparams`, `model.kind` and `data.source`; everything else is
// opaque to it (the training loop owns its meaning). Example:
//   { model: { kind: 'mlp', hidden: [32], activation: 'relu' },
//     optimizer: { name: 'adam', preset: 'torch', hyperparams: { lr: 0.001, betas: [0.9, 0.999] } },
//     schedule: { name: 'cosine', tMax: 900 } | null,
//     data: { source: 'digits' | '/path/to/file.csv', target: 'label', task: 'classification',
//             missing: 'drop', valSplit: 0.2 },
//     training: { epochs: 20, batchSize: 32, seed: 1, dtype: 'float64', evalEvery: 45,
//                 snapshotEvery: 45 },
//     preprocessing: { standardize: true } }
// Any config value can still be filtered and sorted on (see RunFilter.where / SortSpec.key):
//   `hp.<path>`     -> optimizer.hyperparams.<path>   e.g. hp.lr, hp.betas[1]
//   `config.<path>` -> any path of the config         e.g. config.training.batchSize
// Paths are dotted identifiers with optional [n] indices; anything else is refused.
//
// ## Metrics
// A point is (run, key, step, epoch, wallTime, value). `step` is the global optimizer step, an
// integer >= 0 that must increase strictly within one (run, key) series; `epoch` a number
// >= 0; `wallTime` seconds since the run started; `value` any number, NaN and ±Infinity
// included (SQLite has no NaN, so a stored NULL value means NaN). Keys are free text, e.g.
// `train_loss`, `val_loss`, `val_accuracy`, `val_r2`, `val_rmse`, `grad_norm`, `lr`,
// `update_ratio/layers.0.weight`. Every point is stored; downsampling is a query. Regression runs:
// `train_loss` and `val_loss` are the MSE the optimizer sees, on the target standardized with its
// training mean and std (config.data.targetScaling 'standardize', the default; raw with 'none');
// `val_rmse` is in the target's own units (√MSE × std) and `val_r2` is the same in both.
// Summary metrics of a run: the latest value of every key (kept in step by the writer), over
// which the final values written when the run ends (RunStore.endRun({ final })) take precedence.
// A summary metric is a sort/where key by its name (`val_loss`) or as `metric.<name>` when the
// name collides with a column key such as `name`.
//
// ## Snapshots
// (run, step, layer, kind, shape, originalShape, data): `kind` e.g. `effective_lr`, `update`,
// `grad`; `shape` is the shape of `data` (possibly downsampled), `originalShape` the tensor's
// shape; `data` is a Float32Array of prod(shape) values, stored little-endian as a BLOB.
//
// ## Run status
//   queued -> running | stopped | failed
//   running -> paused | finished | stopped | diverged | failed
//   paused -> running | stopped | failed
//   finished, stopped, diverged, failed, interrupted: terminal.
// `interrupted` is never set by a caller, only by crash recovery (below), from any active status.
// `startedAt` is set when a run first becomes running, `endedAt` when it reaches a terminal
// status. The process that creates or starts a run owns it (pid, process start, host). When a
// store opens, every queued, running or paused run whose owner process is gone becomes
// `interrupted` (queued ones too: the queue lived in that process, nobody else will start
// them); its metrics flushed before the crash are kept. Runs owned by a live process, or by a
// process on another host (whose liveness cannot be checked), are left alone.

export const RUN_STATUSES = [
  'queued',
  'running',
  'paused',
  'finished',
  'stopped',
  'diverged',
  'failed',
  'interrupted',
] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Statuses of a run some process is still responsible for. */
export const ACTIVE_STATUSES = ['queued', 'running', 'paused'] as const satisfies readonly RunStatus[];
export type ActiveStatus = (typeof ACTIVE_STATUSES)[number];

/** How a run can end when its owner ends it (`interrupted` is only set by crash recovery). */
export type EndStatus = 'finished' | 'stopped' | 'diverged' | 'failed';

export interface RunConfig {
  model: { kind: string; [other: string]: unknown };
  optimizer: { name: string; preset?: string; hyperparams: Record<string, unknown>; [other: string]: unknown };
  schedule?: { name: string; [other: string]: unknown } | null;
  data: { source: string; [other: string]: unknown };
  training?: Record<string, unknown>;
  preprocessing?: unknown;
  [other: string]: unknown;
}

/** Where in training a point was logged. */
export interface StepAt {
  step: number;
  epoch: number;
  /** Seconds since the run started. */
  wallTime: number;
}

export interface MetricPoint extends StepAt {
  value: number;
}

export interface SnapshotInput {
  step: number;
  layer: string;
  kind: string;
  /** Shape of `data`; prod(shape) === data.length. */
  shape: number[];
  /** Shape of the tensor before downsampling; defaults to `shape`. */
  originalShape?: number[];
  data: Float32Array;
}

export interface Snapshot {
  id: number;
  runId: number;
  step: number;
  layer: string;
  kind: string;
  shape: number[];
  originalShape: number[];
  /** null when listed without data (`withData: false`). */
  data: Float32Array | null;
}

export interface NewRun {
  config: RunConfig;
  /** Defaults to "<optimizer> · <model> · <dataset>". */
  name?: string;
  datasetId?: number | null;
  tags?: string[];
  notes?: string;
  /** The sweep this run is a member of (see RunStore.createSweep). */
  sweepId?: number | null;
}

/** A sweep as it is recorded before its runs: a name and the spec it was expanded from. */
export interface NewSweep {
  name: string;
  /** The sweep spec as given (JSON; core/sweep/spec.ts), kept so the sweep can be redone. */
  spec: unknown;
}

export interface SweepRecord {
  id: number;
  name: string;
  spec: unknown;
  /** ISO 8601 (UTC). */
  createdAt: string;
  /** Its member runs, in the order they were created (deleted runs are gone from it). */
  runIds: number[];
  /** How many members are in each status. */
  statusCounts: Partial<Record<RunStatus, number>>;
  /** Each member's place on the axes, from its stored config (lr and seed null where absent). */
  members: { runId: number; optimizer: string; lr: number | null; seed: number | null }[];
}

/** The process that owns an active run. */
export interface RunOwner {
  pid: number;
  host: string;
  /** Identifies this incarnation of the pid (Linux: boot id + start ticks). */
  start: string;
}

export interface RunSummary {
  id: number;
  name: string;
  status: RunStatus;
  optimizer: string;
  modelKind: string;
  /** `data.source` of the config: a sample name or a file path. */
  dataSource: string;
  /** `data.source` without folder and extension: "digits" for "/x/digits.csv". */
  dataset: string;
  datasetId: number | null;
  hyperparams: Record<string, unknown>;
  /** ISO 8601 (UTC) timestamps. */
  createdAt: string;
  startedAt: string | null;
  endedAt: string | null;
  error: string | null;
  divergedStep: number | null;
  notes: string;
  tags: string[];
  archived: boolean;
  /** The sweep the run is a member of, or null. */
  sweepId: number | null;
  /** Latest value of every metric key, overridden by the final values. NaN stays NaN. */
  summary: Record<string, number>;
  /** Highest step logged for any key, null before the first point. */
  lastStep: number | null;
}

export interface SeriesInfo {
  key: string;
  count: number;
  first: MetricPoint;
  last: MetricPoint;
  /** Smallest and largest non-NaN value (null if every value is NaN). */
  min: { step: number; value: number } | null;
  max: { step: number; value: number } | null;
  firstNanStep: number | null;
}

export interface RunDetail extends RunSummary {
  config: RunConfig;
  final: Record<string, number>;
  series: SeriesInfo[];
  snapshotCount: number;
  /** Distinct snapshot steps stored (each has one snapshot per layer and kind). */
  snapshotSteps: number;
  /** The steps the run planned (its budget over its training rows); null when the config does not say. */
  plannedSteps: number | null;
  owner: RunOwner | null;
  /** When the writer last committed points of this run. */
  lastWriteAt: string | null;
}

export type ConditionOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export interface Condition {
  /** A column key (id, name, status, created...), `hp.<path>`, `config.<path>`, or a metric. */
  key: string;
  op: ConditionOp;
  value: number | string | boolean;
}

export interface SortSpec {
  key: string;
  desc?: boolean;
}

export interface RunFilter {
  status?: RunStatus | RunStatus[];
  /** Optimizer name, case-insensitive. */
  optimizer?: string;
  /** Matches `dataset` (file name without extension) or the full `data.source`. */
  dataset?: string;
  /** Runs that carry every one of these tags. */
  tag?: string | string[];
  /** Case-insensitive substring of the name or the notes. */
  text?: string;
  /** Members of this sweep only. */
  sweep?: number;
  /** Default 'exclude': archived runs are hidden unless asked for. */
  archived?: 'exclude' | 'only' | 'include';
  where?: Condition[];
  /** Default: newest first. Runs without a value for the key sort last either way. */
  sort?: SortSpec;
  limit?: number;
  offset?: number;
}

export interface SeriesQuery {
  runIds: number[];
  keys: string[];
  /** At most this many points per (run, key) series; >= 5. */
  maxPoints: number;
}

/** Column-wise points of one (run, key) series, ordered by step. */
export interface Series {
  runId: number;
  key: string;
  /** Points stored for this series (before downsampling). */
  count: number;
  downsampled: boolean;
  step: number[];
  epoch: number[];
  wallTime: number[];
  value: number[];
}

export interface SnapshotQuery {
  fromStep?: number;
  toStep?: number;
  layer?: string;
  kind?: string;
  /** Default true; false lists shapes and steps only. */
  withData?: boolean;
}

/** One row of the wide, full-resolution export: one row per step. */
export interface ExportRow {
  step: number;
  epoch: number;
  /** The earliest wall time logged at this step. */
  wallTime: number;
  /** One entry per export key (same order), undefined where that key has no point at this step. */
  values: (number | undefined)[];
}

export interface DatasetInfo {
  path: string;
  contentHash: string;
  sizeBytes: number;
  rows?: number | null;
  columns?: number | null;
  /** The inferred schema, any JSON value. */
  schema?: unknown;
}

export interface DatasetRecord extends DatasetInfo {
  id: number;
  createdAt: string;
}
