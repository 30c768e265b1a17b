// Edge values on every kernel set: zeros, subnormals (never flushed), huge values (finite and
// overflowing), NaN and ±Inf propagation, and the BLAS rules for beta = 0, alpha = 0 and k = 0.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-main/core/rng.ts';
import { kernelSets, mismatches, reference, store, type FloatCtor, type Gemm } from './gemm-harness.ts';

const DTYPES = [Float32Array, Float64Array] as const;

/** C = alpha·A·B + beta·C for row-major A (m×k), B (k×n), C (m×n) given as plain arrays. */
function mul(gemm: Gemm, F: FloatCtor, m: number, n: number, k: number, a: number[], b: number[], opts: { alpha?: number; beta?: number; c?: number[]; tA?: boolean; tB?: boolean } = {}): number[] {
  const { alpha = 1, beta = 0, tA = false, tB = false } = opts;
  // Store op(A) = A by passing the transpose when tA is set.
  const A = F.from(tA ? transpose(a, m, k) : a), B = F.from(tB ? transpose(b, k, n) : b);
  const C = F.from(opts.c ?? new Array(m * n).fill(0));
  gemm(tA, tB, m, n, k, alpha, A, tA ? m : k, B, tB ? k : n, beta, C, n);
  return Array.from(C);
}

function transpose(x: number[], rows: number, cols: number): number[] {
  const out = new Array<number>(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = x[i * cols + j];
  return out;
}

/** Random values with a given scale and random signs, as a plain array. */
function randomArray(rng: Rng, len: number, scale: number): number[] {
  return Array.from({ length: len }, () => (rng.uniform() * 1.5 + 0.5) * scale * (rng.uniform() < 0.5 ? -1 : 1));
}

for (const set of kernelSets())
  describe(`gemm edge values: ${set.name}`, () => {
    const gemm: Gemm = (...args) => {
      set.select();
      set.gemm(...args);
    };

    for (const F of DTYPES) {
      const tiny = F === Float32Array ? 2 ** -140 : 2 ** -1070; // subnormal in this dtype
      const huge = F === Float32Array ? 1e18 : 1e150; // huge, but its square still fits
      const over = F === Float32Array ? 1e20 : 1e160; // its square overflows

      it(`${F.name}: zeros in, beta·C out`, () => {
        const c = [1, -2, 3, 4, 5, 6];
        expect(mul(gemm, F, 2, 3, 4, new Array(8).fill(0), new Array(12).fill(0), { beta: 2, c })).toEqual(c.map((x) => 2 * x));
      });

      it(`${F.name}: beta = 0 overwrites NaN and Inf in C`, () => {
        expect(mul(gemm, F, 1, 3, 1, [2], [1, 2, 3], { c: [NaN, Infinity, -Infinity] })).toEqual([2, 4, 6]);
      });

      it(`${F.name}: alpha = 0 and k = 0 leave beta·C (NaN in A and B not touched, as in BLAS)`, () => {
        expect(mul(gemm, F, 1, 2, 1, [NaN], [NaN, 1], { alpha: 0, beta: 3, c: [1, 2] })).toEqual([3, 6]);
        expect(mul(gemm, F, 1, 2, 1, [NaN], [NaN, 1], { alpha: 0, beta: 0, c: [NaN, NaN] })).toEqual([0, 0]);
        expect(mul(gemm, F, 2, 2, 0, [], [], { beta: 0.5, c: [2, 4, NaN, 8] })).toEqual([1, 2, NaN, 4]);
      });

      for (const [tA, tB] of [[false, false], [true, false], [false, true], [true, true]])
        it(`${F.name} transA=${tA} transB=${tB}: NaN propagates along its row and column, through zeros too`, () => {
          // A (3×4) has NaN at (1, 2); B (4×5) has NaN at (3, 4) and A's column 3 is all zero:
          // 0·NaN = NaN, so C's column 4 is NaN in every row, C's row 1 is NaN, the rest finite.
          const a = [1, 2, 3, 0, 4, 5, NaN, 0, 6, 7, 8, 0];
          const b = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, NaN];
          const c = mul(gemm, F, 3, 5, 4, a, b, { tA, tB });
          for (let i = 0; i < 3; i++)
            for (let j = 0; j < 5; j++) expect(Number.isNaN(c[i * 5 + j]), `C[${i},${j}] = ${c[i * 5 + j]}`).toBe(i === 1 || j === 4);
        });

      it(`${F.name}: NaN in C survives beta ≠ 0`, () => {
        expect(mul(gemm, F, 1, 2, 1, [1], [1, 1], { beta: 1, c: [NaN, 1] })).toEqual([NaN, 2]);
      });

      it(`${F.name}: ±Inf times finite is ±Inf, Inf·0 and Inf − Inf are NaN`, () => {
        // A = [[Inf, 1], [0, Inf], [Inf, −Inf]], B = [[1, 2, −3], [0, 5, 6]]: row 0 is ±Inf by the
        // sign of B, row 1 has Inf·0 = NaN in column 0, row 2 has Inf − Inf = NaN except −Inf − Inf.
        const a = [Infinity, 1, 0, Infinity, Infinity, -Infinity];
        const b = [1, 2, -3, 0, 5, 6];
        expect(mul(gemm, F, 3, 3, 2, a, b)).toEqual([Infinity, Infinity, -Infinity, NaN, Infinity, Infinity, NaN, NaN, -Infinity]);
        expect(mul(gemm, F, 1, 2, 1, [Infinity], [0, 2])).toEqual([NaN, Infinity]);
        expect(mul(gemm, F, 1, 1, 1, [1], [1], { beta: 1, c: [-Infinity] })).toEqual([-Infinity]);
      });

      it(`${F.name}: subnormals are kept exactly (no flush to zero)`, () => {
        const t = F === Float32Array ? Math.fround(tiny) : tiny;
        expect(mul(gemm, F, 1, 3, 1, [t], [1, 0.5, -2])).toEqual([t, t / 2, -2 * t]);
        expect(mul(gemm, F, 1, 1, 2, [t, t], [1, 1])).toEqual([2 * t]);
        expect(mul(gemm, F, 1, 1, 1, [1], [1], { alpha: 0, beta: t, c: [1] })).toEqual([t]);
        expect(mul(gemm, F, 1, 1, 1, [1], [t], { beta: 1, c: [t] })).toEqual([2 * t]);
      });

      for (const [name, scale, k] of [
        ['subnormal', tiny, 40],
        ['huge', huge, 40],
      ] as const)
        it(`${F.name}: ${name} random values within the error bound, every transpose`, () => {
          const rng = new Rng(k + (F === Float32Array ? 1 : 2) + name.length);
          const m = 9, n = 19;
          const failures: string[] = [];
          for (const tA of [false, true])
            for (const tB of [false, true]) {
              const [rowsA, colsA] = tA ? [k, m] : [m, k];
              const [rowsB, colsB] = tB ? [n, k] : [k, n];
              // Subnormal·1 products stay subnormal; huge·huge products stay below the dtype's max.
              const a = store(F, randomArray(rng, rowsA * colsA, scale), rowsA, colsA, colsA, 1, NaN);
              const b = store(F, randomArray(rng, rowsB * colsB, name === 'huge' ? scale : 1), rowsB, colsB, colsB, 2, NaN);
              const c = store(F, new Array(m * n).fill(0), m, n, n, 0, 7);
              const ref = reference(tA, tB, m, n, k, 1, a, b, 0, c);
              gemm(tA, tB, m, n, k, 1, a.view, a.ld, b.view, b.ld, 0, c.view, c.ld);
              failures.push(...mismatches(F, k, c, ref, 7).map((f) => `tA=${tA} tB=${tB}: ${f}`));
            }
          expect(failures).toEqual([]);
        });

      it(`${F.name}: products beyond the largest finite value overflow to ±Inf`, () => {
        expect(mul(gemm, F, 2, 2, 2, [over, over, -over, -over], [over, over, over, over])).toEqual([Infinity, Infinity, -Infinity, -Infinity]);
      });
    }
  });
