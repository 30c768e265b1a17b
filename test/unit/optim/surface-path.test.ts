// surfacePath: the one function behind `precond path` and the playground.
import { describe, expect, it } from 'vitest';
import { surfacePath } from '../../../src-main/core/optim/path.ts';
import { runPath } from '../../../src-main/core/optim/replay.ts';
import { ConfigError } from '../../../src-main/core/optim/errors.ts';
import { SURFACES } from '../../../src-main/core/surfaces/index.ts';

describe('surfacePath', () => {
  it('returns the iterates of runPath with their loss and effective step sizes', () => {
    const config = { name: 'adam', hyperparams: { lr: 0.05 } };
    const p = surfacePath({ surface: 'valley', optimizer: config, steps: 40 });
    const ref = runPath('valley', config, SURFACES.valley.start, 40);
    expect(p.start).toEqual([2, 1]);
    expect(p.startLoss).toBe(52);
    expect(p.points).toEqual(ref.map((r) => r.params));
    expect(p.effectiveLr).toEqual(ref.map((r) => r.effectiveLr));
    expect(p.loss).toEqual(p.points.map(([x, y]) => SURFACES.valley.f(x, y)));
    expect(p.optimizer).toMatchObject({ name: 'adam', preset: 'torch', hyperparams: { lr: 0.05 } });
    expect(p.divergedAt).toBeNull();
  });

  it('stops at the first non-finite iterate by default', () => {
    // SGD on the valley: y ← (1 − 100·lr)·y, so lr = 1 multiplies y by −99 per step and overflows.
    const p = surfacePath({ surface: 'valley', optimizer: { name: 'sgd', hyperparams: { lr: 1 } }, start: [1, 1], steps: 1000 });
    expect(p.divergedAt).toBe(p.points.length);
    expect(p.points.length).toBeLessThan(1000);
    expect(Number.isFinite(p.points.at(-1)![1])).toBe(false);
    expect(p.points.slice(0, -1).every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))).toBe(true);
  });

  it('with divergenceFactor, stops once the loss exceeds that many times the start loss', () => {
    const p = surfacePath({ surface: 'valley', optimizer: { name: 'sgd', hyperparams: { lr: 0.03 } }, start: [0, 1], steps: 1000, divergenceFactor: 1e4 });
    // y_k = (1 − 3)^k = (−2)^k, f = 50·4^k: the first k with 50·4^k > 50·1e4 is k = 7 (4^7 = 16384).
    expect(p.divergedAt).toBe(7);
    expect(p.points).toHaveLength(7);
    expect(p.points.at(-1)).toEqual([0, -128]);
    const calm = surfacePath({ surface: 'valley', optimizer: { name: 'sgd', hyperparams: { lr: 0.01 } }, start: [0, 1], steps: 50, divergenceFactor: 1e4 });
    expect(calm.divergedAt).toBeNull();
    expect(calm.points).toHaveLength(50);
  });

  it('names a bad optimizer field', () => {
    expect(() => surfacePath({ surface: 'valley', optimizer: { name: 'sgd', hyperparams: { lr: -1 } }, steps: 3 })).toThrow(ConfigError);
  });
});
