import { readdirSync, readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoadError } from '../../../src-main/core/data/errors.ts';
import { openCsv, type CsvRecord } from '../../../src-main/io/csv.ts';
import { FIXTURE_DIR, fixtures } from '../../fixtures/csv/generate.ts';

const fixture = (name: string) => join(FIXTURE_DIR, name);

async function readAll(path: string, options = {}): Promise<CsvRecord[]> {
  const file = await openCsv(path, options);
  const out: CsvRecord[] = [];
  for await (const r of file.records()) out.push(r);
  return out;
}

async function failure(promise: Promise<unknown>): Promise<DataLoadError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DataLoadError) return err;
    throw err;
  }
  throw new Error('expected a DataLoadError');
}

const tmp = mkdtempSync(join(tmpdir(), 'precond-csv-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('fixtures', () => {
  it('are exactly what generate.ts writes', () => {
    const expected = fixtures();
    const onDisk = readdirSync(FIXTURE_DIR).filter((f) => f !== 'generate.ts');
    expect(onDisk.sort()).toEqual(Object.keys(expected).sort());
    for (const [name, bytes] of Object.entries(expected)) expect(readFileSync(fixture(name)).equals(bytes), name).toBe(true);
  });
});

describe('openCsv: encodings', () => {
  const people = [
    ['name', 'city', 'height_m', 'group'],
    ['José', 'Zürich', '1.72', 'a'],
    ['François', 'Orléans', '1.80', 'b'],
  ];
  for (const [name, encoding] of [
    ['utf8.csv', 'utf-8'],
    ['utf8_bom.csv', 'utf-8'],
    ['utf16le_bom.csv', 'utf-16le'],
    ['utf16be_bom.csv', 'utf-16be'],
  ] as const) {
    it(`reads ${name} as ${encoding}, without a BOM in the first header name`, async () => {
      const file = await openCsv(fixture(name));
      expect(file.format.encoding).toBe(encoding);
      const records = await readAll(fixture(name));
      expect(records.slice(0, 3).map((r) => r.fields)).toEqual(people);
      expect(records.map((r) => r.line)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    });
  }

  it('reads Windows-1252 accented names and the characters Latin-1 lacks', async () => {
    const file = await openCsv(fixture('windows1252.csv'));
    expect(file.format).toMatchObject({ encoding: 'windows-1252', encodingSource: 'chardet' });
    const records = await readAll(fixture('windows1252.csv'));
    expect(records[1].fields).toEqual(['José', 'Zürich €', '1.72', 'a']);
    expect(records[2].fields).toEqual(['François', '“Orléans”', '1.80', 'b']);
    expect(records[6].fields[0]).toBe('Œdipe');
  });

  it('takes an explicit encoding over detection', async () => {
    const records = await readAll(fixture('utf8.csv'), { encoding: 'latin1' });
    expect(records[1].fields[0]).toBe('JosÃ©');
    expect((await failure(openCsv(fixture('utf8.csv'), { encoding: 'klingon' }))).message).toBe('utf8.csv: unknown encoding "klingon"');
  });
});

describe('openCsv: syntax', () => {
  it('sniffs semicolons with decimal commas, tabs and pipes', async () => {
    expect((await openCsv(fixture('semicolon_decimal_comma.csv'))).format).toMatchObject({ delimiter: ';', decimal: ',' });
    expect((await readAll(fixture('semicolon_decimal_comma.csv')))[1].fields).toEqual(['21,5', '1013,25', '0,45', 'north']);
    expect((await openCsv(fixture('tab.tsv'))).format).toMatchObject({ delimiter: '\t', decimal: '.' });
    expect((await readAll(fixture('tab.tsv')))[2].fields).toEqual(['3', '4.25', 'large']);
    expect((await openCsv(fixture('pipe.csv'))).format.delimiter).toBe('|');
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks, and gives each record its first line', async () => {
    const records = await readAll(fixture('quoted.csv'));
    expect(records.map((r) => r.fields)).toEqual([
      ['id_text', 'comment', 'value', 'label'],
      ['a,1', 'He said "hi"', '1.5', 'x'],
      ['b', 'two\nlines', '2.5', 'y'],
      ['c', 'spaced, quoted', '3.5', 'x'],
      ['d', 'three\r\nline\nfield', '4.5', 'y'],
      ['e', '5\'6" tall', '5.5', 'x'],
    ]);
    expect(records.map((r) => r.line)).toEqual([1, 2, 3, 5, 6, 9]);
  });

  it('reads CRLF and skips blank trailing lines (also whitespace-only ones)', async () => {
    const records = await readAll(fixture('crlf.csv'));
    expect(records.map((r) => r.fields)).toEqual([
      ['a', 'b', 'label'],
      ['1', '2', 'x'],
      ['3', '4', 'y'],
      ['5', '6', 'x'],
      ['7', '8', 'y'],
    ]);
  });

  it('counts lines across blank lines in the middle and old-Mac CR endings', async () => {
    const path = join(tmp, 'mixed.csv');
    writeFileSync(path, 'a,b\r\r\n1,2\n\n\n3,4\r5,6\n');
    expect((await readAll(path)).map((r) => [r.line, r.fields.join('|')])).toEqual([
      [1, 'a|b'],
      [3, '1|2'],
      [6, '3|4'],
      [7, '5|6'],
    ]);
  });

  it('names the line and column of an unclosed quote and of text after a closing quote', async () => {
    expect((await failure(readAll(fixture('unclosed_quote.csv')))).message).toBe('unclosed_quote.csv line 3, column 2: a quoted field starts in this record and is never closed; write a quote inside a quoted field as ""');
    const err = await failure(readAll(fixture('text_after_quote.csv')));
    expect(err).toMatchObject({ code: 'malformed', line: 3, column: 2 });
  });

  it('locates an unclosed quote far into a file (past what the parser buffers)', async () => {
    const path = join(tmp, 'late_quote.csv');
    writeFileSync(path, 'a,b\n' + '1,2\n'.repeat(30000) + '3,"4\n5,6\n');
    expect((await failure(readAll(path))).line).toBe(30002);
  });
});

describe('openCsv: files that cannot be read', () => {
  it('a missing file, a folder, an empty file, a binary file', async () => {
    expect((await failure(openCsv(join(tmp, 'nope.csv')))).message).toBe('nope.csv: cannot read the file: no such file');
    expect((await failure(openCsv(tmp))).message).toMatch(/: cannot read the file: it is a folder, not a file$/);
    expect((await failure(openCsv(fixture('empty.csv')))).message).toBe('empty.csv: the file is empty');
    const binary = await failure(openCsv(fixture('binary.csv')));
    expect(binary).toMatchObject({ code: 'undecodable', message: 'binary.csv: cannot decode the file: the file is not text (it contains NUL bytes); is it a CSV file?' });
  });

  it('a byte that is not UTF-8 after a UTF-8 start names its line', async () => {
    const path = join(tmp, 'late_latin1.csv');
    const head = 'name,value\n' + 'plain,1\n'.repeat(10000); // 80 KB of ASCII: more than the detection head
    writeFileSync(path, Buffer.concat([Buffer.from(head), Buffer.from([0x4a, 0x6f, 0x73, 0xe9]), Buffer.from(',2\n')]));
    const err = await failure(readAll(path));
    expect(err).toMatchObject({ code: 'undecodable', line: 10002 });
    expect(err.message).toBe('late_latin1.csv line 10002: cannot decode the file as utf-8: not valid UTF-8 (byte 0xE9); save it as UTF-8, or name its encoding');
  });
});

describe('openCsv: streaming', () => {
  it('reports progress chunk by chunk and yields records before the whole file is read', async () => {
    const path = join(tmp, 'stream.csv');
    writeFileSync(path, 'x,y\n' + Array.from({ length: 20000 }, (_, i) => `${i},${i % 7}`).join('\n') + '\n');
    const file = await openCsv(path);
    const progress: number[] = [];
    let bytesAtFirstBatch = -1, records = 0;
    for await (const batch of file.batches({ chunkBytes: 16 * 1024, onProgress: (p) => progress.push(p.bytesRead) })) {
      if (bytesAtFirstBatch < 0) bytesAtFirstBatch = progress[progress.length - 1];
      records += batch.length;
    }
    expect(records).toBe(20001);
    expect(bytesAtFirstBatch).toBeLessThan(file.size / 2);
    expect(progress.length).toBeGreaterThan(5);
    expect(progress.every((b, i) => i === 0 || b >= progress[i - 1])).toBe(true);
    expect(progress[progress.length - 1]).toBe(file.size);
  });

  it('reads the same records whatever the chunk size, also when chunks cut characters, CRLFs and quoted fields', async () => {
    const text = 'név;"város; ország";€\r\n' + Array.from({ length: 30 }, (_, i) => `Zoë ${i};"Łódź\r\n""${i}""";${i},5 😀\r\n`).join('') + '\r\n';
    for (const [name, bytes] of [
      ['chunks_utf8.csv', Buffer.from(text)],
      ['chunks_utf16le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')])],
    ] as const) {
      const path = join(tmp, name);
      writeFileSync(path, bytes);
      const file = await openCsv(path);
      const whole: CsvRecord[] = [];
      for await (const r of file.records()) whole.push(r);
      expect(whole.length).toBe(31);
      expect(whole[30]).toEqual({ fields: ['Zoë 29', 'Łódź\r\n"29"', '29,5 😀'], line: 60 });
      for (const chunkBytes of [1, 2, 3, 7, 64]) {
        const records: CsvRecord[] = [];
        for await (const r of file.records({ chunkBytes })) records.push(r);
        expect(records, `${name} in chunks of ${chunkBytes} bytes`).toEqual(whole);
      }
    }
  });

  it('yields the records before a syntax error, then the error', async () => {
    const file = await openCsv(fixture('unclosed_quote.csv'));
    const lines: number[] = [];
    const err = await failure(
      (async () => {
        for await (const r of file.records()) lines.push(r.line);
      })(),
    );
    expect(lines).toEqual([1, 2]);
    expect(err).toMatchObject({ code: 'malformed', line: 3 });
  });

  it('stops reading when the consumer stops', async () => {
    const path = join(tmp, 'stop.csv');
    writeFileSync(path, 'x\n' + '1\n'.repeat(200000));
    const file = await openCsv(path);
    let last = 0;
    for await (const r of file.records({ chunkBytes: 4096, onProgress: (p) => (last = p.bytesRead) })) if (r.line > 10) break;
    expect(last).toBeLessThan(file.size / 4);
  });
});
