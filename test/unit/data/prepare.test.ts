import { describe, expect, it } from 'vitest';
import { applyPreprocessing } from '../../../src-main/core/data/apply.ts';
import { DataLoadError } from '../../../src-main/core/data/errors.ts';
import { buildDataset, selectRows, type BuildOptions } from '../../../src-main/core/data/prepare.ts';
import { randomSplit } from '../../../src-main/core/data/split.ts';
import { tableFromRows } from '../../../src-main/core/data/table.ts';
import { OTHER_LEVEL } from '../../../src-main/core/data/types.ts';

const SOURCE = { file: '/data/test.csv', encoding: 'utf-8', delimiter: ',' };

function build(rows: string[][], options: BuildOptions = {}) {
  return buildDataset(tableFromRows(rows), SOURCE, options);
}

function loadError(fn: () => unknown): DataLoadError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DataLoadError) return err;
    throw err;
  }
  throw new Error('expected a DataLoadError');
}

/** Column j of a row-major n × d matrix. */
const column = (x: Float64Array, d: number, j: number) => Array.from({ length: x.length / d }, (_, i) => x[i * d + j]);
const mean = (v: number[]) => v.reduce((s, a) => s + a, 0) / v.length;

/** 30 rows: a numeric feature, a categorical one, a 3-class target. */
function smallTable(): string[][] {
  return [['size', 'color', 'kind'], ...Array.from({ length: 30 }, (_, i) => [String(10 + ((i * 7) % 13) * 0.5), ['red', 'green', 'blue'][i % 3], ['a', 'b', 'c'][(i * 2) % 3]])];
}

describe('buildDataset', () => {
  it('gives a row-major feature matrix with one-hot columns named column=level, and class indices', () => {
    const { dataset, preprocessing, summary } = build(smallTable(), { valSplit: 0 });
    expect(dataset.featureNames).toEqual(['size', 'color=blue', 'color=green', 'color=red']);
    expect([dataset.n, dataset.d, dataset.x.length]).toEqual([30, 4, 120]);
    expect(dataset.task).toBe('classification');
    expect(dataset.classes).toEqual(['a', 'b', 'c']);
    expect(dataset.y).toBeInstanceOf(Int32Array);
    // Row 0: size 10, red, class a.
    expect(Array.from(dataset.x.subarray(1, 4))).toEqual([0, 0, 1]);
    expect(dataset.y[0]).toBe(0);
    expect(Array.from(dataset.x.subarray(5, 8))).toEqual([0, 1, 0]); // row 1: green
    expect(preprocessing.encoders.map((e) => e.kind)).toEqual(['numeric', 'onehot']);
    expect(summary.classes).toEqual([
      { label: 'a', count: 10 },
      { label: 'b', count: 10 },
      { label: 'c', count: 10 },
    ]);
  });

  it('standardizes numeric features with the training mean and std: mean 0, std 1 on the training rows', () => {
    const { dataset, preprocessing } = build(smallTable(), { valSplit: 0.3, seed: 5 });
    const z = column(dataset.x, dataset.d, 0);
    const train = Array.from(dataset.split.train, (i) => z[i]);
    expect(mean(train)).toBeCloseTo(0, 12);
    expect(Math.sqrt(mean(train.map((v) => v * v)))).toBeCloseTo(1, 12);
    const enc = preprocessing.encoders[0];
    if (enc.kind !== 'numeric') throw new Error('numeric expected');
    // z = (x − mean) / std, reproduced from the raw value of row 0 (size 10).
    expect(z[0]).toBe((10 - enc.mean) / enc.std);
  });

  it('never divides by zero: a feature constant on the training rows gets std 1', () => {
    // `flag` is 1 in every row but the last; with the last row in validation it is constant on training rows.
    const rows = [['flag', 'v', 'y'], ...Array.from({ length: 10 }, (_, i) => [i === 9 ? '2' : '1', String(i * 1.5), String(i * 0.3 + 1)])];
    for (let seed = 0; seed < 40; seed++) {
      const { dataset, preprocessing } = build(rows, { valSplit: 0.2, seed });
      expect(dataset.x.every(Number.isFinite)).toBe(true);
      const enc = preprocessing.encoders[0];
      if (enc.kind === 'numeric' && !Array.from(dataset.split.train).includes(9)) {
        expect(enc.std).toBe(1);
        return;
      }
    }
    throw new Error('no seed put the last row in validation');
  });

  it('excludes text, ID-like, constant and mostly missing columns with their reasons', () => {
    const rows = [['id', 'c', 'empty', 'x', 'y'], ...Array.from({ length: 12 }, (_, i) => [String(i + 1), 'same', '', String((i * 37) % 11), ['p', 'q'][i % 2]])];
    const { summary, preprocessing } = build(rows);
    expect(summary.excluded).toEqual([
      { column: 'id', kind: 'id', reason: 'ID-like: a row number (1, 2, …, 12)' },
      { column: 'c', kind: 'constant', reason: 'constant: every value is "same"' },
      { column: 'empty', kind: 'missing', reason: 'empty: no values' },
    ]);
    expect(summary.featureNames).toEqual(['x']);
    expect(preprocessing.columns.map((c) => c.role)).toEqual(['excluded', 'excluded', 'excluded', 'feature', 'target']);
  });

  it('caps one-hot levels at maxCategories, the rest as column=<other>', () => {
    const colors = ['red', 'red', 'red', 'red', 'blue', 'blue', 'blue', 'green', 'green', 'black', 'white', 'pink'];
    const rows = [['color', 'y'], ...colors.map((c, i) => [c, String(i % 2)])];
    const { dataset, preprocessing } = build(rows, { maxCategories: 3, valSplit: 0 });
    expect(dataset.featureNames).toEqual(['color=blue', 'color=green', 'color=red', `color=${OTHER_LEVEL}`]);
    const enc = preprocessing.encoders[0];
    expect(enc).toMatchObject({ kind: 'onehot', levels: ['blue', 'green', 'red'], other: true, impute: 'red' });
    // black, white and pink (rows 9-11) go to <other>; every row has exactly one 1.
    for (let i = 0; i < dataset.n; i++) {
      const row = Array.from(dataset.x.subarray(i * 4, i * 4 + 4));
      expect(row.reduce((s, v) => s + v, 0)).toBe(1);
      if (i >= 9) expect(row[3]).toBe(1);
    }
  });

  it('drops rows with missing values by default and says how many', () => {
    const rows = [['x', 'color', 'y'], ['1', 'red', '1.5'], ['NA', 'blue', '2.5'], ['3', '?', '3.5'], ['4', 'red', ''], ['5', 'blue', '5.5'], ['6', 'red', '6.5'], ['7', 'blue', '7.5']];
    const { dataset, summary, preprocessing } = build(rows, { valSplit: 0 });
    expect(dataset.n).toBe(4);
    expect(Array.from(dataset.sourceLines)).toEqual([2, 6, 7, 8]);
    expect(summary).toMatchObject({ rowsRead: 7, rowsUsed: 4, rowsDropped: 3, rowsDroppedMissingTarget: 1, cellsImputed: 0, missingPolicy: 'drop' });
    expect(preprocessing.missing.perColumn).toEqual({ y: 1, x: 1, color: 1 });
  });

  it('imputes the training mean or most frequent level when asked, and counts the cells', () => {
    const rows = [['x', 'color', 'y'], ['1', 'red', '1.5'], ['NA', 'blue', '2.5'], ['3', '?', '3.5'], ['4', 'red', ''], ['5', 'blue', '5.5'], ['6', 'red', '6.5'], ['7', 'red', '7.5']];
    const { dataset, summary, preprocessing } = build(rows, { valSplit: 0, missing: 'impute' });
    expect(summary).toMatchObject({ rowsUsed: 6, rowsDropped: 1, rowsDroppedMissingTarget: 1, cellsImputed: 2, missingPolicy: 'impute' });
    const [num, cat] = preprocessing.encoders;
    if (num.kind !== 'numeric' || cat.kind !== 'onehot') throw new Error('encoders');
    expect(num.impute).toBe((1 + 3 + 5 + 6 + 7) / 5);
    expect(cat.impute).toBe('red');
    // The imputed numeric cell is the mean, so it standardizes to 0; the imputed color is red.
    expect(dataset.x[1 * dataset.d + 0]).toBe(0);
    expect(Array.from(dataset.x.subarray(2 * dataset.d + 1, 3 * dataset.d))).toEqual([0, 1]); // color=blue, color=red
  });

  it('infers the task (≤ 20 distinct integers: classification) and lets the caller override it', () => {
    const rows = [['x', 'y'], ...Array.from({ length: 40 }, (_, i) => [String(i * 0.25), String(i % 4)])];
    expect(build(rows).dataset.task).toBe('classification');
    const reg = build(rows, { task: 'regression' });
    expect(reg.dataset.task).toBe('regression');
    expect(reg.dataset.y).toBeInstanceOf(Float64Array);
    expect(reg.preprocessing.target).toMatchObject({ task: 'regression', taskFrom: 'option' });
    const cont = [['x', 'y'], ...Array.from({ length: 40 }, (_, i) => [String((i * 7) % 11), String(i * 1.5)])];
    expect(build(cont).dataset.task).toBe('regression');
    // Non-integer values read as classes when asked (each of the 4 values in 2 rows).
    const fewValues = [['x', 'y'], ...Array.from({ length: 8 }, (_, i) => [String(i), String((i % 4) * 1.5)])];
    expect(build(fewValues).dataset.task).toBe('regression');
    const cls = build(fewValues, { task: 'classification' });
    expect(cls.dataset.classes).toEqual(['0', '1.5', '3', '4.5']);
    expect(cls.preprocessing.target.taskFrom).toBe('option');
  });

  it('groups a numeric class target by number (1 and 1.0 are one class), sorted numerically', () => {
    const rows = [['x', 'y'], ['1', '10'], ['2', '2.0'], ['3', '2'], ['4', '10.0'], ['5', '9']];
    const { dataset, preprocessing } = build(rows, { valSplit: 0 });
    expect(dataset.classes).toEqual(['2', '9', '10']);
    expect(Array.from(dataset.y)).toEqual([2, 0, 0, 2, 1]);
    expect(preprocessing.target.classBy).toBe('number');
  });

  it('names the target by name (exact, else case-insensitive), defaulting to the last column', () => {
    const rows = [['Label', 'x', 'y'], ...Array.from({ length: 10 }, (_, i) => [['u', 'v'][i % 2], String((i * 7) % 11), String(i * 0.1)])];
    expect(build(rows).summary.target).toBe('y');
    expect(build(rows, { target: 'Label' }).summary).toMatchObject({ target: 'Label', task: 'classification', featureNames: ['x', 'y'] });
    expect(build(rows, { target: 'label' }).summary.target).toBe('Label');
  });

  it('splits seeded and stratified: same seed same split, classes in proportion', () => {
    const rows = [['x', 'y'], ...Array.from({ length: 100 }, (_, i) => [String(i * 0.1), i < 80 ? 'common' : 'rare'])];
    const a = build(rows, { seed: 3, valSplit: 0.25 });
    const b = build(rows, { seed: 3, valSplit: 0.25 });
    const c = build(rows, { seed: 4, valSplit: 0.25 });
    expect(Array.from(a.dataset.split.validation)).toEqual(Array.from(b.dataset.split.validation));
    expect(Array.from(a.dataset.split.validation)).not.toEqual(Array.from(c.dataset.split.validation));
    const valClasses = Array.from(a.dataset.split.validation, (i) => a.dataset.y[i]);
    expect(valClasses.filter((k) => k === 0).length).toBe(20); // round(80 · 0.25)
    expect(valClasses.filter((k) => k === 1).length).toBe(5); // round(20 · 0.25)
    expect(a.summary).toMatchObject({ trainRows: 75, validationRows: 25, seed: 3 });
    expect(a.preprocessing.split).toEqual({ seed: 3, valSplit: 0.25, stratified: true, train: 75, validation: 25 });
  });

  it('has JSON-serializable preprocessing and summary records', () => {
    const { preprocessing, summary } = build(smallTable());
    expect(JSON.parse(JSON.stringify(preprocessing))).toEqual(preprocessing);
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary);
  });

  it('selectRows gathers a split into its own matrices', () => {
    const { dataset } = build(smallTable(), { valSplit: 0.2 });
    const val = selectRows(dataset, dataset.split.validation);
    expect(val.n).toBe(dataset.split.validation.length);
    const i = dataset.split.validation[2];
    expect(Array.from(val.x.subarray(2 * val.d, 3 * val.d))).toEqual(Array.from(dataset.x.subarray(i * dataset.d, (i + 1) * dataset.d)));
    expect(val.y[2]).toBe(dataset.y[i]);
  });
});

describe('regression target scaling', () => {
  /** 20 rows: y = 100 + 7·x + a wiggle, so train and validation targets differ in mean and spread. */
  const rows = (): string[][] => [['x', 'y'], ...Array.from({ length: 20 }, (_, i) => [String((i * 7) % 20), String(100 + 7 * ((i * 7) % 20) + ((i * 13) % 5) * 0.5)])];
  const targets = () => rows().slice(1).map((r) => Number(r[1]));
  /** Population mean and std of a list, computed here independently of core/data. */
  const stats = (v: number[]) => {
    const m = mean(v);
    return { mean: m, std: Math.sqrt(mean(v.map((a) => (a - m) ** 2))) };
  };

  it('standardizes the target by default with the mean and std of the training rows only', () => {
    const { dataset, preprocessing, summary } = build(rows(), { valSplit: 0.3, seed: 4 });
    if (dataset.task !== 'regression') throw new Error('regression expected');
    const y = targets();
    const train = stats(Array.from(dataset.split.train, (i) => y[i]));
    const all = stats(y);
    expect(Math.abs(train.mean - all.mean)).toBeGreaterThan(0.5); // the check below can tell them apart
    expect(dataset.targetScaling.method).toBe('standardize');
    expect(dataset.targetScaling.mean).toBeCloseTo(train.mean, 12);
    expect(dataset.targetScaling.std).toBeCloseTo(train.std, 12);
    // t = (y − mean) / std: mean 0 and std 1 on the training rows, and back to y exactly enough.
    const t = Array.from(dataset.split.train, (i) => dataset.y[i]);
    expect(mean(t)).toBeCloseTo(0, 12);
    expect(Math.sqrt(mean(t.map((v) => v * v)))).toBeCloseTo(1, 12);
    for (let i = 0; i < dataset.n; i++) expect(dataset.y[i] * dataset.targetScaling.std + dataset.targetScaling.mean).toBeCloseTo(y[i], 10);
    // Stored with the run's preprocessing and shown in the summary.
    expect(preprocessing.target.scaling).toEqual(dataset.targetScaling);
    expect(summary.targetScaling).toEqual(dataset.targetScaling);
    expect(summary.notes).toEqual([]);
  });

  it('re-applies the recorded scaling to the rows bit for bit', () => {
    const { dataset, preprocessing } = build(rows(), { valSplit: 0.25, seed: 2 });
    const again = applyPreprocessing(JSON.parse(JSON.stringify(preprocessing)), rows().slice(1));
    expect(Array.from(again.y!)).toEqual(Array.from(dataset.y));
    // A record written before target scaling existed has no scaling: the target is read as is.
    const old = JSON.parse(JSON.stringify(preprocessing));
    delete old.target.scaling;
    expect(Array.from(applyPreprocessing(old, rows().slice(1)).y!)).toEqual(targets());
  });

  it("'none' keeps the target exactly as read, with the identity scaling", () => {
    const { dataset, preprocessing, summary } = build(rows(), { valSplit: 0.3, seed: 4, targetScaling: 'none' });
    if (dataset.task !== 'regression') throw new Error('regression expected');
    expect(Array.from(dataset.y)).toEqual(targets());
    expect(dataset.targetScaling).toEqual({ method: 'none', mean: 0, std: 1 });
    expect(preprocessing.target.scaling).toEqual({ method: 'none', mean: 0, std: 1 });
    expect(summary.targetScaling).toEqual({ method: 'none', mean: 0, std: 1 });
  });

  it('a target constant on the training rows is centered, not divided by 0, and a note says so', () => {
    const split = randomSplit(12, 0.25, 1);
    const y = Array.from({ length: 12 }, () => '5');
    for (const i of split.validation) y[i] = '9';
    const { dataset, summary } = build([['x', 'y'], ...y.map((v, i) => [String(i * 0.5), v])], { valSplit: 0.25, seed: 1, task: 'regression' });
    if (dataset.task !== 'regression') throw new Error('regression expected');
    expect(dataset.targetScaling).toEqual({ method: 'standardize', mean: 5, std: 1 });
    expect(Array.from(dataset.split.train, (i) => dataset.y[i]).every((v) => v === 0)).toBe(true);
    expect(Array.from(dataset.split.validation, (i) => dataset.y[i]).every((v) => v === 4)).toBe(true);
    expect(summary.notes).toEqual(['the target y is constant (5) on the 9 training rows: it is centered, not divided by its standard deviation (0)']);
  });

  it('does not apply to classification, and refuses an unknown method', () => {
    const { preprocessing, summary } = build(smallTable(), { targetScaling: 'standardize' });
    expect(summary.targetScaling).toBeNull();
    expect(preprocessing.target.scaling).toBeUndefined();
    // @ts-expect-error: a method that does not exist, as a caller without types could pass it
    const err = loadError(() => build(rows(), { targetScaling: 'log' }));
    expect([err.code, err.message]).toEqual(['bad-option', 'expected targetScaling "standardize" or "none", found log']);
  });
});

describe('buildDataset errors', () => {
  it('a header with no rows', () => {
    const err = loadError(() => build([['a', 'b']]));
    expect([err.code, err.message]).toEqual(['no-rows', 'the file has a header but no data rows']);
  });

  it('an unknown target column lists the columns that exist', () => {
    const err = loadError(() => build(smallTable(), { target: 'species' }));
    expect(err.code).toBe('unknown-target');
    expect(err.message).toBe('unknown target column "species"; the columns are: size, color, kind');
  });

  it('no usable feature, with the reasons of the excluded columns', () => {
    const rows = [['id', 'k', 'y'], ...Array.from({ length: 12 }, (_, i) => [String(i), '1', String(i % 2)])];
    const err = loadError(() => build(rows));
    expect(err.code).toBe('no-feature');
    expect(err.message).toBe('no usable feature: every column other than the target "y" is excluded; id (ID-like: a row number (0, 1, …, 11)), k (constant: every value is 1)');
    expect(loadError(() => build([['y'], ['1'], ['2']])).message).toBe('no usable feature: the file has a single column (y)');
  });

  it('a target with a single class', () => {
    const err = loadError(() => build([['x', 'y'], ['1', 'spam'], ['2', 'spam'], ['3', 'NA']]));
    expect(err.code).toBe('single-class');
    expect(err.message).toBe('the target column "y" has a single class ("spam") in the 2 rows used; classification needs at least 2 classes');
    expect(err.columnName).toBe('y');
  });

  it('a constant regression target', () => {
    const err = loadError(() => build([['x', 'y'], ['1', '2.5'], ['2', '2.5']], { task: 'regression' }));
    expect(err.code).toBe('constant-target');
  });

  it('a non-numeric value in a numeric feature names line, column and value', () => {
    const rows = [['a', 'b', 'y'], ...Array.from({ length: 20 }, (_, i) => [String(i * 0.5), i === 12 ? 'abc' : (i * 1.25).toFixed(2), String(i % 2)])];
    const err = loadError(() => build(rows));
    expect(err.code).toBe('not-a-number');
    expect(err.message).toBe('line 14, column 2 (b): expected a number, found "abc"; the column holds numbers in 19 of 20 rows; write missing values as empty, NA, N/A, NaN, null, ? or -');
    expect([err.line, err.column, err.columnName, err.field, err.expected, err.found]).toEqual([14, 2, 'b', 'abc', 'a number', '"abc"']);
  });

  it('a non-numeric value matters only where the column is used', () => {
    const rows = [['a', 'b', 'y'], ...Array.from({ length: 20 }, (_, i) => [String(i * 0.5), i === 12 ? 'abc' : i < 15 ? '' : String(i * 1.5), String(i % 2)])];
    expect(build(rows).summary.excluded.map((e) => e.column)).toEqual(['b']); // mostly missing: excluded, so "abc" does not matter
  });

  it('a regression target with text in it', () => {
    const rows = [['x', 'y'], ['1', '1.5'], ['2', 'high'], ['3', '2.5']];
    const err = loadError(() => build(rows, { task: 'regression' }));
    expect(err.message).toBe('line 3, column 2 (y): expected a number (the target of a regression), found "high"; the column holds numbers in 2 of 3 rows; write missing values as empty, NA, N/A, NaN, null, ? or -');
  });

  it('no rows left after dropping, suggesting imputation', () => {
    const rows = [['x', 'z', 'y'], ['1', 'NA', 'a'], ['NA', '2', 'b'], ['3', '', 'a'], ['4', '5', '']];
    const err = loadError(() => build(rows, { maxMissingFraction: 0.9 }));
    expect(err.code).toBe('no-rows-left');
    expect(err.message).toContain('the impute missing-value policy');
    expect(build(rows, { maxMissingFraction: 0.9, missing: 'impute' }).summary.rowsUsed).toBe(3);
  });

  it('refuses classification where most classes would have a single row, naming the column and the way out', () => {
    // 100 rows, 100 distinct continuous values: as classes, every one has a single row.
    const continuous = [['x', 'y'], ...Array.from({ length: 100 }, (_, i) => [String(i % 7), String(Math.sqrt(i + 0.5))])];
    const err = loadError(() => build(continuous, { task: 'classification' }));
    expect([err.code, err.column, err.columnName]).toEqual(['too-many-classes', 2, 'y']);
    expect(err.message).toBe(
      'the target column "y" has 100 distinct values in 100 rows used: as classes, 100 of them would have a single row ' +
        '(classification needs most classes to have 2 rows or more); if it is a quantity, choose the regression task (--task regression)',
    );
    expect(build(continuous, { task: 'regression' }).dataset.task).toBe('regression');
    // Text labels: an ID-like column, so the advice is another target. 3 of 4 classes single: refused.
    const ids = [['x', 'name'], ['1', 'ann'], ['2', 'bob'], ['3', 'cy'], ['4', 'dee'], ['5', 'dee']];
    expect(loadError(() => build(ids, { valSplit: 0 })).message).toMatch(/3 of them would have a single row .*; a column with a different value in most rows is an ID or free text; choose another target column \(--target\)$/);
    // At the limit: half of the classes single (2 of 4) is still taken.
    const half = [['x', 'y'], ['1', 'a'], ['2', 'a'], ['3', 'b'], ['4', 'b'], ['5', 'c'], ['6', 'd']];
    expect(build(half, { valSplit: 0 }).dataset.classes).toEqual(['a', 'b', 'c', 'd']);
  });

  it('options out of range', () => {
    expect(loadError(() => build(smallTable(), { valSplit: 1 })).message).toBe('expected valSplit in [0, 1), found 1');
    expect(loadError(() => build(smallTable(), { seed: 1.5 })).code).toBe('bad-option');
    expect(loadError(() => build(smallTable(), { maxCategories: 0 })).code).toBe('bad-option');
  });
});

describe('applyPreprocessing', () => {
  it('re-applies the record to the same rows bit for bit', () => {
    const rows = smallTable();
    rows[4][0] = 'NA';
    rows[7][1] = '?';
    for (const missing of ['drop', 'impute'] as const) {
      const { dataset, preprocessing } = build(rows, { missing, valSplit: 0.25, seed: 9 });
      const record = JSON.parse(JSON.stringify(preprocessing));
      const again = applyPreprocessing(record, rows.slice(1));
      expect(again.n).toBe(dataset.n);
      expect(again.x).toEqual(dataset.x);
      expect(Array.from(again.y!)).toEqual(Array.from(dataset.y));
      expect(again.rowsDropped).toBe(preprocessing.missing.rowsDropped);
      expect(again.cellsImputed).toBe(preprocessing.missing.cellsImputed);
      expect(Array.from(again.kept, (i) => i + 2)).toEqual(Array.from(dataset.sourceLines));
    }
  });

  it('encodes new rows: an unseen level goes to <other> when there is one, else to no column', () => {
    const colors = ['red', 'red', 'red', 'blue', 'blue', 'green', 'black', 'white', 'red', 'blue', 'red', 'green'];
    const capped = build([['color', 'y'], ...colors.map((c, i) => [c, String(i % 2)])], { maxCategories: 2, valSplit: 0 });
    const a = applyPreprocessing(capped.preprocessing, [['purple', '1']]);
    expect(Array.from(a.x)).toEqual([0, 0, 1]); // color=blue, color=red, color=<other>
    const open = build([['color', 'y'], ...colors.map((c, i) => [c, String(i % 2)])], { valSplit: 0 });
    const b = applyPreprocessing(open.preprocessing, [['purple', '1']]);
    expect(Array.from(b.x).every((v) => v === 0)).toBe(true);
  });

  it('reports values it cannot place with their line and column', () => {
    const { preprocessing } = build(smallTable());
    const bad = (row: string[]) => loadError(() => applyPreprocessing(preprocessing, [row], { lines: [42] }));
    expect(bad(['big', 'red', 'a']).message).toBe('line 42, column 1 (size): expected a number, found "big"');
    expect(bad(['1', 'red', 'z'])).toMatchObject({ code: 'unknown-class', line: 42, column: 3 });
    // a short row: located at its first missing field, named by the header; a long one: at its first extra field
    expect(bad(['1', 'red'])).toMatchObject({ code: 'ragged', column: 3, columnName: 'kind', message: 'line 42, column 3 (kind): expected 3 fields, found 2' });
    expect(bad(['1'])).toMatchObject({ code: 'ragged', column: 2, message: 'line 42, column 2 (color): expected 3 fields, found 1' });
    expect(bad(['1', 'red', 'a', 'extra', 'more'])).toMatchObject({ code: 'ragged', column: 4, field: 'extra', message: 'line 42, column 4: expected 3 fields, found 5' });
  });

  it('encodes features without a target when asked', () => {
    const { preprocessing } = build(smallTable());
    const r = applyPreprocessing(preprocessing, [['10', 'red', '']], { withTarget: false });
    expect(r.y).toBeNull();
    expect(r.n).toBe(1);
  });
});
