import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src-main/core/optim/errors.ts';
import {
  SCHEDULES,
  SCHEDULE_NAMES,
  constant,
  cosine,
  cosineWarmRestarts,
  createSchedule,
  exponential,
  linear,
  multiStep,
  oneCycle,
  polynomial,
  resolveScheduleConfig,
  sequential,
  stepDecay,
} from '../../../src-main/core/schedules/index.ts';

const first = (f: (t: number) => number, n: number) => Array.from({ length: n }, (_, t) => f(t));
const near = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 14));

describe('schedules', () => {
  it('constant, step, multistep, exponential', () => {
    expect(first(constant(0.1), 3)).toEqual([0.1, 0.1, 0.1]);
    expect(first(stepDecay(1, 2, 0.5), 5)).toEqual([1, 1, 0.5, 0.5, 0.25]);
    expect(first(multiStep(1, [1, 3], 0.1), 5).map((x) => +x.toPrecision(12))).toEqual([1, 0.1, 0.1, 0.01, 0.01]);
    near(first(exponential(2, 0.5), 3), [2, 1, 0.5]);
  });

  it('cosine from base to eta_min over T_max, and back up after', () => {
    near(first(cosine(1, 4, 0), 9), [1, (1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2, 0, (1 - Math.SQRT1_2) / 2, 0.5, (1 + Math.SQRT1_2) / 2, 1]);
    expect(cosine(1, 10, 0.1)(10)).toBeCloseTo(0.1, 15);
  });

  it('cosine with warm restarts: T_0, then periods T_0·T_mult^k', () => {
    const f = cosineWarmRestarts(1, 2, 2, 0);
    // Periods of 2, 4, 8 steps: restarts at t = 2 and t = 6.
    near(first(f, 7), [1, 0.5, 1, (1 + Math.SQRT1_2) / 2, 0.5, (1 - Math.SQRT1_2) / 2, 1]);
    near(first(cosineWarmRestarts(1, 3, 1, 0), 4), [1, 0.75, 0.25, 1]);
  });

  it('linear from start_factor to end_factor, then holds', () => {
    near(first(linear(1, 0.25, 1, 3), 5), [0.25, 0.5, 0.75, 1, 1]);
  });

  it('polynomial to zero over total_iters', () => {
    near(first(polynomial(1, 4, 2), 6), [1, 0.5625, 0.25, 0.0625, 0, 0]);
  });

  it('one-cycle: up to max_lr, down to max_lr/(div·final_div), holding past the end', () => {
    const f = oneCycle({ maxLr: 1, totalSteps: 10, pctStart: 0.3, annealStrategy: 'linear', divFactor: 10, finalDivFactor: 10, threePhase: false });
    // Phase 1 ends at step 2 (0.3·10 − 1), phase 2 at step 9.
    near(first(f, 12), [0.1, 0.55, 1, ...[1, 2, 3, 4, 5, 6, 7].map((k) => 1 + ((0.01 - 1) * k) / 7), 0.01, 0.01]);
    const three = oneCycle({ maxLr: 1, totalSteps: 10, pctStart: 0.25, annealStrategy: 'cos', divFactor: 4, finalDivFactor: 100, threePhase: true });
    // Ends: 1.5 (up), 3 (back to initial), 9 (final).
    expect(three(0)).toBeCloseTo(0.25, 15);
    expect(three(3)).toBeCloseTo(0.25, 15);
    expect(three(9)).toBeCloseTo(0.0025, 15);
    expect(three(1)).toBeGreaterThan(0.25);
    expect(three(100)).toBe(three(9));
  });

  it('sequential: each schedule restarts at its milestone', () => {
    const f = sequential([linear(1, 0.5, 1, 2), exponential(1, 0.5)], [2]);
    near(first(f, 5), [0.5, 0.75, 1, 0.5, 0.25]);
  });
});

describe('the schedule registry', () => {
  it('describes every schedule', () => {
    for (const name of SCHEDULE_NAMES) {
      expect(SCHEDULES[name].name).toBe(name);
      expect(SCHEDULES[name].summary).toMatch(/\.$/);
    }
    expect(SCHEDULES.plateau.driver).toBe('metric');
    expect(structuredClone(SCHEDULES)).toEqual(SCHEDULES);
    expect(JSON.parse(JSON.stringify(SCHEDULES))).toEqual(SCHEDULES);
  });

  it('fills in torch defaults and builds the function', () => {
    expect(resolveScheduleConfig({ name: 'linear' })).toEqual({ name: 'linear', start_factor: 1 / 3, end_factor: 1, total_iters: 5 });
    const oc = resolveScheduleConfig({ name: 'onecycle', total_steps: 10 });
    expect(oc).toMatchObject({ max_lr: null, pct_start: 0.3, anneal_strategy: 'cos', div_factor: 25, final_div_factor: 1e4, three_phase: false });
    // max_lr defaults to the optimizer's lr.
    expect(createSchedule(oc, 0.5)(0)).toBeCloseTo(0.5 / 25, 15);
    const seq = resolveScheduleConfig({ name: 'sequential', schedules: [{ name: 'linear', start_factor: 0.1, total_iters: 3 }, { name: 'cosine', T_max: 10 }], milestones: [3] });
    expect(createSchedule(seq, 1)(3)).toBe(1);
    expect(JSON.parse(JSON.stringify(seq))).toEqual(seq);
  });

  it.each([
    [{ name: 'cosin' }, 'schedule.name', /unknown schedule "cosin"; known: constant, step/],
    [{ name: 'cosine' }, 'schedule.T_max', /schedule.T_max is required for schedule cosine/],
    [{ name: 'cosine', T_max: 0 }, 'schedule.T_max', /an integer in \[1, ∞\)/],
    [{ name: 'cosine', T_max: 2.5 }, 'schedule.T_max', /integer/],
    [{ name: 'step', step_size: 3, gama: 0.1 }, 'schedule.gama', /unknown parameter "gama" for schedule step; known: step_size, gamma/],
    [{ name: 'multistep', milestones: [3, 2] }, 'schedule.milestones[1]', /must be greater than schedule.milestones\[0\] = 3/],
    [{ name: 'linear', start_factor: 0 }, 'schedule.start_factor', /\(0, 1\]/],
    [{ name: 'onecycle', total_steps: 10, pct_start: 1 }, 'schedule.pct_start', /\(0, 1\)/],
    [{ name: 'plateau', mode: 'up' }, 'schedule.mode', /one of: min, max/],
    [{ name: 'sequential', schedules: [{ name: 'constant' }], milestones: [] }, 'schedule.schedules', /at least two/],
    [{ name: 'sequential', schedules: [{ name: 'constant' }, { name: 'plateau' }], milestones: [2] }, 'schedule.schedules[1].name', /plateau cannot be part/],
    [{ name: 'sequential', schedules: [{ name: 'constant' }, { name: 'constant' }], milestones: [2, 4] }, 'schedule.milestones', /needs 1 values for 2 schedules/],
  ])('%j is refused at %s', (input, field, message) => {
    let err: unknown;
    try {
      resolveScheduleConfig(input);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe(field);
    expect((err as ConfigError).message).toMatch(message);
  });
});
