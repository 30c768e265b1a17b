// Library conventions (presets and their options), checked through the facade against closed
// forms of each library's update rule.
import { describe, expect, it } from 'vitest';
import { Optimizer, type OptimizerConfig } from '../../../src-main/core/optim/index.ts';
import { createParamSet } from '../../../src-main/core/tensor.ts';

/** Parameters after feeding `grads` (one array per step) from `p0`. */
function trajectory(config: OptimizerConfig, p0: number[], grads: number[][]): number[][] {
  const set = createParamSet([{ name: 'w', shape: [p0.length], role: 'weight' }], 'float64');
  const g = set.groups[0];
  g.values.set(p0);
  const opt = new Optimizer(set, config);
  return grads.map((gr) => {
    g.grads.set(gr);
    opt.step();
    return Array.from(g.values);
  });
}

const near = (a: number, b: number, rel = 1e-13) => expect(Math.abs(a - b)).toBeLessThanOrEqual(rel * Math.abs(b) + 1e-300);

describe('Adam ε placement', () => {
  it('Keras Adam at step 1 equals torch Adam with ε multiplied by 1/√(1 − β₂)', () => {
    const [keras] = trajectory({ name: 'adam', preset: 'keras', hyperparams: { lr: 0.1, eps: 0.01 } }, [1], [[0.5]]);
    const [torch] = trajectory({ name: 'adam', hyperparams: { lr: 0.1, eps: 0.01 / Math.sqrt(1 - 0.999) } }, [1], [[0.5]]);
    near(keras[0], torch[0]);
    near(keras[0], 1 - (0.1 * 0.5) / (0.5 + 0.01 / Math.sqrt(0.001)));
  });

  it('Keras Adam at step t: θ −= lr·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε)', () => {
    const [b1, b2, lr, eps] = [0.9, 0.999, 0.1, 0.01];
    const grads = [[0.5], [-0.2], [0.3]];
    const got = trajectory({ name: 'adam', preset: 'keras', hyperparams: { lr, eps } }, [1], grads);
    let m = 0, v = 0, p = 1;
    grads.forEach(([g], k) => {
      const t = k + 1;
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      p -= ((lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t)) * (m / (Math.sqrt(v) + eps));
      near(got[k][0], p, 1e-12);
    });
  });
});

describe('AMSGrad: max over raw v (torch) or over v̂ (Optax)', () => {
  it('differs exactly as the closed forms say after a large then a small gradient', () => {
    const [b1, b2, lr] = [0.9, 0.999, 0.1];
    const grads = [[2], [0.01]];
    const raw = trajectory({ name: 'adam', hyperparams: { lr, amsgrad: true, eps: 0 } }, [0], grads);
    const corrected = trajectory({ name: 'adam', hyperparams: { lr, amsgrad: true, amsgrad_mode: 'corrected', eps: 0 } }, [0], grads);
    const v1 = (1 - b2) * 4, v2 = b2 * v1 + (1 - b2) * 1e-4;
    const m2 = b1 * (1 - b1) * 2 + (1 - b1) * 0.01;
    const mh = m2 / (1 - b1 ** 2);
    near(raw[1][0] - raw[0][0], (-lr * mh) / (Math.sqrt(Math.max(v1, v2)) / Math.sqrt(1 - b2 ** 2)), 1e-12);
    near(corrected[1][0] - corrected[0][0], (-lr * mh) / Math.sqrt(Math.max(v1 / (1 - b2), v2 / (1 - b2 ** 2))), 1e-12);
  });
});

describe('weight decay: L2, decoupled θ(1 − ηλ), independent θ(1 − λ)', () => {
  const lr = 0.1, wd = 0.2;
  it('SGD: L2 and decoupled coincide without momentum, independent uses λ alone', () => {
    const [l2] = trajectory({ name: 'sgd', hyperparams: { lr, weight_decay: wd } }, [2], [[1]]);
    const [dec] = trajectory({ name: 'sgd', hyperparams: { lr, weight_decay: wd, weight_decay_mode: 'decoupled' } }, [2], [[1]]);
    const [ind] = trajectory({ name: 'sgd', hyperparams: { lr, weight_decay: wd, weight_decay_mode: 'independent' } }, [2], [[1]]);
    near(l2[0], 2 - lr * (1 + wd * 2));
    near(dec[0], 2 * (1 - lr * wd) - lr * 1);
    near(ind[0], 2 * (1 - wd) - lr * 1);
  });
  it('Adam: L2 goes through the preconditioner, decoupled does not', () => {
    const [l2] = trajectory({ name: 'adam', hyperparams: { lr, weight_decay: wd, eps: 0 } }, [2], [[1]]);
    // Step 1 with L2: g' = 1 + 0.4, update −lr·g'/|g'| = −lr.
    near(l2[0], 2 - lr);
    const [dec] = trajectory({ name: 'adamw', hyperparams: { lr, weight_decay: wd, eps: 0 } }, [2], [[1]]);
    near(dec[0], 2 * (1 - lr * wd) - lr);
    const [ind] = trajectory({ name: 'adamw', hyperparams: { lr, weight_decay: wd, eps: 0, weight_decay_mode: 'independent' } }, [2], [[1]]);
    near(ind[0], 2 * (1 - wd) - lr);
  });
});

describe('AdaGrad initial accumulator and ε inside the root', () => {
  it('Keras: θ −= lr·g/√(G + ε) with G from 0.1', () => {
    const got = trajectory({ name: 'adagrad', preset: 'keras', hyperparams: { lr: 0.5 } }, [1], [[1], [2]]);
    near(got[0][0], 1 - (0.5 * 1) / Math.sqrt(0.1 + 1 + 1e-7));
    near(got[1][0], got[0][0] - (0.5 * 2) / Math.sqrt(0.1 + 1 + 4 + 1e-7));
  });
  it('Optax with a zero accumulator and ε = 0: an always-zero gradient stays a zero update', () => {
    const [optax] = trajectory({ name: 'adagrad', preset: 'optax', hyperparams: { initial_accumulator_value: 0, eps: 0 } }, [1, 1], [[0, 1]]);
    expect(optax).toEqual([1, 1 - 0.01]);
    const [keras] = trajectory({ name: 'adagrad', preset: 'keras', hyperparams: { initial_accumulator_value: 0, eps: 0 } }, [1, 1], [[0, 1]]);
    expect(keras[0]).toBeNaN();
  });
});

describe('RMSprop ε inside the root (Keras)', () => {
  it('θ −= lr·g/√(v + ε)', () => {
    const [p] = trajectory({ name: 'rmsprop', preset: 'keras', hyperparams: { lr: 0.01 } }, [0], [[2]]);
    near(p[0], (-0.01 * 2) / Math.sqrt(0.1 * 4 + 1e-7));
  });
});

describe('Adamax ε inside (torch) or outside (Keras/Optax) the max', () => {
  it('differ by where ε is added', () => {
    const [t] = trajectory({ name: 'adamax', hyperparams: { lr: 0.1, eps: 0.5 } }, [0], [[1]]);
    const [k] = trajectory({ name: 'adamax', hyperparams: { lr: 0.1, eps: 0.5, eps_mode: 'outside' } }, [0], [[1]]);
    near(t[0], (-0.1 * 1) / 1.5);
    near(k[0], (-0.1 * 1) / 1.5);
    const tt = trajectory({ name: 'adamax', hyperparams: { lr: 0.1, eps: 0.5, betas: [0.9, 0.5] } }, [0], [[1], [0.1]]);
    const kk = trajectory({ name: 'adamax', hyperparams: { lr: 0.1, eps: 0.5, betas: [0.9, 0.5], eps_mode: 'outside' } }, [0], [[1], [0.1]]);
    const m2 = 0.9 * 0.1 + 0.1 * 0.1, mh = m2 / (1 - 0.81);
    near(tt[1][0] - tt[0][0], (-0.1 * mh) / Math.max(0.5 * 1.5, 0.1 + 0.5));
    near(kk[1][0] - kk[0][0], (-0.1 * mh) / (Math.max(0.5 * 1, 0.1) + 0.5));
  });
});

describe('NAdam momentum schedule', () => {
  it('Keras 3 (0.96^t): the closed form of its update', () => {
    const [b1, b2, lr, eps] = [0.9, 0.999, 1e-3, 1e-7];
    const grads = [[1], [0.5]];
    const got = trajectory({ name: 'nadam', preset: 'keras' }, [0], grads);
    let m = 0, v = 0, prod = 1, p = 0;
    grads.forEach(([g], k) => {
      const t = k + 1;
      const u = b1 * (1 - 0.5 * 0.96 ** t), uNext = b1 * (1 - 0.5 * 0.96 ** (t + 1));
      prod = Math.fround(prod * Math.fround(u));
      m = b1 * m + (1 - b1) * g;
      v = b2 * v + (1 - b2) * g * g;
      const mHat = (uNext * m) / (1 - prod * uNext) + ((1 - u) * g) / (1 - prod);
      p -= (lr * mHat) / (Math.sqrt(v / (1 - b2 ** t)) + eps);
      near(got[k][0], p, 1e-12);
    });
  });
});

describe('RAdam ε placement', () => {
  it('torch: √(1−β₂ᵗ)/(√v + ε); Optax: 1/(√v̂ + ε), once rectified', () => {
    const grads = Array.from({ length: 6 }, () => [1]);
    const t = trajectory({ name: 'radam', hyperparams: { lr: 0.1, eps: 0.1 } }, [0], grads);
    const o = trajectory({ name: 'radam', preset: 'optax', hyperparams: { lr: 0.1, eps: 0.1 } }, [0], grads);
    // Steps 1–5 are unrectified and identical (m̂ = 1): −lr each.
    near(t[4][0], -0.5, 1e-12);
    near(o[4][0], -0.5, 1e-12);
    const b2 = 0.999, rhoInf = 2 / (1 - b2) - 1, rho = rhoInf - (2 * 6 * b2 ** 6) / (1 - b2 ** 6);
    const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
    const bc2 = Math.sqrt(1 - b2 ** 6), sqrtV = bc2; // v = 1 − β₂⁶ for a constant gradient 1
    near(t[5][0] - t[4][0], (-0.1 * r * bc2) / (sqrtV + 0.1), 1e-10);
    near(o[5][0] - o[4][0], (-0.1 * r) / (1 + 0.1), 1e-10);
  });
});
