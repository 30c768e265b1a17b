// Named optimizers as short chains of the links in transforms.ts. Each group gets its own chain
// (its weight decay is baked in); its learning rate comes from the update context every step.
import type { ResolvedOptimizerConfig } from './config.ts';
import type { WeightDecayMode } from './registry.ts';
import { chain, type GradientTransform } from './transform.ts';
import {
  addDecayedWeights,
  decayWeightsIndependently,
  flipSign,
  scale,
  scaleByAdadelta,
  scaleByAdam,
  scaleByAdamax,
  scaleByInverseTimeDecay,
  scaleByLearningRate,
  scaleByNadam,
  scaleByRadam,
  scaleByRms,
  scaleByRprop,
  scaleByRss,
  traceMomentum,
} from './transforms.ts';

export interface GroupSettings {
  /** The group's learning rate when the optimizer is created (Rprop's initial step size). */
  readonly lr: number;
  readonly weight_decay: number;
}

/**
 * [maximize] → [L2] → preconditioner → [decoupled decay] → −η → [decay independent of η]:
 * the one place where maximize and the three weight decay conventions are put in the chain.
 */
function descend(
  hp: { maximize: boolean; weight_decay_mode: WeightDecayMode },
  weightDecay: number,
  preconditioner: readonly GradientTransform[],
): GradientTransform {
  const links: GradientTransform[] = [];
  if (hp.maximize) links.push(flipSign());
  const wd = weightDecay;
  if (wd !== 0 && hp.weight_decay_mode === 'l2') links.push(addDecayedWeights(wd));
  links.push(...preconditioner);
  if (wd !== 0 && hp.weight_decay_mode === 'decoupled') links.push(addDecayedWeights(wd));
  links.push(scaleByLearningRate());
  if (wd !== 0 && hp.weight_decay_mode === 'independent') links.push(decayWeightsIndependently(wd));
  return chain(...links);
}

/** The chain that implements `config` for one parameter group. */
export function buildChain(config: ResolvedOptimizerConfig, group: GroupSettings): GradientTransform {
  const wd = group.weight_decay;
  switch (config.name) {
    case 'sgd': {
      const h = config.hyperparams;
      return descend(h, wd, h.momentum === 0 ? [] : [traceMomentum(h.momentum, h.dampening, h.nesterov)]);
    }
    case 'adagrad': {
      const h = config.hyperparams;
      return descend(h, wd, [
        scaleByRss({ initialAccumulator: h.initial_accumulator_value, eps: h.eps, epsInside: h.eps_mode === 'inside', zeroGuard: h.zero_guard }),
        scaleByInverseTimeDecay(h.lr_decay),
      ]);
    }
    case 'rmsprop': {
      const h = config.hyperparams;
      const rms = scaleByRms({ alpha: h.alpha, eps: h.eps, epsInside: h.eps_mode === 'inside', centered: h.centered });
      return descend(h, wd, h.momentum > 0 ? [rms, traceMomentum(h.momentum)] : [rms]);
    }
    case 'adam':
    case 'adamw': {
      const h = config.hyperparams;
      return descend(h, wd, [
        scaleByAdam({ beta1: h.betas[0], beta2: h.betas[1], eps: h.eps, epsHat: h.eps_mode === 'hat', amsgrad: h.amsgrad ? h.amsgrad_mode : 'off' }),
      ]);
    }
    case 'adamax': {
      const h = config.hyperparams;
      return descend(h, wd, [scaleByAdamax({ beta1: h.betas[0], beta2: h.betas[1], eps: h.eps, epsInside: h.eps_mode === 'inside' })]);
    }
    case 'nadam': {
      const h = config.hyperparams;
      return descend(h, wd, [
        scaleByNadam({
          beta1: h.betas[0],
          beta2: h.betas[1],
          eps: h.eps,
          momentumDecay: h.momentum_decay,
          schedule: h.momentum_schedule,
          float32Product: h.mu_product_dtype === 'float32',
        }),
      ]);
    }
    case 'radam': {
      const h = config.hyperparams;
      return descend(h, wd, [scaleByRadam({ beta1: h.betas[0], beta2: h.betas[1], eps: h.eps, epsHat: h.eps_mode === 'hat', threshold: h.threshold })]);
    }
    case 'adadelta': {
      const h = config.hyperparams;
      return descend(h, wd, [scaleByAdadelta(h.rho, h.eps)]);
    }
    case 'rprop': {
      const h = config.hyperparams;
      const links: GradientTransform[] = h.maximize ? [flipSign()] : [];
      links.push(
        scaleByRprop({ initialStep: group.lr, etaMinus: h.etas[0], etaPlus: h.etas[1], stepMin: h.step_sizes[0], stepMax: h.step_sizes[1] }),
        scale(-1),
      );
      return chain(...links);
    }
  }
}
