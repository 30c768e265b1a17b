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

// ---------------------------------------------------------------------------------------------
// Model kernels: the elementwise and row-wise loops of the models' forward and backward passes
// (core/models). Contract shared by every method:
// - Matrices are row-major and dense (row stride = number of columns); every FloatArray argument
//   of one call has the same dtype. Arithmetic may be done in float64 and rounded on store
//   (the TypeScript reference does); a float32 implementation must agree within float32 precision.
// - Outputs are overwritten, never accumulated into, unless the doc says "+=".
// - An output may alias an input only where the doc says so.
// - Integer class labels are Int32Array, already validated by the caller (0 ≤ y < classes).
// - Losses return the plain float64 sum over the elements/rows (no mean): the caller divides.
// ---------------------------------------------------------------------------------------------

/** Activation codes understood by activationForward/activationBackward. */
export const ActivationCode = { relu: 0, tanh: 1, sigmoid: 2, gelu: 3 } as const;
export type ActivationCode = (typeof ActivationCode)[keyof typeof ActivationCode];

export interface ModelKernels {
  /** x[i·m + j] += v[j] for i < n, j < m: adds a bias row to every row of an n×m matrix. */
  addRowVector(n: number, m: number, v: FloatArray, x: FloatArray): void;

  /** out[j] = Σ_{i<n} x[i·m + j] for j < m (column sums, summed in row order i = 0, 1, …). */
  columnSums(n: number, m: number, x: FloatArray, out: FloatArray): void;

  /**
   * h[i] = f(z[i]) for i < len; `h` may alias `z`.
   *   relu:    f(z) = z < 0 ? 0 : z                     (NaN stays NaN)
   *   tanh:    f(z) = tanh z
   *   sigmoid: f(z) = 1/(1 + e^−z)                      (as e^z/(1 + e^z) for z < 0)
   *   gelu:    f(z) = z·Φ(z), Φ(z) = ½·erfc(−z/√2)      (torch's exact, non-tanh GELU)
   */
  activationForward(activation: ActivationCode, len: number, z: FloatArray, h: FloatArray): void;

  /**
   * dz[i] = dh[i]·f′(z[i]) for i < len, where h = f(z) as written by activationForward;
   * `dz` may alias `dh`.
   *   relu:    f′ = z > 0 ? 1 : 0        (0 at the kink and for NaN, as torch's threshold_backward)
   *   tanh:    f′ = 1 − h²
   *   sigmoid: f′ = h·(1 − h)
   *   gelu:    f′ = Φ(z) + z·φ(z), φ(z) = e^(−z²/2)/√(2π)
   */
  activationBackward(
    activation: ActivationCode,
    len: number,
    z: FloatArray,
    h: FloatArray,
    dh: FloatArray,
    dz: FloatArray,
  ): void;

  /**
   * Softmax cross-entropy of n rows of k logits against integer labels, numerically stable:
   * with mᵢ = maxⱼ zᵢⱼ and sᵢ = Σⱼ e^(zᵢⱼ − mᵢ),
   *   returns Σᵢ (mᵢ − zᵢ,yᵢ + log sᵢ)                      (= Σᵢ −log softmax(zᵢ)[yᵢ])
   *   grad[i·k + j] = scale·(e^(zᵢⱼ − mᵢ)/sᵢ − [j = yᵢ])    (`grad` may alias `logits`)
   */
  softmaxCrossEntropy(
    n: number,
    k: number,
    logits: FloatArray,
    labels: Int32Array,
    scale: number,
    grad: FloatArray,
  ): number;

  /**
   * Binary cross-entropy with logits (one logit per row, labels 0 or 1), numerically stable:
   *   returns Σᵢ (max(zᵢ, 0) − zᵢ·yᵢ + log(1 + e^−|zᵢ|))   (= Σᵢ −log σ(zᵢ) or −log(1 − σ(zᵢ)))
   *   grad[i] = scale·(σ(zᵢ) − yᵢ)                         (`grad` may alias `logits`)
   */
  sigmoidCrossEntropy(n: number, logits: FloatArray, labels: Int32Array, scale: number, grad: FloatArray): number;

  /**
   * Squared error over len elements:
   *   returns Σᵢ (pᵢ − tᵢ)²;   grad[i] = 2·scale·(pᵢ − tᵢ)   (`grad` may alias `pred`)
   */
  squaredError(len: number, pred: FloatArray, target: FloatArray, scale: number, grad: FloatArray): number;
}

export interface Kernels extends MatrixKernels, ModelKernels {
  /** "ts" or "native", for reports. */
  readonly name: string;
}
