import { describe, expect, it } from 'vitest';
import { SURFACE_NAMES, SURFACES } from '../../../src-main/core/surfaces/index.ts';

describe.each(SURFACE_NAMES)('surface %s', (name) => {
  const s = SURFACES[name];
  it('has an analytic gradient that matches central differences', () => {
    const points = [s.start, [0.3, -0.7], [1.2, 0.4], [-1.1, 1.3]] as const;
    for (const [x, y] of points) {
      const h = 1e-6;
      const [gx, gy] = s.grad(x, y);
      const nx = (s.f(x + h, y) - s.f(x - h, y)) / (2 * h);
      const ny = (s.f(x, y + h) - s.f(x, y - h)) / (2 * h);
      expect(Math.abs(gx - nx)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(gx)));
      expect(Math.abs(gy - ny)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(gy)));
    }
  });
  it('has a zero gradient at its minima, inside its domain', () => {
    for (const [x, y] of s.minima) {
      const [gx, gy] = s.grad(x, y);
      expect(Math.hypot(gx, gy)).toBeLessThan(1e-4);
      expect(x).toBeGreaterThanOrEqual(s.domain.x[0]);
      expect(y).toBeLessThanOrEqual(s.domain.y[1]);
    }
  });
});

describe('known values', () => {
  it('valley and rosenbrock', () => {
    expect(SURFACES.valley.f(2, 1)).toBe(52);
    expect(SURFACES.valley.grad(2, 1)).toEqual([2, 100]);
    expect(SURFACES.rosenbrock.f(1, 1)).toBe(0);
    expect(SURFACES.rosenbrock.f(-1.5, 2)).toBeCloseTo(12.5, 12);
    expect(SURFACES.beale.f(3, 0.5)).toBe(0);
    expect(SURFACES.himmelblau.f(3, 2)).toBe(0);
    expect(SURFACES.saddle.grad(0, 0)).toEqual([0, -0]);
  });
});
