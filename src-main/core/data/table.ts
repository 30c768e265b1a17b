// The raw table: CSV records collected column by column as they stream in, without keeping the
// text. Each cell is stored as its parsed number (NaN when missing or not a number) and, while a
// column has few distinct values, as a code into its list of distinct strings. A 200 MB file of
// numbers costs 8 bytes per cell (+4 while the column's distinct values are tracked).
import { DataLoadError, raggedRowError } from './errors.ts';
import type { DecimalMark } from './types.ts';
import { isMissing, parseNumber } from './values.ts';

/** Distinct strings tracked per column; beyond this a column cannot be categorical or a class target. */
export const DISTINCT_LIMIT = 1000;

export const MISSING_CODE = -1;

export interface RawColumn {
  readonly name: string;
  readonly index: number;
  /** The number in each row, NaN when the cell is missing or not a number. */
  readonly values: Float64Array;
  /** Per row, an index into `levels`, or MISSING_CODE; null once the column has more than DISTINCT_LIMIT distinct values. */
  readonly codes: Int32Array | null;
  /** Distinct present values (trimmed), in order of first appearance, while tracked. */
  readonly levels: readonly string[];
  /** How many rows hold each level (parallel to `levels`). */
  readonly levelCounts: readonly number[];
  /** How many of the levels are numbers. */
  readonly numericLevels: number;
  readonly missing: number;
  /** Present values that are numbers. */
  readonly numeric: number;
  /** Present values that are not numbers: how many, and the first one with its line. */
  readonly nonNumeric: number;
  readonly firstNonNumeric?: { line: number; value: string };
  /** Over the numbers: all integers? min, max (NaN when there are none). */
  readonly integer: boolean;
  readonly min: number;
  readonly max: number;
}

export interface RawTable {
  readonly header: readonly string[];
  readonly columns: readonly RawColumn[];
  readonly rows: number;
  /** The file line of each row (1-based). */
  readonly lines: Int32Array;
  readonly decimal: DecimalMark;
}

/** Trimmed names; an empty name becomes `column_N` (1-based), a repeated one gets `_2`, `_3`, … */
export function normalizeHeader(fields: readonly string[]): string[] {
  const seen = new Set<string>();
  return fields.map((raw, i) => {
    const base = raw.trim() || `column_${i + 1}`;
    let name = base;
    for (let k = 2; seen.has(name); k++) name = `${base}_${k}`;
    seen.add(name);
    return name;
  });
}

/** The first `n` items; copied when the buffer is much larger, so the spare capacity is freed. */
function trimmed<T extends Float64Array | Int32Array>(a: T, n: number): T {
  return (a.length > n + (n >> 3) ? a.slice(0, n) : a.subarray(0, n)) as T;
}

function grow<T extends Float64Array | Int32Array>(a: T, need: number, make: (n: number) => T): T {
  if (need <= a.length) return a;
  const b = make(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

class ColumnBuilder {
  values = new Float64Array(1024);
  codes: Int32Array | null = new Int32Array(1024);
  levels: string[] = [];
  levelCounts: number[] = [];
  numericLevels = 0;
  private levelIndex: Map<string, number> | null = new Map();
  missing = 0;
  numeric = 0;
  nonNumeric = 0;
  firstNonNumeric?: { line: number; value: string };
  integer = true;
  min = Infinity;
  max = -Infinity;

  constructor(
    readonly name: string,
    readonly index: number,
    private readonly decimal: DecimalMark,
    private readonly distinctLimit: number,
  ) {}

  add(row: number, raw: string, line: number): void {
    if (row >= this.values.length) {
      this.values = grow(this.values, row + 1, (n) => new Float64Array(n));
      if (this.codes) this.codes = grow(this.codes, row + 1, (n) => new Int32Array(n));
    }
    const value = raw.trim();
    if (isMissing(value)) {
      this.missing++;
      this.values[row] = NaN;
      if (this.codes) this.codes[row] = MISSING_CODE;
      return;
    }
    const v = parseNumber(value, this.decimal);
    this.values[row] = v;
    if (Number.isNaN(v)) {
      this.nonNumeric++;
      if (!this.firstNonNumeric) this.firstNonNumeric = { line, value };
    } else {
      this.numeric++;
      if (v < this.min) this.min = v;
      if (v > this.max) this.max = v;
      if (this.integer && !Number.isInteger(v)) this.integer = false;
    }
    if (this.levelIndex && this.codes) {
      let code = this.levelIndex.get(value);
      if (code === undefined) {
        if (this.levels.length >= this.distinctLimit) {
          // Too many distinct values to be categorical: stop tracking them.
          this.levelIndex = null;
          this.codes = null;
          this.levels = [];
          this.levelCounts = [];
          return;
        }
        code = this.levels.length;
        this.levelIndex.set(value, code);
        this.levels.push(value);
        this.levelCounts.push(0);
        if (!Number.isNaN(v)) this.numericLevels++;
      }
      this.codes[row] = code;
      this.levelCounts[code]++;
    }
  }

  finish(rows: number): RawColumn {
    return {
      name: this.name,
      index: this.index,
      values: trimmed(this.values, rows),
      codes: this.codes ? trimmed(this.codes, rows) : null,
      levels: this.levels,
      levelCounts: this.levelCounts,
      numericLevels: this.numericLevels,
      missing: this.missing,
      numeric: this.numeric,
      nonNumeric: this.nonNumeric,
      firstNonNumeric: this.firstNonNumeric,
      integer: this.integer,
      min: this.numeric ? this.min : NaN,
      max: this.numeric ? this.max : NaN,
    };
  }
}

export interface TableBuilderOptions {
  decimal?: DecimalMark;
  distinctLimit?: number;
}

/** Collects rows (arrays of field strings) into a RawTable; checks every row has as many fields as the header. */
export class TableBuilder {
  readonly header: string[];
  private readonly columns: ColumnBuilder[];
  private lines = new Int32Array(1024);
  private rows = 0;
  private readonly decimal: DecimalMark;

  constructor(headerFields: readonly string[], options: TableBuilderOptions = {}) {
    this.header = normalizeHeader(headerFields);
    this.decimal = options.decimal ?? '.';
    const limit = options.distinctLimit ?? DISTINCT_LIMIT;
    this.columns = this.header.map((name, i) => new ColumnBuilder(name, i, this.decimal, limit));
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Adds one data row; `line` is its 1-based line in the file (for messages). */
  addRow(fields: readonly string[], line: number): void {
    if (fields.length !== this.columns.length) throw raggedRowError(this.header, fields, line);
    const row = this.rows;
    if (row >= this.lines.length) this.lines = grow(this.lines, row + 1, (n) => new Int32Array(n));
    this.lines[row] = line;
    for (let c = 0; c < fields.length; c++) this.columns[c].add(row, fields[c], line);
    this.rows++;
  }

  finish(): RawTable {
    return {
      header: this.header,
      columns: this.columns.map((c) => c.finish(this.rows)),
      rows: this.rows,
      lines: trimmed(this.lines, this.rows),
      decimal: this.decimal,
    };
  }
}

/** A RawTable from in-memory rows (the first row is the header); lines count from 1 at the header. */
export function tableFromRows(rows: readonly (readonly string[])[], options: TableBuilderOptions = {}): RawTable {
  if (rows.length === 0) throw new DataLoadError({ code: 'empty', problem: 'the file is empty' });
  const b = new TableBuilder(rows[0], options);
  for (let i = 1; i < rows.length; i++) b.addRow(rows[i], i + 1);
  return b.finish();
}
