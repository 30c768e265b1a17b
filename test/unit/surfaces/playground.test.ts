// The playground's presets do what they claim: every path computed as the playground computes it
// (playgroundPath → surfacePath) ends the way its preset expects, and the claims behind the
// learning rates (2/L, 2/(L + μ)) hold on the valley's own iteration.
import { describe, expect, it } from 'vitest';
import { surfacePath } from '../../../src-main/core/optim/path.ts';
import { curvature, sgdStepLimits, SURFACES } from '../../../src-main/core/surfaces/index.ts';
import {
  distanceToMinimum,
  findPreset,
  meetsExpectation,
  pathOutcome,
  PLAYGROUND_PRESETS,
  playgroundPath,
  type PlaygroundPreset,
} from '../../../src-main/core/surfaces/playground.ts';

function preset(id: string): PlaygroundPreset {
  const p = findPreset(id);
  if (!p) throw new Error(`no preset ${id}`);
  return p;
}

const [mu, L] = curvature(SURFACES.valley, 0, 0);
const limits = sgdStepLimits(mu, L);

describe.each(PLAYGROUND_PRESETS.map((p) => [p.id, p] as const))('preset %s', (_id, p) => {
  it.each(p.runs.map((r) => [`${r.optimizer} lr=${r.lr}`, r] as const))('%s ends as expected', (_label, run) => {
    const path = playgroundPath(p.surface, run, p.start, p.steps);
    const outcome = pathOutcome(path, p.tolerance);
    expect(run.expect).toBeDefined();
    expect(meetsExpectation(outcome, run.expect!), `${run.expect}, got ${JSON.stringify(outcome)}`).toBe(true);
  });
  it('starts inside the plotted window, with three paths', () => {
    const d = SURFACES[p.surface].domain;
    expect(p.start[0]).toBeGreaterThan(d.x[0]);
    expect(p.start[0]).toBeLessThan(d.x[1]);
    expect(p.start[1]).toBeGreaterThan(d.y[0]);
    expect(p.start[1]).toBeLessThan(d.y[1]);
    expect(p.runs).toHaveLength(3);
  });
});

describe('SGD: diverge, crawl, converge', () => {
  const p = preset('sgd-three-lrs');
  const [diverging, crawling, converging] = p.runs;

  it('takes its learning rates from the valley curvature: one above 2/L, two below', () => {
    expect([mu, L]).toEqual([1, 100]);
    expect(diverging.lr).toBeGreaterThan(limits.divergesAbove);
    expect(crawling.lr).toBeLessThan(limits.divergesAbove / 10);
    expect(converging.lr).toBeCloseTo(limits.best, 4);
    expect(new Set(p.runs.map((r) => r.optimizer))).toEqual(new Set(['sgd']));
  });

  it('diverges for real: the loss grows geometrically, not just out of the window', () => {
    // Without the run-away rule (as `precond path` runs it): |y| grows by |1 − 100·lr| = 1.1 per step.
    const free = surfacePath({ surface: 'valley', optimizer: { name: 'sgd', hyperparams: { lr: diverging.lr } }, start: p.start, steps: p.steps });
    expect(Math.abs(1 - L * diverging.lr)).toBeGreaterThan(1);
    expect(free.loss.at(-1)!).toBeGreaterThan(1e20 * free.startLoss);
    for (let k = 20; k < free.loss.length; k++) expect(free.loss[k]).toBeGreaterThan(free.loss[k - 1]);
    const shown = playgroundPath('valley', diverging, p.start, p.steps);
    expect(shown.divergedAt).not.toBeNull();
    expect(shown.divergedAt!).toBeLessThan(p.steps);
  });

  it('crawls: still more than 1 from the minimum after all its steps, converges: within the tolerance', () => {
    const slow = playgroundPath('valley', crawling, p.start, p.steps);
    expect(distanceToMinimum('valley', ...slow.points.at(-1)!)!).toBeGreaterThan(1);
    const fast = playgroundPath('valley', converging, p.start, p.steps);
    expect(distanceToMinimum('valley', ...fast.points.at(-1)!)!).toBeLessThan(p.tolerance);
  });
});

describe('Narrow valley: Adam and RMSprop vs SGD', () => {
  const p = preset('valley-adaptive');
  const [sgd, adam, rmsprop] = p.runs;
  const finalDistance = (run: { optimizer: typeof sgd.optimizer; lr: number }) => {
    const path = playgroundPath('valley', run, p.start, p.steps);
    expect(path.divergedAt).toBeNull();
    return distanceToMinimum('valley', ...path.points.at(-1)!)!;
  };

  it('Adam and RMSprop reach the minimum in the steps where SGD at its best stable lr has not', () => {
    expect(sgd.optimizer).toBe('sgd');
    expect(sgd.lr).toBeCloseTo(limits.best, 4);
    expect(adam.optimizer).toBe('adam');
    expect(rmsprop.optimizer).toBe('rmsprop');
    expect(finalDistance(adam)).toBeLessThan(p.tolerance);
    expect(finalDistance(rmsprop)).toBeLessThan(p.tolerance);
    expect(finalDistance(sgd)).toBeGreaterThan(5 * p.tolerance);
  });

  it('no stable SGD learning rate gets there either: x contracts by at most 1 − lr·μ per step', () => {
    for (let k = 1; k <= 40; k++) {
      const lr = (k / 40) * limits.divergesAbove * 0.999;
      expect(finalDistance({ optimizer: 'sgd', lr }), `lr=${lr}`).toBeGreaterThan(p.tolerance);
    }
  });

  it('SGD zig-zags across the valley: y changes sign at every step, as 1 − lr·L < 0', () => {
    const path = playgroundPath('valley', sgd, p.start, p.steps);
    expect(1 - L * sgd.lr).toBeLessThan(0);
    let previous = p.start[1];
    for (const [, y] of path.points) {
      expect(Math.sign(y)).toBe(-Math.sign(previous));
      previous = y;
    }
  });

  it('Adam gives x a larger effective step than y, the direction with 100 times the curvature', () => {
    const path = playgroundPath('valley', adam, p.start, p.steps);
    // Adam: lr/(√v̂ + ε) with v̂ ≈ g², and |g_y| = 100·|y| ≫ |g_x| = |x| early on.
    for (const [ex, ey] of path.effectiveLr.slice(0, 20)) expect(ex).toBeGreaterThan(ey);
    const sgdPath = playgroundPath('valley', sgd, p.start, p.steps);
    for (const [ex, ey] of sgdPath.effectiveLr) expect([ex, ey]).toEqual([sgd.lr, sgd.lr]);
  });
});

describe('pathOutcome', () => {
  const start: [number, number] = [2, 0];
  it('reports divergence first, then the first step from which the path stays within the tolerance', () => {
    expect(pathOutcome({ surface: 'valley', start, points: [[1, 0]], divergedAt: 1 }, 0.1)).toEqual({ kind: 'diverged', atStep: 1 });
    const points: [number, number][] = [[1, 0], [0.05, 0], [0.5, 0], [0.08, 0], [0.01, 0]];
    expect(pathOutcome({ surface: 'valley', start, points, divergedAt: null }, 0.1)).toEqual({ kind: 'converged', distance: 0.01, withinFrom: 4 });
    expect(pathOutcome({ surface: 'valley', start, points: points.slice(0, 3), divergedAt: null }, 0.1)).toEqual({ kind: 'short', distance: 0.5, startDistance: 2 });
  });
  it('has no distance on the saddle (no minimum) and uses the nearest of Himmelblau’s four', () => {
    expect(pathOutcome({ surface: 'saddle', start: [1, 0], points: [[0.5, 0]], divergedAt: null }, 0.1)).toEqual({ kind: 'short', distance: null, startDistance: null });
    expect(distanceToMinimum('himmelblau', -2.8, 3.1)).toBeCloseTo(Math.hypot(0.005118, 0.031312), 6);
  });
  it('crawls only when more than half as far as at the start', () => {
    expect(meetsExpectation({ kind: 'short', distance: 1.1, startDistance: 2 }, 'crawls')).toBe(true);
    expect(meetsExpectation({ kind: 'short', distance: 0.9, startDistance: 2 }, 'crawls')).toBe(false);
    expect(meetsExpectation({ kind: 'short', distance: 0.9, startDistance: 2 }, 'falls-short')).toBe(true);
    expect(meetsExpectation({ kind: 'converged', distance: 0, withinFrom: 3 }, 'falls-short')).toBe(false);
  });
});
