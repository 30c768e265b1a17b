import { describe, expect, it } from 'vitest';
import { tsKernels } from '../../../src-main/core/kernels/ts.ts';

function naive(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number, a: Float64Array, lda: number, b: Float64Array, ldb: number, beta: number, c: Float64Array, ldc: number): Float64Array {
  const out = c.slice();
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (tA ? a[p * lda + i] : a[i * lda + p]) * (tB ? b[j * ldb + p] : b[p * ldb + j]);
      out[i * ldc + j] = alpha * s + (beta === 0 ? 0 : beta * c[i * ldc + j]);
    }
  return out;
}

describe('ts gemm', () => {
  const m = 5, n = 7, k = 3;
  const rand = (len: number) => Float64Array.from({ length: len }, (_, i) => Math.sin(i * 12.9898 + len) * 2);
  for (const tA of [false, true])
    for (const tB of [false, true])
      it(`matches the definition (transA=${tA}, transB=${tB}, alpha=0.5, beta=2)`, () => {
        const a = rand(m * k), b = rand(k * n), c = rand(m * n);
        const lda = tA ? m : k, ldb = tB ? k : n;
        const expected = naive(tA, tB, m, n, k, 0.5, a, lda, b, ldb, 2, c, n);
        tsKernels.gemm(tA, tB, m, n, k, 0.5, a, lda, b, ldb, 2, c, n);
        for (let i = 0; i < c.length; i++) expect(c[i]).toBeCloseTo(expected[i], 12);
      });

  it('ignores old contents of C (even NaN) when beta = 0', () => {
    const a = Float64Array.of(1, 2), b = Float64Array.of(3, 4), c = Float64Array.of(NaN);
    tsKernels.gemm(false, false, 1, 1, 2, 1, a, 2, b, 1, 0, c, 1);
    expect(c[0]).toBe(11);
  });
});
