// The step plan, the default run name and the run config's defaults: one definition each, used
// by the training session, the store, the CLI and the New run form.
import { describe, expect, test } from 'vitest';
import { datasetNameOf, defaultRunName, plannedTotalSteps, planSteps, resolveRunConfig, RUN_DEFAULTS } from '../../../src-main/core/train/index.ts';

describe('planSteps', () => {
  test('an epoch budget: ⌈rows / batch⌉ steps per epoch', () => {
    expect(planSteps({ epochs: 20, batchSize: 32 }, 120)).toEqual({ batchSize: 32, stepsPerEpoch: 4, totalSteps: 80, epochs: 20 });
    expect(planSteps({ epochs: 3, batchSize: 32 }, 1437)).toEqual({ batchSize: 32, stepsPerEpoch: 45, totalSteps: 135, epochs: 3 });
  });
  test('a batch larger than the rows is the rows; a step budget spans ⌈steps / per epoch⌉ epochs', () => {
    expect(planSteps({ epochs: 2, batchSize: 500 }, 120)).toEqual({ batchSize: 120, stepsPerEpoch: 1, totalSteps: 2, epochs: 2 });
    expect(planSteps({ epochs: null, steps: 10, batchSize: 32 }, 120)).toEqual({ batchSize: 32, stepsPerEpoch: 4, totalSteps: 10, epochs: 3 });
  });
  test('no training rows is an error, not a plan of NaN steps', () => {
    expect(() => planSteps({ epochs: 1, batchSize: 32 }, 0)).toThrow(/at least one training row/);
  });
});

describe('plannedTotalSteps of a stored config', () => {
  test('the budget over the rows the preprocessing recorded', () => {
    expect(plannedTotalSteps({ training: { epochs: 5000, batchSize: 32 }, preprocessing: { split: { train: 1437 } } })).toBe(225_000);
    expect(plannedTotalSteps({ training: { epochs: null, steps: 700, batchSize: 32 } })).toBe(700);
  });
  test('null when the config does not say', () => {
    expect(plannedTotalSteps({ training: { epochs: 5, batchSize: 32 } })).toBeNull();
    expect(plannedTotalSteps({})).toBeNull();
    expect(plannedTotalSteps({ training: { epochs: 5, batchSize: 'x' }, preprocessing: { split: { train: 10 } } })).toBeNull();
  });
});

describe('defaultRunName', () => {
  test('optimizer with its lr, model kind, dataset name', () => {
    expect(defaultRunName({ optimizer: { name: 'adam', hyperparams: { lr: 0.001 } }, model: { kind: 'mlp' }, data: { source: 'digits' } })).toBe('adam(lr=0.001) · mlp · digits');
    expect(defaultRunName({ optimizer: { name: 'sgd', hyperparams: { lr: 1e-9 } }, model: { kind: 'linear' }, data: { source: 'C:\\data\\wine.csv' } })).toBe('sgd(lr=1e-9) · linear · wine');
    expect(defaultRunName({ optimizer: { name: 'adadelta' }, model: { kind: 'mlp' }, data: { source: '/tmp/x/iris_bad.csv' } })).toBe('adadelta · mlp · iris_bad');
  });
  test('given args replace the lr in the parentheses (a sweep member)', () => {
    expect(defaultRunName({ optimizer: { name: 'sgd', hyperparams: { lr: 0.001 } }, model: { kind: 'mlp' }, data: { source: 'iris' } }, 'lr=1e-3, seed=2')).toBe('sgd(lr=1e-3, seed=2) · mlp · iris');
  });
  test('datasetNameOf keeps a name without an extension', () => {
    expect(datasetNameOf('iris')).toBe('iris');
    expect(datasetNameOf('/a/b/.hidden')).toBe('.hidden');
  });
});

describe('RUN_DEFAULTS are what resolveRunConfig fills in', () => {
  test('an MLP, training and data left to their defaults', () => {
    const r = resolveRunConfig({ model: { kind: 'mlp' }, optimizer: { name: 'adam' }, data: { source: 'iris' } });
    expect(r.model).toMatchObject({ kind: 'mlp', hidden: [...RUN_DEFAULTS.mlp.hidden], activation: RUN_DEFAULTS.mlp.activation });
    expect(r.training).toMatchObject(RUN_DEFAULTS.training);
    expect(r.data).toMatchObject(RUN_DEFAULTS.data);
    expect(RUN_DEFAULTS.mlp.hidden).toEqual([64]); // README and the CLI's help say 64
  });
});
