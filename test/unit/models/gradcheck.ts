// Central finite differences for gradient checks, and the error measures they are judged by.

/** ∂f/∂v[i] ≈ (f(v + h·eᵢ) − f(v − h·eᵢ)) / 2h, with h = step·max(1, |vᵢ|); v is restored. */
export function numericGradient(f: () => number, v: Float64Array, step = 1e-5): Float64Array {
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) {
    const orig = v[i];
    const h = step * Math.max(1, Math.abs(orig));
    v[i] = orig + h;
    const up = f();
    v[i] = orig - h;
    const down = f();
    v[i] = orig;
    // divide by the step actually taken (orig ± h rounded to a double)
    out[i] = (up - down) / (orig + h - (orig - h));
  }
  return out;
}

/** ‖a − b‖ / max(‖a‖, ‖b‖) (0 when both are 0). */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    d += (a[i] - b[i]) ** 2;
    na += a[i] ** 2;
    nb += b[i] ** 2;
  }
  const n = Math.sqrt(Math.max(na, nb));
  return n === 0 ? 0 : Math.sqrt(d) / n;
}

/**
 * Worst element-wise relative error |aᵢ − bᵢ| / max(|aᵢ|, |bᵢ|, floor), the floor being a small
 * fraction of the largest entry so that entries that are ≈ 0 are judged in absolute terms.
 */
export function worstElementError(a: ArrayLike<number>, b: ArrayLike<number>, floorFraction = 1e-3): number {
  let scale = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(a[i]), Math.abs(b[i]));
  const floor = Math.max(scale * floorFraction, 1e-300);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(a[i]), Math.abs(b[i]), floor));
  return worst;
}
