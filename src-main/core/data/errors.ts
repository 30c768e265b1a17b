// The one error type of the data pipeline. Its message is meant for the user as it is: it names
// the file, the line and column, and what was expected and found, and never carries a stack trace.
import { plural } from '../plural.ts';

export type DataErrorCode =
  | 'unreadable' // the file cannot be opened or read
  | 'undecodable' // the bytes are not text in a known encoding
  | 'malformed' // CSV syntax: a quote never closed, a record too long, …
  | 'ragged' // a row with a different number of fields than the header
  | 'empty' // no bytes, or only blank lines
  | 'no-rows' // a header and nothing else
  | 'no-rows-left' // every row was dropped for missing values
  | 'no-feature' // every column but the target is excluded
  | 'single-class' // a classification target with fewer than 2 classes
  | 'constant-target' // a regression target with a single value
  | 'unknown-target' // the named target column does not exist
  | 'not-a-number' // a non-numeric value where a number is needed
  | 'unknown-class' // a target value that is not one of the recorded classes
  | 'too-many-classes' // a classification target with more distinct values than can be tracked
  | 'unknown-sample' // not a file and not a sample dataset name
  | 'bad-option'; // an option out of range

export interface DataErrorDetails {
  code: DataErrorCode;
  /** The file as given. Messages show its base name. */
  file?: string;
  /** 1-based line in the file. */
  line?: number;
  /** 1-based column (field position). */
  column?: number;
  columnName?: string;
  /** The raw content of the offending field. */
  field?: string;
  /** With `found`: the message reads "expected X, found Y". */
  expected?: string;
  found?: string;
  /** The message when it is not an expected/found pair. */
  problem?: string;
  /** Extra advice appended after a semicolon. */
  hint?: string;
}

function baseName(file: string): string {
  const parts = file.split(/[\\/]/);
  return parts[parts.length - 1] || file;
}

/**
 * "iris_bad.csv line 59, column 3 (petal_length): expected a number, found \"abc\"; hint".
 * The column is part of the location only with a line; messages without a line name it in words.
 */
export function formatDataError(d: DataErrorDetails): string {
  let where = d.file ? baseName(d.file) : '';
  if (d.line !== undefined) {
    where += `${where ? ' ' : ''}line ${d.line}`;
    if (d.column !== undefined) where += `, column ${d.column}${d.columnName !== undefined ? ` (${d.columnName})` : ''}`;
  }
  const what = d.expected !== undefined && d.found !== undefined ? `expected ${d.expected}, found ${d.found}` : (d.problem ?? 'cannot load the data');
  return `${where ? where + ': ' : ''}${what}${d.hint ? `; ${d.hint}` : ''}`;
}

export class DataLoadError extends Error {
  readonly code: DataErrorCode;
  readonly file?: string;
  readonly line?: number;
  readonly column?: number;
  readonly columnName?: string;
  readonly field?: string;
  readonly expected?: string;
  readonly found?: string;
  readonly details: DataErrorDetails;

  constructor(details: DataErrorDetails) {
    super(formatDataError(details));
    this.name = 'DataLoadError';
    this.details = { ...details };
    this.code = details.code;
    this.file = details.file;
    this.line = details.line;
    this.column = details.column;
    this.columnName = details.columnName;
    this.field = details.field;
    this.expected = details.expected;
    this.found = details.found;
  }

  /** The same error, naming the file (core code does not know it; io adds it). */
  withFile(file: string): DataLoadError {
    return this.file ? this : new DataLoadError({ ...this.details, file });
  }

  /** The same error, its column named by the header (where the error was found before the header was known). */
  withHeader(header: readonly string[]): DataLoadError {
    const name = this.column !== undefined ? header[this.column - 1] : undefined;
    return this.columnName !== undefined || name === undefined ? this : new DataLoadError({ ...this.details, columnName: name });
  }

  /** A plain object for JSON transports (IPC, `--json`). */
  toJSON(): DataErrorDetails & { message: string } {
    return { ...this.details, message: this.message };
  }
}

/** A value quoted for a message, shortened when long. */
export function quoteValue(value: string, max = 40): string {
  const v = value.length > max ? value.slice(0, max - 1) + '…' : value;
  return JSON.stringify(v);
}

/**
 * A row with more or fewer fields than the header, located at its first extra field (a column
 * the header does not have) or at its first missing one (named by the header).
 */
export function raggedRowError(header: readonly string[], fields: readonly string[], line: number): DataLoadError {
  const extra = fields.length > header.length;
  return new DataLoadError({
    code: 'ragged',
    line,
    column: extra ? header.length + 1 : fields.length + 1,
    ...(extra ? { field: fields[header.length] } : { columnName: header[fields.length] }),
    expected: plural(header.length, 'field'),
    found: `${fields.length}`,
  });
}
