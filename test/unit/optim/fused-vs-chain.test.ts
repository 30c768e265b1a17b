// The fused kernels and the chain of transformations are two implementations of the same
// optimizers: on random gradients, for every optimizer and every convention, both must give the
// same parameters, state and effective step sizes (two groups, both dtypes).
import { describe, expect, it } from 'vitest';
import { tsKernels } from '../../../src-main/core/kernels/ts.ts';
import { Optimizer, type OptimizerConfig, type ParamValue } from '../../../src-main/core/optim/index.ts';
import { Rng } from '../../../src-main/core/rng.ts';
import { createParamSet, type Dtype, type FloatArray } from '../../../src-main/core/tensor.ts';
import { describeMismatch, worstMismatch } from '../../conformance/close.ts';

type H = Record<string, ParamValue>;
/** Hyperparameter variants, typed for the maps below. */
const hs = (...variants: H[]) => variants;

const wdModes = (extra: H = {}): H[] =>
  (['l2', 'decoupled', 'independent'] as const).map((mode) => ({ ...extra, weight_decay: 0.1, weight_decay_mode: mode }));

const CONFIGS: OptimizerConfig[] = [
  ...hs({}, { momentum: 0.9 }, { momentum: 0.9, dampening: 0.3 }, { momentum: 0.9, nesterov: true }, ...wdModes({ momentum: 0.5 }), { maximize: true, momentum: 0.9, weight_decay: 0.05 }).map(
    (h) => ({ name: 'sgd', hyperparams: { lr: 0.05, ...h } }),
  ),
  { name: 'sgd', preset: 'keras' },
  ...hs({}, { lr_decay: 0.1 }, { eps_mode: 'inside', initial_accumulator_value: 0.1 }, ...wdModes(), { maximize: true }).map((h) => ({ name: 'adagrad', hyperparams: h })),
  { name: 'adagrad', preset: 'optax' },
  { name: 'adagrad', preset: 'optax', hyperparams: { initial_accumulator_value: 0, eps: 0 } },
  { name: 'adagrad', preset: 'keras' },
  ...hs({}, { centered: true }, { momentum: 0.9 }, { centered: true, momentum: 0.9, eps_mode: 'inside' }, ...wdModes({ momentum: 0.3 }), { maximize: true }).map((h) => ({ name: 'rmsprop', hyperparams: h })),
  { name: 'rmsprop', preset: 'keras', hyperparams: { centered: true } },
  ...hs({}, { amsgrad: true }, { amsgrad: true, amsgrad_mode: 'corrected' }, { eps_mode: 'hat' }, ...wdModes(), { maximize: true, amsgrad: true }, { eps: 0.05 }).map((h) => ({
    name: 'adam',
    hyperparams: { lr: 0.01, ...h },
  })),
  { name: 'adam', preset: 'keras', hyperparams: { amsgrad: true } },
  { name: 'adam', preset: 'optax', hyperparams: { amsgrad: true } },
  ...hs({}, { amsgrad: true }, { weight_decay: 0.5 }).map((h) => ({ name: 'adamw', hyperparams: { lr: 0.01, ...h } })),
  { name: 'adamw', preset: 'keras' },
  ...hs({}, { eps_mode: 'outside' }, ...wdModes(), { maximize: true }).map((h) => ({ name: 'adamax', hyperparams: h })),
  ...hs({}, { mu_product_dtype: 'float64' }, ...wdModes(), { maximize: true }).map((h) => ({ name: 'nadam', hyperparams: h })),
  { name: 'nadam', preset: 'keras' },
  { name: 'nadam', preset: 'optax' },
  ...hs({}, { threshold: 6 }, ...wdModes(), { maximize: true }).map((h) => ({ name: 'radam', hyperparams: h })),
  { name: 'radam', preset: 'optax' },
  ...hs({}, ...wdModes(), { maximize: true }).map((h) => ({ name: 'adadelta', hyperparams: h })),
  { name: 'adadelta', preset: 'keras' },
  ...hs({}, { etas: [0.3, 1.5], step_sizes: [1e-3, 0.05] }, { maximize: true }).map((h) => ({ name: 'rprop', hyperparams: h })),
];

const STEPS = 25;

function run(config: OptimizerConfig, dtype: Dtype, engine: 'fused' | 'chain', seed: number) {
  const set = createParamSet(
    [
      { name: 'w', shape: [2, 3], role: 'weight' },
      { name: 'v', shape: [3], role: 'weight' },
      { name: 'b', shape: [3], role: 'bias' },
    ],
    dtype,
    (s) => (s.role === 'bias' ? 1 : 0),
  );
  const rng = new Rng(seed);
  for (const g of set.groups) for (let i = 0; i < g.values.length; i++) g.values[i] = rng.normal();
  const hasDecay = config.name !== 'rprop';
  const opt = new Optimizer(set, config, { engine, kernels: tsKernels, groups: [{}, { lr: 0.005, ...(hasDecay ? { weight_decay: 0 } : {}) }] });
  const effs: number[][][] = [];
  for (let k = 0; k < STEPS; k++) {
    for (const g of set.groups)
      for (let i = 0; i < g.grads.length; i++)
        // Element 0 of each group never gets a gradient (AdaGrad's zero guard, Rprop's zero sign).
        g.grads[i] = i === 0 ? 0 : rng.normal() * (1 + i) * (k % 5 === 4 ? -3 : 1);
    const eff = k % 3 === 0 ? opt.allocateEffectiveLr() : undefined;
    const report = opt.step({ effectiveLr: eff });
    expect(report.engine).toBe(engine);
    if (eff) effs.push(eff.map((e: FloatArray) => Array.from(e)));
  }
  const sd = opt.stateDict();
  const state = Object.entries(sd.state).map(([name, e]) => [name, Object.entries(e.buffers).map(([k, b]) => [k, Array.from(b)]), e.scalars]);
  return { params: set.groups.map((g) => Array.from(g.values)), effs, state };
}

describe('fused kernels agree with the chain', () => {
  for (const [n, config] of CONFIGS.entries())
    for (const dtype of ['float64', 'float32'] as const)
      it(`${config.name} ${config.preset ?? 'torch'} ${JSON.stringify(config.hyperparams ?? {})} ${dtype}`, () => {
        const fused = run(config, dtype, 'fused', 100 + n);
        const chained = run(config, dtype, 'chain', 100 + n);
        const [rel, abs] = dtype === 'float64' ? [1e-11, 1e-14] : [2e-5, 1e-6];
        expect(fused.params.flat().every(Number.isFinite)).toBe(true);
        for (const key of ['params', 'effs'] as const) {
          const m = worstMismatch(fused[key], chained[key], rel, abs);
          expect(m.ratio, `${key}: ${describeMismatch(m)}`).toBeLessThanOrEqual(1);
        }
        expect(fused.state.map((s) => [s[0], (s[1] as unknown[][]).map((b) => b[0])])).toEqual(chained.state.map((s) => [s[0], (s[1] as unknown[][]).map((b) => b[0])]));
        const m = worstMismatch(
          fused.state.map((s) => (s[1] as [string, number[]][]).map((b) => b[1])),
          chained.state.map((s) => (s[1] as [string, number[]][]).map((b) => b[1])),
          rel,
          abs,
        );
        expect(m.ratio, `state: ${describeMismatch(m)}`).toBeLessThanOrEqual(1);
        expect(fused.state.map((s) => s[2])).toEqual(chained.state.map((s) => s[2]));
      });
});
