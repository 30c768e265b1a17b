import { describe, expect, it } from 'vitest';
import { tsKernels } from '../../../src-main/core/kernels/ts.ts';
import type { Kernels } from '../../../src-main/core/kernels/types.ts';
import {
  ConfigError,
  Optimizer,
  StateDictError,
  stateDictToJSON,
  type OptimizerConfig,
  type OptimizerOptions,
} from '../../../src-main/core/optim/index.ts';
import { createSchedule, resolveScheduleConfig } from '../../../src-main/core/schedules/index.ts';
import { Rng } from '../../../src-main/core/rng.ts';
import { createParamSet, type Dtype, type ParamSpec } from '../../../src-main/core/tensor.ts';

const SPECS: ParamSpec[] = [
  { name: 'layers.0.weight', shape: [3, 2], role: 'weight' },
  { name: 'layers.0.bias', shape: [3], role: 'bias' },
  { name: 'layers.1.weight', shape: [1, 3], role: 'weight' },
  { name: 'layers.1.bias', shape: [1], role: 'bias' },
];

/** A model with weights in group 0 and biases in group 1, values from a seed. */
function model(dtype: Dtype = 'float64', specs: ParamSpec[] = SPECS) {
  const set = createParamSet(specs, dtype, (s) => (s.role === 'bias' ? 1 : 0));
  const rng = new Rng(7);
  for (const spec of SPECS) {
    // Draw for every tensor, present or not, so each name gets the same values in every model.
    const draws = Array.from({ length: spec.shape.reduce((a, b) => a * b, 1) }, () => rng.normal());
    set.byName.get(spec.name)?.values.set(draws);
  }
  return set;
}

/** Deterministic gradients by parameter name and step (independent of grouping and order). */
function fillGrads(set: ReturnType<typeof model>, k: number) {
  for (const [name, v] of set.byName)
    for (let i = 0; i < v.grad.length; i++) v.grad[i] = Math.sin(k * 1.7 + i * 0.9 + name.length) * (name.endsWith('bias') ? 0.3 : 1);
}

function train(set: ReturnType<typeof model>, opt: Optimizer, from: number, to: number) {
  for (let k = from; k < to; k++) {
    fillGrads(set, k);
    opt.step();
  }
}

const values = (set: ReturnType<typeof model>) => Object.fromEntries([...set.byName].map(([n, v]) => [n, Array.from(v.values)]));

const ADAM: OptimizerConfig = { name: 'adamw', hyperparams: { lr: 0.01, weight_decay: 0.1, amsgrad: true } };

describe('parameter groups', () => {
  it('each group has its own lr and weight decay (no decay for biases)', () => {
    const both = model();
    const opt = new Optimizer(both, ADAM, { groups: [{}, { lr: 0.002, weight_decay: 0 }] });
    train(both, opt, 0, 5);
    // The same as two optimizers, each over a model of one group.
    const weights = model('float64', SPECS.filter((s) => s.role === 'weight'));
    const biases = model('float64', SPECS.filter((s) => s.role === 'bias'));
    const ow = new Optimizer(weights, ADAM);
    const ob = new Optimizer(biases, { ...ADAM, hyperparams: { ...ADAM.hyperparams, lr: 0.002, weight_decay: 0 } });
    train(weights, ow, 0, 5);
    train(biases, ob, 0, 5);
    expect(values(both)).toEqual({ ...values(weights), ...values(biases) });
    expect(opt.groups.map((g) => [g.lr, g.weightDecay, g.step])).toEqual([
      [0.01, 0.1, 5],
      [0.002, 0, 5],
    ]);
    expect(opt.groups[1].names).toEqual(['layers.0.bias', 'layers.1.bias']);
  });

  it('validates group overrides', () => {
    expect(() => new Optimizer(model(), ADAM, { groups: [{}, { lr: -1 }] })).toThrow(ConfigError);
    expect(() => new Optimizer(model(), ADAM, { groups: [{}, { lr: -1 }] })).toThrow('groups[1].lr = -1 is out of range; allowed: (0, ∞)');
    expect(() => new Optimizer(model(), { name: 'rprop' }, { groups: [{}, { weight_decay: 0.1 }] })).toThrow('rprop has no weight decay; groups[1].weight_decay must be 0');
    expect(() => new Optimizer(model(), ADAM, { groups: [{}, {}, {}] })).toThrow(/3 group options given for 2 parameter groups/);
  });

  it("takes Rprop's initial step size from the group's lr", () => {
    const set = model();
    const opt = new Optimizer(set, { name: 'rprop' }, { groups: [{}, { lr: 0.5 }] });
    const sd = opt.stateDict();
    expect(Array.from(sd.state['layers.1.bias'].buffers.step_size)).toEqual([0.5]);
    expect(Array.from(sd.state['layers.1.weight'].buffers.step_size)).toEqual([0.01, 0.01, 0.01]);
  });
});

describe.each(['fused', 'chain'] as const)('step() and zeroGrad() (%s)', (engine) => {
  it('updates the parameters in their dtype and leaves the gradients as they are', () => {
    for (const dtype of ['float32', 'float64'] as const) {
      const set = model(dtype);
      const opt = new Optimizer(set, ADAM, { engine });
      fillGrads(set, 0);
      const before = values(set);
      const grads = set.groups.map((g) => Array.from(g.grads));
      expect(opt.step().engine).toBe(engine);
      expect(set.groups.map((g) => Array.from(g.grads))).toEqual(grads);
      expect(values(set)).not.toEqual(before);
      expect(set.groups[0].values).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
      expect(opt.stateDict().state['layers.0.weight'].buffers.exp_avg).toBeInstanceOf(dtype === 'float32' ? Float32Array : Float64Array);
      opt.zeroGrad();
      expect(set.groups.every((g) => g.grads.every((x) => x === 0))).toBe(true);
      expect(opt.stepCount).toBe(1);
    }
  });
});

describe('engine selection', () => {
  it('uses the fused kernels when the set has them, the chain otherwise', () => {
    const { adamStep: _unused, ...withoutAdam } = tsKernels;
    const partial = withoutAdam as unknown as Kernels;
    expect(new Optimizer(model(), ADAM, { kernels: tsKernels }).engineInUse()).toBe('fused');
    expect(new Optimizer(model(), ADAM, { kernels: partial }).engineInUse()).toBe('chain');
    expect(new Optimizer(model(), { name: 'sgd' }, { kernels: partial }).engineInUse()).toBe('fused');
    expect(new Optimizer(model(), ADAM, { kernels: tsKernels, engine: 'chain' }).engineInUse()).toBe('chain');
    expect(() => new Optimizer(model(), ADAM, { kernels: partial, engine: 'fused' }).step()).toThrow(/no fused step for adamw/);
  });
});

describe('state dict', () => {
  const OPTIONS: OptimizerOptions = { groups: [{}, { weight_decay: 0 }] };

  it('resumes exactly where it left off, through JSON', () => {
    for (const config of [ADAM, { name: 'nadam' }, { name: 'rprop' }, { name: 'sgd', hyperparams: { momentum: 0.9 } }] as OptimizerConfig[]) {
      const straight = model();
      const o1 = new Optimizer(straight, config, OPTIONS);
      train(straight, o1, 0, 10);

      const first = model();
      const o2 = new Optimizer(first, config, OPTIONS);
      train(first, o2, 0, 5);
      const json = JSON.parse(JSON.stringify(stateDictToJSON(o2.stateDict())));
      expect(json.state['layers.0.weight'].shape).toEqual([3, 2]);
      const resumed = model();
      for (const [name, v] of first.byName) resumed.byName.get(name)!.values.set(v.values);
      const o3 = new Optimizer(resumed, config, OPTIONS);
      o3.loadStateDict(json);
      expect(o3.stepCount).toBe(5);
      train(resumed, o3, 5, 10);
      expect(values(resumed)).toEqual(values(straight));
    }
  });

  it('is keyed by parameter name: it loads into another grouping and order', () => {
    const a = model();
    const oa = new Optimizer(a, ADAM);
    train(a, oa, 0, 3);
    const sd = oa.stateDict();
    const reordered = [...SPECS].reverse();
    const b = createParamSet(reordered, 'float64'); // one group, reversed order
    for (const [name, v] of a.byName) b.byName.get(name)!.values.set(v.values);
    const ob = new Optimizer(b, ADAM);
    ob.loadStateDict(sd);
    train(a, oa, 3, 6);
    train(b as ReturnType<typeof model>, ob, 3, 6);
    expect(values(b as ReturnType<typeof model>)).toEqual(values(a));
  });

  it('refuses a state that does not fit, with a clear message, changing nothing', () => {
    const src = model();
    const o = new Optimizer(src, ADAM);
    train(src, o, 0, 2);
    const good = stateDictToJSON(o.stateDict());
    const target = model();
    const ot = new Optimizer(target, ADAM);
    train(target, ot, 0, 1);
    const before = JSON.stringify(stateDictToJSON(ot.stateDict()));
    const params = JSON.stringify(values(target));
    const refuse = (sd: unknown, message: string | RegExp) => {
      expect(() => ot.loadStateDict(sd)).toThrow(StateDictError);
      expect(() => ot.loadStateDict(sd)).toThrow(message);
      expect(JSON.stringify(stateDictToJSON(ot.stateDict()))).toBe(before);
      expect(JSON.stringify(values(target))).toBe(params);
    };
    const edit = (f: (sd: ReturnType<typeof structuredClone<typeof good>>) => void) => {
      const sd = structuredClone(good);
      f(sd);
      return sd;
    };
    refuse({ ...good, format: 'torch' }, 'format is "torch", expected "precond-optim-state"');
    refuse({ ...good, version: 2 }, 'version 2 is not supported (this build reads version 1)');
    refuse(stateDictToJSON(new Optimizer(model(), { name: 'sgd' }).stateDict()), 'it was saved by optimizer "sgd", this optimizer is adamw');
    refuse({ ...good, dtype: 'float32' }, 'it holds "float32" state, these parameters are float64');
    refuse(edit((sd) => (sd.state['layers.0.weight'].shape = [2, 3])), 'parameter "layers.0.weight" has shape [3,2], the saved state has shape [2,3]');
    refuse(edit((sd) => delete sd.state['layers.1.bias']), 'no state for parameter "layers.1.bias"');
    refuse(edit((sd) => (sd.state['extra.weight'] = sd.state['layers.1.bias'])), 'it has state for parameter "extra.weight", which this model does not have');
    refuse(edit((sd) => (sd.state['layers.0.bias'].buffers.exp_avg = [1, 2])), 'parameter "layers.0.bias": buffer exp_avg must hold 3 numbers');
    refuse(edit((sd) => (sd.state['layers.0.bias'].step = 7)), /saved at different steps/);
    refuse(stateDictToJSON(new Optimizer(model(), { name: 'adamw' }).stateDict()), /the saved state has buffers \[exp_avg, exp_avg_sq\], this adamw configuration keeps \[exp_avg, exp_avg_sq, max_exp_avg_sq\]/);
    refuse('state', 'not a state dict object');
    // And the good one loads.
    ot.loadStateDict(good);
    expect(ot.stepCount).toBe(2);
  });

  it('fused and chain states are interchangeable', () => {
    const a = model();
    const fused = new Optimizer(a, ADAM, { engine: 'fused' });
    train(a, fused, 0, 4);
    const b = model();
    for (const [name, v] of a.byName) b.byName.get(name)!.values.set(v.values);
    const chained = new Optimizer(b, ADAM, { engine: 'chain' });
    chained.loadStateDict(fused.stateDict());
    train(a, fused, 4, 8);
    train(b, chained, 4, 8);
    const va = values(a), vb = values(b);
    for (const name of Object.keys(va)) va[name].forEach((x, i) => expect(vb[name][i]).toBeCloseTo(x, 12));
  });
});

describe('gradient transforms', () => {
  function oneStep(config: OptimizerConfig, grads: number[]) {
    const set = createParamSet([{ name: 'w', shape: [grads.length], role: 'weight' }], 'float64');
    set.groups[0].grads.set(grads);
    const opt = new Optimizer(set, config);
    const report = opt.step();
    return { report, params: Array.from(set.groups[0].values), grads: Array.from(set.groups[0].grads), opt };
  }

  it("clip by global norm, with torch's +1e-6 under the torch preset and none under Optax", () => {
    const torch = oneStep({ name: 'sgd', hyperparams: { lr: 1 }, gradient: { clip_norm: 1 } }, [3, 4]);
    expect(torch.report.gradNorm).toBe(5);
    expect(torch.grads).toEqual([3 * (1 / (5 + 1e-6)), 4 * (1 / (5 + 1e-6))]);
    expect(torch.params).toEqual([-torch.grads[0], -torch.grads[1]]);
    const optax = oneStep({ name: 'sgd', preset: 'optax', hyperparams: { lr: 1 }, gradient: { clip_norm: 1 } }, [3, 4]);
    expect(optax.grads).toEqual([3 * (1 / 5), 4 * (1 / 5)]);
    const under = oneStep({ name: 'sgd', hyperparams: { lr: 1 }, gradient: { clip_norm: 10 } }, [3, 4]);
    expect(under.grads).toEqual([3, 4]);
  });

  it('clip by global norm spans all groups', () => {
    const set = model();
    for (const g of set.groups) g.grads.fill(1);
    const opt = new Optimizer(set, { name: 'sgd', gradient: { clip_norm: 1, clip_norm_eps: 0 } });
    expect(opt.step().gradNorm).toBeCloseTo(Math.sqrt(13), 14);
    const all = set.groups.flatMap((g) => Array.from(g.grads));
    expect(Math.hypot(...all)).toBeCloseTo(1, 14);
  });

  it('clip by value', () => {
    expect(oneStep({ name: 'sgd', gradient: { clip_value: 0.5 } }, [3, -4, 0.25]).grads).toEqual([0.5, -0.5, 0.25]);
  });

  it('skips and counts steps with non-finite gradients, changing nothing', () => {
    const set = createParamSet([{ name: 'w', shape: [2], role: 'weight' }], 'float64');
    const opt = new Optimizer(set, { name: 'adam', gradient: { skip_nonfinite: true } });
    set.groups[0].grads.set([1, 1]);
    opt.step();
    const p = Array.from(set.groups[0].values);
    const sd = JSON.stringify(stateDictToJSON(opt.stateDict()));
    for (const bad of [NaN, Infinity, -Infinity]) {
      set.groups[0].grads.set([1, bad]);
      expect(opt.step().skipped).toBe(true);
    }
    expect(opt.skippedSteps).toBe(3);
    expect(Array.from(set.groups[0].values)).toEqual(p);
    expect(opt.stepCount).toBe(1);
    expect(JSON.stringify({ ...stateDictToJSON(opt.stateDict()), skipped_steps: 0 })).toBe(sd);
    // Without the option the NaN goes through, as in torch.
    const plain = oneStep({ name: 'adam' }, [1, NaN]);
    expect(plain.params[1]).toBeNaN();
    expect(plain.report.skipped).toBe(false);
  });
});

describe('schedules', () => {
  it('sets each group’s lr from its own base lr every step', () => {
    const set = model();
    const schedule = { name: 'cosine', T_max: 4, eta_min: 0.001 };
    const opt = new Optimizer(set, { name: 'sgd', hyperparams: { lr: 0.1 } }, { groups: [{}, { lr: 0.05 }], schedule });
    const resolved = resolveScheduleConfig(schedule);
    const [s0, s1] = [createSchedule(resolved, 0.1), createSchedule(resolved, 0.05)];
    for (let t = 0; t < 6; t++) {
      fillGrads(set, t);
      const before = Array.from(set.groups[1].values);
      const g = Array.from(set.groups[1].grads);
      const report = opt.step();
      expect(report.lrs).toEqual([s0(t), s1(t)]);
      Array.from(set.groups[1].values).forEach((x, i) => expect(x).toBeCloseTo(before[i] - s1(t) * g[i], 15));
    }
    expect(() => opt.setLr(0.5)).toThrow(/driven by the cosine schedule/);
  });

  it('reduce-on-plateau lowers every group’s lr when the metric stalls', () => {
    const set = model();
    const opt = new Optimizer(set, { name: 'sgd', hyperparams: { lr: 0.1 } }, { groups: [{}, { lr: 0.01 }], schedule: { name: 'plateau', patience: 1, factor: 0.5 } });
    expect(opt.observeMetric(1)).toBe(false);
    expect(opt.observeMetric(1)).toBe(false);
    expect(opt.observeMetric(1)).toBe(true);
    expect(opt.groups.map((g) => g.lr)).toEqual([0.05, 0.005]);
    fillGrads(set, 0);
    expect(opt.step().lrs).toEqual([0.05, 0.005]);
    const resumed = new Optimizer(model(), { name: 'sgd', hyperparams: { lr: 0.1 } }, { groups: [{}, { lr: 0.01 }], schedule: { name: 'plateau', patience: 1, factor: 0.5 } });
    resumed.loadStateDict(JSON.parse(JSON.stringify(stateDictToJSON(opt.stateDict()))));
    expect(resumed.groups.map((g) => g.lr)).toEqual([0.05, 0.005]);
  });

  it('setLr changes the lr when no schedule drives it', () => {
    const set = model();
    const opt = new Optimizer(set, { name: 'sgd' });
    opt.setLr(0.25, 1);
    fillGrads(set, 0);
    expect(opt.step().lrs).toEqual([1e-3, 0.25]);
    expect(() => opt.setLr(0)).toThrow(ConfigError);
  });
});
