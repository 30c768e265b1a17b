// The shape of a gradient transformation (the Optax model, in place on flat buffers):
//   state = t.init(params)
//   t.update(u, state, params, ctx)   // u: in the gradients, out the update to add to params
// `chain(a, b, c)` runs a, then b, then c on the same buffer. State is a flat record of named
// buffers (torch's names: exp_avg, exp_avg_sq, ...) and float64 scalars, so a chain's state, the
// fused kernels' state and a saved state dict are one and the same thing.
import { allocateLike } from '../arena.ts';
import type { FloatArray } from '../tensor.ts';

/** Named state of a transformation: buffers as long as the parameters, and float64 scalars. */
export type TransformState = Record<string, FloatArray | number>;

export interface UpdateContext {
  /** The 1-based count of this update (torch's `step` after its increment). */
  readonly step: number;
  /** Learning rate of this update (the group's lr, after any schedule). */
  readonly lr: number;
  /**
   * When not null: the effective step size out-buffer. The caller fills it with 1; each link
   * that scales the search direction multiplies it by its per-element scale (a magnitude).
   */
  readonly effLr: FloatArray | null;
}

export interface GradientTransform {
  readonly name: string;
  init(params: FloatArray): TransformState;
  update(u: FloatArray, state: TransformState, params: FloatArray, ctx: UpdateContext): void;
}

/** Runs each transformation in turn on the same buffer; their state keys must not collide. */
export function chain(...links: readonly GradientTransform[]): GradientTransform {
  return {
    name: links.map((l) => l.name).join(' → '),
    init(params) {
      const state: TransformState = {};
      for (const link of links)
        for (const [key, value] of Object.entries(link.init(params))) {
          if (key in state) throw new Error(`chain: state key "${key}" of ${link.name} is already used by another link`);
          state[key] = value;
        }
      return state;
    },
    update(u, state, params, ctx) {
      for (const link of links) link.update(u, state, params, ctx);
    },
  };
}

/** Zeros shaped like `params`; beside them in their group's arena (core/arena.ts) when there is one. */
export function zerosLike(params: FloatArray): FloatArray {
  return allocateLike(params);
}

export function fullLike(params: FloatArray, value: number): FloatArray {
  return zerosLike(params).fill(value);
}

/** The named buffer of a state (throws if it is missing: a bug, not bad input). */
export function buffer(state: TransformState, key: string): FloatArray {
  const b = state[key];
  if (typeof b === 'number' || b === undefined) throw new Error(`state buffer "${key}" is missing`);
  return b;
}

export function scalar(state: TransformState, key: string): number {
  const v = state[key];
  if (typeof v !== 'number') throw new Error(`state scalar "${key}" is missing`);
  return v;
}
