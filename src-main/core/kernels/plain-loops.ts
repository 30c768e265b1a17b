// The optimizers' plain steps (no weight decay, no effective-lr output, no AMSGrad, centering or
// momentum; ε outside the root) as scalar loops over elements [from, to): the TypeScript path of
// optim-ts.ts, and the odd last element of the WebAssembly path (step-wasm.ts), whose lanes do
// the same arithmetic in the same order.
import type { FloatArray } from '../tensor.ts';

/** m ← β1·m + c1·g;  v ← β2·v + c2·g²;  θ ← θ − st·m/(√v + e) */
export function adamScalar(
  from: number, to: number, p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
  beta1: number, c1: number, beta2: number, c2: number, st: number, e: number,
): void {
  for (let i = from; i < to; i++) {
    const gi = g[i];
    const mi = beta1 * m[i] + c1 * gi;
    const vi = beta2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    p[i] -= (st * mi) / (Math.sqrt(vi) + e);
  }
}

/** v ← alpha·v + (1 − alpha)·g²;  θ ← θ − lr·g/(√v + ε) */
export function rmspropScalar(from: number, to: number, p: FloatArray, g: FloatArray, v: FloatArray, alpha: number, beta: number, lr: number, eps: number): void {
  for (let i = from; i < to; i++) {
    const gi = g[i];
    const vi = alpha * v[i] + beta * gi * gi;
    v[i] = vi;
    p[i] -= (lr * gi) / (Math.sqrt(vi) + eps);
  }
}

/** G ← G + g²;  θ ← θ − clr·g/(√G + ε) */
export function adagradScalar(from: number, to: number, p: FloatArray, g: FloatArray, sum: FloatArray, clr: number, eps: number): void {
  for (let i = from; i < to; i++) {
    const gi = g[i];
    const G = sum[i] + gi * gi;
    sum[i] = G;
    p[i] -= (clr * gi) / (Math.sqrt(G) + eps);
  }
}
