// TensorBoard's debiased exponential moving average (the "Smoothing" slider of its scalar
// dashboard), applied to a full-resolution series before any display decimation.

/** The largest weight the UI offers; weight 1 would freeze the average at its first value. */
export const MAX_SMOOTHING_WEIGHT = 0.999;

/** Clamps a smoothing weight into [0, 0.999]; NaN becomes 0 (no smoothing). */
export function clampSmoothingWeight(weight: number): number {
  if (!Number.isFinite(weight) || weight <= 0) return 0;
  return Math.min(weight, MAX_SMOOTHING_WEIGHT);
}

/** True when every value equals the first (NaN never equals itself, so a NaN makes it false). */
function isConstant(values: ArrayLike<number>, count: number): boolean {
  const first = values[0];
  for (let i = 1; i < count; i++) if (values[i] !== first) return false;
  return count > 0 && first === first;
}

/**
 * Debiased EMA, exactly as TensorBoard computes it:
 *   last_n = w·last_{n-1} + (1-w)·y_n,  smoothed_n = last_n / (1 - w^n)
 * where n counts the finite values seen so far. Non-finite values pass through unchanged and do
 * not enter the average; a constant series is returned as it is (no rounding drift).
 */
export function emaSmooth(values: ArrayLike<number>, weight: number, out?: Float64Array): Float64Array {
  const count = values.length;
  const result = out ?? new Float64Array(count);
  fillEma(values, count, clampSmoothingWeight(weight), result);
  return result;
}

/** Writes the debiased EMA of values[0..count) into out[0..count). */
function fillEma(values: ArrayLike<number>, count: number, w: number, out: Float64Array): void {
  if (isConstant(values, count)) {
    for (let i = 0; i < count; i++) out[i] = values[i];
    return;
  }
  let last = 0;
  let numAccum = 0;
  let debiased = false;
  for (let i = 0; i < count; i++) {
    const y = values[i];
    if (!Number.isFinite(y)) {
      out[i] = y;
      continue;
    }
    last = last * w + (1 - w) * y;
    numAccum++;
    if (debiased) out[i] = last;
    else {
      const denominator = 1 - Math.pow(w, numAccum);
      out[i] = last / denominator;
      debiased = denominator === 1;
    }
  }
}

/**
 * The same EMA computed while points arrive one by one. `push` returns the smoothed value of the
 * new point, or `rewrite` when the series has just stopped being constant: then every earlier
 * smoothed value changes (from the raw constant to the debiased average) and has been rewritten
 * into `out`. The result always equals emaSmooth over the whole series so far, bit for bit.
 */
export class IncrementalEma {
  private last = 0;
  private numAccum = 0;
  private constantSoFar = true;
  private first = NaN;
  private count = 0;
  /** Once 1 − wⁿ rounds to exactly 1 it stays 1: from then on smoothed = last, without Math.pow (same bits). */
  private debiased = false;

  constructor(readonly weight: number) {
    this.weight = clampSmoothingWeight(weight);
  }

  /** values[0..count] holds the series including the new point at index count-1 of the result. */
  push(values: ArrayLike<number>, out: Float64Array): number | 'rewrite' {
    const i = this.count;
    return this.pushRange(values, i + 1, out) < i ? 'rewrite' : out[i];
  }

  /**
   * Takes the points values[count..end) at once (the same arithmetic as push, point by point) and
   * writes their smoothed values into out. Returns the first index whose smoothed value was
   * written: the old count, or 0 when the series stopped being constant and out was rewritten.
   */
  pushRange(values: ArrayLike<number>, end: number, out: Float64Array): number {
    const w = this.weight;
    // The state in locals for the loop (a long range is the common case), written back after it.
    let last = this.last;
    let numAccum = this.numAccum;
    let debiased = this.debiased;
    let constantSoFar = this.constantSoFar;
    let first = this.first;
    let from = this.count;
    for (let i = this.count; i < end; i++) {
      const y = values[i];
      let smoothedFinite = NaN;
      if (Number.isFinite(y)) {
        last = last * w + (1 - w) * y;
        numAccum++;
        if (debiased) smoothedFinite = last;
        else {
          const denominator = 1 - Math.pow(w, numAccum);
          smoothedFinite = last / denominator;
          debiased = denominator === 1;
        }
      }
      if (i === 0) {
        first = y;
        constantSoFar = y === y;
      } else if (constantSoFar && y !== first) {
        constantSoFar = false;
        fillEma(values, i + 1, w, out);
        from = 0;
        continue;
      }
      out[i] = constantSoFar ? y : Number.isFinite(y) ? smoothedFinite : y;
    }
    this.last = last;
    this.numAccum = numAccum;
    this.debiased = debiased;
    this.constantSoFar = constantSoFar;
    this.first = first;
    this.count = Math.max(this.count, end);
    return from;
  }
}
