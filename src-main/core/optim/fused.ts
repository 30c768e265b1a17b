// The fused path: the same optimizers as optimizers.ts, one kernel call per group and step. The
// per-step float64 scalars are computed here (shared helpers in scalars.ts) and the state is the
// very record the chain's init() allocates, so both paths are interchangeable mid-run.
import type { FloatArray } from '../tensor.ts';
import type { OptimizerKernels, StepScalarsBase } from '../kernels/types.ts';
import type { ResolvedOptimizerConfig } from './config.ts';
import type { WeightDecayMode } from './registry.ts';
import { adagradLr, biasCorrection, nadamCoefficients, radamRectification } from './scalars.ts';
import { buffer, scalar, type TransformState } from './transform.ts';

const KERNEL_OF: Record<ResolvedOptimizerConfig['name'], keyof OptimizerKernels> = {
  sgd: 'sgdStep',
  adagrad: 'adagradStep',
  rmsprop: 'rmspropStep',
  adam: 'adamStep',
  adamw: 'adamStep',
  adamax: 'adamaxStep',
  nadam: 'nadamStep',
  radam: 'radamStep',
  adadelta: 'adadeltaStep',
  rprop: 'rpropStep',
};

/** True when `kernels` has a fused step for this configuration (a native set may have only some). */
export function supportsFused(kernels: Partial<OptimizerKernels>, config: ResolvedOptimizerConfig): boolean {
  return typeof kernels[KERNEL_OF[config.name]] === 'function';
}

export interface FusedStepArgs {
  readonly params: FloatArray;
  readonly grads: FloatArray;
  readonly state: TransformState;
  readonly effLr: FloatArray | null;
  /** This step's learning rate and the group's weight decay. */
  readonly lr: number;
  readonly weightDecay: number;
  /** 1-based step count. */
  readonly t: number;
}

// The scalars objects are written out field by field: an object literal with a spread
// (`{ ...base(), lr }`) cost ~5 µs per step in V8, more than the whole bookkeeping of a step.
function base(hp: { maximize: boolean; weight_decay_mode?: WeightDecayMode }, wd: number, lr: number): StepScalarsBase {
  const mode = hp.weight_decay_mode ?? 'l2';
  return {
    maximize: hp.maximize ? 1 : 0,
    l2: mode === 'l2' ? wd : 0,
    decay: mode === 'decoupled' ? lr * wd : mode === 'independent' ? wd : 0,
  };
}

const flag = (b: boolean) => (b ? 1 : 0);
const optional = (state: TransformState, key: string) => (key in state ? buffer(state, key) : null);

/** One fused step of `config` on one group. */
export function fusedStep(k: OptimizerKernels, config: ResolvedOptimizerConfig, a: FusedStepArgs): void {
  const { params: p, grads: g, state, effLr, lr, weightDecay: wd, t } = a;
  switch (config.name) {
    case 'sgd': {
      const h = config.hyperparams;
      const sb = base(h, wd, lr);
      const b = h.momentum === 0 ? null : buffer(state, 'momentum_buffer');
      k.sgdStep(p, g, b, effLr, { maximize: sb.maximize, l2: sb.l2, decay: sb.decay, lr, momentum: h.momentum, dampening: h.dampening, nesterov: flag(h.nesterov), first: flag(t === 1) });
      return;
    }
    case 'adagrad': {
      const h = config.hyperparams;
      const sb = base(h, wd, lr);
      k.adagradStep(p, g, buffer(state, 'sum'), effLr, {
        maximize: sb.maximize, l2: sb.l2, decay: sb.decay,
        clr: adagradLr(lr, h.lr_decay, t),
        eps: h.eps,
        epsInside: flag(h.eps_mode === 'inside'),
        zeroGuard: flag(h.zero_guard),
      });
      return;
    }
    case 'rmsprop': {
      const h = config.hyperparams;
      const sb = base(h, wd, lr);
      k.rmspropStep(p, g, buffer(state, 'square_avg'), optional(state, 'grad_avg'), h.momentum > 0 ? buffer(state, 'momentum_buffer') : null, effLr, {
        maximize: sb.maximize, l2: sb.l2, decay: sb.decay,
        lr,
        alpha: h.alpha,
        eps: h.eps,
        epsInside: flag(h.eps_mode === 'inside'),
        momentum: h.momentum,
      });
      return;
    }
    case 'adam':
    case 'adamw': {
      const h = config.hyperparams;
      const sb = base(h, wd, lr);
      const [beta1, beta2] = h.betas;
      const bc2Sqrt = Math.sqrt(biasCorrection(beta2, t));
      k.adamStep(p, g, buffer(state, 'exp_avg'), buffer(state, 'exp_avg_sq'), h.amsgrad ? buffer(state, 'max_exp_avg_sq') : null, effLr, {
        maximize: sb.maximize, l2: sb.l2, decay: sb.decay,
        lr,
        beta1,
        beta2,
        stepSize: lr / biasCorrection(beta1, t),
        bc2Sqrt,
        eps: h.eps_mode === 'hat' ? h.eps / bc2Sqrt : h.eps,
        amsgrad: !h.amsgrad ? 0 : h.amsgrad_mode === 'raw' ? 1 : 2,
      });
      return;
    }
    case 'adamax': {
      const h = config.hyperparams;
      const sb = base(h, wd, lr);
      const [beta1, beta2] = h.betas;
      k.adamaxStep(p, g, buffer(state, 'exp_avg'), buffer(state, 'exp_inf'), effLr, {
        maximize: sb.maximize, l2: sb.l2, decay: sb.decay,
        lr,
        beta1,
        beta2,
        stepSize: lr / biasCorrection(beta1, t),
        eps: h.eps,
        epsInside: flag(h.eps_mode === 'inside'),
      });
      return;
    }
    case 'nadam': {
      const h = config.hyperparams;
      const sb = base(h, wd, lr);
      const [beta1, beta2] = h.betas;
      const c = nadamCoefficients(scalar(state, 'mu_product'), beta1, h.momentum_decay, t, h.momentum_schedule, h.mu_product_dtype === 'float32');
      state.mu_product = c.muProduct;
      k.nadamStep(p, g, buffer(state, 'exp_avg'), buffer(state, 'exp_avg_sq'), effLr, {
        maximize: sb.maximize, l2: sb.l2, decay: sb.decay,
        lr,
        beta1,
        beta2,
        bc2: biasCorrection(beta2, t),
        eps: h.eps,
        coefGrad: c.coefGrad,
        coefAvg: c.coefAvg,
      });
      return;
    }
    case 'radam': {
      const h = config.hyperparams;
      const sb = base(h, wd, lr);
      const [beta1, beta2] = h.betas;
      const bc1 = biasCorrection(beta1, t);
      const bc2Sqrt = Math.sqrt(biasCorrection(beta2, t));
      const { rectified, rect } = radamRectification(beta2, t, h.threshold);
      k.radamStep(p, g, buffer(state, 'exp_avg'), buffer(state, 'exp_avg_sq'), effLr, {
        maximize: sb.maximize, l2: sb.l2, decay: sb.decay,
        lr,
        beta1,
        beta2,
        rectified: flag(rectified),
        rect,
        stepSize: rectified ? (lr * rect) / bc1 : lr / bc1,
        bc2Sqrt,
        eps: h.eps_mode === 'hat' ? h.eps / bc2Sqrt : h.eps,
      });
      return;
    }
    case 'adadelta': {
      const h = config.hyperparams;
      const sb = base(h, wd, lr);
      k.adadeltaStep(p, g, buffer(state, 'square_avg'), buffer(state, 'acc_delta'), effLr, { maximize: sb.maximize, l2: sb.l2, decay: sb.decay, lr, rho: h.rho, eps: h.eps });
      return;
    }
    case 'rprop': {
      const h = config.hyperparams;
      k.rpropStep(p, g, buffer(state, 'prev'), buffer(state, 'step_size'), effLr, {
        maximize: flag(h.maximize),
        l2: 0,
        decay: 0,
        etaMinus: h.etas[0],
        etaPlus: h.etas[1],
        stepMin: h.step_sizes[0],
        stepMax: h.step_sizes[1],
      });
      return;
    }
  }
}
