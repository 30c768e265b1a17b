import { describe, expect, it } from 'vitest';
import { ReduceLROnPlateau, type PlateauOptions } from '../../../src-main/core/schedules/index.ts';

const DEFAULTS: PlateauOptions = { mode: 'min', factor: 0.1, patience: 2, threshold: 1e-4, threshold_mode: 'rel', cooldown: 0, min_lr: 0, eps: 1e-8 };

/** Feeds the metrics and returns the lr after each. */
function run(options: Partial<PlateauOptions>, metrics: number[], lrs = [1]) {
  const p = new ReduceLROnPlateau({ ...DEFAULTS, ...options }, lrs);
  return metrics.map((m) => {
    p.step(m);
    return +p.lrs[0].toPrecision(12);
  });
}

describe('reduce on plateau', () => {
  it('reduces after more than `patience` epochs without improvement, then counts again', () => {
    expect(run({}, [5, 4, 4, 4, 4, 4, 4, 4])).toEqual([1, 1, 1, 1, 0.1, 0.1, 0.1, 0.01]);
  });

  it('an improvement resets the count', () => {
    expect(run({}, [5, 5, 5, 4, 4, 4, 4])).toEqual([1, 1, 1, 1, 1, 1, 0.1]);
  });

  it('rel threshold: an improvement must beat best·(1 − threshold)', () => {
    // Best 10, threshold 0.1: 9.5 is not below 9.
    expect(run({ threshold: 0.1, patience: 0 }, [10, 9.5, 8.9])).toEqual([1, 0.1, 0.1]);
  });

  it('abs threshold: an improvement must beat best − threshold', () => {
    // Best 10, threshold 0.1: 9.5 is below 9.9; then 9.45 is not below 9.4.
    expect(run({ threshold: 0.1, threshold_mode: 'abs', patience: 0 }, [10, 9.5, 9.45])).toEqual([1, 1, 0.1]);
  });

  it('mode max: higher is better', () => {
    expect(run({ mode: 'max', patience: 0 }, [0.5, 0.6, 0.6])).toEqual([1, 1, 0.1]);
  });

  it('cooldown: no bad epochs are counted right after a reduction', () => {
    expect(run({ patience: 0, cooldown: 2 }, [1, 1, 1, 1, 1, 1])).toEqual([1, 0.1, 0.1, 0.1, 0.01, 0.01]);
  });

  it('never below min_lr, and reductions smaller than eps are skipped', () => {
    expect(run({ patience: 0, min_lr: 0.05 }, [1, 1, 1, 1])).toEqual([1, 0.1, 0.05, 0.05]);
    expect(run({ patience: 0, eps: 0.5 }, [1, 1], [0.4])).toEqual([0.4, 0.4]);
  });

  it('NaN is never an improvement', () => {
    expect(run({ patience: 0 }, [1, NaN])).toEqual([1, 0.1]);
  });

  it('scales every group and saves its state as JSON', () => {
    const p = new ReduceLROnPlateau({ ...DEFAULTS, patience: 0 }, [1, 0.5]);
    p.step(1);
    p.step(1);
    expect(p.lrs.map((x) => +x.toPrecision(12))).toEqual([0.1, 0.05]);
    const saved = JSON.parse(JSON.stringify(p.stateDict()));
    const q = new ReduceLROnPlateau({ ...DEFAULTS, patience: 0 }, [1, 0.5]);
    q.loadStateDict(saved);
    expect(q.best).toBe(1);
    q.step(1);
    expect(q.lrs.map((x) => +x.toPrecision(12))).toEqual([0.01, 0.005]);
    expect(new ReduceLROnPlateau(DEFAULTS, [1]).stateDict().best).toBeNull();
  });
});
