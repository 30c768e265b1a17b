// From a raw table to the training-ready dataset: choose the target and task, pick the usable
// features (the rest excluded with a reason), handle missing values, split (seeded, stratified
// for classification), fit the encoders on the training rows, and write the feature matrix.
import { encoderFeatureNames, encoderWidth, fitNumeric, fitOneHot, fitTargetScaling, levelLookup, scaleTarget, sortLabels, standardize } from './encode.ts';
import { DataLoadError, quoteValue } from './errors.ts';
import { inferSchema, inferTask } from './schema.ts';
import { randomSplit, stratifiedSplit, type Split } from './split.ts';
import type { RawColumn, RawTable } from './table.ts';
import { DISTINCT_LIMIT, MISSING_CODE } from './table.ts';
import type {
  ColumnSchema,
  Dataset,
  DatasetOptions,
  DatasetSummary,
  ExcludedColumn,
  FeatureEncoder,
  MissingPolicy,
  Preprocessing,
  TargetScaling,
  TargetScalingMethod,
  Task,
} from './types.ts';
import { TARGET_SCALING_METHODS } from './types.ts';
import { MISSING_MARKERS } from './values.ts';
import { plural } from '../plural.ts';

export interface BuildOptions extends DatasetOptions {
  /** Schema inference: excluded above this missing share (default 0.5). */
  maxMissingFraction?: number;
}

/** What io knows about the source, recorded with the preprocessing. */
export interface SourceInfo {
  file: string;
  encoding: string;
  delimiter: string;
  notes?: string[];
}

export interface BuiltDataset {
  dataset: Dataset;
  preprocessing: Preprocessing;
  summary: DatasetSummary;
}

export const DEFAULTS = { valSplit: 0.2, seed: 0, missing: 'drop' as MissingPolicy, maxCategories: 20, targetScaling: 'standardize' as TargetScalingMethod };

function checkOptions(o: BuildOptions): Required<Pick<BuildOptions, 'valSplit' | 'seed' | 'missing' | 'maxCategories' | 'targetScaling'>> {
  const valSplit = o.valSplit ?? DEFAULTS.valSplit;
  const seed = o.seed ?? DEFAULTS.seed;
  const missing = o.missing ?? DEFAULTS.missing;
  const maxCategories = o.maxCategories ?? DEFAULTS.maxCategories;
  const targetScaling = o.targetScaling ?? DEFAULTS.targetScaling;
  const bad = (expected: string, found: unknown, name: string) =>
    new DataLoadError({ code: 'bad-option', expected: `${name} ${expected}`, found: String(found) });
  if (!(valSplit >= 0 && valSplit < 1)) throw bad('in [0, 1)', valSplit, 'valSplit');
  if (!Number.isInteger(seed)) throw bad('an integer', seed, 'seed');
  if (missing !== 'drop' && missing !== 'impute') throw bad('"drop" or "impute"', missing, 'missing');
  if (!(Number.isInteger(maxCategories) && maxCategories >= 1)) throw bad('an integer ≥ 1', maxCategories, 'maxCategories');
  if (o.task !== undefined && o.task !== 'classification' && o.task !== 'regression') throw bad('"classification" or "regression"', o.task, 'task');
  if (!TARGET_SCALING_METHODS.includes(targetScaling)) throw bad('"standardize" or "none"', targetScaling, 'targetScaling');
  return { valSplit, seed, missing, maxCategories, targetScaling };
}

function notANumber(col: RawColumn, s: ColumnSchema, first: { line: number; value: string }, what: string): DataLoadError {
  return new DataLoadError({
    code: 'not-a-number',
    line: first.line,
    column: col.index + 1,
    columnName: col.name,
    field: first.value,
    expected: what,
    found: quoteValue(first.value),
    hint: `the column holds numbers in ${s.numeric} of ${plural(s.present, 'row')}; write missing values as empty, NA, N/A, NaN, null, ? or -`,
  });
}

/**
 * The target's column index in a (normalized) header: the named column (exact name, else
 * case-insensitive), or the last one. Readers call it right after the header to fail early.
 */
export function findTargetColumn(header: readonly string[], name: string | undefined): number {
  if (name === undefined) return header.length - 1;
  const i = header.indexOf(name);
  if (i >= 0) return i;
  const j = header.findIndex((h) => h.toLowerCase() === name.trim().toLowerCase());
  if (j >= 0) return j;
  throw new DataLoadError({
    code: 'unknown-target',
    problem: `unknown target column ${quoteValue(name)}`,
    hint: `the columns are: ${header.join(', ')}`,
  });
}

interface TargetChoice {
  task: Task;
  taskFrom: 'inferred' | 'option';
  taskReason: string;
}

function chooseTask(col: RawColumn, s: ColumnSchema, requested: Task | undefined): TargetChoice {
  if (s.present === 0) {
    throw new DataLoadError({ code: 'no-rows-left', column: col.index + 1, columnName: col.name, problem: `the target column ${quoteValue(col.name)} has no values` });
  }
  if (s.invalid && requested !== 'classification') throw notANumber(col, s, s.invalid.first, 'a number');
  const inferred = inferTask(col, s);
  if (requested === 'regression') {
    if (col.firstNonNumeric) throw notANumber(col, s, col.firstNonNumeric, 'a number (the target of a regression)');
    return { task: 'regression', taskFrom: 'option', taskReason: 'requested' };
  }
  if (requested === 'classification' || (inferred && inferred.task === 'classification')) {
    if (!col.codes && col.nonNumeric > 0) {
      throw new DataLoadError({
        code: 'too-many-classes',
        column: col.index + 1,
        columnName: col.name,
        problem: `the target column ${quoteValue(col.name)} has too many distinct values for classification (more than ${DISTINCT_LIMIT})`,
      });
    }
    return requested ? { task: 'classification', taskFrom: 'option', taskReason: 'requested' } : { task: 'classification', taskFrom: 'inferred', taskReason: inferred!.reason };
  }
  return { task: 'regression', taskFrom: 'inferred', taskReason: inferred!.reason };
}

/** Class labels and the class of each used row. Numeric targets group by number (1 and 1.0 are one class). */
function buildClasses(col: RawColumn, rows: Int32Array): { classes: string[]; y: Int32Array; classBy: 'number' | 'text' } {
  const y = new Int32Array(rows.length);
  if (col.nonNumeric === 0) {
    const distinct = new Set<number>();
    for (let i = 0; i < rows.length; i++) distinct.add(col.values[rows[i]] + 0); // + 0 folds -0 into 0
    const classes = sortLabels([...distinct].map(String));
    const index = new Map(classes.map((c, k) => [Number(c), k] as const));
    for (let i = 0; i < rows.length; i++) y[i] = index.get(col.values[rows[i]] + 0)!;
    return { classes, y, classBy: 'number' };
  }
  const codes = col.codes!;
  const used = new Set<number>();
  for (let i = 0; i < rows.length; i++) used.add(codes[rows[i]]);
  const classes = sortLabels([...used].map((c) => col.levels[c]));
  const byLevel = new Map(classes.map((c, k) => [c, k] as const));
  const codeToClass = col.levels.map((l) => byLevel.get(l) ?? -1);
  for (let i = 0; i < rows.length; i++) y[i] = codeToClass[codes[rows[i]]];
  return { classes, y, classBy: 'text' };
}

const isCellMissing = (col: RawColumn, r: number, kind: 'numeric' | 'categorical'): boolean =>
  kind === 'numeric' ? Number.isNaN(col.values[r]) : col.codes![r] === MISSING_CODE;

export function buildDataset(table: RawTable, source: SourceInfo, options: BuildOptions = {}): BuiltDataset {
  const { valSplit, seed, missing: policy, maxCategories, targetScaling: scalingMethod } = checkOptions(options);
  if (table.rows === 0) throw new DataLoadError({ code: 'no-rows', problem: 'the file has a header but no data rows' });
  const schema = inferSchema(table, { maxCategories, maxMissingFraction: options.maxMissingFraction });
  const ti = findTargetColumn(table.header, options.target);
  const targetCol = table.columns[ti];
  const targetSchema = schema[ti];

  // Features: every other numeric or categorical column; the rest excluded with their reason.
  const used: ColumnSchema[] = [];
  const excluded: ExcludedColumn[] = [];
  for (const s of schema) {
    if (s.index === ti) continue;
    if (s.kind === 'numeric' || s.kind === 'categorical') used.push(s);
    else excluded.push({ column: s.name, kind: s.kind, reason: s.reason ?? s.kind });
  }
  if (used.length === 0) {
    throw new DataLoadError({
      code: 'no-feature',
      problem: table.header.length === 1 ? `no usable feature: the file has a single column (${table.header[0]})` : `no usable feature: every column other than the target ${quoteValue(targetCol.name)} is excluded`,
      hint: excluded.length ? excluded.map((e) => `${e.column} (${e.reason})`).join(', ') : undefined,
    });
  }
  const invalid = used.filter((s) => s.invalid).sort((a, b) => a.invalid!.first.line - b.invalid!.first.line || a.index - b.index);
  if (invalid.length) throw notANumber(table.columns[invalid[0].index], invalid[0], invalid[0].invalid!.first, 'a number');

  const choice = chooseTask(targetCol, targetSchema, options.task);
  const targetKind = choice.task === 'regression' || targetCol.nonNumeric === 0 ? 'numeric' : 'categorical';

  // Rows: a missing target always drops the row; a missing feature drops it or is imputed.
  const keep: number[] = [];
  let droppedForTarget = 0, droppedForFeature = 0, cellsImputed = 0;
  for (let r = 0; r < table.rows; r++) {
    if (isCellMissing(targetCol, r, targetKind)) {
      droppedForTarget++;
      continue;
    }
    let missingCells = 0;
    for (const s of used) if (isCellMissing(table.columns[s.index], r, s.kind as 'numeric' | 'categorical')) missingCells++;
    if (missingCells > 0 && policy === 'drop') {
      droppedForFeature++;
      continue;
    }
    cellsImputed += missingCells;
    keep.push(r);
  }
  const rows = Int32Array.from(keep);
  const n = rows.length;
  if (n === 0) {
    throw new DataLoadError({
      code: 'no-rows-left',
      problem: `no rows left: every one of the ${plural(table.rows, 'row')} has a missing value in the target or a used feature`,
      hint: policy === 'drop' && droppedForFeature > 0 ? 'the impute missing-value policy fills missing features instead of dropping the row' : undefined,
    });
  }

  // Target.
  const notes = [...(source.notes ?? [])];
  let targetScaling: TargetScaling | null = null;
  let classes: string[] | undefined;
  let classBy: 'number' | 'text' | undefined;
  let y: Int32Array | Float64Array;
  let split: Split;
  if (choice.task === 'classification') {
    const built = buildClasses(targetCol, rows);
    ({ classes, classBy } = built);
    y = built.y;
    if (classes.length < 2) {
      throw new DataLoadError({
        code: 'single-class',
        column: ti + 1,
        columnName: targetCol.name,
        problem: `the target column ${quoteValue(targetCol.name)} has a single class (${quoteValue(classes[0])}) in the ${plural(n, 'row')} used`,
        hint: 'classification needs at least 2 classes',
      });
    }
    // Most classes with a single row: nothing can be learned or validated per class (a
    // continuous target read as classes, or an ID column). Refused when more than half of the
    // classes have exactly one row among the rows used.
    const rowsPerClass = new Int32Array(classes.length);
    for (const c of built.y) rowsPerClass[c]++;
    const singleRowClasses = rowsPerClass.filter((k) => k === 1).length;
    if (singleRowClasses > classes.length / 2) {
      const numeric = targetCol.nonNumeric === 0;
      throw new DataLoadError({
        code: 'too-many-classes',
        column: ti + 1,
        columnName: targetCol.name,
        problem:
          `the target column ${quoteValue(targetCol.name)} has ${plural(classes.length, 'distinct value')} in ${plural(n, 'row')} used: ` +
          `as classes, ${singleRowClasses} of them would have a single row (classification needs most classes to have 2 rows or more)`,
        hint: numeric
          ? 'if it is a quantity, choose the regression task (--task regression)'
          : 'a column with a different value in most rows is an ID or free text; choose another target column (--target)',
      });
    }
    split = stratifiedSplit(built.y, classes.length, valSplit, seed);
  } else {
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = targetCol.values[rows[i]];
    let lo = Infinity, hi = -Infinity;
    for (const v of t) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    if (lo === hi) {
      throw new DataLoadError({ code: 'constant-target', column: ti + 1, columnName: targetCol.name, problem: `the regression target ${quoteValue(targetCol.name)} is constant (every value is ${lo}) in the ${plural(n, 'row')} used` });
    }
    split = randomSplit(n, valSplit, seed);
    // Fitted on the training rows only, like the features; t = (y − mean) / std.
    const fitted = fitTargetScaling(scalingMethod, t, split.train);
    targetScaling = fitted.scaling;
    if (fitted.constant) notes.push(`the target ${targetCol.name} is constant (${targetScaling.mean}) on the ${split.train.length} training rows: it is centered, not divided by its standard deviation (0)`);
    for (let i = 0; i < n; i++) t[i] = scaleTarget(t[i], targetScaling);
    y = t;
  }

  // Encoders, fitted on the training rows (indices into `rows`, mapped back to table rows).
  const trainRows = new Int32Array(split.train.length);
  for (let k = 0; k < trainRows.length; k++) trainRows[k] = rows[split.train[k]];
  const encoders: FeatureEncoder[] = used.map((s) => {
    const col = table.columns[s.index];
    if (s.kind === 'numeric') return fitNumeric(col.name, col.index, col.values, trainRows);
    const counts = new Array<number>(col.levels.length).fill(0);
    const codes = col.codes!;
    for (let k = 0; k < trainRows.length; k++) if (codes[trainRows[k]] !== MISSING_CODE) counts[codes[trainRows[k]]]++;
    return fitOneHot(col.name, col.index, col.levels, counts, maxCategories);
  });

  // Feature matrix, row-major n × d.
  const featureNames = encoders.flatMap(encoderFeatureNames);
  const d = featureNames.length;
  const x = new Float64Array(n * d);
  let offset = 0;
  for (const enc of encoders) {
    const col = table.columns[enc.index];
    if (enc.kind === 'numeric') {
      for (let i = 0; i < n; i++) {
        const v = col.values[rows[i]];
        x[i * d + offset] = standardize(Number.isNaN(v) ? enc.impute : v, enc);
      }
    } else {
      const lookup = levelLookup(enc);
      const posOfCode = col.levels.map(lookup);
      const imputePos = lookup(enc.impute);
      const codes = col.codes!;
      for (let i = 0; i < n; i++) {
        const code = codes[rows[i]];
        const pos = code === MISSING_CODE ? imputePos : posOfCode[code];
        if (pos >= 0) x[i * d + offset + pos] = 1;
      }
    }
    offset += encoderWidth(enc);
  }

  const sourceLines = new Int32Array(n);
  for (let i = 0; i < n; i++) sourceLines[i] = table.lines[rows[i]];
  const base = { n, d, x, featureNames, split, sourceLines };
  const dataset: Dataset =
    choice.task === 'classification' ? { ...base, task: 'classification', y: y as Int32Array, classes: classes! } : { ...base, task: 'regression', y: y as Float64Array, targetScaling: targetScaling!, classes: null };

  const role = (s: ColumnSchema): 'feature' | 'target' | 'excluded' => (s.index === ti ? 'target' : used.includes(s) ? 'feature' : 'excluded');
  const perColumn: Record<string, number> = {};
  for (const s of [targetSchema, ...used]) perColumn[s.name] = s.missing;
  const rowsDropped = droppedForTarget + droppedForFeature;
  const preprocessing: Preprocessing = {
    version: 1,
    source: { file: source.file, header: [...table.header], encoding: source.encoding, delimiter: source.delimiter, decimal: table.decimal },
    columns: schema.map((s) => ({ ...s, role: role(s) })),
    excluded,
    target: {
      column: targetCol.name,
      index: ti,
      task: choice.task,
      taskFrom: choice.taskFrom,
      taskReason: choice.taskReason,
      ...(classes ? { classes, classBy } : {}),
      ...(targetScaling ? { scaling: { ...targetScaling } } : {}),
    },
    encoders,
    featureNames,
    missing: { policy, markers: [...MISSING_MARKERS], rowsDropped, rowsDroppedMissingTarget: droppedForTarget, cellsImputed, perColumn },
    fittedOn: 'train',
    maxCategories,
    split: { seed, valSplit, stratified: choice.task === 'classification', train: split.train.length, validation: split.validation.length },
  };
  let classCounts: { label: string; count: number }[] | null = null;
  if (classes) {
    const counts = new Array<number>(classes.length).fill(0);
    for (const c of y as Int32Array) counts[c]++;
    classCounts = classes.map((label, k) => ({ label, count: counts[k] }));
  }
  const summary: DatasetSummary = {
    file: source.file,
    format: { encoding: source.encoding, delimiter: source.delimiter, decimal: table.decimal },
    rowsRead: table.rows,
    rowsUsed: n,
    rowsDropped,
    rowsDroppedMissingTarget: droppedForTarget,
    cellsImputed,
    missingPolicy: policy,
    target: targetCol.name,
    task: choice.task,
    taskReason: choice.taskReason,
    classes: classCounts,
    targetScaling: targetScaling && { ...targetScaling },
    featureCount: d,
    featureNames,
    columns: schema.map((s) => ({ name: s.name, kind: s.kind, role: role(s), missing: s.missing, ...(s.reason ? { reason: s.reason } : {}) })),
    excluded,
    trainRows: split.train.length,
    validationRows: split.validation.length,
    seed,
    notes,
  };
  return { dataset, preprocessing, summary };
}

/** The rows `indices` of a dataset as their own matrices (e.g. the validation set). */
export function selectRows(dataset: Dataset, indices: Int32Array): { n: number; d: number; x: Float64Array; y: Int32Array | Float64Array } {
  const { d } = dataset;
  const x = new Float64Array(indices.length * d);
  const y = dataset.task === 'classification' ? new Int32Array(indices.length) : new Float64Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    x.set(dataset.x.subarray(i * d, i * d + d), k * d);
    y[k] = dataset.y[i];
  }
  return { n: indices.length, d, x, y };
}
