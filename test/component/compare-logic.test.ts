// Compare's logic: the URL, the hyperparameters that differ, grouping by one, and a group's
// mean with its min–max band across runs.
import { describe, expect, test } from 'vitest';
import type { RunConfig } from '../../src-renderer/src/api/protocol.ts';
import { configDifferences, finalMetricKeys, flattenConfig, groupRuns, groupStats, parseCompareQuery } from '../../src-renderer/src/logic/compare.ts';

const config = (over: { lr?: number; optimizer?: string; seed?: number; hidden?: number[]; betas?: number[]; schedule?: RunConfig['schedule'] } = {}): RunConfig => ({
  model: { kind: 'mlp', hidden: over.hidden ?? [32], activation: 'relu' },
  optimizer: { name: over.optimizer ?? 'adam', preset: 'torch', hyperparams: { lr: over.lr ?? 0.01, betas: over.betas ?? [0.9, 0.999] } },
  schedule: over.schedule ?? null,
  data: { source: 'iris', valSplit: 0.2 },
  training: { epochs: 10, seed: over.seed ?? 0 },
  preprocessing: { standardize: [1, 2, 3] },
});

describe('the compare URL', () => {
  test('runs and group are read; duplicates dropped', () => {
    expect(parseCompareQuery({ runs: '3,1,3', group: 'optimizer.hyperparams.lr' })).toEqual({ ok: true, value: { runIds: [3, 1], group: 'optimizer.hyperparams.lr' } });
    expect(parseCompareQuery({ runs: '7' })).toEqual({ ok: true, value: { runIds: [7], group: null } });
  });

  test('bad input says which parameter and what it takes', () => {
    expect(parseCompareQuery({})).toMatchObject({ ok: false, message: expect.stringContaining('no runs to compare') });
    expect(parseCompareQuery({ runs: '1,two' })).toEqual({ ok: false, message: 'runs=1,two: “two” is not a run id (runs takes ids separated by commas, e.g. runs=1,2,3)' });
    expect(parseCompareQuery({ runs: '0' })).toMatchObject({ ok: false });
    expect(parseCompareQuery({ runs: '1', group: 'lr; drop' })).toEqual({ ok: false, message: 'group=lr; drop: not a config path like optimizer.hyperparams.lr' });
    expect(parseCompareQuery({ runs: Array.from({ length: 101 }, (_, i) => i + 1).join(',') })).toMatchObject({ ok: false, message: expect.stringContaining('at most 100') });
  });
});

describe('hyperparameter differences', () => {
  test('only the paths whose values are not the same in every run; arrays compared whole; preprocessing left out', () => {
    const d = configDifferences([config({ lr: 0.01 }), config({ lr: 0.1, betas: [0.9, 0.99] }), config({ lr: 0.01 })]);
    expect(d).toEqual([
      { path: 'optimizer.hyperparams.lr', values: [0.01, 0.1, 0.01] },
      { path: 'optimizer.hyperparams.betas', values: [[0.9, 0.999], [0.9, 0.99], [0.9, 0.999]] },
    ]);
    expect(configDifferences([config(), config()])).toEqual([]);
    expect(flattenConfig(config()).has('preprocessing.standardize')).toBe(false);
  });

  test('a setting only some runs have differs (the others show it missing)', () => {
    const d = configDifferences([config(), config({ schedule: { name: 'cosine', T_max: 100 } })]);
    expect(d).toEqual([
      { path: 'schedule', values: [null, undefined] },
      { path: 'schedule.name', values: [undefined, 'cosine'] },
      { path: 'schedule.T_max', values: [undefined, 100] },
    ]);
  });
});

describe('groups', () => {
  test('runs grouped by a path, numeric groups in increasing order, labelled by the last path segment', () => {
    const runs = [
      { id: 1, config: config({ lr: 0.1, seed: 0 }) },
      { id: 2, config: config({ lr: 0.01, seed: 0 }) },
      { id: 3, config: config({ lr: 0.1, seed: 1 }) },
      { id: 4, config: config({ lr: 0.01, seed: 1 }) },
    ];
    expect(groupRuns(runs, 'optimizer.hyperparams.lr')).toEqual([
      { label: 'lr=0.01', runIds: [2, 4] },
      { label: 'lr=0.1', runIds: [1, 3] },
    ]);
    expect(groupRuns(runs, 'no.such.path')).toEqual([{ label: 'path=—', runIds: [1, 2, 3, 4] }]);
  });

  test('mean and min–max at each step over the runs with a finite value there; steps merged', () => {
    const s = groupStats([
      { step: [0, 1, 2], x: [0, 0.5, 1], value: [1, 2, 3] },
      { step: [0, 1, 2, 3], x: [0, 0.5, 1, 1.5], value: [3, NaN, 5, 7] },
      { step: [1], x: [0.7], value: [4] },
    ]);
    expect(Array.from(s.step)).toEqual([0, 1, 2, 3]);
    expect(Array.from(s.mean)).toEqual([2, 3, 4, 7]);
    expect(Array.from(s.min)).toEqual([1, 2, 3, 7]);
    expect(Array.from(s.max)).toEqual([3, 4, 5, 7]);
    expect(Array.from(s.count)).toEqual([2, 2, 2, 1]);
    expect(Array.from(s.x)).toEqual([0, (0.5 + 0.5 + 0.7) / 3, 1, 1.5]);
    const none = groupStats([{ step: [0], x: [0], value: [NaN] }]);
    expect([none.mean[0], none.min[0], none.max[0]]).toEqual([NaN, NaN, NaN]);
  });

  test('final-metric columns: the usual keys first, per-tensor keys left out', () => {
    expect(finalMetricKeys([{ val_loss: 1, 'update_ratio/layers.0.weight': 2, zeta: 3 }, { train_loss: 1, val_accuracy: 0.9 }])).toEqual(['train_loss', 'val_loss', 'val_accuracy', 'zeta']);
  });
});
