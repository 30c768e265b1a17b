// The links optimizers are made of. Each works in place on the update buffer u (the gradient
// on entry of the first link) and, when asked, multiplies the effective step size buffer by the
// per-element scale it applies to the search direction. State keys are torch's names.
import type { FloatArray } from '../tensor.ts';
import { adagradLr, biasCorrection, nadamCoefficients, radamRectification, type MomentumSchedule } from './scalars.ts';
import { buffer, fullLike, scalar, zerosLike, type GradientTransform } from './transform.ts';

const noState = () => ({});

/** u ← −u  (maximize: ascend the objective). */
export function flipSign(): GradientTransform {
  return {
    name: 'flipSign',
    init: noState,
    update(u) {
      for (let i = 0; i < u.length; i++) u[i] = -u[i];
    },
  };
}

/** u ← u + λθ  (before the preconditioner: L2; after it, before the learning rate: decoupled). */
export function addDecayedWeights(lambda: number): GradientTransform {
  return {
    name: 'addDecayedWeights',
    init: noState,
    update(u, _s, params) {
      if (lambda === 0) return;
      for (let i = 0; i < u.length; i++) u[i] += lambda * params[i];
    },
  };
}

/** u ← u − λθ  (after the learning rate: θ(1 − λ), weight decay independent of η). */
export function decayWeightsIndependently(lambda: number): GradientTransform {
  return {
    name: 'decayWeightsIndependently',
    init: noState,
    update(u, _s, params) {
      if (lambda === 0) return;
      for (let i = 0; i < u.length; i++) u[i] -= lambda * params[i];
    },
  };
}

/** b ← μb + (1−τ)u (b ← u on the first step); u ← nesterov ? u + μb : b  (torch's momentum). */
export function traceMomentum(momentum: number, dampening = 0, nesterov = false): GradientTransform {
  return {
    name: 'traceMomentum',
    init: (params) => ({ momentum_buffer: zerosLike(params) }),
    update(u, state, _p, ctx) {
      const b = buffer(state, 'momentum_buffer');
      const first = ctx.step === 1;
      for (let i = 0; i < u.length; i++) {
        const bi = first ? u[i] : momentum * b[i] + (1 - dampening) * u[i];
        b[i] = bi;
        u[i] = nesterov ? u[i] + momentum * b[i] : b[i];
      }
    },
  };
}

export interface RssOptions {
  readonly initialAccumulator: number;
  readonly eps: number;
  /** √(G + ε) (Keras, Optax) instead of √G + ε (torch). */
  readonly epsInside: boolean;
  /** Optax: where G = 0 the update is 0 (instead of 0/0). */
  readonly zeroGuard: boolean;
}

/** G ← G + u²;  u ← u/(√G + ε) or u/√(G + ε); 0 where guarded and G = 0  (AdaGrad). */
export function scaleByRss(o: RssOptions): GradientTransform {
  return {
    name: 'scaleByRss',
    init: (params) => ({ sum: fullLike(params, o.initialAccumulator) }),
    update(u, state, _p, ctx) {
      const G = buffer(state, 'sum');
      const eff = ctx.effLr;
      for (let i = 0; i < u.length; i++) {
        G[i] += u[i] * u[i];
        const scale = o.zeroGuard && G[i] === 0 ? 0 : 1 / (o.epsInside ? Math.sqrt(G[i] + o.eps) : Math.sqrt(G[i]) + o.eps);
        u[i] *= scale;
        if (eff) eff[i] *= scale;
      }
    },
  };
}

/** u ← u / (1 + (t−1)·d)  (AdaGrad's lr_decay). */
export function scaleByInverseTimeDecay(decay: number): GradientTransform {
  return {
    name: 'scaleByInverseTimeDecay',
    init: noState,
    update(u, _s, _p, ctx) {
      if (decay === 0) return;
      const scale = adagradLr(1, decay, ctx.step);
      scaleInPlace(u, scale);
      if (ctx.effLr) scaleInPlace(ctx.effLr, scale);
    },
  };
}

export interface RmsOptions {
  readonly alpha: number;
  readonly eps: number;
  readonly epsInside: boolean;
  readonly centered: boolean;
}

/** v ← αv + (1−α)u²; [ḡ ← αḡ + (1−α)u]; u ← u/(√(v − ḡ²) + ε) or u/√(v − ḡ² + ε)  (RMSprop). */
export function scaleByRms(o: RmsOptions): GradientTransform {
  return {
    name: 'scaleByRms',
    init(params) {
      const state: Record<string, FloatArray> = { square_avg: zerosLike(params) };
      if (o.centered) state.grad_avg = zerosLike(params);
      return state;
    },
    update(u, state, _p, ctx) {
      const v = buffer(state, 'square_avg');
      const a = o.centered ? buffer(state, 'grad_avg') : null;
      const eff = ctx.effLr;
      for (let i = 0; i < u.length; i++) {
        v[i] = o.alpha * v[i] + (1 - o.alpha) * u[i] * u[i];
        let w = v[i];
        if (a) {
          a[i] = o.alpha * a[i] + (1 - o.alpha) * u[i];
          w = v[i] - a[i] * a[i];
        }
        const r = o.epsInside ? Math.sqrt(w + o.eps) : Math.sqrt(w) + o.eps;
        u[i] /= r;
        if (eff) eff[i] /= r;
      }
    },
  };
}

export type AmsgradMode = 'off' | 'raw' | 'corrected';

export interface AdamOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** Keras' ε-hat: ε is added to √v, not √v̂ (so it acts as ε·√(1−β₂ᵗ) on √v̂). */
  readonly epsHat: boolean;
  /** AMSGrad: the max over raw v (torch, Keras) or over bias-corrected v̂ (Optax). */
  readonly amsgrad: AmsgradMode;
}

/** m ← β₁m + (1−β₁)u; v ← β₂v + (1−β₂)u²; u ← m̂/(√v̂ + ε), v̂ from max(v) with AMSGrad  (Adam). */
export function scaleByAdam(o: AdamOptions): GradientTransform {
  return {
    name: 'scaleByAdam',
    init(params) {
      const state: Record<string, FloatArray> = { exp_avg: zerosLike(params), exp_avg_sq: zerosLike(params) };
      if (o.amsgrad !== 'off') state.max_exp_avg_sq = zerosLike(params);
      return state;
    },
    update(u, state, _p, ctx) {
      const m = buffer(state, 'exp_avg');
      const v = buffer(state, 'exp_avg_sq');
      const vmax = o.amsgrad === 'off' ? null : buffer(state, 'max_exp_avg_sq');
      const bc1 = biasCorrection(o.beta1, ctx.step);
      const bc2 = biasCorrection(o.beta2, ctx.step);
      const bc2Sqrt = Math.sqrt(bc2);
      const eps = o.epsHat ? o.eps / bc2Sqrt : o.eps;
      const eff = ctx.effLr;
      for (let i = 0; i < u.length; i++) {
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * u[i];
        v[i] = o.beta2 * v[i] + (1 - o.beta2) * u[i] * u[i];
        let r: number;
        if (vmax === null) r = Math.sqrt(v[i]) / bc2Sqrt + eps;
        else if (o.amsgrad === 'raw') {
          vmax[i] = Math.max(vmax[i], v[i]);
          r = Math.sqrt(vmax[i]) / bc2Sqrt + eps;
        } else {
          vmax[i] = Math.max(vmax[i], v[i] / bc2);
          r = Math.sqrt(vmax[i]) + eps;
        }
        u[i] = m[i] / bc1 / r;
        if (eff) eff[i] /= r;
      }
    },
  };
}

export interface AdamaxOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** torch: ε inside the max, max(β₂w, |u| + ε); Keras, Optax: max(β₂w, |u|) + ε. */
  readonly epsInside: boolean;
}

/** m ← β₁m + (1−β₁)u; w ← max(β₂w, |u| + ε); u ← m̂/w  (Adamax; or max(β₂w, |u|) and m̂/(w + ε)). */
export function scaleByAdamax(o: AdamaxOptions): GradientTransform {
  return {
    name: 'scaleByAdamax',
    init: (params) => ({ exp_avg: zerosLike(params), exp_inf: zerosLike(params) }),
    update(u, state, _p, ctx) {
      const m = buffer(state, 'exp_avg');
      const w = buffer(state, 'exp_inf');
      const bc1 = biasCorrection(o.beta1, ctx.step);
      const eff = ctx.effLr;
      for (let i = 0; i < u.length; i++) {
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * u[i];
        w[i] = Math.max(o.beta2 * w[i], o.epsInside ? Math.abs(u[i]) + o.eps : Math.abs(u[i]));
        const r = o.epsInside ? w[i] : w[i] + o.eps;
        u[i] = m[i] / bc1 / r;
        if (eff) eff[i] /= r;
      }
    },
  };
}

export interface NadamOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly momentumDecay: number;
  readonly schedule: MomentumSchedule;
  /** Keep ∏μ in float32 like torch and Keras do. */
  readonly float32Product: boolean;
}

/** m, v as Adam;  u ← ((1−μₜ)/(1−∏μ₁..ₜ)·u + μₜ₊₁/(1−∏μ₁..ₜ₊₁)·m)/(√v̂ + ε)  (NAdam). */
export function scaleByNadam(o: NadamOptions): GradientTransform {
  return {
    name: 'scaleByNadam',
    init: (params) => ({ exp_avg: zerosLike(params), exp_avg_sq: zerosLike(params), mu_product: 1 }),
    update(u, state, _p, ctx) {
      const m = buffer(state, 'exp_avg');
      const v = buffer(state, 'exp_avg_sq');
      const c = nadamCoefficients(scalar(state, 'mu_product'), o.beta1, o.momentumDecay, ctx.step, o.schedule, o.float32Product);
      state.mu_product = c.muProduct;
      const bc2 = biasCorrection(o.beta2, ctx.step);
      const eff = ctx.effLr;
      for (let i = 0; i < u.length; i++) {
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * u[i];
        v[i] = o.beta2 * v[i] + (1 - o.beta2) * u[i] * u[i];
        const r = Math.sqrt(v[i] / bc2) + o.eps;
        u[i] = (c.coefGrad * u[i] + c.coefAvg * m[i]) / r;
        if (eff) eff[i] /= r;
      }
    },
  };
}

export interface RadamOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** torch: √(1−β₂ᵗ)/(√v + ε), i.e. ε-hat on √v̂; Optax: 1/(√v̂ + ε). */
  readonly epsHat: boolean;
  readonly threshold: number;
}

/** m, v as Adam;  u ← rₜ·m̂/(√v̂ + ε) once ρₜ > threshold, else m̂  (RAdam). */
export function scaleByRadam(o: RadamOptions): GradientTransform {
  return {
    name: 'scaleByRadam',
    init: (params) => ({ exp_avg: zerosLike(params), exp_avg_sq: zerosLike(params) }),
    update(u, state, _p, ctx) {
      const m = buffer(state, 'exp_avg');
      const v = buffer(state, 'exp_avg_sq');
      const bc1 = biasCorrection(o.beta1, ctx.step);
      const bc2Sqrt = Math.sqrt(biasCorrection(o.beta2, ctx.step));
      const eps = o.epsHat ? o.eps / bc2Sqrt : o.eps;
      const { rectified, rect } = radamRectification(o.beta2, ctx.step, o.threshold);
      const eff = ctx.effLr;
      for (let i = 0; i < u.length; i++) {
        m[i] = o.beta1 * m[i] + (1 - o.beta1) * u[i];
        v[i] = o.beta2 * v[i] + (1 - o.beta2) * u[i] * u[i];
        if (rectified) {
          const r = Math.sqrt(v[i]) / bc2Sqrt + eps;
          u[i] = (rect * (m[i] / bc1)) / r;
          if (eff) eff[i] *= rect / r;
        } else u[i] = m[i] / bc1;
      }
    },
  };
}

/** v ← ρv + (1−ρ)u²;  Δ = √(w + ε)/√(v + ε)·u;  w ← ρw + (1−ρ)Δ²;  u ← Δ  (Adadelta). */
export function scaleByAdadelta(rho: number, eps: number): GradientTransform {
  return {
    name: 'scaleByAdadelta',
    init: (params) => ({ square_avg: zerosLike(params), acc_delta: zerosLike(params) }),
    update(u, state, _p, ctx) {
      const v = buffer(state, 'square_avg');
      const w = buffer(state, 'acc_delta');
      const eff = ctx.effLr;
      for (let i = 0; i < u.length; i++) {
        v[i] = rho * v[i] + (1 - rho) * u[i] * u[i];
        const k = Math.sqrt(w[i] + eps) / Math.sqrt(v[i] + eps);
        u[i] *= k;
        w[i] = rho * w[i] + (1 - rho) * u[i] * u[i];
        if (eff) eff[i] *= k;
      }
    },
  };
}

export interface RpropOptions {
  /** The initial per-parameter step size (torch's lr). */
  readonly initialStep: number;
  readonly etaMinus: number;
  readonly etaPlus: number;
  readonly stepMin: number;
  readonly stepMax: number;
}

/** s ← clamp(s·η±) by sign(u·u_prev);  u ← sign(u)·s, and u ← 0 after a sign change  (Rprop). */
export function scaleByRprop(o: RpropOptions): GradientTransform {
  return {
    name: 'scaleByRprop',
    init: (params) => ({ prev: zerosLike(params), step_size: fullLike(params, o.initialStep) }),
    update(u, state, _p, ctx) {
      const prev = buffer(state, 'prev');
      const s = buffer(state, 'step_size');
      const eff = ctx.effLr;
      for (let i = 0; i < u.length; i++) {
        const q = u[i] * prev[i];
        s[i] = Math.min(Math.max(s[i] * (q > 0 ? o.etaPlus : q < 0 ? o.etaMinus : 1), o.stepMin), o.stepMax);
        if (q < 0) u[i] = 0;
        prev[i] = u[i];
        u[i] = Math.sign(u[i]) * s[i];
        if (eff) eff[i] *= s[i];
      }
    },
  };
}

/** u ← −η·u  (descend with this step's learning rate η). */
export function scaleByLearningRate(): GradientTransform {
  return {
    name: 'scaleByLearningRate',
    init: noState,
    update(u, _s, _p, ctx) {
      scaleInPlace(u, -ctx.lr);
      if (ctx.effLr) scaleInPlace(ctx.effLr, ctx.lr);
    },
  };
}

/** u ← c·u  (the effective step size is scaled by |c|: it is a magnitude). */
export function scale(c: number): GradientTransform {
  return {
    name: 'scale',
    init: noState,
    update(u, _s, _p, ctx) {
      scaleInPlace(u, c);
      if (ctx.effLr) scaleInPlace(ctx.effLr, Math.abs(c));
    },
  };
}

function scaleInPlace(x: FloatArray, c: number): void {
  for (let i = 0; i < x.length; i++) x[i] *= c;
}
