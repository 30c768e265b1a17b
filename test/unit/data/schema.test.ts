import { describe, expect, it } from 'vitest';
import { inferSchema, inferTask } from '../../../src-main/core/data/schema.ts';
import { tableFromRows } from '../../../src-main/core/data/table.ts';

/** A table of `n` rows from column generators. */
function table(columns: Record<string, (i: number) => string>, n: number) {
  const names = Object.keys(columns);
  return tableFromRows([names, ...Array.from({ length: n }, (_, i) => names.map((c) => columns[c](i)))]);
}

const kinds = (t: ReturnType<typeof table>) => Object.fromEntries(inferSchema(t).map((s) => [s.name, s.kind]));

describe('inferSchema', () => {
  it('tells numeric, categorical, text, ID-like, constant and mostly missing columns apart, with reasons', () => {
    const t = table(
      {
        height: (i) => (1.5 + i * 0.01).toFixed(2),
        color: (i) => ['red', 'green', 'blue'][i % 3],
        comment: (i) => `free text number ${i % 25}`,
        customer_id: (i) => String(1000 + ((i * 7919) % 40)),
        code: (i) => `C-${i}`,
        row: (i) => String(i + 1),
        unit: () => 'kg',
        zero: () => '0',
        sparse: (i) => (i % 4 === 0 ? String(i) : 'NA'),
        empty: () => '',
      },
      40,
    );
    const schema = inferSchema(t);
    expect(kinds(t)).toEqual({
      height: 'numeric',
      color: 'categorical',
      comment: 'text',
      customer_id: 'id',
      code: 'id',
      row: 'id',
      unit: 'constant',
      zero: 'constant',
      sparse: 'missing',
      empty: 'missing',
    });
    const reason = (name: string) => schema.find((s) => s.name === name)!.reason;
    expect(reason('height')).toBeUndefined();
    expect(reason('comment')).toMatch(/^text: \d+ distinct values in 40 rows$/);
    expect(reason('code')).toBe('ID-like: every value is different (40 values)');
    expect(reason('row')).toBe('ID-like: a row number (1, 2, …, 40)');
    expect(reason('customer_id')).toBe('ID-like: named like an ID and every value is different');
    expect(reason('unit')).toBe('constant: every value is "kg"');
    expect(reason('zero')).toBe('constant: every value is 0');
    expect(reason('sparse')).toBe('mostly missing: 30 of 40 values (75%)');
    expect(reason('empty')).toBe('empty: no values');
  });

  it('counts a column constant apart from missing values as constant', () => {
    const t = table({ c: (i) => (i % 3 ? '5' : ''), y: (i) => String(i) }, 12);
    expect(inferSchema(t)[0]).toMatchObject({ kind: 'constant', missing: 4, present: 8 });
  });

  it('flags a mostly numeric column with a stray string, with the first stray value and line', () => {
    const t = table({ weight: (i) => (i === 7 ? 'heavy' : (60 + i * 0.5).toFixed(1)) }, 30);
    const [s] = inferSchema(t);
    expect(s.kind).toBe('numeric');
    expect(s.invalid).toEqual({ count: 1, first: { line: 9, value: 'heavy' } });
  });

  it('keeps integer codes mixed with a few labels categorical (sizes 36, 38, 40 and S, M)', () => {
    const t = table({ size: (i) => ['36', '38', '40', '42', '36', '38', '40', '42', 'S', '36'][i % 10] }, 40);
    expect(inferSchema(t)[0].kind).toBe('categorical');
  });

  it('makes many levels categorical (capped later) when they repeat, and text when they mostly do not', () => {
    const repeated = table({ city: (i) => `city${i % 25}` }, 200);
    expect(inferSchema(repeated)[0].kind).toBe('categorical');
    const unique = table({ city: (i) => `city${i % 150}` }, 200);
    expect(inferSchema(unique)[0].kind).toBe('text');
  });

  it('calls a string column with more distinct values than it tracks text', () => {
    const t = table({ s: (i) => `value ${i}` }, 1200);
    const [s] = inferSchema(t);
    expect(s).toMatchObject({ kind: 'text', distinct: null, reason: 'text or ID-like: more than 1000 distinct values' });
  });

  it('honours maxMissingFraction', () => {
    const t = table({ x: (i) => (i % 10 < 4 ? '' : String(i * 1.5)) }, 20);
    expect(inferSchema(t)[0].kind).toBe('numeric');
    expect(inferSchema(t, { maxMissingFraction: 0.3 })[0].kind).toBe('missing');
  });
});

describe('inferTask', () => {
  const taskOf = (values: (i: number) => string, n: number) => {
    const t = table({ y: values }, n);
    return inferTask(t.columns[0], inferSchema(t)[0]);
  };

  it('is classification for non-numeric values', () => {
    expect(taskOf((i) => ['cat', 'dog'][i % 2], 10)).toEqual({ task: 'classification', reason: 'non-numeric values' });
  });

  it('is classification for at most 20 distinct integers, regression from 21', () => {
    expect(taskOf((i) => String(i % 20), 100)).toEqual({ task: 'classification', reason: '20 distinct integer values (≤ 20)' });
    expect(taskOf((i) => String(i % 21), 100)).toEqual({ task: 'regression', reason: 'numeric with more than 20 distinct integer values' });
    expect(taskOf((i) => `${i % 2}.0`, 10)?.task).toBe('classification'); // 0.0 and 1.0 are integers
  });

  it('is regression for non-integer numbers, even with few distinct values', () => {
    expect(taskOf((i) => ['0.5', '1.5'][i % 2], 10)).toEqual({ task: 'regression', reason: 'numeric with non-integer values' });
  });

  it('has no answer for a target without values or a numeric target with a stray string', () => {
    expect(taskOf(() => 'NA', 5)).toBeNull();
    expect(taskOf((i) => (i === 3 ? 'oops' : String(i * 0.37)), 30)).toBeNull();
  });
});
