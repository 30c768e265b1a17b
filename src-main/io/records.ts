// CSV text -> records, piece by piece, with papaparse: each record's fields (trimmed) and the
// 1-based line where it starts. Between pieces only the record in progress is kept.
//
// Papaparse reads RFC 4180 CSV with one kind of line break. What we accept beyond that is
// handled around it, without touching quoted content except as noted:
// - any mix of CRLF, LF and CR line endings: a CR not followed by LF becomes LF (also inside
//   quoted fields, where csv-parse kept it), and the CR of CRLF is trimmed off the last field;
// - spaces or tabs before an opening quote (`a, "b, c"`): removed, so the field reads as quoted;
// - fields trimmed, blank and whitespace-only lines skipped.
import Papa from 'papaparse';
import { DataLoadError } from '../core/data/errors.ts';

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

/** The records a piece of text completes, and the syntax error that stopped reading, if any (the records are those before it). */
export interface SplitResult {
  records: CsvRecord[];
  error?: DataLoadError;
}

/**
 * The longest record kept while waiting for its end. A quote that is never closed would
 * otherwise make the rest of the file one record, held in memory and parsed again per piece.
 */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

const QUOTE = '"';
const LONE_CR = /\r(?!\n)/g;
const QUOTE_HINT = 'write a quote inside a quoted field as ""';

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Number of LF in text[0, end). */
function countLf(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Line breaks inside a record's fields (only quoted fields can hold them); every break is an LF by now. */
function embeddedBreaks(fields: string[]): number {
  let n = 0;
  for (const f of fields) if (f.length > 0 && f.includes('\n')) n += countLf(f, f.length);
  return n;
}

/** For papaparse's InvalidQuotes at `index` (just past a field's opening quote): the first quote after it that is not doubled, the malformed closing one. */
function badQuote(input: string, index: number): number {
  let q = input.indexOf(QUOTE, index);
  while (q >= 0 && input[q + 1] === QUOTE) q = input.indexOf(QUOTE, q + 2);
  return q;
}

/**
 * The 1-based position of the field holding offset `at`, in the record holding it; `text` starts
 * at a record boundary and is read as papaparse reads it up to `at` (a quote opens a field only
 * at its start, `""` inside a quoted field is a quote, a line break outside quotes ends a record).
 */
export function fieldPosition(text: string, at: number, delimiter: string): number {
  let field = 1;
  let inside = false;
  let atFieldStart = true;
  for (let i = 0; i < at; i++) {
    const c = text[i];
    if (inside) {
      if (c === QUOTE) {
        if (text[i + 1] === QUOTE) i++;
        else inside = false;
      }
    } else if (c === QUOTE && atFieldStart) {
      inside = true;
      atFieldStart = false;
    } else if (c === '\n') {
      field = 1;
      atFieldStart = true;
    } else if (text.startsWith(delimiter, i)) {
      field++;
      i += delimiter.length - 1;
      atFieldStart = true;
    } else atFieldStart = false;
  }
  return field;
}

/** A delimiter papaparse can split on (it silently replaces the others with a comma). */
export function checkDelimiter(delimiter: string): void {
  if (delimiter.length === 0 || /[\r\n"\ufeff]/.test(delimiter)) {
    throw new DataLoadError({ code: 'bad-option', problem: `the delimiter ${JSON.stringify(delimiter)} cannot be used: it must be non-empty and hold no quote or line break` });
  }
}

/**
 * `text` (which starts at a record boundary) without the spaces and tabs between the start of a
 * field and its opening quote. Follows the quoting as papaparse will: a quote opens a field only
 * at its start, `""` inside a quoted field is a quote, and any other quote there closes it.
 */
export function trimSpacesBeforeQuotes(text: string, delimiter: string): string {
  const isSpace = (c: string) => (c === ' ' || c === '\t') && c !== delimiter;
  const parts: string[] = [];
  let from = 0;
  let inside = false;
  for (let q = text.indexOf(QUOTE); q >= 0; q = text.indexOf(QUOTE, q + 1)) {
    if (inside) {
      if (text[q + 1] === QUOTE) q++; // an escaped quote
      else inside = false;
      continue;
    }
    let s = q;
    while (s > 0 && isSpace(text[s - 1])) s--;
    const fieldStart = s === 0 || text[s - 1] === '\n' || text[s - 1] === '\r' || (s >= delimiter.length && text.startsWith(delimiter, s - delimiter.length));
    if (!fieldStart) continue; // a quote inside an unquoted field is a character like any other
    inside = true;
    if (s < q) {
      parts.push(text.slice(from, s));
      from = q;
    }
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}

/** Splits CSV text, given in pieces of any size, into records. */
export class RecordSplitter {
  private readonly parser: Papa.Parser;
  /** Text after the last complete record: the record in progress. */
  private pending = '';
  /** The line where `pending` starts. */
  private pendingLine = 1;
  /** The previous piece ended with CR, perhaps the first half of a CRLF. */
  private carriedCr = false;
  private readonly spaceBeforeQuote: RegExp;

  constructor(readonly delimiter: string) {
    checkDelimiter(delimiter);
    this.parser = new Papa.Parser({ delimiter, newline: '\n', quoteChar: QUOTE });
    const space = delimiter === '\t' ? ' ' : ' \\t';
    this.spaceBeforeQuote = new RegExp(`(?:^|\\n|${escapeRegExp(delimiter)})[${space}]+"`);
  }

  /** The records completed by the next piece of text. */
  push(text: string): SplitResult {
    return this.split(text, false);
  }

  /** The records left when the text ends with `text`. */
  end(text = ''): SplitResult {
    return this.split(text, true);
  }

  private lineEndsToLf(text: string, last: boolean): string {
    if (this.carriedCr) text = '\r' + text;
    this.carriedCr = !last && text.endsWith('\r');
    if (this.carriedCr) text = text.slice(0, -1);
    return text.includes('\r') ? text.replace(LONE_CR, '\n') : text;
  }

  private split(piece: string, last: boolean): SplitResult {
    let input = this.pending + this.lineEndsToLf(piece, last);
    if (last && input.length > 0 && !input.endsWith('\n')) input += '\n'; // the last record ends like the others
    if (input.includes(QUOTE) && this.spaceBeforeQuote.test(input)) input = trimSpacesBeforeQuotes(input, this.delimiter);
    const result = this.parser.parse(input, 0, !last) as Papa.ParseResult<string[]>;
    const rows = result.data;
    // An error in the record in progress is reported once the record is complete, or at once when more text cannot mend it.
    const syntax = result.errors.find((e) => e.type === 'Quotes' && ((e.row ?? 0) < rows.length || this.cannotBeMended(e, input)));
    const usable = syntax ? (syntax.row ?? 0) : rows.length;
    const consumed = last ? input.length : result.meta.cursor;
    const lfs = countLf(input, consumed);
    // Without line breaks inside fields, record i starts i lines down (at the end the last row is the empty one after the final LF).
    const oneLineEach = !syntax && lfs === (last ? rows.length - 1 : rows.length);
    const records: CsvRecord[] = [];
    let line = this.pendingLine;
    for (let i = 0; i < usable; i++) {
      const fields = rows[i];
      const start = line;
      line += oneLineEach ? 1 : 1 + embeddedBreaks(fields);
      for (let j = 0; j < fields.length; j++) fields[j] = fields[j].trim();
      if (fields.length === 1 && fields[0] === '') continue; // a blank line
      records.push({ fields, line: start });
    }
    if (syntax) return { records, error: this.syntaxError(syntax, input, line) };
    this.pending = last ? '' : input.slice(consumed);
    this.pendingLine += lfs;
    if (this.pending.length > MAX_RECORD_CHARS) {
      return {
        records,
        error: new DataLoadError({
          code: 'malformed',
          line: this.pendingLine,
          problem: `the record starting here is longer than ${MAX_RECORD_CHARS / (1024 * 1024)} M characters`,
          hint: `is a quoted field never closed? ${QUOTE_HINT}`,
        }),
      };
    }
    return { records };
  }

  /**
   * A closing quote followed by text (`"4"5`) in the record in progress: more text could only
   * prove it fine when nothing but spaces (or part of a long delimiter) follows it so far.
   */
  private cannotBeMended(e: Papa.ParseError, input: string): boolean {
    if (e.code !== 'InvalidQuotes') return false;
    const q = badQuote(input, e.index ?? 0);
    if (q < 0) return false;
    let k = q + 1;
    while (input[k] === ' ' || input[k] === '\t') k++;
    const rest = input.slice(k, k + this.delimiter.length);
    return rest.length > 0 && rest[0] !== '\n' && rest[0] !== '\r' && !this.delimiter.startsWith(rest);
  }

  /**
   * `recordLine`: where the record holding the error starts. Papaparse's index is just past the
   * opening quote of the field in question: its column.
   */
  private syntaxError(e: Papa.ParseError, input: string, recordLine: number): DataLoadError {
    const column = e.index !== undefined && e.index > 0 ? fieldPosition(input, e.index - 1, this.delimiter) : undefined;
    if (e.code === 'MissingQuotes') {
      return new DataLoadError({ code: 'malformed', line: recordLine, column, problem: 'a quoted field starts in this record and is never closed', hint: QUOTE_HINT });
    }
    const q = badQuote(input, e.index ?? 0);
    const line = q >= 0 ? this.pendingLine + countLf(input, q) : recordLine;
    return new DataLoadError({ code: 'malformed', line, column, problem: 'text right after a closing quote', hint: QUOTE_HINT });
  }
}
