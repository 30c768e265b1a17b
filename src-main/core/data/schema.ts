// Schema inference: what kind each column is, and which task its values suggest as a target.
import type { RawColumn, RawTable } from './table.ts';
import { DISTINCT_LIMIT } from './table.ts';
import type { ColumnSchema, Task } from './types.ts';
import { plural } from '../plural.ts';

export interface SchemaOptions {
  /** A column with more than this fraction of its values missing is excluded; default 0.5. */
  maxMissingFraction?: number;
  /** A non-numeric column with at most this many distinct values is categorical; default 20. */
  maxCategories?: number;
}

/** A column is "mostly numeric" (its other values are errors, not categories) above this share. */
export const MOSTLY_NUMERIC = 0.8;
/** String columns whose distinct values exceed this share of their present values are text. */
export const TEXT_DISTINCT_SHARE = 0.5;
/** ID-like detection needs at least this many rows (a tiny table's distinct values prove nothing). */
export const MIN_ROWS_FOR_ID = 10;
/** Classification for an integer target with at most this many distinct values (the rule). */
export const MAX_INTEGER_CLASSES = 20;

const ID_NAME = /^(id|index|idx|row|rownum|row_?number|row_?id|#|unnamed: ?0)$|[_\s.-]id$|^id[_\s.-]|[a-z]Id$/i;

function percent(part: number, whole: number): string {
  return `${Math.round((100 * part) / whole)}%`;
}

function formatNumber(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
}

/** Values go up by exactly one from row to row (a row number). */
function isRowNumber(values: Float64Array): boolean {
  for (let i = 1; i < values.length; i++) if (values[i] - values[i - 1] !== 1) return false;
  return true;
}

/** Number of distinct non-NaN values, counting at most up to `cap` (then returns cap). */
export function countDistinctNumbers(values: Float64Array, cap: number): number {
  const seen = new Set<number>();
  for (let i = 0; i < values.length && seen.size < cap; i++) {
    const v = values[i];
    if (!Number.isNaN(v)) seen.add(v === 0 ? 0 : v); // -0 and 0 are one value
  }
  return seen.size;
}

function allDistinct(col: RawColumn, present: number): boolean {
  if (col.codes) return col.levels.length === present;
  if (col.nonNumeric > 0) return false; // untracked strings: unknown, assume not
  const sorted = Float64Array.from(col.values.filter((v) => !Number.isNaN(v))).sort();
  for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) return false;
  return true;
}

export function inferColumn(col: RawColumn, rows: number, options: SchemaOptions = {}): ColumnSchema {
  const maxMissing = options.maxMissingFraction ?? 0.5;
  const maxCategories = options.maxCategories ?? 20;
  const present = rows - col.missing;
  const distinct = col.codes ? col.levels.length : null;
  const base = {
    index: col.index,
    name: col.name,
    rows,
    present,
    missing: col.missing,
    numeric: col.numeric,
    distinct,
  };
  const numericStats = col.numeric > 0 ? { integer: col.integer, min: col.min, max: col.max } : {};
  if (present === 0) return { ...base, kind: 'missing', reason: 'empty: no values' };
  if (col.missing > maxMissing * rows) {
    return { ...base, ...numericStats, kind: 'missing', reason: `mostly missing: ${col.missing} of ${plural(rows, 'value')} (${percent(col.missing, rows)})` };
  }
  if (col.nonNumeric === 0) {
    if (col.min === col.max) return { ...base, ...numericStats, kind: 'constant', reason: `constant: every value is ${formatNumber(col.min)}` };
    if (col.integer && col.missing === 0 && rows >= MIN_ROWS_FOR_ID && isRowNumber(col.values)) {
      return { ...base, ...numericStats, kind: 'id', reason: `ID-like: a row number (${formatNumber(col.min)}, ${formatNumber(col.min + 1)}, …, ${formatNumber(col.max)})` };
    }
    if (col.integer && ID_NAME.test(col.name) && present >= MIN_ROWS_FOR_ID && allDistinct(col, present)) {
      return { ...base, ...numericStats, kind: 'id', reason: 'ID-like: named like an ID and every value is different' };
    }
    return { ...base, ...numericStats, kind: 'numeric' };
  }
  if (distinct === 1) return { ...base, kind: 'constant', reason: `constant: every value is ${JSON.stringify(col.levels[0])}` };
  if (col.numeric >= MOSTLY_NUMERIC * present && col.firstNonNumeric && !looksLikeCodes(col, maxCategories)) {
    // Numbers with a few stray strings: a numeric column with bad values (an error if used), not categories.
    return { ...base, ...numericStats, kind: 'numeric', invalid: { count: col.nonNumeric, first: col.firstNonNumeric } };
  }
  if (distinct === null) {
    return { ...base, kind: 'text', reason: `text or ID-like: more than ${DISTINCT_LIMIT} distinct values` };
  }
  if (present >= MIN_ROWS_FOR_ID && distinct === present) {
    return { ...base, kind: 'id', reason: `ID-like: every value is different (${distinct} values)` };
  }
  if (distinct > TEXT_DISTINCT_SHARE * present && (present >= MIN_ROWS_FOR_ID || distinct > maxCategories)) {
    return { ...base, kind: 'text', reason: `text: ${plural(distinct, 'distinct value')} in ${plural(present, 'row')}` };
  }
  return { ...base, ...numericStats, kind: 'categorical' };
}

/** The numbers of a mixed column look like category codes: few distinct integers (e.g. sizes 36, 38, 40 and S, M). */
function looksLikeCodes(col: RawColumn, maxCategories: number): boolean {
  return col.integer && col.codes !== null && col.numericLevels <= maxCategories;
}

export function inferSchema(table: RawTable, options: SchemaOptions = {}): ColumnSchema[] {
  return table.columns.map((c) => inferColumn(c, table.rows, options));
}

/**
 * The task a target column suggests: classification for non-numeric values or at most 20
 * distinct integer values, regression otherwise. `null` when it has no usable values (the
 * caller reports the error: no values, or a mostly numeric column with a non-number).
 */
export function inferTask(col: RawColumn, schema: ColumnSchema): { task: Task; reason: string } | null {
  if (schema.present === 0 || schema.invalid) return null;
  if (col.nonNumeric > 0) return { task: 'classification', reason: 'non-numeric values' };
  if (col.integer) {
    const distinct = countDistinctNumbers(col.values, MAX_INTEGER_CLASSES + 1);
    if (distinct <= MAX_INTEGER_CLASSES) {
      return { task: 'classification', reason: `${plural(distinct, 'distinct integer value')} (≤ ${MAX_INTEGER_CLASSES})` };
    }
    return { task: 'regression', reason: `numeric with more than ${MAX_INTEGER_CLASSES} distinct integer values` };
  }
  return { task: 'regression', reason: 'numeric with non-integer values' };
}
