import { describe, expect, it } from 'vitest';
import { curvature, sgdStepLimits, SURFACE_NAMES, SURFACES } from '../../../src-main/core/surfaces/index.ts';

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
  it('has an analytic Hessian that matches central differences of the gradient', () => {
    const points = [s.start, [0.3, -0.7], [1.2, 0.4], [-1.1, 1.3], [2.5, -1.5]] as const;
    for (const [x, y] of points) {
      const h = 1e-6;
      const [hxx, hxy, hyy] = s.hessian(x, y);
      const [gxPlusX, gyPlusX] = s.grad(x + h, y);
      const [gxMinusX, gyMinusX] = s.grad(x - h, y);
      const [gxPlusY, gyPlusY] = s.grad(x, y + h);
      const [gxMinusY, gyMinusY] = s.grad(x, y - h);
      const close = (analytic: number, numeric: number) => expect(Math.abs(analytic - numeric)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(analytic)));
      close(hxx, (gxPlusX - gxMinusX) / (2 * h));
      close(hyy, (gyPlusY - gyMinusY) / (2 * h));
      // The mixed derivative both ways: ∂(∂f/∂x)/∂y = ∂(∂f/∂y)/∂x.
      close(hxy, (gxPlusY - gxMinusY) / (2 * h));
      close(hxy, (gyPlusX - gyMinusX) / (2 * h));
    }
  });
  it('is curved upwards at its minima (both Hessian eigenvalues > 0)', () => {
    for (const [x, y] of s.minima) expect(curvature(s, x, y)[0]).toBeGreaterThan(0);
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

describe('curvature', () => {
  it('gives the valley condition number 100 and SGD its 2/L limit', () => {
    const [mu, L] = curvature(SURFACES.valley, 0, 0);
    expect([mu, L]).toEqual([1, 100]);
    expect(sgdStepLimits(mu, L)).toEqual({ divergesAbove: 0.02, best: 2 / 101, bestRate: 99 / 101 });
  });
  it('orders the eigenvalues of a non-diagonal Hessian: Rosenbrock at (1, 1), the saddle', () => {
    // [[802, −400], [−400, 200]]: trace 1002, determinant 400, λ = 501 ∓ √(501² − 400).
    const [lo, hi] = curvature(SURFACES.rosenbrock, 1, 1);
    expect(lo).toBeCloseTo(501 - Math.sqrt(501 ** 2 - 400), 10);
    expect(hi).toBeCloseTo(501 + Math.sqrt(501 ** 2 - 400), 10);
    expect(lo * hi).toBeCloseTo(400, 8);
    expect(curvature(SURFACES.saddle, 0, 0)).toEqual([-2, 2]);
  });
});
