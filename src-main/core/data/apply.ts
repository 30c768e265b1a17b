// Re-applying a recorded Preprocessing to raw rows: the same features, bit for bit, as the
// load that produced the record (for reproducibility, inspection, or new rows).
import { encoderWidth, levelLookup, scaleTarget, standardize } from './encode.ts';
import { DataLoadError, quoteValue, raggedRowError } from './errors.ts';
import type { Preprocessing } from './types.ts';
import { isMissing, parseNumber } from './values.ts';

export interface ApplyOptions {
  /** The file line of each row (for messages); defaults to i + 2 (rows right after a header line). */
  lines?: ArrayLike<number>;
  /** Read and encode the target (default true). Without it, rows are not dropped for a missing target. */
  withTarget?: boolean;
}

export interface Applied {
  n: number;
  d: number;
  /** Row-major n × d, as `Dataset.x`. */
  x: Float64Array;
  /** Class indices (classification) or values in model units (regression: scaled as recorded, as `Dataset.y`); null without the target. */
  y: Int32Array | Float64Array | null;
  /** Which input rows were kept (indices into `rows`). */
  kept: Int32Array;
  rowsDropped: number;
  cellsImputed: number;
}

/**
 * Features (and target) from rows of fields in the file's column order, with the encoders,
 * missing-value policy and classes recorded in `record`. A value the record cannot place (not a
 * number in a numeric column, an unknown class) is a DataLoadError naming line and column.
 */
export function applyPreprocessing(record: Preprocessing, rows: readonly (readonly string[])[], options: ApplyOptions = {}): Applied {
  const { header, decimal } = record.source;
  const withTarget = options.withTarget ?? true;
  const target = record.target;
  const impute = record.missing.policy === 'impute';
  const lineOf = (i: number) => (options.lines ? options.lines[i] : i + 2);
  const classIndex = new Map((target.classes ?? []).map((c, k) => [c, k] as const));
  const lookups = record.encoders.map((enc) => (enc.kind === 'onehot' ? levelLookup(enc) : null));
  const d = record.encoders.reduce((s, enc) => s + encoderWidth(enc), 0);

  const cellError = (i: number, col: number, value: string, expected: string) =>
    new DataLoadError({ code: target.classes && col === target.index && expected.startsWith('one of') ? 'unknown-class' : 'not-a-number', line: lineOf(i), column: col + 1, columnName: header[col], field: value, expected, found: quoteValue(value) });

  const xs: number[] = [];
  const ys: number[] = [];
  const kept: number[] = [];
  let rowsDropped = 0, cellsImputed = 0;
  const rowFeatures = new Float64Array(d);
  rows: for (let i = 0; i < rows.length; i++) {
    const fields = rows[i];
    if (fields.length !== header.length) throw raggedRowError(header, fields, lineOf(i));
    let yValue = 0;
    if (withTarget) {
      const raw = fields[target.index].trim();
      if (isMissing(raw)) {
        rowsDropped++;
        continue;
      }
      if (target.task === 'regression') {
        yValue = parseNumber(raw, decimal);
        if (Number.isNaN(yValue)) throw cellError(i, target.index, raw, 'a number');
        if (target.scaling) yValue = scaleTarget(yValue, target.scaling);
      } else {
        const label = target.classBy === 'number' ? String(parseNumber(raw, decimal) + 0) : raw;
        const k = classIndex.get(label);
        if (k === undefined) throw cellError(i, target.index, raw, `one of the classes ${target.classes!.join(', ')}`);
        yValue = k;
      }
    }
    rowFeatures.fill(0);
    let imputed = 0, offset = 0;
    for (let e = 0; e < record.encoders.length; e++) {
      const enc = record.encoders[e];
      const raw = fields[enc.index].trim();
      const missing = isMissing(raw);
      if (missing && !impute) {
        rowsDropped++;
        continue rows;
      }
      if (missing) imputed++;
      if (enc.kind === 'numeric') {
        const v = missing ? enc.impute : parseNumber(raw, decimal);
        if (Number.isNaN(v)) throw cellError(i, enc.index, raw, 'a number');
        rowFeatures[offset] = standardize(v, enc);
      } else {
        const pos = lookups[e]!(missing ? enc.impute : raw);
        if (pos >= 0) rowFeatures[offset + pos] = 1;
      }
      offset += encoderWidth(enc);
    }
    cellsImputed += imputed;
    for (let j = 0; j < d; j++) xs.push(rowFeatures[j]);
    ys.push(yValue);
    kept.push(i);
  }
  const n = kept.length;
  const y = !withTarget ? null : target.task === 'classification' ? Int32Array.from(ys) : Float64Array.from(ys);
  return { n, d, x: Float64Array.from(xs), y, kept: Int32Array.from(kept), rowsDropped, cellsImputed };
}
