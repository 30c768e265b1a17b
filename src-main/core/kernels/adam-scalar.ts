// Adam's plain step (no weight decay, no effective-lr output, no AMSGrad) as a scalar loop over
// elements [from, to): the TypeScript path of optim-ts.ts's adamPlain, and the odd last element
// of the WebAssembly path (adam-wasm.ts), whose lanes do the same arithmetic in the same order.
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
