// The effective step size each optimizer reports, against values computed by hand, on both
// engines and both dtypes.
import { describe, expect, it } from 'vitest';
import { Optimizer, type OptimizerConfig } from '../../../src-main/core/optim/index.ts';
import { createParamSet, type Dtype } from '../../../src-main/core/tensor.ts';

/** Two steps with gradients g1 then g2 on params p; returns the effective lr of each step. */
function effective(config: OptimizerConfig, p: number[], g1: number[], g2: number[], engine: 'fused' | 'chain', dtype: Dtype = 'float64') {
  const set = createParamSet([{ name: 'w', shape: [p.length], role: 'weight' }], dtype);
  const group = set.groups[0];
  group.values.set(p);
  const opt = new Optimizer(set, config, { engine });
  return [g1, g2].map((g) => {
    group.grads.set(g);
    const eff = opt.allocateEffectiveLr();
    opt.step({ effectiveLr: eff });
    return Array.from(eff[0]);
  });
}

const near = (a: number[], b: number[], rel = 1e-12) => a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThanOrEqual(rel * Math.abs(b[i]) + 1e-300));

describe.each(['fused', 'chain'] as const)('effective step size (%s)', (engine) => {
  it('SGD: lr, with or without momentum', () => {
    const [, e] = effective({ name: 'sgd', hyperparams: { lr: 0.3, momentum: 0.9 } }, [1, 2], [1, -1], [2, 0], engine);
    expect(e).toEqual([0.3, 0.3]);
  });

  it('AdaGrad: lr_t/(√G + ε), lr_t = lr/(1 + (t−1)·lr_decay)', () => {
    const [e1, e2] = effective({ name: 'adagrad', hyperparams: { lr: 0.1, lr_decay: 0.5, eps: 1e-3 } }, [0, 0], [3, 0], [4, 1], engine);
    near(e1, [0.1 / (3 + 1e-3), 0.1 / 1e-3]);
    near(e2, [0.1 / 1.5 / (5 + 1e-3), 0.1 / 1.5 / (1 + 1e-3)]);
  });

  it('RMSprop: lr/(√v + ε), centered: lr/(√(v − ḡ²) + ε)', () => {
    const [, e] = effective({ name: 'rmsprop', hyperparams: { lr: 0.01, alpha: 0.5, eps: 1e-4 } }, [0], [2], [4], engine);
    const v = 0.5 * (0.5 * 4) + 0.5 * 16;
    near(e, [0.01 / (Math.sqrt(v) + 1e-4)]);
    const [, c] = effective({ name: 'rmsprop', hyperparams: { lr: 0.01, alpha: 0.5, eps: 1e-4, centered: true } }, [0], [2], [4], engine);
    const a = 0.5 * 1 + 0.5 * 4;
    near(c, [0.01 / (Math.sqrt(v - a * a) + 1e-4)]);
  });

  it('Adam: lr/(√v̂ + ε); AMSGrad uses the running max', () => {
    const b2 = 0.999;
    const [e1, e2] = effective({ name: 'adam', hyperparams: { lr: 0.01 } }, [0], [2], [0.5], engine);
    near(e1, [0.01 / (2 + 1e-8)]);
    const v = b2 * (1 - b2) * 4 + (1 - b2) * 0.25;
    near(e2, [0.01 / (Math.sqrt(v / (1 - b2 ** 2)) + 1e-8)]);
    const [, a2] = effective({ name: 'adam', hyperparams: { lr: 0.01, amsgrad: true } }, [0], [2], [0.01], engine);
    // v₂ = β₂(1 − β₂)·4 + (1 − β₂)·1e-4 < v₁ = (1 − β₂)·4: the max keeps v₁, corrected at step 2.
    near(a2, [0.01 / (Math.sqrt(((1 - b2) * 4) / (1 - b2 ** 2)) + 1e-8)]);
  });

  it('Adamax: lr/u with u the decayed max of |g| (+ ε inside, torch)', () => {
    const [e1, e2] = effective({ name: 'adamax', hyperparams: { lr: 0.1, betas: [0.9, 0.5], eps: 0.01 } }, [0], [2], [0.5], engine);
    near(e1, [0.1 / 2.01]);
    near(e2, [0.1 / Math.max(0.5 * 2.01, 0.51)]);
  });

  it('NAdam: lr/(√v̂ + ε)', () => {
    const [e1, e2] = effective({ name: 'nadam', hyperparams: { lr: 0.1 } }, [0], [2], [0.5], engine);
    const b2 = 0.999;
    near(e1, [0.1 / (2 + 1e-8)]);
    near(e2, [0.1 / (Math.sqrt((b2 * (1 - b2) * 4 + (1 - b2) * 0.25) / (1 - b2 ** 2)) + 1e-8)]);
  });

  it('RAdam: lr while unrectified, then lr·rₜ/(√v̂ + ε/√(1−β₂ᵗ))', () => {
    const set = createParamSet([{ name: 'w', shape: [1], role: 'weight' }], 'float64');
    const opt = new Optimizer(set, { name: 'radam', hyperparams: { lr: 0.1, eps: 0.01 } }, { engine });
    const effs = Array.from({ length: 6 }, () => {
      set.groups[0].grads.set([1]);
      const eff = opt.allocateEffectiveLr();
      opt.step({ effectiveLr: eff });
      return eff[0][0];
    });
    expect(effs.slice(0, 5)).toEqual([0.1, 0.1, 0.1, 0.1, 0.1]);
    const b2 = 0.999, rhoInf = 2 / (1 - b2) - 1, rho = rhoInf - (2 * 6 * b2 ** 6) / (1 - b2 ** 6);
    const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
    // A constant gradient 1 gives v̂ = 1.
    near([effs[5]], [(0.1 * r) / (1 + 0.01 / Math.sqrt(1 - b2 ** 6))], 1e-11);
  });

  it('Adadelta: lr·√(u + ε)/√(v + ε)', () => {
    const [e1] = effective({ name: 'adadelta', hyperparams: { lr: 0.5, rho: 0.9, eps: 1e-6 } }, [0], [2], [1], engine);
    near(e1, [(0.5 * Math.sqrt(1e-6)) / Math.sqrt(0.1 * 4 + 1e-6)]);
  });

  it('Rprop: its per-parameter step size', () => {
    const [e1, e2] = effective({ name: 'rprop', hyperparams: { lr: 0.01 } }, [0, 0, 0], [1, 1, 0], [1, -1, 1], engine);
    near(e1, [0.01, 0.01, 0.01]);
    near(e2, [0.012, 0.005, 0.01]);
  });

  it('float32 gives the same values to float32 precision', () => {
    const [e] = effective({ name: 'adam', hyperparams: { lr: 0.01 } }, [0, 0], [2, 0.001], [1, 1], engine, 'float32');
    near(e, [0.01 / (2 + 1e-8), 0.01 / (Math.fround(0.001) + 1e-8)], 1e-6);
  });

  it('is not computed when not asked for, and leaves no trace then', () => {
    const set = createParamSet([{ name: 'w', shape: [2], role: 'weight' }], 'float64');
    const opt = new Optimizer(set, { name: 'adam' }, { engine });
    set.groups[0].grads.set([1, 2]);
    const eff = opt.allocateEffectiveLr();
    opt.step();
    expect(Array.from(eff[0])).toEqual([0, 0]);
    expect(() => opt.step({ effectiveLr: [new Float64Array(3)] })).toThrow(/effectiveLr\[0\] must be a Float64Array of length 2/);
    expect(() => opt.step({ effectiveLr: [new Float32Array(2)] })).toThrow(/Float64Array/);
  });
});
