import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-main/core/rng.ts';
import { fieldPosition, MAX_RECORD_CHARS, RecordSplitter, trimSpacesBeforeQuotes, type CsvRecord } from '../../../src-main/io/records.ts';

/** Records of `text` given in pieces of the sizes `sizes` cycles through (a syntax error is thrown after the records before it). */
function splitInPieces(text: string, delimiter: string, sizes: number[] = [text.length || 1]): CsvRecord[] {
  const s = new RecordSplitter(delimiter);
  const out: CsvRecord[] = [];
  let k = 0;
  for (let i = 0; i < text.length; i += sizes[k++ % sizes.length]) {
    const r = s.push(text.slice(i, i + sizes[k % sizes.length]));
    out.push(...r.records);
    if (r.error) throw Object.assign(r.error, { records: out });
  }
  const r = s.end();
  out.push(...r.records);
  if (r.error) throw Object.assign(r.error, { records: out });
  return out;
}

const rows = (records: CsvRecord[]) => records.map((r) => r.fields);

/** What csv-parse (the parser this project used before) made of `text`, with its options and line counting. */
function csvParseRecords(text: string, delimiter: string): CsvRecord[] {
  const parsed = parse(text, { delimiter, relax_column_count: true, relax_quotes: true, trim: true, record_delimiter: ['\r\n', '\n', '\r'] }) as string[][];
  let line = 1;
  const out: CsvRecord[] = [];
  for (const fields of parsed) {
    const start = line;
    line += 1 + fields.reduce((n, f) => n + (f.match(/\r\n?|\n/g)?.length ?? 0), 0);
    if (!(fields.length === 1 && fields[0] === '')) out.push({ fields, line: start });
  }
  return out;
}

/**
 * A random CSV text and the records it holds: quoted and unquoted fields, delimiters, doubled
 * quotes and line breaks inside quotes, spaces around fields and before quotes, CRLF/LF/CR,
 * blank and whitespace-only lines, non-ASCII text. (Quoted values have no spaces at their ends
 * and no lone CR: there our reading and csv-parse's differ, see the tests below.)
 */
function randomCsv(rng: Rng, delimiter: string): { text: string; records: CsvRecord[] } {
  const pieces = ['a', 'Zq', '1.5', '-3', 'é', '€', '😀', delimiter, '"', ' ', '\n', '\r\n', 'x"y'];
  const pads = delimiter === '\t' ? ['', ' ', '  '] : ['', ' ', '\t', ' \t'];
  const endings = ['\n', '\r\n', '\r'];
  const cols = rng.int(1, 5);
  let text = '';
  let line = 1;
  let lastEnding = '';
  const records: CsvRecord[] = [];
  const newline = () => {
    let e = endings[rng.int(0, 2)];
    if (lastEnding === '\r' && e === '\n') e = '\r'; // "\r" then "\n" would be one CRLF
    text += e;
    lastEnding = e;
    line++;
  };
  for (let r = rng.int(1, 25); r > 0; r--) {
    if (rng.uniform() < 0.1) {
      const blank = ['', ' ', '\t '][rng.int(0, 2)].replace(delimiter, ' ');
      text += blank;
      if (blank) lastEnding = '';
      newline();
    }
    const values: string[] = [];
    const cells: string[] = [];
    let breaks = 0;
    for (let c = 0; c < cols; c++) {
      let value = '';
      for (let n = rng.int(0, 4); n > 0; n--) value += pieces[rng.int(0, pieces.length - 1)];
      value = value.trim();
      const mustQuote = value.includes(delimiter) || value.includes('\n') || value.includes('\r') || value.startsWith('"');
      const quoted = mustQuote || rng.uniform() < 0.2;
      const body = quoted ? `"${value.replace(/"/g, '""')}"` : value;
      cells.push(pads[rng.int(0, pads.length - 1)] + body + pads[rng.int(0, pads.length - 1)]);
      values.push(value);
      breaks += value.match(/\r\n|\n/g)?.length ?? 0;
    }
    const row = cells.join(delimiter);
    text += row;
    if (!(values.length === 1 && values[0] === '')) records.push({ fields: values, line });
    line += breaks;
    if (row) lastEnding = '';
    if (r > 1 || rng.uniform() < 0.7) newline();
  }
  return { text, records };
}

describe('fieldPosition', () => {
  const at = (text: string, marker: string, delimiter = ',') => fieldPosition(text, text.indexOf(marker), delimiter);
  it('counts the delimiters outside quotes since the record began', () => {
    expect(at('a,b,c\n1,2,X', 'X')).toBe(3);
    expect(at('X,b', 'X')).toBe(1);
    expect(at('a,"b,c",X', 'X')).toBe(3); // a delimiter inside quotes is text
    expect(at('a,"say ""hi"", ok",X', 'X')).toBe(3); // doubled quotes stay inside
    expect(at('"multi\nline,field",X', 'X')).toBe(2); // a line break inside quotes does not end the record
    expect(at('a,b"c,X', 'X')).toBe(3); // a quote inside an unquoted field is a character
    expect(at('a::b::X', 'X', '::')).toBe(3);
    expect(at('a\tb\tX', 'X', '\t')).toBe(3);
  });
});

describe('RecordSplitter', () => {
  it('reads random CSV as written, in pieces of any size, as csv-parse did', () => {
    const rng = new Rng(7);
    for (let trial = 0; trial < 400; trial++) {
      const delimiter = [',', ';', '\t', '|'][trial % 4];
      const { text, records } = randomCsv(rng, delimiter);
      const whole = splitInPieces(text, delimiter);
      expect(whole, JSON.stringify(text)).toEqual(records);
      expect(csvParseRecords(text, delimiter), JSON.stringify(text)).toEqual(records);
      const sizes = [rng.int(1, 9), rng.int(1, 40), 1, rng.int(2, 5)];
      expect(splitInPieces(text, delimiter, sizes), `${JSON.stringify(text)} in pieces of ${sizes}`).toEqual(records);
    }
  });

  it('counts lines across quoted line breaks, blank lines and mixed endings, however the text is cut', () => {
    const text = 'a,b\r\r\n"x\r\ny",1\n\n"p\nq\nr" ,2\r3,"4"\r\n  \n5,6';
    const expected = [
      { fields: ['a', 'b'], line: 1 },
      { fields: ['x\r\ny', '1'], line: 3 },
      { fields: ['p\nq\nr', '2'], line: 6 },
      { fields: ['3', '4'], line: 9 },
      { fields: ['5', '6'], line: 11 },
    ];
    for (let size = 1; size <= text.length; size++) expect(splitInPieces(text, ',', [size]), `pieces of ${size}`).toEqual(expected);
  });

  it('takes spaces before an opening quote as outside the field, also when the quoted field spans lines', () => {
    expect(rows(splitInPieces('c, "spaced, quoted" ,3.5\nd,\t"two\nlines",4\n', ','))).toEqual([
      ['c', 'spaced, quoted', '3.5'],
      ['d', 'two\nlines', '4'],
    ]);
    // With a tab delimiter, a tab before a quote is an (empty) field, not space.
    expect(rows(splitInPieces('a\t\t"b\tc"\n', '\t'))).toEqual([['a', '', 'b\tc']]);
    // Inside quotes, ", \"" is text: nothing is removed there.
    expect(rows(splitInPieces('"He said, ""hi"" , ""ok""",2\n', ','))).toEqual([['He said, "hi" , "ok"', '2']]);
    expect(trimSpacesBeforeQuotes('x, "a, ""b""",  "c"\n', ',')).toBe('x,"a, ""b""","c"\n');
  });

  it('keeps a quote inside an unquoted field as a character', () => {
    expect(rows(splitInPieces('e,5\'6" tall,x "y" z\n', ','))).toEqual([['e', '5\'6" tall', 'x "y" z']]);
  });

  it('accepts spaces after a closing quote at the very end of the text', () => {
    expect(rows(splitInPieces('a,"b"  ', ','))).toEqual([['a', 'b']]);
  });

  // Where this reader differs from csv-parse (both are invisible to datasets: core/data trims every cell).
  it('trims quoted fields too, and reads a lone CR inside quotes as LF', () => {
    expect(rows(splitInPieces('a," x ",b\n', ','))).toEqual([['a', 'x', 'b']]);
    expect(rows(csvParseRecords('a," x ",b\n', ','))).toEqual([['a', ' x ', 'b']]);
    expect(splitInPieces('"p\rq",1\r2,3\r', ',')).toEqual([
      { fields: ['p\nq', '1'], line: 1 },
      { fields: ['2', '3'], line: 3 },
    ]);
  });

  it('returns the records before a syntax error, then the error with its line', () => {
    let error: (Error & { line?: number; records?: CsvRecord[] }) | undefined;
    try {
      splitInPieces('a,b\n1,2\n"x\ny"z,3\n4,5\n', ',', [5]);
    } catch (e) {
      error = e as typeof error;
    }
    expect(error).toMatchObject({ code: 'malformed', line: 4, column: 1, message: 'line 4, column 1: text right after a closing quote; write a quote inside a quoted field as ""' });
    expect(rows(error!.records!)).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    const s = new RecordSplitter(',');
    expect(s.push('a,b\n1,2\n3,"4\n5,6\n').records.map((r) => r.line)).toEqual([1, 2]);
    const end = s.end();
    expect(end.records).toEqual([]);
    expect(end.error).toMatchObject({ code: 'malformed', line: 3, column: 2, message: 'line 3, column 2: a quoted field starts in this record and is never closed; write a quote inside a quoted field as ""' });
  });

  it('reports text after a closing quote as soon as it is read, not at the end of the text', () => {
    const s = new RecordSplitter(',');
    const first = s.push('a,b\n1,2\n3,"4"5,y\n6,7\n');
    expect(first.records.map((r) => r.line)).toEqual([1, 2]);
    expect(first.error).toMatchObject({ code: 'malformed', line: 3, column: 2 });
    expect(new RecordSplitter('::').end('a::b::c\n1::"x, y"::"4"5\n').error).toMatchObject({ code: 'malformed', line: 2, column: 3 });
    // Spaces (or half a delimiter) after a closing quote at the end of a piece are not an error yet: the next piece may bring the delimiter.
    for (const [delimiter, ...pieces] of [
      [',', 'x,"y"  ', ' ,z\n'],
      ['::', 'x::"y" ', ':', ':z\n'],
    ]) {
      const t = new RecordSplitter(delimiter);
      const records: CsvRecord[] = [];
      for (const piece of pieces) {
        const r = t.push(piece);
        expect(r.error, JSON.stringify(pieces)).toBeUndefined();
        records.push(...r.records);
      }
      records.push(...t.end().records);
      expect(rows(records)).toEqual([['x', 'y', 'z']]);
    }
  });

  it('gives up on a record longer than MAX_RECORD_CHARS instead of holding the rest of the text', () => {
    const s = new RecordSplitter(',');
    expect(s.push('a,b\n1,2\n3,"never closed\n').error).toBeUndefined();
    const piece = 'x'.repeat(1024 * 1024) + '\n';
    let result = s.push(piece);
    for (let i = 0; !result.error && i * piece.length <= MAX_RECORD_CHARS; i++) result = s.push(piece);
    expect(result.error).toMatchObject({ code: 'malformed', line: 3 });
    expect(result.error!.message).toBe('line 3: the record starting here is longer than 16 M characters; is a quoted field never closed? write a quote inside a quoted field as ""');
  });

  it('refuses a delimiter papaparse cannot split on', () => {
    for (const d of ['', '"', '\n', 'a\r']) expect(() => new RecordSplitter(d), JSON.stringify(d)).toThrow(/cannot be used/);
    expect(rows(splitInPieces('a::b\n1::2\n', '::'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});
