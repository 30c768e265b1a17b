// TypeScript reference kernels: correct for every input, and written so V8 keeps the inner
// loops tight. gemm runs in WebAssembly SIMD when the engine has it (gemm-wasm.ts: the module
// is assembled from TypeScript at run time) for every problem big enough to pay for copying the
// operands in; otherwise (and as the fallback) in scalar loops on register tiles of 2 rows × 4
// columns of C (8 independent accumulators, 6 loads per 8 multiply-adds), whatever the
// transposes. Both compute each element of C as the same float64 sum in the same order.
// V8 specializes each loop on the typed-array types it has seen: an isolate that feeds both
// Float32Array and Float64Array through the same scalar loops runs both noticeably slower than
// one that sticks to one dtype (a training run in its own worker does).
import type { FloatArray } from '../tensor.ts';
import { checkGemmArgs } from './check.ts';
import { wasmGemm } from './gemm-wasm.ts';
import { setWasmPathMode, useWasmFor, type WasmPath } from './wasm-path.ts';
import { tsModelKernels } from './model-ts.ts';
import { tsOptimizerKernels } from './optim-ts.ts';
import type { Kernels } from './types.ts';

/**
 * Depth of one pass over k: a tile's 6 operand streams stay in L1 and one pass's share of A
 * (m × KC values) in L2 for long k (128×256 by 256×256 in float64: 0.8 → 1.5 GMAC/s vs 256).
 */
const KC = 128;

/**
 * Smallest m·n·k sent to WebAssembly: below it, copying the operands in and out costs more than
 * the scalar loops' slower arithmetic (float32, per call: 8×8×8 0.69 µs scalar vs 0.84 wasm,
 * 12×12×12 1.6 vs 2.0; 8×16×16 1.7 vs 1.3, 16×16×16 3.2 vs 1.8, 24×24×24 9.8 vs 3.6).
 */
const WASM_MIN_WORK = 2048;

/**
 * Selects where the kernels that have a WebAssembly version (gemm, Adam's plain step) run; see
 * WasmPath. Returns whether WebAssembly will be used at all: false for 'scalar', and for every
 * path when this engine has no WebAssembly SIMD.
 */
export function setWasmPath(path: WasmPath): boolean {
  setWasmPathMode(path);
  return path !== 'scalar' && wasmGemm() !== null;
}

export type { WasmPath } from './wasm-path.ts';

function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  lda: number,
  b: FloatArray,
  ldb: number,
  beta: number,
  c: FloatArray,
  ldc: number,
): void {
  checkGemmArgs(transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
  if (m <= 0 || n <= 0) return;
  if (alpha === 0 || k <= 0) {
    scaleMatrix(m, n, beta, c, ldc);
    return;
  }
  // op(A)[i, p] = a[i·ai + p·ap], op(B)[p, j] = b[p·bp + j·bj], C[i, j] = c[i·ldc + j]: one code
  // path for every transpose.
  const ai = transA ? 1 : lda;
  const ap = transA ? lda : 1;
  const bp = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  if (useWasmFor(m * n * k, WASM_MIN_WORK)) {
    const wasm = wasmGemm();
    // Elements A and B span as stored: (rows − 1)·ld + cols.
    const spanA = transA ? (k - 1) * lda + m : (m - 1) * lda + k;
    const spanB = transB ? (n - 1) * ldb + k : (k - 1) * ldb + n;
    if (wasm !== null && wasm(m, n, k, alpha, a, ai, ap, spanA, b, bp, bj, spanB, beta, c, ldc)) return;
  }
  // Tiles are 2 rows × 4 columns; the edges take slower 1-row / 1-column blocks. When Cᵀ tiles
  // better (e.g. 32×10 logits: 10 is no multiple of 4 but 32 is), compute Cᵀ = op(B)ᵀ·op(A)ᵀ
  // instead: the same kernel with the roles of A and B (and C's strides) exchanged.
  if (tiledFraction(n, m) > tiledFraction(m, n)) tiles(n, m, k, alpha, b, bj, bp, a, ap, ai, beta, c, 1, ldc);
  else tiles(m, n, k, alpha, a, ai, ap, b, bp, bj, beta, c, ldc, 1);
}

/** Share of an m×n result covered by full 2×4 tiles. */
function tiledFraction(m: number, n: number): number {
  return ((m - (m % 2)) * (n - (n % 4))) / (m * n);
}

/** C[i, j] = alpha·Σ_p A[i, p]·B[p, j] + beta·C[i, j] with A[i, p] = a[i·ai + p·ap], B[p, j] = b[p·bp + j·bj], C[i, j] = c[i·ci + j·cj]. */
function tiles(
  m: number, n: number, k: number, alpha: number,
  a: FloatArray, ai: number, ap: number,
  b: FloatArray, bp: number, bj: number,
  beta: number, c: FloatArray, ci: number, cj: number,
): void {
  const m2 = m - (m % 2);
  const n4 = n - (n % 4);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    // C = alpha·A·B + beta·C on the first pass over k, then accumulate (beta = 1).
    const be = p0 === 0 ? beta : 1;
    const aOff = p0 * ap;
    const bOff = p0 * bp;
    for (let j = 0; j < n4; j += 4) {
      const bj0 = bOff + j * bj;
      for (let i = 0; i < m2; i += 2) block2x4(kc, alpha, a, aOff + i * ai, ai, ap, b, bj0, bp, bj, be, c, i * ci + j * cj, ci, cj);
      if (m2 < m) block1x4(kc, alpha, a, aOff + m2 * ai, ap, b, bj0, bp, bj, be, c, m2 * ci + j * cj, cj);
    }
    for (let j = n4; j < n; j++) {
      const bj0 = bOff + j * bj;
      for (let i = 0; i < m2; i += 2) block2x1(kc, alpha, a, aOff + i * ai, ai, ap, b, bj0, bp, be, c, i * ci + j * cj, ci);
      if (m2 < m) block1x1(kc, alpha, a, aOff + m2 * ai, ap, b, bj0, bp, be, c, m2 * ci + j * cj);
    }
  }
}

/** C ← beta·C (beta = 0 overwrites with zeros, ignoring NaN in C). */
function scaleMatrix(m: number, n: number, beta: number, c: FloatArray, ldc: number): void {
  if (beta === 1) return;
  for (let i = 0; i < m; i++) {
    const ci = i * ldc;
    if (beta === 0) for (let j = 0; j < n; j++) c[ci + j] = 0;
    else for (let j = 0; j < n; j++) c[ci + j] *= beta;
  }
}

// The blocks: C[r, s] = alpha·Σ_p op(A)[r, p]·op(B)[p, s] + beta·C[r, s] over one tile, with the
// sums kept in locals. Each block size has its own function so every one gets its own stable
// type feedback (a never-run branch inside one function would deoptimize it over and over).

function block2x4(
  k: number, alpha: number,
  a: FloatArray, ia0: number, ai: number, ap: number,
  b: FloatArray, ib0: number, bp: number, bj: number,
  beta: number, c: FloatArray, c0: number, ci: number, cj: number,
): void {
  let ia = ia0;
  let ib = ia0 + ai;
  const b1 = ib0 + bj, b2 = b1 + bj, b3 = b2 + bj;
  let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
  let q = 0;
  for (let p = 0; p < k; p++) {
    const x0 = a[ia], x1 = a[ib];
    const y0 = b[ib0 + q], y1 = b[b1 + q], y2 = b[b2 + q], y3 = b[b3 + q];
    s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
    s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
    ia += ap;
    ib += ap;
    q += bp;
  }
  // C's tile: rows at c0 and c0 + ci, columns every cj
  const r0 = c0, r1 = c0 + cj, r2 = r1 + cj, r3 = r2 + cj;
  const q0 = c0 + ci, q1 = q0 + cj, q2 = q1 + cj, q3 = q2 + cj;
  if (beta === 0) {
    c[r0] = alpha * s00; c[r1] = alpha * s01; c[r2] = alpha * s02; c[r3] = alpha * s03;
    c[q0] = alpha * s10; c[q1] = alpha * s11; c[q2] = alpha * s12; c[q3] = alpha * s13;
  } else {
    c[r0] = alpha * s00 + beta * c[r0];
    c[r1] = alpha * s01 + beta * c[r1];
    c[r2] = alpha * s02 + beta * c[r2];
    c[r3] = alpha * s03 + beta * c[r3];
    c[q0] = alpha * s10 + beta * c[q0];
    c[q1] = alpha * s11 + beta * c[q1];
    c[q2] = alpha * s12 + beta * c[q2];
    c[q3] = alpha * s13 + beta * c[q3];
  }
}

function block1x4(
  k: number, alpha: number,
  a: FloatArray, ia0: number, ap: number,
  b: FloatArray, ib0: number, bp: number, bj: number,
  beta: number, c: FloatArray, c0: number, cj: number,
): void {
  let ia = ia0;
  const b1 = ib0 + bj, b2 = b1 + bj, b3 = b2 + bj;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  let q = 0;
  for (let p = 0; p < k; p++) {
    const x = a[ia];
    s0 += x * b[ib0 + q]; s1 += x * b[b1 + q]; s2 += x * b[b2 + q]; s3 += x * b[b3 + q];
    ia += ap;
    q += bp;
  }
  const r1 = c0 + cj, r2 = r1 + cj, r3 = r2 + cj;
  if (beta === 0) {
    c[c0] = alpha * s0; c[r1] = alpha * s1; c[r2] = alpha * s2; c[r3] = alpha * s3;
  } else {
    c[c0] = alpha * s0 + beta * c[c0];
    c[r1] = alpha * s1 + beta * c[r1];
    c[r2] = alpha * s2 + beta * c[r2];
    c[r3] = alpha * s3 + beta * c[r3];
  }
}

function block2x1(
  k: number, alpha: number,
  a: FloatArray, ia0: number, ai: number, ap: number,
  b: FloatArray, ib0: number, bp: number,
  beta: number, c: FloatArray, c0: number, ci: number,
): void {
  let ia = ia0;
  let ib = ia0 + ai;
  let q = ib0;
  let s0 = 0, s1 = 0;
  for (let p = 0; p < k; p++) {
    const y = b[q];
    s0 += a[ia] * y;
    s1 += a[ib] * y;
    ia += ap;
    ib += ap;
    q += bp;
  }
  const c1 = c0 + ci;
  if (beta === 0) {
    c[c0] = alpha * s0;
    c[c1] = alpha * s1;
  } else {
    c[c0] = alpha * s0 + beta * c[c0];
    c[c1] = alpha * s1 + beta * c[c1];
  }
}

function block1x1(
  k: number, alpha: number,
  a: FloatArray, ia0: number, ap: number,
  b: FloatArray, ib0: number, bp: number,
  beta: number, c: FloatArray, c0: number,
): void {
  let ia = ia0;
  let q = ib0;
  let s = 0;
  for (let p = 0; p < k; p++) {
    s += a[ia] * b[q];
    ia += ap;
    q += bp;
  }
  c[c0] = beta === 0 ? alpha * s : alpha * s + beta * c[c0];
}

export const tsKernels: Kernels = { name: 'ts', gemm, ...tsModelKernels, ...tsOptimizerKernels };
