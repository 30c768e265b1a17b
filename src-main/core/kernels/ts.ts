// TypeScript reference kernels: correct for every input, and written so V8 keeps the inner
// loops tight: gemm works on register blocks of 2 rows × 4 columns of C (8 independent
// accumulators, 6 loads per 8 multiply-adds), whatever the transposes.
import type { FloatArray } from '../tensor.ts';
import { tsModelKernels } from './model-ts.ts';
import type { Kernels } from './types.ts';

/** Depth of one pass over k: keeps a 4-row panel of B (4 × KC values) in L1 for long k. */
const KC = 256;

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
  if (m <= 0 || n <= 0) return;
  if (alpha === 0 || k <= 0) {
    scaleMatrix(m, n, beta, c, ldc);
    return;
  }
  // op(A)[i, p] = a[i·ai + p·ap] and op(B)[p, j] = b[p·bp + j·bj]: one code path for every transpose.
  const ai = transA ? 1 : lda;
  const ap = transA ? lda : 1;
  const bp = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  const m2 = m - (m % 2);
  const n4 = n - (n % 4);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    // C = alpha·op(A)·op(B) + beta·C on the first pass over k, then accumulate (beta = 1).
    const be = p0 === 0 ? beta : 1;
    const aOff = p0 * ap;
    const bOff = p0 * bp;
    for (let j = 0; j < n4; j += 4) {
      const bj0 = bOff + j * bj;
      for (let i = 0; i < m2; i += 2) block2x4(kc, alpha, a, aOff + i * ai, ai, ap, b, bj0, bp, bj, be, c, i * ldc + j, ldc);
      if (m2 < m) block1x4(kc, alpha, a, aOff + m2 * ai, ap, b, bj0, bp, bj, be, c, m2 * ldc + j);
    }
    for (let j = n4; j < n; j++) {
      const bj0 = bOff + j * bj;
      for (let i = 0; i < m2; i += 2) block2x1(kc, alpha, a, aOff + i * ai, ai, ap, b, bj0, bp, be, c, i * ldc + j, ldc);
      if (m2 < m) block1x1(kc, alpha, a, aOff + m2 * ai, ap, b, bj0, bp, be, c, m2 * ldc + j);
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
  beta: number, c: FloatArray, c0: number, ldc: number,
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
  const c1 = c0 + ldc;
  if (beta === 0) {
    c[c0] = alpha * s00; c[c0 + 1] = alpha * s01; c[c0 + 2] = alpha * s02; c[c0 + 3] = alpha * s03;
    c[c1] = alpha * s10; c[c1 + 1] = alpha * s11; c[c1 + 2] = alpha * s12; c[c1 + 3] = alpha * s13;
  } else {
    c[c0] = alpha * s00 + beta * c[c0];
    c[c0 + 1] = alpha * s01 + beta * c[c0 + 1];
    c[c0 + 2] = alpha * s02 + beta * c[c0 + 2];
    c[c0 + 3] = alpha * s03 + beta * c[c0 + 3];
    c[c1] = alpha * s10 + beta * c[c1];
    c[c1 + 1] = alpha * s11 + beta * c[c1 + 1];
    c[c1 + 2] = alpha * s12 + beta * c[c1 + 2];
    c[c1 + 3] = alpha * s13 + beta * c[c1 + 3];
  }
}

function block1x4(
  k: number, alpha: number,
  a: FloatArray, ia0: number, ap: number,
  b: FloatArray, ib0: number, bp: number, bj: number,
  beta: number, c: FloatArray, c0: number,
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
  if (beta === 0) {
    c[c0] = alpha * s0; c[c0 + 1] = alpha * s1; c[c0 + 2] = alpha * s2; c[c0 + 3] = alpha * s3;
  } else {
    c[c0] = alpha * s0 + beta * c[c0];
    c[c0 + 1] = alpha * s1 + beta * c[c0 + 1];
    c[c0 + 2] = alpha * s2 + beta * c[c0 + 2];
    c[c0 + 3] = alpha * s3 + beta * c[c0 + 3];
  }
}

function block2x1(
  k: number, alpha: number,
  a: FloatArray, ia0: number, ai: number, ap: number,
  b: FloatArray, ib0: number, bp: number,
  beta: number, c: FloatArray, c0: number, ldc: number,
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
  const c1 = c0 + ldc;
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

export const tsKernels: Kernels = { name: 'ts', gemm, ...tsModelKernels };
