// Tolerance checks that report the worst element (with its place) instead of the first.

export interface Mismatch {
  readonly where: string;
  readonly actual: number;
  readonly expected: number;
  /** |a − e| / (rel·|e| + abs): above 1 fails. */
  readonly ratio: number;
}

/** Worst element of two nested number arrays under |a − e| ≤ rel·|e| + abs, or null if shapes differ. */
export function worstMismatch(actual: unknown, expected: unknown, rel: number, abs: number, where = ''): Mismatch {
  if (typeof expected === 'number') {
    const a = actual as number;
    const ratio = a === expected ? 0 : Math.abs(a - expected) / (rel * Math.abs(expected) + abs);
    return { where, actual: a, expected, ratio: Number.isNaN(ratio) ? Infinity : ratio };
  }
  const e = expected as unknown[];
  const a = actual as unknown[];
  if (!Array.isArray(a) || a.length !== e.length) return { where: `${where} (length ${Array.isArray(a) ? a.length : typeof a} vs ${e.length})`, actual: NaN, expected: NaN, ratio: Infinity };
  let worst: Mismatch = { where, actual: 0, expected: 0, ratio: 0 };
  for (let i = 0; i < e.length; i++) {
    const m = worstMismatch(a[i], e[i], rel, abs, `${where}[${i}]`);
    if (m.ratio > worst.ratio) worst = m;
  }
  return worst;
}

export function describeMismatch(m: Mismatch): string {
  return `worst at ${m.where}: got ${m.actual}, expected ${m.expected} (${m.ratio.toPrecision(3)}× the tolerance)`;
}
