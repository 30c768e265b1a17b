// The hot loops behind one interface. `ts.ts` is the TypeScript reference; a Node-API addon
// (native/) can provide the same interface, installed with `useKernels` by Node-side code.
import type { FloatArray } from '../tensor.ts';

export interface MatrixKernels {
  /**
   * General matrix multiply on row-major matrices (BLAS sgemm/dgemm semantics):
   * C = alpha · op(A) · op(B) + beta · C, op(X) = Xᵀ when the trans flag is set.
   * op(A) is m×k, op(B) is k×n, C is m×n; lda/ldb/ldc are row strides of A, B, C as stored.
   * A, B and C have the same dtype. beta = 0 means C is overwritten (its old contents, even
   * NaN, are ignored).
   */
  gemm(
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
  ): void;
}

export interface Kernels extends MatrixKernels {
  /** "ts" or "native", for reports. */
  readonly name: string;
}
