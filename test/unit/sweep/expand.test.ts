// The sweep expansion (core/sweep): exact axis values, the members' configs and names, and every
// way a spec can be wrong reported as a SweepError naming the field.
import { describe, expect, it } from 'vitest';
import { expandSweep, formatLr, linearSpaced, logSpaced, MAX_SWEEP_RUNS, SweepError } from '../../../src-main/core/sweep/index.ts';

const base = {
  model: { kind: 'mlp', hidden: [8] },
  optimizer: { name: 'sgd', preset: 'torch', hyperparams: { lr: 0.1, momentum: 0.9 } },
  data: { source: 'iris' },
  training: { epochs: 3, seed: 5 },
};

function sweepError(spec: unknown): SweepError {
  try {
    expandSweep(spec);
  } catch (err) {
    if (err instanceof SweepError) return err;
    throw err;
  }
  throw new Error('expected a SweepError');
}

describe('log and linear spacing', () => {
  it('gives exact decades from 1e-4 to 1', () => {
    expect(logSpaced(1e-4, 1, 5)).toEqual([0.0001, 0.001, 0.01, 0.1, 1]);
    expect(logSpaced(1e-3, 10, 5)).toEqual([0.001, 0.01, 0.1, 1, 10]);
  });
  it('puts half decades at √10 steps, rounded to 12 significant digits, the ends exact', () => {
    const xs = logSpaced(1e-4, 1, 9);
    expect(xs).toEqual([1e-4, 3.16227766017e-4, 1e-3, 3.16227766017e-3, 1e-2, 3.16227766017e-2, 0.1, 0.316227766017, 1]);
    // Equal ratios between neighbours: the definition of log spacing.
    for (let k = 1; k < xs.length; k++) expect(xs[k] / xs[k - 1]).toBeCloseTo(Math.sqrt(10), 9);
  });
  it('runs downwards too, and linear spacing has equal differences', () => {
    expect(logSpaced(1, 1e-2, 3)).toEqual([1, 0.1, 0.01]);
    expect(linearSpaced(0.1, 0.5, 5)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5]);
  });
});

describe('expandSweep', () => {
  it('makes one member per learning rate, the rest of the base kept and resolved', () => {
    const s = expandSweep({ base, lr: { kind: 'log', from: 1e-4, to: 1, count: 5 } });
    expect(s.lrs).toEqual([1e-4, 1e-3, 1e-2, 0.1, 1]);
    expect(s.seeds).toBeNull();
    expect(s.members.map((m) => m.point)).toEqual(s.lrs!.map((lr) => ({ lr })));
    expect(s.members.map((m) => m.config.optimizer.hyperparams.lr)).toEqual(s.lrs);
    for (const m of s.members) {
      expect((m.config.optimizer.hyperparams as unknown as Record<string, unknown>).momentum).toBe(0.9);
      expect(m.config.training).toMatchObject({ epochs: 3, seed: 5, batchSize: 32 });
    }
    expect(s.members[1].name).toBe('sgd(lr=0.001) · mlp · iris');
    expect(s.name).toBe('sgd lr 1e-4…1 ×5 · mlp · iris');
    // The base is not changed by the expansion.
    expect(base.optimizer.hyperparams.lr).toBe(0.1);
  });

  it('crosses learning rates with seeds (seed innermost), ranges counted from `from`', () => {
    const s = expandSweep({ base, lr: { kind: 'list', values: [0.01, 0.1] }, seed: { kind: 'range', from: 3, count: 3 } });
    expect(s.seeds).toEqual([3, 4, 5]);
    expect(s.members.map((m) => [m.point.lr, m.point.seed, m.config.training.seed])).toEqual([
      [0.01, 3, 3],
      [0.01, 4, 4],
      [0.01, 5, 5],
      [0.1, 3, 3],
      [0.1, 4, 4],
      [0.1, 5, 5],
    ]);
    expect(s.members[4].name).toBe('sgd(lr=0.1, seed=4) · mlp · iris');
  });

  it('sweeps optimizers: another optimizer starts from its preset defaults, the base one keeps its values', () => {
    const s = expandSweep({ base, optimizers: [{ name: 'sgd' }, { name: 'adam' }, { name: 'rmsprop', preset: 'keras', hyperparams: { lr: 0.005 } }] });
    expect(s.optimizers).toEqual(['sgd', 'adam', 'rmsprop']);
    const [sgd, adam, rms] = s.members.map((m) => m.config.optimizer);
    expect(sgd.hyperparams).toMatchObject({ lr: 0.1, momentum: 0.9 });
    expect(adam).toMatchObject({ name: 'adam', preset: 'torch', hyperparams: { lr: 0.001, betas: [0.9, 0.999] } });
    expect(rms).toMatchObject({ name: 'rmsprop', preset: 'keras', hyperparams: { lr: 0.005 } });
    expect(s.name).toBe('sgd / adam / rmsprop · mlp · iris');
  });

  it('with optimizers and learning rates, every optimizer gets every lr', () => {
    const s = expandSweep({ base, optimizers: [{ name: 'sgd' }, { name: 'adam' }], lr: { kind: 'list', values: [0.01, 0.1] } });
    expect(s.members.map((m) => [m.config.optimizer.name, m.config.optimizer.hyperparams.lr])).toEqual([
      ['sgd', 0.01],
      ['sgd', 0.1],
      ['adam', 0.01],
      ['adam', 0.1],
    ]);
  });

  it('takes the same optimizer twice with different values (SGD with and without momentum)', () => {
    const s = expandSweep({ base, optimizers: [{ name: 'sgd', hyperparams: { lr: 0.1 } }, { name: 'sgd', hyperparams: { lr: 0.1, momentum: 0.9 } }] });
    expect(s.members.map((m) => (m.config.optimizer.hyperparams as unknown as Record<string, unknown>).momentum)).toEqual([0, 0.9]);
  });

  it('keeps a given name', () => {
    expect(expandSweep({ base, name: '  my sweep ', seed: { kind: 'list', values: [1, 2] } }).name).toBe('my sweep');
  });
});

describe('a bad sweep is a SweepError naming the field', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['no axis', { base }, 'lr', /at least one axis/],
    ['lr count 1', { base, lr: { kind: 'log', from: 1e-4, to: 1, count: 1 } }, 'lr.count', /lr\.count: expected a whole number of values from 2 to 50, found 1/],
    ['lr count not whole', { base, lr: { kind: 'log', from: 1e-4, to: 1, count: 2.5 } }, 'lr.count', /found 2\.5/],
    ['lr from 0', { base, lr: { kind: 'log', from: 0, to: 1, count: 3 } }, 'lr.from', /lr\.from: expected a learning rate > 0, found 0/],
    ['lr to negative', { base, lr: { kind: 'linear', from: 0.1, to: -1, count: 3 } }, 'lr.to', /found -1/],
    ['lr from = to', { base, lr: { kind: 'log', from: 0.1, to: 0.1, count: 3 } }, 'lr.to', /different from lr\.from/],
    ['lr kind unknown', { base, lr: { kind: 'cubic', from: 0.1, to: 1, count: 3 } }, 'lr.kind', /kind/],
    ['lr value twice', { base, lr: { kind: 'list', values: [0.1, 0.2, 0.1] } }, 'lr.values[2]', /0\.1 is already lr\.values\[0\]/],
    ['lr value not a number', { base, lr: { kind: 'list', values: [0.1, 'big'] } }, 'lr.values[1]', /found "big"/],
    ['seed negative', { base, seed: { kind: 'list', values: [0, -1] } }, 'seed.values[1]', /≥ 0, found -1/],
    ['seed count', { base, seed: { kind: 'range', count: 0 } }, 'seed.count', /found 0/],
    ['unknown field', { base, lrs: [0.1] }, 'lrs', /unknown field lrs/],
    ['no base', { lr: { kind: 'list', values: [0.1] } }, 'base', /base: expected a run config object/],
    ['too many runs', { base, lr: { kind: 'log', from: 1e-4, to: 1, count: 20 }, seed: { kind: 'range', count: 6 } }, 'seed', new RegExp(`20 learning rates × 6 seeds = 120 runs; at most ${MAX_SWEEP_RUNS}`)],
    ['unknown optimizer', { base, optimizers: [{ name: 'sgd' }, { name: 'adamm' }] }, 'optimizers[1].name', /run 2 of 2 \(optimizer adamm\): .*adamm/],
    ['bad optimizer hyperparameter', { base, optimizers: [{ name: 'adam', hyperparams: { betas: [0.9, 2] } }] }, 'optimizers[0].hyperparams.betas[1]', /betas/],
    ['bad base field', { base: { ...base, training: { epochs: 0 } }, lr: { kind: 'list', values: [0.1] } }, 'base.training.epochs', /run 1 of 1 \(lr 0\.1\): training\.epochs: expected a whole number ≥ 1, found 0/],
    ['optimizer twice', { base, optimizers: [{ name: 'sgd' }, { name: 'sgd' }] }, 'optimizers[1]', /^optimizers\[1\]: \{"name":"sgd"\} is already optimizers\[0\]; each value once$/],
  ];
  it.each(cases)('%s', (_what, spec, field, message) => {
    const err = sweepError(spec);
    expect(err.field).toBe(field);
    expect(err.message).toMatch(message);
    expect(err.message).not.toMatch(/\n|at .*\.ts/);
  });
});

describe('formatLr', () => {
  it('is short and tells neighbours apart', () => {
    expect([1e-4, 3.16227766017e-4, 0.001, 0.0316227766017, 1, 10, 12345].map(formatLr)).toEqual(['1e-4', '3.16e-4', '0.001', '0.0316', '1', '10', '1.23e4']);
  });
});
