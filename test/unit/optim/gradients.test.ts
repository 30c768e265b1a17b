import { describe, expect, it } from 'vitest';
import { allFinite, clipByGlobalNorm, clipByValue, globalNorm } from '../../../src-main/core/optim/index.ts';

describe('gradient transforms over several buffers', () => {
  it('globalNorm = √(Σ g²) across buffers', () => {
    expect(globalNorm([Float64Array.of(3), Float32Array.of(4, 0)])).toBe(5);
  });
  it('clipByGlobalNorm scales by c/(‖g‖ + eps) only when that is below 1, returns the norm', () => {
    const a = Float64Array.of(3), b = Float64Array.of(4);
    expect(clipByGlobalNorm([a, b], 2.5, 0)).toBe(5);
    expect([a[0], b[0]]).toEqual([1.5, 2]);
    const c = Float64Array.of(3, 4);
    clipByGlobalNorm([c], 5, 0);
    expect(Array.from(c)).toEqual([3, 4]);
    clipByGlobalNorm([c], 5, 1e-6);
    expect(c[0]).toBe(3 * (5 / (5 + 1e-6)));
  });
  it('clipByValue clamps into [−c, c]', () => {
    const a = Float64Array.of(-3, 0.5, 3);
    clipByValue([a], 1);
    expect(Array.from(a)).toEqual([-1, 0.5, 1]);
  });
  it('allFinite spots NaN and ±∞ in any buffer', () => {
    expect(allFinite([Float64Array.of(1, -2), Float32Array.of(1e30)])).toBe(true);
    for (const bad of [NaN, Infinity, -Infinity]) expect(allFinite([Float64Array.of(1), Float32Array.of(0, bad)])).toBe(false);
  });
});
