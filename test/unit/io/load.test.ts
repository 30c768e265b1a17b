import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { applyPreprocessing } from '../../../src-main/core/data/apply.ts';
import { DataLoadError } from '../../../src-main/core/data/errors.ts';
import { openCsv } from '../../../src-main/io/csv.ts';
import { loadDataset, previewCsv, type LoadProgress } from '../../../src-main/io/load.ts';
import { DEFAULT_SAMPLES_DIR, listSamples, resolveSample, samplesDir, setSamplesDir } from '../../../src-main/io/samples.ts';
import { FIXTURE_DIR } from '../../fixtures/csv/generate.ts';

const fixture = (name: string) => join(FIXTURE_DIR, name);
const tmp = mkdtempSync(join(tmpdir(), 'precond-load-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function failure(promise: Promise<unknown>): Promise<DataLoadError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof DataLoadError) return err;
    throw err;
  }
  throw new Error('expected a DataLoadError');
}

describe('sample datasets', () => {
  afterEach(() => setSamplesDir(undefined));

  it('lists and resolves the five samples of resources/datasets', () => {
    expect(listSamples()).toEqual(['breast_cancer', 'diabetes', 'digits', 'iris', 'wine']);
    expect(resolveSample('iris')).toBe(join(DEFAULT_SAMPLES_DIR, 'iris.csv'));
    expect(resolveSample('iris.csv')).toBe(join(DEFAULT_SAMPLES_DIR, 'iris.csv'));
    expect(resolveSample('IRIS')).toBe(join(DEFAULT_SAMPLES_DIR, 'iris.csv'));
    expect(resolveSample('../iris')).toBeUndefined();
    expect(resolveSample('tulips')).toBeUndefined();
  });

  it('infers the task and classes of every sample', async () => {
    const expected: Record<string, { task: string; classes: number | null; rows: number }> = {
      iris: { task: 'classification', classes: 3, rows: 150 },
      wine: { task: 'classification', classes: 3, rows: 178 },
      breast_cancer: { task: 'classification', classes: 2, rows: 569 },
      digits: { task: 'classification', classes: 10, rows: 1797 },
      diabetes: { task: 'regression', classes: null, rows: 442 },
    };
    for (const [name, want] of Object.entries(expected)) {
      const { dataset, summary } = await loadDataset(name);
      expect(dataset.task, name).toBe(want.task);
      expect(dataset.classes?.length ?? null, name).toBe(want.classes);
      expect(summary).toMatchObject({ sample: name, rowsRead: want.rows, rowsUsed: want.rows, rowsDropped: 0, cellsImputed: 0 });
      expect(dataset.x.length).toBe(dataset.n * dataset.d);
      expect(dataset.x.every(Number.isFinite), name).toBe(true);
      expect(summary.trainRows + summary.validationRows).toBe(want.rows);
    }
  });

  it('excludes the constant pixels of digits and names the classes 0-9', async () => {
    const { dataset, summary } = await loadDataset('digits');
    expect(dataset.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(summary.excluded.map((e) => e.column)).toEqual(['pixel_0_0', 'pixel_4_0', 'pixel_4_7']);
    expect(summary.excluded.every((e) => e.reason === 'constant: every value is 0')).toBe(true);
    expect(summary.featureCount).toBe(61);
  });

  it('follows setSamplesDir and $PRECOND_DATASETS_DIR (the packaged app points them at its resources)', async () => {
    const dir = join(tmp, 'resources', 'datasets');
    mkdirSync(dir, { recursive: true });
    copyFileSync(join(DEFAULT_SAMPLES_DIR, 'iris.csv'), join(dir, 'flowers.csv'));
    setSamplesDir(dir);
    expect(samplesDir()).toBe(dir);
    expect(listSamples()).toEqual(['flowers']);
    expect((await loadDataset('flowers')).summary.rowsUsed).toBe(150);
    setSamplesDir(undefined);
    process.env.PRECOND_DATASETS_DIR = dir;
    try {
      expect(resolveSample('flowers')).toBe(join(dir, 'flowers.csv'));
      expect(resolveSample('flowers', DEFAULT_SAMPLES_DIR)).toBeUndefined();
    } finally {
      delete process.env.PRECOND_DATASETS_DIR;
    }
  });
});

describe('loadDataset on every format', () => {
  it('reads accented categories identically from UTF-8, UTF-8 with BOM, UTF-16 LE/BE and Windows-1252', async () => {
    const results = await Promise.all(['utf8.csv', 'utf8_bom.csv', 'utf16le_bom.csv', 'utf16be_bom.csv'].map((f) => loadDataset(fixture(f), { valSplit: 0 })));
    for (const r of results) {
      expect(r.summary.featureNames).toEqual(results[0].summary.featureNames);
      expect(r.dataset.x).toEqual(results[0].dataset.x);
      expect(r.summary.target).toBe('group');
    }
    expect(results[0].summary.featureNames).toContain('name=José');
    expect(results.map((r) => r.summary.format.encoding)).toEqual(['utf-8', 'utf-8', 'utf-16le', 'utf-16be']);
    const cp = await loadDataset(fixture('windows1252.csv'), { valSplit: 0 });
    expect(cp.summary.featureNames).toContain('city=Zürich €');
    expect(cp.summary.featureNames).toContain('name=Œdipe');
  });

  it('reads semicolons with decimal commas as numbers', async () => {
    const { dataset, summary, preprocessing } = await loadDataset(fixture('semicolon_decimal_comma.csv'), { valSplit: 0 });
    expect(summary.format).toEqual({ encoding: 'utf-8', delimiter: ';', decimal: ',' });
    expect(summary.featureNames).toEqual(['temperature', 'pressure', 'humidity']);
    const enc = preprocessing.encoders[0];
    if (enc.kind !== 'numeric') throw new Error('numeric expected');
    expect(enc.mean).toBeCloseTo((21.5 - 3.75 + 18 + 0.125 + 12.5) / 5, 12);
    expect(dataset.classes).toEqual(['north', 'south']);
  });

  it('reads tab and pipe files and numbers like 1e-3, -.5 and +3', async () => {
    for (const f of ['tab.tsv', 'pipe.csv']) expect((await loadDataset(fixture(f))).summary.featureNames).toEqual(['width', 'height']);
    const { preprocessing } = await loadDataset(fixture('numbers.csv'), { valSplit: 0 });
    const enc = preprocessing.encoders[0];
    if (enc.kind !== 'numeric') throw new Error('numeric expected');
    const values = [1e-3, -0.5, 3, 1, 250, -0, 0.25, 7];
    expect(enc.mean).toBe(values.reduce((s, v) => s + v, 0) / values.length);
  });

  it('recognizes every missing marker, dropping or imputing as asked', async () => {
    const dropped = await loadDataset(fixture('missing.csv'));
    expect(dropped.summary).toMatchObject({ rowsRead: 23, rowsUsed: 12, rowsDropped: 11, rowsDroppedMissingTarget: 1, cellsImputed: 0 });
    expect(dropped.preprocessing.missing.perColumn).toEqual({ y: 1, x: 8, color: 2 });
    const imputed = await loadDataset(fixture('missing.csv'), { missing: 'impute' });
    expect(imputed.summary).toMatchObject({ rowsUsed: 22, rowsDropped: 1, rowsDroppedMissingTarget: 1, cellsImputed: 10, missingPolicy: 'impute' });
  });

  it('reports progress while reading, then preparing, then done', async () => {
    const events: LoadProgress[] = [];
    await loadDataset('digits', { onProgress: (p) => events.push(p) });
    const phases = events.map((e) => e.phase);
    expect(phases[0]).toBe('reading');
    expect(phases.slice(-2)).toEqual(['preparing', 'done']);
    const reading = events.filter((e) => e.phase === 'reading');
    expect(reading[reading.length - 1]).toMatchObject({ bytesRead: reading[0].totalBytes, rows: 1797 });
  });

  it('re-applies its preprocessing record to the file rows bit for bit', async () => {
    const { dataset, preprocessing } = await loadDataset(fixture('missing.csv'), { missing: 'impute', valSplit: 0.3, seed: 2 });
    const file = await openCsv(fixture('missing.csv'));
    const rows: string[][] = [];
    const lines: number[] = [];
    for await (const r of file.records()) {
      if (r.line === 1) continue;
      rows.push(r.fields);
      lines.push(r.line);
    }
    const again = applyPreprocessing(JSON.parse(JSON.stringify(preprocessing)), rows, { lines });
    expect(again.x).toEqual(dataset.x);
    expect(Array.from(again.y!)).toEqual(Array.from(dataset.y));
    expect(Array.from(again.kept, (k) => lines[k])).toEqual(Array.from(dataset.sourceLines));
  });

  it('the preview reads such a file as the loader does: windows-1252, with the same note', async () => {
    // 20,000 rows (~140 KB, past the 64 KB the encoding is detected from) and one byte of Latin-1 at the end.
    const path = fixture('late_latin1.csv');
    const note = 'line 20002 is not valid UTF-8 though the start of the file is; the file was read as windows-1252';
    const p = await previewCsv(path);
    expect(p.format.encoding).toBe('windows-1252');
    expect(p.notes).toEqual([note]);
    expect(p.header).toEqual(['name', 'b', 'y']);
    expect(p.error).toBeUndefined();
    expect((await loadDataset(path)).summary.notes).toEqual([note]);
  });

  it('a small mostly-ASCII file with one Latin-1 byte is windows-1252, never ASCII (no byte becomes U+FFFD)', async () => {
    const path = join(tmp, 'small_latin1.csv');
    const rows = Array.from({ length: 5000 }, (_, i) => `x${i % 3},${i % 10},${i % 2}`).join('\n');
    writeFileSync(path, Buffer.from(`name,b,y\n${rows}\ncaf\xe9,1,0\n`, 'latin1')); // ~35 KB: detected from the whole file
    const { summary } = await loadDataset(path);
    expect(summary.format.encoding).toBe('windows-1252');
    expect(summary.featureNames).toContain('name=café');
    expect(summary.featureNames.some((n) => n.includes('\ufffd'))).toBe(false);
    expect((await previewCsv(path)).format.encoding).toBe('windows-1252');
  });

  it('a UTF-8 file cut off inside its last character is read as UTF-8 up to it, then re-read with the note naming that line', async () => {
    const path = join(tmp, 'truncated_utf8.csv');
    writeFileSync(path, Buffer.concat([Buffer.from('name,b,y\nx,1,0\ny,2,1\nz,3,'), Buffer.from([0xe2, 0x82])]));
    const p = await previewCsv(path);
    expect(p.notes).toEqual(['line 4 is not valid UTF-8 though the start of the file is; the file was read as windows-1252']);
    expect(p.rows.at(-1)).toEqual(['z', '3', '\u00e2\u201a']); // the bytes as windows-1252 shows them, with the note to say why
  });

  it('falls back to windows-1252 when a late byte is not UTF-8, and says so', async () => {
    const path = join(tmp, 'late_cp1252.csv');
    const rows = Array.from({ length: 9000 }, (_, i) => `${['Ana', 'Bo', 'Cy'][i % 3]},${(i % 17) * 0.5},${i % 2}`).join('\n');
    writeFileSync(path, Buffer.concat([Buffer.from('name,value,label\n' + rows + '\n'), Buffer.from([0x4a, 0x6f, 0x73, 0xe9]), Buffer.from(',1.5,0\n')]));
    const { summary } = await loadDataset(path);
    expect(summary.format.encoding).toBe('windows-1252');
    expect(summary.notes).toEqual(['line 9002 is not valid UTF-8 though the start of the file is; the file was read as windows-1252']);
    expect(summary.featureNames).toContain('name=José');
    // With the encoding named by the caller there is no second guess: the bad byte is an error.
    const err = await failure(loadDataset(path, { encoding: 'utf-8' }));
    expect(err).toMatchObject({ code: 'undecodable', line: 9002 });
  });
});

describe('loadDataset errors name the file, line and column', () => {
  const cases: [string, Record<string, unknown>, string, string][] = [
    ['iris_bad.csv', {}, 'ragged', 'iris_bad.csv line 59, column 6: expected 5 fields, found 6'],
    ['empty.csv', {}, 'empty', 'empty.csv: the file is empty'],
    ['blank_lines_only.csv', {}, 'empty', 'blank_lines_only.csv: the file is empty (only blank lines)'],
    ['header_only.csv', {}, 'no-rows', 'header_only.csv: the file has a header but no data rows'],
    ['header_only_blank_tail.csv', {}, 'no-rows', 'header_only_blank_tail.csv: the file has a header but no data rows'],
    [
      'no_feature.csv',
      {},
      'no-feature',
      'no_feature.csv: no usable feature: every column other than the target "label" is excluded; row (ID-like: a row number (1, 2, …, 12)), constant (constant: every value is 7), note (ID-like: every value is different (12 values)), sparse (mostly missing: 11 of 12 values (92%))',
    ],
    ['single_class.csv', {}, 'single-class', 'single_class.csv: the target column "label" has a single class ("spam") in the 3 rows used; classification needs at least 2 classes'],
    ['iris_bad.csv', { target: 'petal' }, 'unknown-target', 'iris_bad.csv: unknown target column "petal"; the columns are: sepal_length_cm, sepal_width_cm, petal_length_cm, petal_width_cm, species'],
    [
      'not_a_number.csv',
      {},
      'not-a-number',
      'not_a_number.csv line 14, column 2 (b): expected a number, found "abc"; the column holds numbers in 19 of 20 rows; write missing values as empty, NA, N/A, NaN, null, ? or -',
    ],
    ['binary.csv', {}, 'undecodable', 'binary.csv: cannot decode the file: the file is not text (it contains NUL bytes); is it a CSV file?'],
    ['unclosed_quote.csv', {}, 'malformed', 'unclosed_quote.csv line 3, column 2 (b): a quoted field starts in this record and is never closed; write a quote inside a quoted field as ""'],
  ];
  for (const [file, options, code, message] of cases) {
    it(`${file}${Object.keys(options).length ? ' ' + JSON.stringify(options) : ''}: ${code}`, async () => {
      const err = await failure(loadDataset(fixture(file), options));
      expect(err.code).toBe(code);
      expect(err.message).toBe(message);
      expect(err.file).toBe(fixture(file));
      expect(err.message).not.toMatch(/\n\s+at /); // never a stack trace
    });
  }

  it('the ragged row carries its fields for programs', async () => {
    const err = await failure(loadDataset(fixture('iris_bad.csv')));
    expect(err.toJSON()).toMatchObject({ code: 'ragged', line: 59, expected: '5 fields', found: '6', message: 'iris_bad.csv line 59, column 6: expected 5 fields, found 6' });
  });

  it('an unknown name that is neither a file nor a sample lists the samples', async () => {
    expect((await failure(loadDataset('tulips'))).message).toBe('no such file or sample dataset: "tulips"; the sample datasets are: breast_cancer, diabetes, digits, iris, wine');
    expect((await failure(loadDataset(join(tmp, 'missing.csv')))).message).toBe('missing.csv: cannot read the file: no such file; the sample datasets are: breast_cancer, diabetes, digits, iris, wine');
  });

  // Root reads any file, so permissions cannot make one unreadable there.
  it.skipIf(process.getuid?.() === 0)('an unreadable file', async () => {
    const path = join(tmp, 'locked.csv');
    writeFileSync(path, 'a,b\n1,2\n', { mode: 0o000 });
    expect((await failure(loadDataset(path))).message).toBe('locked.csv: cannot read the file: permission denied');
  });
});

describe('previewCsv', () => {
  it('gives the header, the first rows, the inferred kinds and the default target', async () => {
    const p = await previewCsv('iris', { rows: 3 });
    expect(p.header).toEqual(['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm', 'species']);
    expect(p.rows).toEqual([
      ['5.1', '3.5', '1.4', '0.2', 'setosa'],
      ['4.9', '3', '1.4', '0.2', 'setosa'],
      ['4.7', '3.2', '1.3', '0.2', 'setosa'],
    ]);
    expect(p.lines).toEqual([2, 3, 4]);
    expect(p.columns.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'numeric', 'numeric', 'categorical']);
    expect(p).toMatchObject({ sampledRows: 150, complete: true, target: { column: 'species', task: 'classification' } });
    expect(JSON.parse(JSON.stringify(p))).toEqual(p);
  });

  it('reads only a sample of a large file', async () => {
    const p = await previewCsv('digits', { rows: 5, sampleRows: 100 });
    expect(p.rows.length).toBe(5);
    expect(p).toMatchObject({ sampledRows: 100, complete: false });
  });

  it('shows the rows before a problem and the problem itself', async () => {
    const p = await previewCsv(fixture('iris_bad.csv'), { rows: 100 });
    expect(p.rows.length).toBe(57);
    expect(p.error).toMatchObject({ code: 'ragged', line: 59, message: 'iris_bad.csv line 59, column 6: expected 5 fields, found 6' });
  });

  it('the windows-1252 preview shows the right characters', async () => {
    const p = await previewCsv(fixture('windows1252.csv'), { rows: 1 });
    expect(p.rows[0]).toEqual(['José', 'Zürich €', '1.72', 'a']);
    expect(readFileSync(fixture('windows1252.csv')).includes(Buffer.from('é'))).toBe(false); // really not UTF-8 on disk
  });
});
