import { describe, expect, it } from 'vitest';
import { randomSplit, stratifiedSplit } from '../../../src-main/core/data/split.ts';

const sorted = (a: Int32Array) => Array.from(a).sort((x, y) => x - y);

describe('randomSplit', () => {
  it('partitions 0..n-1 into round(n · valSplit) validation rows and the rest, seeded', () => {
    const s = randomSplit(50, 0.2, 1);
    expect(s.validation.length).toBe(10);
    expect(sorted(Int32Array.from([...s.train, ...s.validation]))).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(randomSplit(50, 0.2, 1).train)).toEqual(Array.from(s.train));
    expect(Array.from(randomSplit(50, 0.2, 2).train)).not.toEqual(Array.from(s.train));
  });

  it('keeps every row for training with valSplit 0, and at least one row in training always', () => {
    expect(randomSplit(7, 0, 0).validation.length).toBe(0);
    expect(randomSplit(1, 0.9, 0).train.length).toBe(1);
  });
});

describe('stratifiedSplit', () => {
  it('takes round(count · valSplit) of every class, interleaved, and covers every row once', () => {
    const classOf = Int32Array.from({ length: 103 }, (_, i) => (i < 60 ? 0 : i < 100 ? 1 : 2));
    const s = stratifiedSplit(classOf, 3, 0.25, 7);
    const count = (rows: Int32Array, k: number) => Array.from(rows).filter((i) => classOf[i] === k).length;
    expect([count(s.validation, 0), count(s.validation, 1), count(s.validation, 2)]).toEqual([15, 10, 1]);
    expect(sorted(Int32Array.from([...s.train, ...s.validation]))).toEqual(Array.from({ length: 103 }, (_, i) => i));
    // Shuffled, not grouped by class: the first 20 training rows are not all class 0.
    expect(new Set(Array.from(s.train.subarray(0, 20), (i) => classOf[i])).size).toBeGreaterThan(1);
  });

  it('leaves a class with a single row in training', () => {
    const s = stratifiedSplit(Int32Array.from([0, 0, 0, 0, 1]), 2, 0.5, 0);
    expect(Array.from(s.train)).toContain(4);
  });
});
