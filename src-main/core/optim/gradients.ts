// Gradient transforms over all parameter groups at once, applied before the optimizer step.
import type { FloatArray } from '../tensor.ts';

/** True when every element of every buffer is finite. */
export function allFinite(buffers: readonly FloatArray[]): boolean {
  for (const b of buffers)
    for (let i = 0; i < b.length; i++) {
      // x − x is NaN exactly for NaN and ±∞.
      const x = b[i];
      if (x - x !== 0) return false;
    }
  return true;
}

/** ‖g‖₂ over all buffers: √(Σ gᵢ²), in float64. */
export function globalNorm(buffers: readonly FloatArray[]): number {
  let sum = 0;
  for (const b of buffers)
    for (let i = 0; i < b.length; i++) sum += b[i] * b[i];
  return Math.sqrt(sum);
}

/**
 * g ← g·min(1, c/(‖g‖ + eps))  (torch's clip_grad_norm_ with eps = 1e-6; Optax/Keras eps = 0).
 * Returns the norm before clipping.
 */
export function clipByGlobalNorm(buffers: readonly FloatArray[], maxNorm: number, eps: number): number {
  const norm = globalNorm(buffers);
  const coef = maxNorm / (norm + eps);
  if (coef < 1) for (const b of buffers) for (let i = 0; i < b.length; i++) b[i] *= coef;
  return norm;
}

/** g ← clamp(g, −c, c). */
export function clipByValue(buffers: readonly FloatArray[], c: number): void {
  for (const b of buffers)
    for (let i = 0; i < b.length; i++) {
      const x = b[i];
      if (x > c) b[i] = c;
      else if (x < -c) b[i] = -c;
    }
}
