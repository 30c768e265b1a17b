// Seeded weight initialization (schemes and formulas in spec.ts). Draws go layer by layer,
// weight then bias, each row-major, in float64; a float32 ParamSet stores them rounded, so the
// same seed gives the same parameters in both dtypes up to that rounding.
import type { FloatArray } from '../tensor.ts';
import type { Rng } from '../rng.ts';
import type { InitScheme } from './spec.ts';

/** The distribution of one tensor's entries. */
export type Distribution = { kind: 'uniform'; bound: number } | { kind: 'normal'; std: number } | { kind: 'zeros' };

/** Weight distribution for a [fanOut, fanIn] weight under `scheme`. */
export function weightDistribution(scheme: InitScheme, fanIn: number, fanOut: number): Distribution {
  switch (scheme) {
    case 'torch':
      // kaiming_uniform(a=√5): gain √(2/(1 + 5)), bound = gain·√(3/fan_in) = 1/√fan_in
      return { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) };
    case 'he-uniform':
      return { kind: 'uniform', bound: Math.sqrt(6 / fanIn) };
    case 'he-normal':
      return { kind: 'normal', std: Math.sqrt(2 / fanIn) };
    case 'xavier-uniform':
      return { kind: 'uniform', bound: Math.sqrt(6 / (fanIn + fanOut)) };
    case 'xavier-normal':
      return { kind: 'normal', std: Math.sqrt(2 / (fanIn + fanOut)) };
  }
}

/** Bias distribution: torch.nn.Linear's U(−1/√fan_in, 1/√fan_in) for 'torch', zeros otherwise. */
export function biasDistribution(scheme: InitScheme, fanIn: number): Distribution {
  return scheme === 'torch' ? { kind: 'uniform', bound: 1 / Math.sqrt(fanIn) } : { kind: 'zeros' };
}

/** Fills `out` with independent draws from `d`. */
export function fill(out: FloatArray, d: Distribution, rng: Rng): void {
  const n = out.length;
  if (d.kind === 'zeros') out.fill(0);
  else if (d.kind === 'uniform') for (let i = 0; i < n; i++) out[i] = (2 * rng.uniform() - 1) * d.bound; // U(−b, b)
  else for (let i = 0; i < n; i++) out[i] = d.std * rng.normal();
}
