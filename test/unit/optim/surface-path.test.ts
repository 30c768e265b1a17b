// surfacePath: the one function behind `precond path` and the playground.
import { describe, expect, it } from 'vitest';
import { surfacePath } from '../../../src-main/core/optim/path.ts';
import { runPath } from '../../../src-main/core/optim/replay.ts';
import { ConfigError } from '../../../src-main/core/optim/errors.ts';
import { divergenceBox, SURFACES } from '../../../src-main/core/surfaces/index.ts';

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

  it('with escapeBox, stops once an iterate leaves the box', () => {
    const escapeBox = divergenceBox(SURFACES.valley);
    expect(escapeBox).toEqual({ x: [-25, 25], y: [-12.5, 12.5] });
    const p = surfacePath({ surface: 'valley', optimizer: { name: 'sgd', hyperparams: { lr: 0.03 } }, start: [0, 1], steps: 1000, escapeBox });
    // y_k = (1 − 100·0.03)^k = (−2)^k: the first |y_k| > 12.5 is y_4 = 16.
    expect(p.divergedAt).toBe(4);
    expect(p.points).toEqual([[0, -2], [0, 4], [0, -8], [0, 16]]);
    const calm = surfacePath({ surface: 'valley', optimizer: { name: 'sgd', hyperparams: { lr: 0.01 } }, start: [0, 1], steps: 50, escapeBox });
    expect(calm.divergedAt).toBeNull();
    expect(calm.points).toHaveLength(50);
  });

  it('names a bad optimizer field', () => {
    expect(() => surfacePath({ surface: 'valley', optimizer: { name: 'sgd', hyperparams: { lr: -1 } }, steps: 3 })).toThrow(ConfigError);
  });
});
