// The optimizer registry: what the CLI, the UI and validation know about each optimizer — its
// name, label, how it preconditions in one sentence, the effective step size it reports, and
// its hyperparameters (torch's spelling) with a default per preset and the allowed range.
//
// Plain data (JSON- and structured-clone-safe), so it can be sent to the UI as it is.
//
// Presets set defaults *and* conventions: `torch` (default) follows torch.optim 1.13, `keras`
// Keras 3 and `optax` Optax. Conventions are ordinary choice/boolean hyperparameters marked
// `convention: true`, so any of them can be overridden on its own.
import {
  nonNegative,
  positive,
  unitClosed,
  unitHalfOpen,
  type ParamSpec,
  type ParamValue,
  type Pair,
  type Range,
} from './params.ts';

export const PRESETS = ['torch', 'keras', 'optax'] as const;
export type Preset = (typeof PRESETS)[number];

export const OPTIMIZER_NAMES = ['sgd', 'adagrad', 'rmsprop', 'adam', 'adamw', 'adamax', 'nadam', 'radam', 'adadelta', 'rprop'] as const;
export type OptimizerName = (typeof OPTIMIZER_NAMES)[number];

export type WeightDecayMode = 'l2' | 'decoupled' | 'independent';

interface CommonHyperparams {
  lr: number;
  maximize: boolean;
}
interface DecayHyperparams {
  weight_decay: number;
  weight_decay_mode: WeightDecayMode;
}
export interface SgdHyperparams extends CommonHyperparams, DecayHyperparams {
  momentum: number;
  dampening: number;
  nesterov: boolean;
}
export interface AdagradHyperparams extends CommonHyperparams, DecayHyperparams {
  lr_decay: number;
  initial_accumulator_value: number;
  eps: number;
  eps_mode: 'outside' | 'inside';
  zero_guard: boolean;
}
export interface RmspropHyperparams extends CommonHyperparams, DecayHyperparams {
  alpha: number;
  eps: number;
  eps_mode: 'outside' | 'inside';
  momentum: number;
  centered: boolean;
}
export interface AdamHyperparams extends CommonHyperparams, DecayHyperparams {
  betas: Pair;
  eps: number;
  eps_mode: 'outside' | 'hat';
  amsgrad: boolean;
  amsgrad_mode: 'raw' | 'corrected';
}
export interface AdamaxHyperparams extends CommonHyperparams, DecayHyperparams {
  betas: Pair;
  eps: number;
  eps_mode: 'inside' | 'outside';
}
export interface NadamHyperparams extends CommonHyperparams, DecayHyperparams {
  betas: Pair;
  eps: number;
  momentum_decay: number;
  momentum_schedule: 'dozat' | 'constant';
  mu_product_dtype: 'float32' | 'float64';
}
export interface RadamHyperparams extends CommonHyperparams, DecayHyperparams {
  betas: Pair;
  eps: number;
  eps_mode: 'hat' | 'outside';
  threshold: number;
}
export interface AdadeltaHyperparams extends CommonHyperparams, DecayHyperparams {
  rho: number;
  eps: number;
}
export interface RpropHyperparams extends CommonHyperparams {
  etas: Pair;
  step_sizes: Pair;
}

export interface HyperparamsByName {
  sgd: SgdHyperparams;
  adagrad: AdagradHyperparams;
  rmsprop: RmspropHyperparams;
  adam: AdamHyperparams;
  adamw: AdamHyperparams;
  adamax: AdamaxHyperparams;
  nadam: NadamHyperparams;
  radam: RadamHyperparams;
  adadelta: AdadeltaHyperparams;
  rprop: RpropHyperparams;
}

/** A default for every preset; a preset left out takes torch's value. */
export type PresetDefaults<V> = { readonly torch: V; readonly keras?: V; readonly optax?: V };

export type HyperparamSpec = ParamSpec & {
  readonly defaults: PresetDefaults<ParamValue>;
  /** True for a library convention (where ε sits, which weight decay...) rather than a tuning knob. */
  readonly convention?: boolean;
};

export interface OptimizerInfo {
  readonly name: OptimizerName;
  readonly label: string;
  /** One plain sentence: how it preconditions, and what that is good or bad for. */
  readonly summary: string;
  /** The per-parameter multiplier reported as the effective step size, as a formula. */
  readonly effectiveLr: string;
  /** Presets that define this optimizer (Keras has no RAdam or Rprop). */
  readonly presets: readonly Preset[];
  readonly hyperparams: readonly HyperparamSpec[];
  /** Rules across hyperparameters, in words (checked by config.ts). */
  readonly rules?: readonly string[];
}

// --- hyperparameter builders --------------------------------------------------------------

function num(name: string, help: string, range: Range, defaults: PresetDefaults<number>): HyperparamSpec {
  return { kind: 'number', name, help, range, defaults };
}
function pair(name: string, help: string, range: readonly [Range, Range], defaults: PresetDefaults<Pair>, ordered = false): HyperparamSpec {
  return { kind: 'pair', name, help, range, defaults, ordered };
}
function bool(name: string, help: string, defaults: PresetDefaults<boolean>, convention = false): HyperparamSpec {
  return { kind: 'boolean', name, help, defaults, convention };
}
function choice(name: string, help: string, choices: [string, string][], defaults: PresetDefaults<string>): HyperparamSpec {
  return { kind: 'choice', name, help, choices: choices.map(([value, h]) => ({ value, help: h })), defaults, convention: true };
}

const lr = (defaults: PresetDefaults<number>, help = 'learning rate η') => num('lr', help, positive, defaults);
const maximize = bool('maximize', 'ascend the objective instead of descending it', { torch: false });
const betas = pair('betas', 'decay rates (β₁, β₂) of the first and second moment averages', [unitHalfOpen, unitHalfOpen], { torch: [0.9, 0.999] });
const eps = (defaults: PresetDefaults<number>) => num('eps', 'ε, keeps the denominator away from zero', nonNegative, defaults);
const weightDecay = (defaults: PresetDefaults<number> = { torch: 0 }) => num('weight_decay', 'weight decay λ', nonNegative, defaults);
const weightDecayMode = (defaults: PresetDefaults<string>) =>
  choice(
    'weight_decay_mode',
    'how weight decay is applied',
    [
      ['l2', 'L2: λθ is added to the gradient, before the preconditioner (torch weight_decay)'],
      ['decoupled', 'decoupled: θ ← θ(1 − ηλ), outside the preconditioner (AdamW, Keras)'],
      ['independent', 'decoupled and independent of the learning rate: θ ← θ(1 − λ)'],
    ],
    defaults,
  );
const epsOutsideInside = (defaults: PresetDefaults<string>) =>
  choice(
    'eps_mode',
    'where ε sits in the denominator',
    [
      ['outside', 'outside the root: √v + ε (torch)'],
      ['inside', 'inside the root: √(v + ε) (Keras, Optax)'],
    ],
    defaults,
  );
const decayKeras = { torch: 'l2', keras: 'decoupled', optax: 'l2' } as const;

// --- the optimizers -----------------------------------------------------------------------

const ALL: readonly Preset[] = PRESETS;

export const OPTIMIZERS: { readonly [N in OptimizerName]: OptimizerInfo } = {
  sgd: {
    name: 'sgd',
    label: 'SGD',
    summary:
      'No preconditioning: every parameter moves by the same learning rate times its gradient (optionally smoothed by momentum), so one step size has to suit the steepest direction.',
    effectiveLr: 'lr',
    presets: ALL,
    hyperparams: [
      lr({ torch: 1e-3, keras: 0.01, optax: 1e-3 }),
      num('momentum', 'momentum factor μ', unitClosed, { torch: 0 }),
      num('dampening', 'dampening τ of the momentum buffer', unitClosed, { torch: 0 }),
      bool('nesterov', 'Nesterov momentum (needs momentum > 0 and dampening = 0)', { torch: false }),
      weightDecay(),
      weightDecayMode(decayKeras),
      maximize,
    ],
    rules: ['nesterov needs momentum > 0 and dampening = 0'],
  },
  adagrad: {
    name: 'adagrad',
    label: 'AdaGrad',
    summary:
      'Divides each step by the root of the sum of all past squared gradients of that parameter: good for sparse features, which keep large steps, but the step only shrinks and can fade to nothing.',
    effectiveLr: 'lr_t / (√G + ε), lr_t = lr / (1 + (t − 1)·lr_decay)',
    presets: ALL,
    hyperparams: [
      lr({ torch: 0.01, keras: 1e-3, optax: 0.01 }),
      num('lr_decay', 'learning rate decay: lr_t = lr / (1 + (t − 1)·lr_decay)', nonNegative, { torch: 0 }),
      num('initial_accumulator_value', 'starting value of the sum of squared gradients', nonNegative, { torch: 0, keras: 0.1, optax: 0.1 }),
      eps({ torch: 1e-10, keras: 1e-7, optax: 1e-7 }),
      epsOutsideInside({ torch: 'outside', keras: 'inside', optax: 'inside' }),
      bool('zero_guard', 'Optax: a parameter whose gradients were always zero gets a zero update instead of 0/0', { torch: false, keras: false, optax: true }, true),
      weightDecay(),
      weightDecayMode(decayKeras),
      maximize,
    ],
  },
  rmsprop: {
    name: 'rmsprop',
    label: 'RMSprop',
    summary:
      'Divides each step by the root of a decaying average of that parameter\'s squared gradients, so the step follows the recent gradient scale and does not fade away over a long run.',
    effectiveLr: 'lr / (√v + ε); centered: lr / (√(v − ḡ²) + ε)',
    presets: ALL,
    hyperparams: [
      lr({ torch: 0.01, keras: 1e-3, optax: 0.01 }),
      num('alpha', 'smoothing constant of the squared-gradient average (Keras: rho, Optax: decay)', unitClosed, { torch: 0.99, keras: 0.9, optax: 0.9 }),
      eps({ torch: 1e-8, keras: 1e-7, optax: 1e-8 }),
      epsOutsideInside({ torch: 'outside', keras: 'inside', optax: 'inside' }),
      num('momentum', 'momentum factor applied to the preconditioned gradient', unitClosed, { torch: 0 }),
      bool('centered', 'divide by an estimate of the variance (v − ḡ²) instead of v', { torch: false }),
      weightDecay(),
      weightDecayMode(decayKeras),
      maximize,
    ],
  },
  adam: {
    name: 'adam',
    label: 'Adam',
    summary:
      'Keeps decaying averages of each parameter\'s gradients (momentum) and of its squared gradients, both bias-corrected for their zero start, and steps by the first over the root of the second.',
    effectiveLr: 'lr / (√v̂ + ε), applied to m̂ (AMSGrad: v̂ from the running max)',
    presets: ALL,
    hyperparams: adamHyperparams({ torch: 0 }, decayKeras),
  },
  adamw: {
    name: 'adamw',
    label: 'AdamW',
    summary:
      'Steps by bias-corrected momentum over the root of a decaying average of squared gradients, and shrinks the weights directly, θ ← θ(1 − ηλ), so weight decay is not rescaled by that per-parameter divisor.',
    effectiveLr: 'lr / (√v̂ + ε), applied to m̂ (AMSGrad: v̂ from the running max)',
    presets: ALL,
    hyperparams: adamHyperparams({ torch: 1e-2, keras: 4e-3, optax: 1e-4 }, { torch: 'decoupled' }),
  },
  adamax: {
    name: 'adamax',
    label: 'Adamax',
    summary:
      'Divides bias-corrected momentum by a decaying maximum of each parameter\'s absolute gradients (an infinity norm) rather than a root-mean-square, so a rare huge gradient does not dominate for long.',
    effectiveLr: 'lr / u, applied to m̂ (u the decayed max of |g|)',
    presets: ALL,
    hyperparams: [
      lr({ torch: 2e-3, keras: 1e-3, optax: 2e-3 }),
      betas,
      eps({ torch: 1e-8, keras: 1e-7, optax: 1e-8 }),
      choice(
        'eps_mode',
        'where ε sits',
        [
          ['inside', 'inside the max: max(β₂u, |g| + ε) (torch)'],
          ['outside', 'added after the max: max(β₂u, |g|) + ε (Keras, Optax)'],
        ],
        { torch: 'inside', keras: 'outside', optax: 'outside' },
      ),
      weightDecay(),
      weightDecayMode(decayKeras),
      maximize,
    ],
  },
  nadam: {
    name: 'nadam',
    label: 'NAdam',
    summary:
      'Divides a Nesterov look-ahead momentum (the current gradient mixed into the bias-corrected average) by the root of a decaying average of squared gradients; the momentum warms up over the first steps.',
    effectiveLr: 'lr / (√v̂ + ε), applied to the Nesterov mix of g and m',
    presets: ALL,
    hyperparams: [
      lr({ torch: 2e-3, keras: 1e-3, optax: 2e-3 }),
      betas,
      eps({ torch: 1e-8, keras: 1e-7, optax: 1e-8 }),
      num('momentum_decay', 'ψ of the momentum schedule μₜ = β₁(1 − ½·0.96^(tψ)) (Keras 3: 0.96^t, ψ = 1)', nonNegative, { torch: 4e-3, keras: 1, optax: 4e-3 }),
      choice(
        'momentum_schedule',
        'how the momentum μₜ evolves',
        [
          ['dozat', "Dozat's warm-up μₜ = β₁(1 − ½·0.96^(tψ)) (torch, Keras)"],
          ['constant', 'μₜ = β₁ (Optax nesterov Adam)'],
        ],
        { torch: 'dozat', keras: 'dozat', optax: 'constant' },
      ),
      choice(
        'mu_product_dtype',
        'precision of the running product ∏μ',
        [
          ['float32', 'rounded to float32 each step, as torch and Keras store it'],
          ['float64', 'kept in float64'],
        ],
        { torch: 'float32', keras: 'float32', optax: 'float64' },
      ),
      weightDecay(),
      weightDecayMode(decayKeras),
      maximize,
    ],
  },
  radam: {
    name: 'radam',
    label: 'RAdam',
    summary:
      'Starts with plain momentum steps and switches on the division by the root of a decaying squared-gradient average, rectified, only once enough steps have made that average trustworthy.',
    effectiveLr: 'lr·rₜ / (√v̂ + ε) once rectified (ρₜ > threshold), lr before',
    presets: ['torch', 'optax'],
    hyperparams: [
      lr({ torch: 1e-3 }),
      betas,
      eps({ torch: 1e-8 }),
      choice(
        'eps_mode',
        'where ε sits',
        [
          ['hat', '√(1 − β₂ᵗ)/(√v + ε): ε added to √v (torch)'],
          ['outside', '1/(√v̂ + ε): ε added to the corrected √v̂ (Optax)'],
        ],
        { torch: 'hat', optax: 'outside' },
      ),
      num('threshold', 'ρₜ above which the variance is rectified (torch: fixed at 5)', { min: 4 }, { torch: 5 }),
      weightDecay(),
      weightDecayMode({ torch: 'l2' }),
      maximize,
    ],
  },
  adadelta: {
    name: 'adadelta',
    label: 'Adadelta',
    summary:
      'Scales each gradient by the ratio of a decaying root-mean-square of past updates to that of past gradients, so steps carry the units of the parameter and lr needs little tuning.',
    effectiveLr: 'lr·√(u + ε) / √(v + ε)',
    presets: ALL,
    hyperparams: [
      lr({ torch: 1.0, keras: 1e-3, optax: 1.0 }, 'learning rate η, a multiplier on the adapted step'),
      num('rho', 'decay rate of both averages', unitClosed, { torch: 0.9, keras: 0.95, optax: 0.9 }),
      eps({ torch: 1e-6, keras: 1e-7, optax: 1e-6 }),
      weightDecay(),
      weightDecayMode(decayKeras),
      maximize,
    ],
  },
  rprop: {
    name: 'rprop',
    label: 'Rprop',
    summary:
      "Ignores gradient magnitudes: each parameter keeps its own step size, which grows while the gradient's sign stays the same and shrinks when it flips.",
    effectiveLr: 'its per-parameter step size s',
    presets: ['torch', 'optax'],
    rules: ['step_sizes: minimum ≤ maximum'],
    hyperparams: [
      lr({ torch: 0.01 }, 'initial per-parameter step size'),
      pair('etas', 'multiplicative (decrease, increase) factors of the step size', [{ min: 0, max: 1, minOpen: true, maxOpen: true }, { min: 1, minOpen: true }], { torch: [0.5, 1.2] }),
      pair('step_sizes', '(minimum, maximum) step size', [nonNegative, positive], { torch: [1e-6, 50] }, true),
      maximize,
    ],
  },
};

function adamHyperparams(wd: PresetDefaults<number>, mode: PresetDefaults<string>): HyperparamSpec[] {
  return [
    lr({ torch: 1e-3 }),
    betas,
    eps({ torch: 1e-8, keras: 1e-7, optax: 1e-8 }),
    choice(
      'eps_mode',
      'where ε sits',
      [
        ['outside', 'added to the corrected root: m̂/(√v̂ + ε) (torch, Optax)'],
        ['hat', "Keras' ε-hat, added to the raw root: m̂/(√v̂ + ε/√(1 − β₂ᵗ))"],
      ],
      { torch: 'outside', keras: 'hat', optax: 'outside' },
    ),
    weightDecay(wd),
    weightDecayMode(mode),
    bool('amsgrad', 'AMSGrad: divide by the running maximum of the second moment', { torch: false }),
    choice(
      'amsgrad_mode',
      'what AMSGrad takes the maximum of',
      [
        ['raw', 'the raw second moment v, corrected afterwards (torch, Keras)'],
        ['corrected', 'the bias-corrected v̂ (Optax)'],
      ],
      { torch: 'raw', keras: 'raw', optax: 'corrected' },
    ),
    maximize,
  ];
}

export function isOptimizerName(name: unknown): name is OptimizerName {
  return typeof name === 'string' && (OPTIMIZER_NAMES as readonly string[]).includes(name);
}

export function optimizerInfo(name: OptimizerName): OptimizerInfo {
  return OPTIMIZERS[name];
}

/** The default of `spec` under `preset` (torch's when the preset gives none). */
export function presetDefault(spec: HyperparamSpec, preset: Preset): ParamValue {
  const v = spec.defaults[preset] ?? spec.defaults.torch;
  return Array.isArray(v) ? (v.slice() as ParamValue) : v;
}
