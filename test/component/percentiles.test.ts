import { describe, expect, test } from 'vitest';
import { log10Percentiles, quantileSorted } from '../../src-renderer/src/charts/percentiles.ts';

describe('percentiles of log10 values', () => {
  test('linear interpolation between order statistics (numpy’s default)', () => {
    // numpy.percentile([1, 2, 3, 4], [0, 25, 50, 90, 100]) = [1, 1.75, 2.5, 3.7, 4]
    const s = [1, 2, 3, 4];
    expect([0, 0.25, 0.5, 0.9, 1].map((p) => quantileSorted(s, p))).toEqual([1, 1.75, 2.5, 3.7, 4]);
    expect(quantileSorted([], 0.5)).toBeNaN();
  });

  test('counts only finite positive values and works on their log10', () => {
    const v = Float32Array.from([1e-3, 1e-2, 1e-1, 1, 0, -5, NaN, Infinity]);
    const r = log10Percentiles(v, [0, 50, 100]);
    expect(r.valid).toBe(4);
    expect(r.total).toBe(8);
    expect(r.q[0]).toBeCloseTo(-3, 6);
    expect(r.q[1]).toBeCloseTo(-1.5, 6);
    expect(r.q[2]).toBeCloseTo(0, 6);
    expect(log10Percentiles(Float32Array.from([0, NaN]), [50]).q[0]).toBeNaN();
  });
});
