import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  OPTIMIZER_NAMES,
  OPTIMIZERS,
  PRESETS,
  defaultConfig,
  resolveOptimizerConfig,
} from '../../../src-main/core/optim/index.ts';

function configError(input: unknown): ConfigError {
  try {
    resolveOptimizerConfig(input);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error(`accepted ${JSON.stringify(input)}`);
}

describe('the optimizer registry', () => {
  it('describes every optimizer: label, one sentence, effective lr, hyperparameters with help', () => {
    for (const name of OPTIMIZER_NAMES) {
      const info = OPTIMIZERS[name];
      expect(info.name).toBe(name);
      expect(info.label.length).toBeGreaterThan(2);
      expect(info.summary).toMatch(/^[A-Z].*\.$/);
      expect(info.effectiveLr.length).toBeGreaterThan(1);
      expect(info.hyperparams.map((h) => h.name)).toContain('lr');
      expect(info.hyperparams.map((h) => h.name)).toContain('maximize');
      for (const h of info.hyperparams) expect(h.help.length, `${name}.${h.name}`).toBeGreaterThan(5);
    }
    expect(OPTIMIZERS.adagrad.summary).toMatch(/sparse/);
  });

  it('each one-sentence description reads on its own: it names no other optimizer and leans on no "instead of" another', () => {
    const names = OPTIMIZER_NAMES.flatMap((n) => [n, OPTIMIZERS[n].label]);
    for (const name of OPTIMIZER_NAMES) {
      const summary = OPTIMIZERS[name].summary;
      const others = names.filter((other) => other.toLowerCase() !== name && other !== OPTIMIZERS[name].label);
      for (const other of others) expect(summary, `${name} names ${other}`).not.toMatch(new RegExp(`\\b${other}\\b`, 'i'));
      expect(summary, name).not.toMatch(/instead of the whole sum/);
    }
  });

  it('is plain data that survives JSON and structured clone (to be sent to the UI)', () => {
    expect(JSON.parse(JSON.stringify(OPTIMIZERS))).toEqual(OPTIMIZERS);
    expect(structuredClone(OPTIMIZERS)).toEqual(OPTIMIZERS);
  });

  it("has torch's defaults under the torch preset", () => {
    expect(defaultConfig('adam').hyperparams).toEqual({
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      eps_mode: 'outside',
      weight_decay: 0,
      weight_decay_mode: 'l2',
      amsgrad: false,
      amsgrad_mode: 'raw',
      maximize: false,
    });
    expect(defaultConfig('adamw').hyperparams).toMatchObject({ weight_decay: 1e-2, weight_decay_mode: 'decoupled' });
    expect(defaultConfig('adagrad').hyperparams).toMatchObject({ lr: 0.01, eps: 1e-10, initial_accumulator_value: 0, lr_decay: 0 });
    expect(defaultConfig('rmsprop').hyperparams).toMatchObject({ lr: 0.01, alpha: 0.99, eps: 1e-8, momentum: 0, centered: false });
    expect(defaultConfig('adamax').hyperparams).toMatchObject({ lr: 2e-3, eps: 1e-8 });
    expect(defaultConfig('nadam').hyperparams).toMatchObject({ lr: 2e-3, momentum_decay: 4e-3 });
    expect(defaultConfig('radam').hyperparams).toMatchObject({ lr: 1e-3, threshold: 5 });
    expect(defaultConfig('adadelta').hyperparams).toMatchObject({ lr: 1, rho: 0.9, eps: 1e-6 });
    expect(defaultConfig('rprop').hyperparams).toMatchObject({ lr: 0.01, etas: [0.5, 1.2], step_sizes: [1e-6, 50] });
    expect(defaultConfig('sgd').hyperparams).toMatchObject({ momentum: 0, dampening: 0, nesterov: false });
  });

  it('sets defaults and conventions by preset', () => {
    expect(defaultConfig('adam', 'keras').hyperparams).toMatchObject({ eps: 1e-7, eps_mode: 'hat', amsgrad_mode: 'raw', weight_decay_mode: 'decoupled' });
    expect(defaultConfig('adam', 'optax').hyperparams).toMatchObject({ eps: 1e-8, eps_mode: 'outside', amsgrad_mode: 'corrected' });
    expect(defaultConfig('adagrad', 'keras').hyperparams).toMatchObject({ initial_accumulator_value: 0.1, eps_mode: 'inside', zero_guard: false });
    expect(defaultConfig('adagrad', 'optax').hyperparams).toMatchObject({ initial_accumulator_value: 0.1, eps_mode: 'inside', zero_guard: true });
    expect(defaultConfig('rmsprop', 'keras').hyperparams).toMatchObject({ alpha: 0.9, eps: 1e-7, eps_mode: 'inside' });
    expect(defaultConfig('nadam', 'keras').hyperparams).toMatchObject({ momentum_decay: 1, momentum_schedule: 'dozat' });
    expect(defaultConfig('nadam', 'optax').hyperparams).toMatchObject({ momentum_schedule: 'constant' });
    expect(defaultConfig('radam', 'optax').hyperparams).toMatchObject({ eps_mode: 'outside' });
    expect(defaultConfig('adam', 'torch').gradient.clip_norm_eps).toBe(1e-6);
    expect(defaultConfig('adam', 'optax').gradient.clip_norm_eps).toBe(0);
  });

  it('gives every hyperparameter a default valid under each preset of its optimizer', () => {
    for (const name of OPTIMIZER_NAMES)
      for (const preset of OPTIMIZERS[name].presets) {
        const c = defaultConfig(name, preset);
        expect(Object.keys(c.hyperparams).sort()).toEqual(OPTIMIZERS[name].hyperparams.map((h) => h.name).sort());
      }
  });

  it('resolves to plain JSON that resolves to itself again', () => {
    for (const name of OPTIMIZER_NAMES)
      for (const preset of PRESETS.filter((p) => OPTIMIZERS[name].presets.includes(p))) {
        const c = resolveOptimizerConfig({ name, preset, hyperparams: { lr: 0.123 } });
        const again = resolveOptimizerConfig(JSON.parse(JSON.stringify(c)));
        expect(again).toEqual(c);
      }
  });
});

describe('validation', () => {
  it('names an unknown optimizer and lists the known ones', () => {
    const e = configError({ name: 'adamx' });
    expect(e.field).toBe('name');
    expect(e.value).toBe('adamx');
    expect(e.message).toBe('unknown optimizer "adamx"; known: sgd, adagrad, rmsprop, adam, adamw, adamax, nadam, radam, adadelta, rprop');
  });

  it('names an unknown hyperparameter', () => {
    const e = configError({ name: 'adam', hyperparams: { momentum: 0.9 } });
    expect(e.field).toBe('hyperparams.momentum');
    expect(e.message).toMatch(/unknown hyperparameter "momentum" for adam; known: lr, betas/);
  });

  it.each([
    [{ name: 'adam', hyperparams: { lr: 0 } }, 'hyperparams.lr', 0, '(0, ∞)'],
    [{ name: 'adam', hyperparams: { lr: -1 } }, 'hyperparams.lr', -1, '(0, ∞)'],
    [{ name: 'adam', hyperparams: { lr: Number.NaN } }, 'hyperparams.lr', Number.NaN, '(0, ∞)'],
    [{ name: 'adam', hyperparams: { lr: Infinity } }, 'hyperparams.lr', Infinity, '(0, ∞)'],
    [{ name: 'adam', hyperparams: { lr: '0.1' } }, 'hyperparams.lr', '0.1', '(0, ∞)'],
    [{ name: 'adam', hyperparams: { betas: [0.9, 1] } }, 'hyperparams.betas[1]', 1, '[0, 1)'],
    [{ name: 'adam', hyperparams: { betas: [-0.1, 0.9] } }, 'hyperparams.betas[0]', -0.1, '[0, 1)'],
    [{ name: 'adam', hyperparams: { eps: -1e-8 } }, 'hyperparams.eps', -1e-8, '[0, ∞)'],
    [{ name: 'sgd', hyperparams: { momentum: -0.1 } }, 'hyperparams.momentum', -0.1, '[0, 1]'],
    [{ name: 'adam', hyperparams: { weight_decay: -1 } }, 'hyperparams.weight_decay', -1, '[0, ∞)'],
    [{ name: 'rmsprop', hyperparams: { alpha: 1.5 } }, 'hyperparams.alpha', 1.5, '[0, 1]'],
    [{ name: 'rprop', hyperparams: { etas: [1.2, 0.5] } }, 'hyperparams.etas[0]', 1.2, '(0, 1)'],
    [{ name: 'radam', hyperparams: { threshold: 3 } }, 'hyperparams.threshold', 3, '[4, ∞)'],
  ])('%j → %s', (input, field, value, allowed) => {
    const e = configError(input);
    expect(e.field).toBe(field);
    if (Number.isNaN(value)) expect(e.value).toBeNaN();
    else expect(e.value).toEqual(value);
    expect(e.allowed).toBe(allowed);
    expect(e.message).toContain(field);
    expect(e.message).toContain(allowed);
  });

  it('refuses nesterov without momentum or with dampening', () => {
    expect(configError({ name: 'sgd', hyperparams: { nesterov: true } }).message).toBe('nesterov = true needs momentum > 0 (momentum = 0)');
    const e = configError({ name: 'sgd', hyperparams: { nesterov: true, momentum: 0.9, dampening: 0.1 } });
    expect(e.field).toBe('hyperparams.nesterov');
    expect(e.allowed).toBe('only with dampening = 0');
  });

  it('refuses a pair that is not a pair, and step sizes out of order', () => {
    expect(configError({ name: 'adam', hyperparams: { betas: 0.9 } }).message).toMatch(/betas must be a pair of numbers/);
    expect(configError({ name: 'rprop', hyperparams: { step_sizes: [1, 0.5] } }).message).toMatch(/first value must not exceed the second/);
  });

  it('refuses a non-boolean flag and an unknown convention', () => {
    expect(configError({ name: 'adam', hyperparams: { amsgrad: 'yes' } }).message).toBe('hyperparams.amsgrad must be true or false, not "yes"');
    const e = configError({ name: 'adam', hyperparams: { eps_mode: 'inside' } });
    expect(e.allowed).toBe('one of: outside, hat');
  });

  it('refuses a preset that does not have the optimizer, and unknown presets', () => {
    expect(configError({ name: 'rprop', preset: 'keras' }).message).toBe('preset "keras" has no rprop; rprop is available in: torch, optax');
    expect(configError({ name: 'adam', preset: 'jax' }).field).toBe('preset');
  });

  it('refuses unknown top-level fields, non-objects and bad gradient options', () => {
    expect(configError({ name: 'adam', lr: 0.1 }).message).toMatch(/unknown field "lr"/);
    expect(configError('adam').field).toBe('optimizer');
    expect(configError({ name: 'adam', gradient: { clip_norm: 0 } }).field).toBe('gradient.clip_norm');
    expect(configError({ name: 'adam', gradient: { clip: 1 } }).message).toMatch(/unknown gradient option "clip"/);
  });
});
