// Every kernel set (TS reference; native on each CPU path) against one float64 reference, on
// seeded random shapes: tiny, odd, tile and cache-block boundaries, empty dimensions, all
// transposes, padded row strides and views with a byte offset. NaN guards around each operand
// catch any read outside it, guards around C any write outside it.
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-main/core/rng.ts';
import { setWasmPath, tsKernels } from '../../../src-main/core/kernels/ts.ts';
import { addon, kernelSets, mismatches, nativeSkipReason, reference, store, type FloatCtor, type Gemm, type Stored } from './gemm-harness.ts';

// m, n, k. Tiles are 4×8/6×16/8×32 (float32) and 4×4/6×8/8×16 (float64); cache blocks are
// mc = 96..128 rows, kc = 256, nc = 2048 columns.
const SHAPES: readonly [number, number, number][] = [
  [1, 1, 1], [1, 1, 0], [0, 3, 2], [3, 0, 2], [2, 3, 0],
  [1, 7, 1], [7, 1, 5], [5, 7, 3], [6, 16, 8], [8, 32, 4], [7, 17, 9], [9, 33, 2],
  [13, 31, 11], [32, 64, 64], [32, 10, 64], [64, 32, 10], [33, 65, 17],
  [97, 33, 19], [130, 20, 3], [4, 5, 300], [3, 2100, 2],
];
const SCALARS: readonly [number, number][] = [[1, 0], [0.5, 2], [-1.25, 1], [2, -0.5]];
const C_GUARD = 12345.5;

interface Case {
  tA: boolean; tB: boolean; m: number; n: number; k: number; alpha: number; beta: number;
  a: Stored; b: Stored; c: Stored;
}

function makeCase(F: FloatCtor, rng: Rng, m: number, n: number, k: number, tA: boolean, tB: boolean, alpha: number, beta: number): Case {
  const rand = (len: number) => Array.from({ length: len }, () => rng.uniform() * 2 - 1);
  const [rowsA, colsA] = tA ? [k, m] : [m, k];
  const [rowsB, colsB] = tB ? [n, k] : [k, n];
  const pad = () => rng.int(0, 3), off = () => rng.int(0, 5);
  const a = store(F, rand(rowsA * colsA), rowsA, colsA, colsA + pad(), off(), NaN);
  const b = store(F, rand(rowsB * colsB), rowsB, colsB, colsB + pad(), off(), NaN);
  // beta = 0 must overwrite C: start it as NaN there.
  const c = store(F, beta === 0 ? new Array(m * n).fill(NaN) : rand(m * n), m, n, n + pad(), off(), C_GUARD);
  return { tA, tB, m, n, k, alpha, beta, a, b, c };
}

function run(gemm: Gemm, t: Case): void {
  gemm(t.tA, t.tB, t.m, t.n, t.k, t.alpha, t.a.view, t.a.ld, t.b.view, t.b.ld, t.beta, t.c.view, t.c.ld);
}

for (const set of kernelSets())
  describe(`gemm equivalence: ${set.name}`, () => {
    for (const F of [Float32Array, Float64Array] as const)
      for (const [m, n, k] of SHAPES)
        it(`${F.name} ${m}×${n}×${k}, every transpose, strided views`, () => {
          set.select();
          const rng = new Rng(m * 1_000_003 + n * 1009 + k);
          const failures: string[] = [];
          let s = 0;
          for (const tA of [false, true])
            for (const tB of [false, true]) {
              const [alpha, beta] = SCALARS[s++ % SCALARS.length];
              const t = makeCase(F, rng, m, n, k, tA, tB, alpha, beta);
              const ref = reference(tA, tB, m, n, k, alpha, t.a, t.b, beta, t.c);
              run(set.gemm, t);
              for (const f of mismatches(F, k, t.c, ref, C_GUARD)) failures.push(`transA=${tA} transB=${tB} α=${alpha} β=${beta}: ${f}`);
            }
          expect(failures).toEqual([]);
        });
  });

describe.skipIf(!addon)(`native vs TS directly${nativeSkipReason ? ` (skipped: ${nativeSkipReason})` : ''}`, () => {
  // Both round differently (FMA, summation order), but on MLP-sized float32 problems
  // (k ≤ 64) they agree to 1e-6 of the scale Σ|αab| + |βc|.
  it('float32 results within 1e-6 relative on MLP-sized shapes, on every path', () => {
    const native = addon!;
    setWasmPath('auto');
    const worst: string[] = [];
    for (const path of native.cpuFeatures().paths.filter((p) => p.supported)) {
      native.selectPath(path.name);
      for (const [m, n, k] of [[32, 64, 64], [32, 10, 64], [64, 64, 32], [10, 64, 32], [17, 23, 29]] as const)
        for (const tA of [false, true])
          for (const tB of [false, true]) {
            const rng = new Rng(m + n + k);
            const t1 = makeCase(Float32Array, rng, m, n, k, tA, tB, 1, 0);
            const t2: Case = { ...t1, c: store(Float32Array, new Array(m * n).fill(0), m, n, t1.c.ld, 0, C_GUARD) };
            const ref = reference(tA, tB, m, n, k, 1, t1.a, t1.b, 0, t1.c);
            run(tsKernels.gemm, t1);
            run(native.gemm, t2);
            for (let i = 0; i < m; i++)
              for (let j = 0; j < n; j++) {
                const x = t1.c.view[i * t1.c.ld + j], y = t2.c.view[i * t2.c.ld + j];
                const rel = Math.abs(x - y) / ref.magnitude[i * n + j];
                if (!(rel <= 1e-6)) worst.push(`${path.name} ${m}×${n}×${k} tA=${tA} tB=${tB} C[${i},${j}]: ts ${x}, native ${y} (${rel.toExponential(2)})`);
              }
          }
    }
    native.selectPath('auto');
    expect(worst.slice(0, 5)).toEqual([]);
  });
});
