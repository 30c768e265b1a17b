// Per-step float64 scalars shared by the chain links and the fused kernels, so both paths
// compute bias corrections, momentum products and rectification terms identically.

/** 1 − βᵗ: Adam's bias correction. */
export function biasCorrection(beta: number, t: number): number {
  return 1 - beta ** t;
}

/** AdaGrad's decayed learning rate: lr / (1 + (t − 1)·lr_decay). */
export function adagradLr(lr: number, lrDecay: number, t: number): number {
  return lr / (1 + (t - 1) * lrDecay);
}

export type MomentumSchedule = 'dozat' | 'constant';

/** NAdam's momentum at step t: μₜ = β₁(1 − ½·0.96^(t·ψ)) (Dozat; torch, Keras 3), or β₁ (Optax). */
export function nadamMu(beta1: number, momentumDecay: number, t: number, schedule: MomentumSchedule): number {
  return schedule === 'constant' ? beta1 : beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
}

export interface NadamCoefficients {
  /** ∏μ₁..ₜ after this step (the state to keep). */
  readonly muProduct: number;
  /** (1 − μₜ)/(1 − ∏μ₁..ₜ): weight of the current gradient. */
  readonly coefGrad: number;
  /** μₜ₊₁/(1 − ∏μ₁..ₜ₊₁): weight of the first moment. */
  readonly coefAvg: number;
}

/**
 * Advances NAdam's momentum product from ∏μ₁..ₜ₋₁ and returns the step's coefficients. With
 * `float32Product` the product is kept rounded to float32, as torch (a float32 0-dim tensor,
 * multiplied by μₜ rounded to float32) and Keras (a float32 variable) keep it; the coefficients
 * are still float64.
 */
export function nadamCoefficients(
  muProductBefore: number,
  beta1: number,
  momentumDecay: number,
  t: number,
  schedule: MomentumSchedule,
  float32Product: boolean,
): NadamCoefficients {
  const mu = nadamMu(beta1, momentumDecay, t, schedule);
  const muNext = nadamMu(beta1, momentumDecay, t + 1, schedule);
  const muProduct = float32Product ? Math.fround(muProductBefore * Math.fround(mu)) : muProductBefore * mu;
  const muProductNext = muProduct * muNext;
  return { muProduct, coefGrad: (1 - mu) / (1 - muProduct), coefAvg: muNext / (1 - muProductNext) };
}

export interface RadamRectification {
  /** True once the variance estimate is trusted: ρₜ > threshold. */
  readonly rectified: boolean;
  /** rₜ = √((ρₜ−4)(ρₜ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρₜ)), or 0 when not rectified. */
  readonly rect: number;
}

/** RAdam's rectification: ρ∞ = 2/(1−β₂) − 1, ρₜ = ρ∞ − 2tβ₂ᵗ/(1−β₂ᵗ). */
export function radamRectification(beta2: number, t: number, threshold: number): RadamRectification {
  const rhoInf = 2 / (1 - beta2) - 1;
  const rhoT = rhoInf - (2 * t * beta2 ** t) / (1 - beta2 ** t);
  if (!(rhoT > threshold)) return { rectified: false, rect: 0 };
  const rect = Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
  return { rectified: true, rect };
}
