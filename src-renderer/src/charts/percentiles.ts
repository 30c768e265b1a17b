// Percentiles of log10 values of a snapshot (e.g. every parameter's effective step size).

/** Linear-interpolation quantile of sorted data (numpy's default, R type 7): x[(n-1)p] interpolated. */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface PercentileSummary {
  /** log10 percentiles in the order asked for (NaN when no value was valid). */
  q: number[];
  /** Values that were finite and > 0 (the others have no log10). */
  valid: number;
  total: number;
}

/** Percentiles (in %, e.g. [5, 25, 50, 75, 95]) of log10 v over the finite, positive values. */
export function log10Percentiles(values: ArrayLike<number>, percents: readonly number[]): PercentileSummary {
  const logs = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (v > 0 && v < Infinity) logs[n++] = Math.log10(v);
  }
  const sorted = logs.subarray(0, n).sort();
  return { q: percents.map((p) => quantileSorted(sorted, p / 100)), valid: n, total: values.length };
}
