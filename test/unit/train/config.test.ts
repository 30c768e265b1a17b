import { describe, expect, it } from 'vitest';
import { resolveRunConfig, RunConfigError } from '../../../src-main/core/train/index.ts';

const minimal = { model: { kind: 'mlp' }, optimizer: { name: 'adam' }, data: { source: 'digits' } };

function errorOf(input: unknown): RunConfigError {
  try {
    resolveRunConfig(input);
  } catch (err) {
    if (err instanceof RunConfigError) return err;
    throw err;
  }
  throw new Error('expected a RunConfigError');
}

describe('resolveRunConfig', () => {
  it('fills every default in one place', () => {
    const c = resolveRunConfig(minimal);
    expect(c.model).toEqual({ kind: 'mlp', hidden: [64], activation: 'relu', init: 'torch', binaryHead: 'sigmoid' });
    expect(c.optimizer.name).toBe('adam');
    expect(c.optimizer.preset).toBe('torch');
    expect(c.optimizer.hyperparams).toMatchObject({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false });
    expect(c.optimizer.gradient).toEqual({ clip_norm: null, clip_norm_eps: 1e-6, clip_value: null, skip_nonfinite: false });
    expect(c.schedule).toBeNull();
    expect(c.data).toEqual({ source: 'digits', target: null, task: null, missing: 'drop', valSplit: 0.2, maxCategories: 20, targetScaling: 'standardize' });
    expect(c.training).toEqual({
      epochs: 20,
      steps: null,
      batchSize: 32,
      seed: 0,
      dtype: 'float32',
      evalEvery: null,
      snapshotEvery: null,
      snapshotMaxElements: 4096,
      earlyStopping: null,
      biasWeightDecay: false,
      divergenceFactor: 1e6,
    });
  });

  it('is idempotent: a resolved config resolves to itself (and survives JSON)', () => {
    const c = resolveRunConfig({
      ...minimal,
      optimizer: { name: 'sgd', preset: 'keras', hyperparams: { lr: 0.1, momentum: 0.9 } },
      schedule: { name: 'onecycle', total_steps: 100 },
      training: { steps: 100, earlyStopping: {}, seed: 7 },
    });
    expect(c.training.earlyStopping).toEqual({ patience: 5, minDelta: 0 });
    expect(c.training.epochs).toBeNull();
    expect(resolveRunConfig(JSON.parse(JSON.stringify(c)))).toEqual(c);
  });

  it('names the field, the value and what is expected', () => {
    let e = errorOf({ ...minimal, training: { batchSize: 0 } });
    expect(e.field).toBe('training.batchSize');
    expect(e.message).toBe('training.batchSize: expected a whole number ≥ 1, found 0');
    e = errorOf({ ...minimal, training: { epoch: 3 } });
    expect(e.field).toBe('training.epoch');
    expect(e.message).toBe('unknown field training.epoch in the run config');
    e = errorOf({ ...minimal, model: { kind: 'mlp', hidden: [64, 0] } });
    expect(e.field).toBe('model.hidden[1]');
    e = errorOf({ ...minimal, model: { kind: 'cnn' } });
    expect(e.field).toBe('model.kind');
    expect(e.message).toMatch(/^model\.kind: expected "linear" or "mlp", found "cnn"$/);
    e = errorOf({ ...minimal, data: { source: 'digits', valSplit: 1 } });
    expect(e.message).toBe('data.valSplit: expected a fraction in [0, 1), found 1');
    e = errorOf({ ...minimal, data: { source: 'diabetes', targetScaling: 'log' } });
    expect([e.field, e.message]).toEqual(['data.targetScaling', 'data.targetScaling: expected "standardize" or "none", found "log"']);
    e = errorOf({ ...minimal, training: { dtype: 'float16' } });
    expect(e.message).toBe('training.dtype: expected "float32" or "float64", found "float16"');
    e = errorOf({ model: { kind: 'linear' }, optimizer: { name: 'adam' } });
    expect(e.field).toBe('data');
  });

  it('reports optimizer and schedule errors at their place in the config', () => {
    let e = errorOf({ ...minimal, optimizer: { name: 'adam', hyperparams: { lr: -1 } } });
    expect(e.field).toBe('optimizer.hyperparams.lr');
    expect(e.message).toBe('optimizer.hyperparams.lr = -1 is out of range; allowed: (0, ∞)');
    e = errorOf({ ...minimal, optimizer: { name: 'adamx' } });
    expect(e.field).toBe('optimizer.name');
    expect(e.message).toMatch(/^optimizer: unknown optimizer "adamx"; known: sgd, /);
    e = errorOf({ ...minimal, optimizer: { name: 'sgd', hyperparams: { betas: [0.9, 0.99] } } });
    expect(e.field).toBe('optimizer.hyperparams.betas');
    e = errorOf({ ...minimal, schedule: { name: 'cosine' } });
    expect(e.field).toBe('schedule.T_max');
    expect(e.message).toMatch(/^schedule\.T_max is required for schedule cosine/);
  });

  it('refuses two budgets, and validation-driven features without a validation set', () => {
    expect(errorOf({ ...minimal, training: { epochs: 2, steps: 10 } }).field).toBe('training.steps');
    const es = errorOf({ ...minimal, data: { source: 'x.csv', valSplit: 0 }, training: { earlyStopping: { patience: 2 } } });
    expect(es.field).toBe('data.valSplit');
    expect(es.message).toMatch(/early stopping watches the validation loss/);
    const plateau = errorOf({ ...minimal, data: { source: 'x.csv', valSplit: 0 }, schedule: { name: 'plateau' } });
    expect(plateau.message).toMatch(/the plateau schedule watches the validation loss/);
  });
});
