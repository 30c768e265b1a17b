// TypeScript reference kernels: correct for every input, and written so V8 keeps the inner
// loops monomorphic and contiguous (i-k-j order for the common non-transposed case).
import type { FloatArray } from '../tensor.ts';
import { tsOptimizerKernels } from './optim-ts.ts';
import type { Kernels } from './types.ts';

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
  for (let i = 0; i < m; i++) {
    const ci = i * ldc;
    if (beta === 0) for (let j = 0; j < n; j++) c[ci + j] = 0;
    else if (beta !== 1) for (let j = 0; j < n; j++) c[ci + j] *= beta;
  }
  if (alpha === 0 || k === 0) return;
  if (!transB) {
    // C[i, :] += alpha · A'[i, p] · B[p, :]: the inner loop runs along a row of B and of C.
    for (let i = 0; i < m; i++) {
      const ci = i * ldc;
      for (let p = 0; p < k; p++) {
        const aip = alpha * (transA ? a[p * lda + i] : a[i * lda + p]);
        const bp = p * ldb;
        for (let j = 0; j < n; j++) c[ci + j] += aip * b[bp + j];
      }
    }
  } else {
    // C[i, j] += alpha · dot(A'[i, :], B[j, :]): both operands contiguous along p when A is not transposed.
    for (let i = 0; i < m; i++) {
      const ci = i * ldc;
      for (let j = 0; j < n; j++) {
        const bj = j * ldb;
        let s = 0;
        if (transA) for (let p = 0; p < k; p++) s += a[p * lda + i] * b[bj + p];
        else {
          const ai = i * lda;
          for (let p = 0; p < k; p++) s += a[ai + p] * b[bj + p];
        }
        c[ci + j] += alpha * s;
      }
    }
  }
}

export const tsKernels: Kernels = { name: 'ts', gemm, ...tsOptimizerKernels };
