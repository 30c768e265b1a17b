// The optimizer configuration as the training loop, the run store and the UI store and send it
// (plain JSON), and its resolution against the registry: preset defaults filled in, every value
// checked, a ConfigError naming the field, the value and the allowed range otherwise.
import { ConfigError, showValue } from './errors.ts';
import { isPlainObject, nonNegative, positive, validateParam, type ParamSpec, type ParamValue } from './params.ts';
import {
  OPTIMIZER_NAMES,
  OPTIMIZERS,
  PRESETS,
  isOptimizerName,
  presetDefault,
  type HyperparamsByName,
  type OptimizerName,
  type Preset,
} from './registry.ts';

/** Gradient transforms applied to all groups before the optimizer (order: skip, value, norm). */
export interface GradientConfig {
  /** Clip by global norm over all groups: g ← g·min(1, c/(‖g‖ + clip_norm_eps)). Off when absent or null. */
  clip_norm?: number | null;
  /** torch's clip_grad_norm_ adds 1e-6 to the norm (the torch preset's default); Keras and Optax add 0. */
  clip_norm_eps?: number;
  /** Clip every gradient element into [−c, c]. Off when absent or null. */
  clip_value?: number | null;
  /** Skip the whole step (parameters and state untouched) when any gradient is NaN or ±∞, and count it. */
  skip_nonfinite?: boolean;
}

export interface ResolvedGradientConfig {
  clip_norm: number | null;
  clip_norm_eps: number;
  clip_value: number | null;
  skip_nonfinite: boolean;
}

/** What is stored and sent: JSON-serializable; missing hyperparameters take the preset's default. */
export interface OptimizerConfig {
  name: string;
  preset?: Preset;
  hyperparams?: Record<string, ParamValue>;
  gradient?: GradientConfig;
}

/** A validated configuration with every hyperparameter present. Also a valid OptimizerConfig. */
export type ResolvedOptimizerConfig = {
  [N in OptimizerName]: { name: N; preset: Preset; hyperparams: HyperparamsByName[N]; gradient: ResolvedGradientConfig };
}[OptimizerName];

export type ResolvedConfigOf<N extends OptimizerName> = Extract<ResolvedOptimizerConfig, { name: N }>;

/** The gradient options as registry specs (for CLI flags and UI forms). */
export const GRADIENT_OPTIONS: readonly (ParamSpec & { readonly defaults: { readonly [P in Preset]: ParamValue | null } })[] = [
  { kind: 'number', name: 'clip_norm', help: 'clip gradients to this global norm (off by default)', range: positive, defaults: { torch: null, keras: null, optax: null } },
  { kind: 'number', name: 'clip_norm_eps', help: 'added to the norm when clipping (torch 1e-6)', range: nonNegative, defaults: { torch: 1e-6, keras: 0, optax: 0 } },
  { kind: 'number', name: 'clip_value', help: 'clip every gradient element into [−c, c] (off by default)', range: positive, defaults: { torch: null, keras: null, optax: null } },
  { kind: 'boolean', name: 'skip_nonfinite', help: 'skip a step whose gradients contain NaN or ±∞', defaults: { torch: false, keras: false, optax: false } },
];

/** Rules across hyperparameters (the registry's `rules`), run once every value is in range. */
const CROSS_CHECKS: Partial<Record<OptimizerName, (hp: Record<string, ParamValue>) => void>> = {
  sgd(hp) {
    if (hp.nesterov !== true) return;
    if (!((hp.momentum as number) > 0))
      throw new ConfigError('hyperparams.nesterov', true, 'only with momentum > 0', `nesterov = true needs momentum > 0 (momentum = ${hp.momentum})`);
    if (hp.dampening !== 0)
      throw new ConfigError('hyperparams.nesterov', true, 'only with dampening = 0', `nesterov = true needs dampening = 0 (dampening = ${hp.dampening})`);
  },
};

const TOP_LEVEL_KEYS = ['name', 'preset', 'hyperparams', 'gradient'];

/** Validates an optimizer configuration (any JSON value) and fills in the preset's defaults. */
export function resolveOptimizerConfig(input: unknown): ResolvedOptimizerConfig {
  if (!isPlainObject(input)) throw new ConfigError('optimizer', input, 'an object { name, preset?, hyperparams? }', `an optimizer configuration must be an object { name, preset?, hyperparams? }, not ${showValue(input)}`);
  for (const key of Object.keys(input))
    if (!TOP_LEVEL_KEYS.includes(key)) throw new ConfigError(key, input[key], `one of: ${TOP_LEVEL_KEYS.join(', ')}`, `unknown field "${key}" in the optimizer configuration (known: ${TOP_LEVEL_KEYS.join(', ')})`);
  const name = input.name;
  if (!isOptimizerName(name))
    throw new ConfigError('name', name, `one of: ${OPTIMIZER_NAMES.join(', ')}`, `unknown optimizer ${showValue(name)}; known: ${OPTIMIZER_NAMES.join(', ')}`);
  const info = OPTIMIZERS[name];
  const preset = input.preset ?? 'torch';
  if (!(PRESETS as readonly unknown[]).includes(preset)) throw new ConfigError('preset', preset, `one of: ${PRESETS.join(', ')}`);
  if (!info.presets.includes(preset as Preset))
    throw new ConfigError('preset', preset, `one of: ${info.presets.join(', ')}`, `preset ${showValue(preset)} has no ${name}; ${name} is available in: ${info.presets.join(', ')}`);
  const given = input.hyperparams ?? {};
  if (!isPlainObject(given)) throw new ConfigError('hyperparams', given, 'an object of hyperparameters', `hyperparams must be an object, not ${showValue(given)}`);
  const known = info.hyperparams.map((h) => h.name);
  for (const key of Object.keys(given))
    if (!known.includes(key))
      throw new ConfigError(`hyperparams.${key}`, given[key], `one of: ${known.join(', ')}`, `unknown hyperparameter "${key}" for ${name}; known: ${known.join(', ')}`);
  const hyperparams: Record<string, ParamValue> = {};
  for (const spec of info.hyperparams) {
    const value = key(given, spec.name) ? given[spec.name] : presetDefault(spec, preset as Preset);
    hyperparams[spec.name] = validateParam(spec, value, `hyperparams.${spec.name}`);
  }
  CROSS_CHECKS[name]?.(hyperparams);
  return {
    name,
    preset: preset as Preset,
    // The registry holds exactly the keys of HyperparamsByName[name], each validated above.
    hyperparams: hyperparams as unknown as HyperparamsByName[typeof name],
    gradient: resolveGradientConfig(input.gradient, preset as Preset),
  } as ResolvedOptimizerConfig;
}

export function resolveGradientConfig(input: unknown, preset: Preset = 'torch'): ResolvedGradientConfig {
  const given = input ?? {};
  if (!isPlainObject(given)) throw new ConfigError('gradient', given, 'an object', `gradient must be an object, not ${showValue(given)}`);
  const known = GRADIENT_OPTIONS.map((o) => o.name);
  for (const k of Object.keys(given))
    if (!known.includes(k)) throw new ConfigError(`gradient.${k}`, given[k], `one of: ${known.join(', ')}`, `unknown gradient option "${k}"; known: ${known.join(', ')}`);
  const out: Record<string, ParamValue | null> = {};
  for (const spec of GRADIENT_OPTIONS) {
    const value = key(given, spec.name) ? given[spec.name] : spec.defaults[preset];
    out[spec.name] = value === null ? null : validateParam(spec, value, `gradient.${spec.name}`);
  }
  return out as unknown as ResolvedGradientConfig;
}

/** The full default hyperparameters of an optimizer under a preset (what a form starts from). */
export function defaultConfig(name: OptimizerName, preset: Preset = 'torch'): ResolvedOptimizerConfig {
  return resolveOptimizerConfig({ name, preset });
}

function key(obj: Record<string, unknown>, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, k) && obj[k] !== undefined;
}
