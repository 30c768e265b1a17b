import { describe, expect, it } from 'vitest';
import { setWasmPath, tsKernels, type WasmPath } from '../../../src-main/core/kernels/ts.ts';

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

describe('ts gemm on odd, non-square and strided shapes', () => {
  // Every block size of the kernel (2×4 tiles, the 1-row and 1-column remainders) and the split
  // of k into passes of 256 are exercised, in both dtypes, with padded row strides.
  const shapes: [number, number, number][] = [
    [1, 1, 1], [1, 7, 3], [7, 1, 5], [2, 4, 1], [3, 5, 2], [5, 3, 7], [9, 13, 11], [17, 6, 300], [4, 9, 513], [33, 10, 64],
  ];
  const coefs: [number, number][] = [[1, 0], [0.5, 2], [-1.5, 1], [0, 0.25]];
  const rand = (len: number, seed: number) => Float64Array.from({ length: len }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 3);
  for (const [m, n, k] of shapes)
    for (const tA of [false, true])
      for (const tB of [false, true])
        it(`m=${m} n=${n} k=${k} transA=${tA} transB=${tB}`, () => {
          // stored shapes (rows × cols) with 3 columns of padding: lda/ldb/ldc exceed the widths
          const aCols = tA ? m : k, aRows = tA ? k : m, bCols = tB ? k : n, bRows = tB ? n : k;
          const lda = aCols + 3, ldb = bCols + 3, ldc = n + 3;
          const a = rand(aRows * lda, 1), b = rand(bRows * ldb, 2);
          const c0 = rand(m * ldc, 3);
          for (const [alpha, beta] of coefs) {
            const c = c0.slice();
            const expected = naive(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            tsKernels.gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
            for (let i = 0; i < m; i++)
              for (let j = 0; j < ldc; j++) {
                const idx = i * ldc + j;
                // padding columns of C (j ≥ n) must be left alone
                if (j >= n) expect(c[idx]).toBe(c0[idx]);
                else expect(Math.abs(c[idx] - expected[idx])).toBeLessThan(1e-12 * (1 + k));
              }
            const a32 = Float32Array.from(a), b32 = Float32Array.from(b), c32 = Float32Array.from(c0);
            const exp32 = naive(tA, tB, m, n, k, alpha, Float64Array.from(a32), lda, Float64Array.from(b32), ldb, beta, Float64Array.from(c32), ldc);
            tsKernels.gemm(tA, tB, m, n, k, alpha, a32, lda, b32, ldb, beta, c32, ldc);
            for (let i = 0; i < m; i++)
              for (let j = 0; j < n; j++) {
                const idx = i * ldc + j;
                expect(Math.abs(c32[idx] - exp32[idx])).toBeLessThan(1e-6 * (1 + Math.abs(exp32[idx])));
              }
          }
        });

  it('returns without touching C when m or n is 0, and scales C by beta when k = 0', () => {
    const c = Float64Array.of(1, 2, 3, 4);
    tsKernels.gemm(false, false, 0, 2, 3, 1, new Float64Array(0), 3, new Float64Array(6), 2, 0, c, 2);
    expect(Array.from(c)).toEqual([1, 2, 3, 4]);
    tsKernels.gemm(false, false, 2, 2, 0, 1, new Float64Array(0), 1, new Float64Array(0), 2, 3, c, 2);
    expect(Array.from(c)).toEqual([3, 6, 9, 12]);
  });

  it('propagates NaN from A or B even where the other operand is 0', () => {
    const c = new Float64Array(4);
    tsKernels.gemm(false, false, 2, 2, 2, 1, Float64Array.of(0, 0, 1, 1), 2, Float64Array.of(NaN, 1, 1, 1), 2, 0, c, 2);
    expect(Number.isNaN(c[0])).toBe(true);
    expect(c[3]).toBe(2);
  });
});

describe('ts gemm: the WebAssembly and scalar paths agree bit for bit', () => {
  // Both compute each element as the same float64 sum in the same order (k ≤ 128: one pass of
  // the scalar loops), so every result, NaN and signed zero included, must be identical.
  const shapes: [number, number, number][] = [
    [32, 64, 64], [32, 10, 64], [10, 64, 32], [32, 64, 10], [64, 64, 32], [1, 1, 1], [5, 3, 7], [9, 13, 11], [33, 65, 17], [130, 7, 128], [3, 1100, 2],
  ];
  const rand = (len: number, seed: number) => Float64Array.from({ length: len }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 3);

  it('runs WebAssembly with SIMD on this engine', () => {
    expect(setWasmPath('wasm')).toBe(true);
    setWasmPath('auto');
  });

  for (const F of [Float32Array, Float64Array])
    for (const [m, n, k] of shapes)
      it(`${F.name} ${m}×${n}×${k}, every transpose, alpha/beta, padded strides, NaN and −0`, () => {
        const diffs: string[] = [];
        for (const tA of [false, true])
          for (const tB of [false, true])
            for (const [alpha, beta] of [[1, 0], [-0.75, 1.5]]) {
              const aCols = tA ? m : k, aRows = tA ? k : m, bCols = tB ? k : n, bRows = tB ? n : k;
              const lda = aCols + 1, ldb = bCols + 2, ldc = n + 1;
              const a = F.from(rand(aRows * lda, m + 1)), b = F.from(rand(bRows * ldb, n + 2));
              a[a.length - 1 - lda] = NaN; // one NaN in A (when A has more than one row)
              b[0] = -0;
              const c0 = F.from(rand(m * ldc, k + 3));
              const run = (path: WasmPath) => {
                setWasmPath(path);
                const c = c0.slice();
                tsKernels.gemm(tA, tB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
                return c;
              };
              const wasm = run('wasm'), scalar = run('scalar');
              setWasmPath('auto');
              for (let i = 0; i < wasm.length && diffs.length < 3; i++)
                if (!Object.is(wasm[i], scalar[i])) diffs.push(`tA=${tA} tB=${tB} α=${alpha} β=${beta} c[${i}]: wasm ${wasm[i]}, scalar ${scalar[i]}`);
            }
        expect(diffs).toEqual([]);
      });
});

describe('ts gemm: WebAssembly memory', () => {
  it('grows for a product larger than its memory, and later products (small and large) stay right', () => {
    setWasmPath('wasm');
    try {
      // 200×300 · 300×150 in float64 needs ~1.5 MB of module memory (it starts with 64 KiB).
      for (const [m, n, k] of [[3, 5, 7], [200, 150, 300], [9, 13, 11], [150, 200, 300]] as const) {
        const a = rand(m * k, m), b = rand(k * n, n), c = rand(m * n, k);
        const expected = naive(false, true, m, n, k, 0.5, a, k, transposeOf(b, k, n), k, 2, c, n);
        tsKernels.gemm(false, true, m, n, k, 0.5, a, k, transposeOf(b, k, n), k, 2, c, n);
        let worst = 0;
        for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs(c[i] - expected[i]) / (1 + Math.abs(expected[i])));
        expect(worst, `${m}×${n}×${k}`).toBeLessThan(1e-12);
      }
    } finally {
      setWasmPath('auto');
    }
  });

  const rand = (len: number, seed: number) => Float64Array.from({ length: len }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 3);
  /** Bᵀ stored row-major (n×k) from B (k×n). */
  const transposeOf = (b: Float64Array, k: number, n: number) => {
    const t = new Float64Array(k * n);
    for (let p = 0; p < k; p++) for (let j = 0; j < n; j++) t[j * k + p] = b[p * n + j];
    return t;
  };
});
