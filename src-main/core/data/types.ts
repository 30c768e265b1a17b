// The shapes the data pipeline hands to the rest of the app.
//
//   io (bytes -> text -> CSV records)  ->  core/data TableBuilder (columnar raw table)
//   -> inferSchema -> buildDataset -> { dataset, preprocessing, summary }
//
// `Dataset` is what the training loop consumes; `Preprocessing` is the JSON record stored with
// a run so the same transform can be re-applied (`applyPreprocessing`) and inspected later;
// `DatasetSummary` is the JSON report printed by `precond train --json` and shown in the UI.

export type Task = 'classification' | 'regression';

/** How a regression target is scaled for training: standardized (the default) or used as it is in the file. */
export type TargetScalingMethod = 'standardize' | 'none';

/** The values `targetScaling` may take, in the order shown to people. */
export const TARGET_SCALING_METHODS = ['standardize', 'none'] as const satisfies readonly TargetScalingMethod[];

/**
 * A regression target's transform into the units the model is trained in (fitted on the
 * training rows): t = (y − mean) / std, and back y = t·std + mean. std is the population standard
 * deviation, 1 when it is 0 (a target constant on the training rows is only centered).
 * Method 'none' is the identity: mean 0, std 1, and the values are used exactly as read.
 */
export interface TargetScaling {
  method: TargetScalingMethod;
  mean: number;
  std: number;
}

/** What to do with a row whose used feature has a missing value (a row with a missing target is always dropped). */
export type MissingPolicy = 'drop' | 'impute';

/**
 * How a column of the file was classified:
 * - numeric: every present value is a number (or nearly: see `ColumnSchema.invalid`)
 * - categorical: few distinct values, one-hot encoded
 * - text: free text (too many distinct strings to one-hot), excluded
 * - id: ID-like (every value different, or 1, 2, 3, … one per row), excluded
 * - constant: a single distinct value, excluded
 * - missing: mostly or entirely missing, excluded
 */
export type ColumnKind = 'numeric' | 'categorical' | 'text' | 'id' | 'constant' | 'missing';

/** The decimal separator of numbers in the file (`,` only for files not delimited by commas). */
export type DecimalMark = '.' | ',';

/** Where a value was found in the file: 1-based line and column. */
export interface CellLocation {
  line: number;
  /** The raw (trimmed) field. */
  value: string;
}

/** What inference found out about one column of the file (JSON-serializable). */
export interface ColumnSchema {
  /** 0-based position in the file. */
  index: number;
  /** The header name (trimmed; empty names become `column_N`, duplicates get `_2`, `_3`). */
  name: string;
  kind: ColumnKind;
  /** Why the column is excluded (kinds text, id, constant, missing), in words. */
  reason?: string;
  /** Data rows seen, values present, values missing. */
  rows: number;
  present: number;
  missing: number;
  /** Present values that parse as numbers. */
  numeric: number;
  /** Distinct present values (raw strings); `null` when more than the tracking limit. */
  distinct: number | null;
  /** For numeric columns: are all values integers, and their range. */
  integer?: boolean;
  min?: number;
  max?: number;
  /** A mostly numeric column with a few values that are not numbers: how many, and the first one. */
  invalid?: { count: number; first: CellLocation };
}

/** How one source column becomes feature columns (fitted on the training rows). */
export type FeatureEncoder =
  | {
      kind: 'numeric';
      column: string;
      /** 0-based column index in the file. */
      index: number;
      /** z = (x − mean) / std, std = population standard deviation of the training rows, 1 when it is 0. */
      mean: number;
      std: number;
      /** The value a missing cell takes before scaling when the policy is impute (the training mean). */
      impute: number;
    }
  | {
      kind: 'onehot';
      column: string;
      index: number;
      /** One feature `column=level` per kept level, in this order, then `column=<other>` if `other`. */
      levels: string[];
      /** True when levels beyond the cap (or unseen in training) share one `column=<other>` feature. */
      other: boolean;
      /** The level a missing cell takes when the policy is impute (the most frequent training level). */
      impute: string;
    };

export interface ExcludedColumn {
  column: string;
  kind: ColumnKind;
  reason: string;
}

/** The name of the one-hot feature collecting rare or unseen levels. */
export const OTHER_LEVEL = '<other>';

/**
 * Everything needed to re-apply the transform from raw rows to features (JSON-serializable,
 * versioned). Stored with each run.
 */
export interface Preprocessing {
  version: 1;
  source: {
    /** The file as given (path or sample name resolved to a path). */
    file: string;
    /** The header as read (normalized names), in file order. */
    header: string[];
    encoding: string;
    delimiter: string;
    decimal: DecimalMark;
  };
  /** Every column of the file, with its inferred kind and role. */
  columns: (ColumnSchema & { role: 'feature' | 'target' | 'excluded' })[];
  excluded: ExcludedColumn[];
  target: {
    column: string;
    index: number;
    task: Task;
    /** 'inferred' from the values, or 'option' when the caller named the task. */
    taskFrom: 'inferred' | 'option';
    /** Why this task, in words ("non-numeric values", "3 distinct integer values (≤ 20)", …). */
    taskReason: string;
    /** Class labels (classification): class index i is `classes[i]`. Sorted (numerically if all numbers). */
    classes?: string[];
    /** How a cell maps to its class: by its number (`1` and `1.0` are one class) or by its trimmed text. */
    classBy?: 'number' | 'text';
    /**
     * Regression: the transform from target values to model units (the loss is computed on
     * those). Absent in records written before target scaling existed: the target was used as is.
     */
    scaling?: TargetScaling;
  };
  /** Source columns to features, in feature order. */
  encoders: FeatureEncoder[];
  featureNames: string[];
  missing: {
    policy: MissingPolicy;
    /** Values that count as missing (case-insensitive, after trimming). */
    markers: string[];
    rowsDropped: number;
    /** Of rowsDropped: rows dropped because the target was missing (always, whatever the policy). */
    rowsDroppedMissingTarget: number;
    cellsImputed: number;
    /** Missing cells per used column (features and target), over the rows read. */
    perColumn: Record<string, number>;
  };
  /** Statistics (means, stds, levels, imputation values, the target's scaling) are fitted on the training rows only. */
  fittedOn: 'train';
  maxCategories: number;
  split: {
    seed: number;
    valSplit: number;
    stratified: boolean;
    train: number;
    validation: number;
  };
}

interface DatasetBase {
  /** Rows used (after dropping). */
  n: number;
  /** Features per row. */
  d: number;
  /** Row-major features, n × d: row i is x[i*d .. i*d + d). Numeric features standardized, one-hot 0/1. */
  x: Float64Array;
  /** d names; one-hot columns are named `column=level` (and `column=<other>`). */
  featureNames: string[];
  /** Indices into the n rows, each already shuffled (seeded); stratified by class for classification. */
  split: { train: Int32Array; validation: Int32Array };
  /** The file line each row came from (1-based), for inspection. */
  sourceLines: Int32Array;
}

export interface ClassificationDataset extends DatasetBase {
  task: 'classification';
  /** Class index per row, into `classes`. */
  y: Int32Array;
  classes: string[];
}

export interface RegressionDataset extends DatasetBase {
  task: 'regression';
  /** Target per row in model units: (value − mean) / std with `targetScaling` (as in the file for method 'none'). */
  y: Float64Array;
  /** Maps `y` and the model's predictions back to the file's units: value = t·std + mean. */
  targetScaling: TargetScaling;
  classes: null;
}

/** What the training loop consumes. */
export type Dataset = ClassificationDataset | RegressionDataset;

/** The load report (JSON-serializable): `precond train --json` prints it, the Datasets view shows it. */
export interface DatasetSummary {
  file: string;
  /** The sample dataset's name when the data was named that way (`iris`). */
  sample?: string;
  format: { encoding: string; delimiter: string; decimal: DecimalMark };
  /** Data rows read (header and blank lines not counted). */
  rowsRead: number;
  rowsUsed: number;
  rowsDropped: number;
  rowsDroppedMissingTarget: number;
  cellsImputed: number;
  missingPolicy: MissingPolicy;
  target: string;
  task: Task;
  taskReason: string;
  /** Class labels and how many used rows each has (classification), else null. */
  classes: { label: string; count: number }[] | null;
  /** How the regression target is scaled for training (fitted on the training rows); null for classification. */
  targetScaling: TargetScaling | null;
  featureCount: number;
  featureNames: string[];
  columns: { name: string; kind: ColumnKind; role: 'feature' | 'target' | 'excluded'; missing: number; reason?: string }[];
  excluded: ExcludedColumn[];
  trainRows: number;
  validationRows: number;
  seed: number;
  /** Things the user should know that did not stop the load (e.g. an encoding fallback). */
  notes: string[];
}

/** Options that shape the dataset (the part of the run config that concerns data). */
export interface DatasetOptions {
  /** Target column name; defaults to the last column. */
  target?: string;
  /** Defaults to the inferred task. */
  task?: Task;
  /** Defaults to 'drop'. */
  missing?: MissingPolicy;
  /** Fraction of rows held out for validation, in [0, 1); defaults to 0.2. */
  valSplit?: number;
  /** Seed of the shuffle and split; defaults to 0. */
  seed?: number;
  /** One-hot at most this many levels per column, the rest as `<other>`; defaults to 20. */
  maxCategories?: number;
  /** Regression only: standardize the target on the training rows ('standardize', the default) or use it as is ('none'). */
  targetScaling?: TargetScalingMethod;
}
