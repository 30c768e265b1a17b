import { describe, expect, it } from 'vitest';
import { DataLoadError } from '../../../src-main/core/data/errors.ts';
import { DISTINCT_LIMIT, MISSING_CODE, normalizeHeader, TableBuilder, tableFromRows } from '../../../src-main/core/data/table.ts';
import { isMissing, MISSING_MARKERS, parseNumber } from '../../../src-main/core/data/values.ts';

describe('parseNumber', () => {
  it('reads decimal numbers with sign, fraction and exponent', () => {
    const cases: [string, number][] = [
      ['1e-3', 0.001],
      ['-.5', -0.5],
      ['+3', 3],
      ['1.', 1],
      ['.25', 0.25],
      ['2.5E+2', 250],
      ['-0', -0],
      ['007', 7],
      ['123456789.125', 123456789.125],
    ];
    for (const [s, v] of cases) expect(parseNumber(s), s).toBe(v);
  });

  it('rejects what is not a finite decimal number', () => {
    for (const s of ['abc', '0x10', '0b11', 'Infinity', '-Infinity', '1e999', '1,5', '1.2.3', '--1', '+', '.', 'e3', '1 000', '1_000', '12abc']) {
      expect(parseNumber(s), s).toBeNaN();
    }
  });

  it('reads decimal commas when told to, and then not decimal points', () => {
    expect(parseNumber('1,5', ',')).toBe(1.5);
    expect(parseNumber('-0,25', ',')).toBe(-0.25);
    expect(parseNumber(',5', ',')).toBe(0.5);
    expect(parseNumber('1,5e3', ',')).toBe(1500);
    expect(parseNumber('42', ',')).toBe(42);
    expect(parseNumber('1.5', ',')).toBeNaN();
  });
});

describe('isMissing', () => {
  it('recognizes every marker of the issue, in any case', () => {
    expect(MISSING_MARKERS).toEqual(['', 'NA', 'N/A', 'NaN', 'null', '?', '-']);
    for (const m of ['', 'NA', 'na', 'N/A', 'n/a', 'NaN', 'nan', 'NAN', 'null', 'NULL', 'Null', '?', '-']) expect(isMissing(m), m).toBe(true);
    for (const v of ['0', 'none', 'N', 'A', '--', 'nil', '-1', 'nana']) expect(isMissing(v), v).toBe(false);
  });
});

describe('normalizeHeader', () => {
  it('trims, names empty columns by position and makes repeated names unique', () => {
    expect(normalizeHeader([' a ', '', 'b', 'a', 'a', 'a_2'])).toEqual(['a', 'column_2', 'b', 'a_2', 'a_3', 'a_2_2']);
  });
});

describe('TableBuilder', () => {
  it('stores numbers, missing cells and level codes column by column', () => {
    const t = tableFromRows([
      ['x', 'color'],
      ['1.5', 'red'],
      ['NA', ' blue '],
      ['-2', 'red'],
      ['', ''],
    ]);
    expect(t.rows).toBe(4);
    expect(Array.from(t.lines)).toEqual([2, 3, 4, 5]);
    const [x, color] = t.columns;
    expect(Array.from(x.values)).toEqual([1.5, NaN, -2, NaN]);
    expect(x.missing).toBe(2);
    expect(x.numeric).toBe(2);
    expect([x.min, x.max, x.integer]).toEqual([-2, 1.5, false]);
    expect(color.levels).toEqual(['red', 'blue']);
    expect(Array.from(color.codes!)).toEqual([0, 1, 0, MISSING_CODE]);
    expect(color.levelCounts).toEqual([2, 1]);
    expect(color.nonNumeric).toBe(3);
    expect(color.firstNonNumeric).toEqual({ line: 2, value: 'red' });
  });

  it('rejects a row with a different number of fields, naming its line', () => {
    const b = new TableBuilder(['a', 'b', 'c', 'd', 'e']);
    b.addRow(['1', '2', '3', '4', '5'], 2);
    const err = (() => {
      try {
        b.addRow(['1', '2', '3', '4', '5', '6'], 59);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(DataLoadError);
    expect((err as DataLoadError).message).toBe('line 59, column 6: expected 5 fields, found 6');
    expect((err as DataLoadError).withFile('/data/iris_bad.csv').message).toBe('iris_bad.csv line 59, column 6: expected 5 fields, found 6');
    expect((err as DataLoadError).code).toBe('ragged');
    expect((err as DataLoadError).field).toBe('6');
    expect(() => b.addRow(['1', '2', '3'], 60)).toThrow('line 60, column 4 (d): expected 5 fields, found 3');
  });

  it('stops tracking distinct values past the limit (a text or numeric column), keeping the numbers', () => {
    const b = new TableBuilder(['v', 's'], { distinctLimit: 5 });
    for (let i = 0; i < 8; i++) b.addRow([String(i), `s${i % 3}`], i + 2);
    const t = b.finish();
    expect(t.columns[0].codes).toBeNull();
    expect(Array.from(t.columns[0].values)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(t.columns[1].codes).not.toBeNull();
    expect(t.columns[1].levels).toEqual(['s0', 's1', 's2']);
    expect(DISTINCT_LIMIT).toBe(1000);
  });

  it('grows past its initial capacity without losing rows', () => {
    const b = new TableBuilder(['i']);
    for (let i = 0; i < 5000; i++) b.addRow([String(i)], i + 2);
    const t = b.finish();
    expect(t.rows).toBe(5000);
    expect(t.columns[0].values.length).toBe(5000);
    expect(t.columns[0].values[4999]).toBe(4999);
    expect(t.lines[4999]).toBe(5001);
  });
});
