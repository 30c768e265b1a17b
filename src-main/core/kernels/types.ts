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

// Optimizer kernels: one fused, single-pass step per optimizer family.
//
// Contract shared by every method (so a C++ Node-API addon can implement them as plain loops):
// - `params`, `grads`, the state buffers and `effLr` are flat typed arrays of one dtype (all
//   Float32Array or all Float64Array) and one length n; `params` and the state buffers are
//   updated in place, `grads` is only read (it is never modified).
// - A state buffer passed as `null` is absent (e.g. no momentum buffer when momentum = 0).
// - `effLr`, when not null, receives per element the multiplier that was applied to the search
//   direction at this step (a magnitude, always ≥ 0; see each method). When null, nothing extra
//   is computed.
// - `s` is a plain object of float64 scalars computed by the caller (core/optim/fused.ts) from
//   the hyperparameters and the step count t (1-based): bias corrections, step sizes, flags as
//   0/1. The kernel does no per-step scalar math of its own beyond what is documented.
// - Element order is irrelevant (every element is independent), so a kernel may vectorize or
//   split the range across threads. Results must match the TypeScript reference (optim-ts.ts)
//   to float rounding; test/conformance runs every Kernels set through the torch cases.
// - A set that implements only some methods can take the rest from the TypeScript set
//   (`useKernels({ ...tsKernels, ...native })`); if a method is missing at run time anyway, the
//   optimizer facade falls back to its chain of transformations for that optimizer.
// - Per element, with g the gradient and θ the parameter, every method starts with
//     g ← maximize ? −g : g;   g ← g + l2·θ
//   and finishes with
//     θ ← θ − decay·θ − Δ      (θ on the right is the value before this step)
//   where Δ is the family's update below. `decay` is the decoupled weight decay (AdamW's η·λ,
//   or λ when independent of η); `l2` is torch's weight_decay folded into the gradient.
// ---------------------------------------------------------------------------------------------

/** Scalars every optimizer kernel takes. */
export interface StepScalarsBase {
  /** 1: ascend (torch's `maximize`), the gradient is negated first; 0: descend. */
  readonly maximize: number;
  /** L2 coefficient folded into the gradient: g ← g + l2·θ. */
  readonly l2: number;
  /** Decoupled decay: θ ← θ − decay·θ alongside the update. */
  readonly decay: number;
}

/**
 * SGD with momentum (torch.optim.SGD). With b the momentum buffer (absent when momentum = 0):
 *   b ← first ? g : momentum·b + (1 − dampening)·g;   d = nesterov ? g + momentum·b : b
 *   Δ = lr·d;   effLr = lr
 */
export interface SgdScalars extends StepScalarsBase {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  /** 1: Nesterov momentum. */
  readonly nesterov: number;
  /** 1 on the first step (the buffer takes g undamped, as torch's clone). */
  readonly first: number;
}

/**
 * AdaGrad (torch.optim.Adagrad). With G the running sum of squares:
 *   G ← G + g²;   r = epsInside ? √(G + eps) : √G + eps;   s = 1/r (s = 0 where zeroGuard and G = 0)
 *   Δ = clr·s·g;   effLr = clr·s
 * clr is the decayed learning rate lr/(1 + (t − 1)·lr_decay).
 */
export interface AdagradScalars extends StepScalarsBase {
  readonly clr: number;
  readonly eps: number;
  readonly epsInside: number;
  readonly zeroGuard: number;
}

/**
 * RMSprop (torch.optim.RMSprop). With v the square average, a the gradient average (centered
 * only) and b the momentum buffer (only when momentum > 0):
 *   v ← alpha·v + (1 − alpha)·g²;   a ← alpha·a + (1 − alpha)·g;   w = centered ? v − a² : v
 *   r = epsInside ? √(w + eps) : √w + eps
 *   b ← momentum·b + g/r;   Δ = lr·(momentum buffer ? b : g/r);   effLr = lr/r
 */
export interface RmspropScalars extends StepScalarsBase {
  readonly lr: number;
  readonly alpha: number;
  readonly eps: number;
  readonly epsInside: number;
  readonly momentum: number;
}

/**
 * Adam and AdamW (torch.optim.Adam / AdamW). With m, v the moments and vmax the AMSGrad buffer:
 *   m ← beta1·m + (1 − beta1)·g;   v ← beta2·v + (1 − beta2)·g²
 *   amsgrad 0: r = √v/bc2Sqrt + eps
 *   amsgrad 1 (max over raw v, torch/Keras):      vmax ← max(vmax, v);        r = √vmax/bc2Sqrt + eps
 *   amsgrad 2 (max over corrected v̂, Optax):      vmax ← max(vmax, v/bc2);    r = √vmax + eps
 *   Δ = stepSize·m/r;   effLr = lr/r   (the multiplier on m̂ = m/bc1)
 * stepSize = lr/bc1; bc1 = 1 − beta1ᵗ, bc2 = bc2Sqrt² = 1 − beta2ᵗ. For Keras' ε-hat form the
 * caller passes eps = ε/bc2Sqrt.
 */
export interface AdamScalars extends StepScalarsBase {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly stepSize: number;
  readonly bc2Sqrt: number;
  readonly eps: number;
  readonly amsgrad: number;
}

/**
 * Adamax (torch.optim.Adamax). With m the first moment and u the infinity norm:
 *   m ← beta1·m + (1 − beta1)·g
 *   epsInside 1 (torch):  u ← max(beta2·u, |g| + eps);   r = u
 *   epsInside 0:          u ← max(beta2·u, |g|);         r = u + eps
 *   Δ = stepSize·m/r;   effLr = lr/r   (on m̂);   stepSize = lr/bc1
 */
export interface AdamaxScalars extends StepScalarsBase {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly stepSize: number;
  readonly eps: number;
  readonly epsInside: number;
}

/**
 * NAdam (torch.optim.NAdam with the pytorch#92699 fix; Keras 3; Optax's nesterov Adam):
 *   m ← beta1·m + (1 − beta1)·g;   v ← beta2·v + (1 − beta2)·g²;   r = √(v/bc2) + eps
 *   Δ = lr·(coefGrad·g + coefAvg·m)/r;   effLr = lr/r
 * coefGrad = (1 − μₜ)/(1 − ∏μ₁..ₜ), coefAvg = μₜ₊₁/(1 − ∏μ₁..ₜ₊₁), from the momentum schedule.
 */
export interface NadamScalars extends StepScalarsBase {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly bc2: number;
  readonly eps: number;
  readonly coefGrad: number;
  readonly coefAvg: number;
}

/**
 * RAdam (torch.optim.RAdam; Optax radam):
 *   m ← beta1·m + (1 − beta1)·g;   v ← beta2·v + (1 − beta2)·g²
 *   rectified 1: r = √v/bc2Sqrt + eps;   Δ = stepSize·m/r;   effLr = lr·rect/r
 *   rectified 0: Δ = stepSize·m;         effLr = lr
 * stepSize = lr·rect/bc1 when rectified, lr/bc1 otherwise; torch's form passes eps = ε/bc2Sqrt.
 */
export interface RadamScalars extends StepScalarsBase {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly rectified: number;
  readonly rect: number;
  readonly stepSize: number;
  readonly bc2Sqrt: number;
  readonly eps: number;
}

/**
 * Adadelta (torch.optim.Adadelta). With v the square average and w the delta average:
 *   v ← rho·v + (1 − rho)·g²;   k = √(w + eps)/√(v + eps);   δ = k·g;   w ← rho·w + (1 − rho)·δ²
 *   Δ = lr·δ;   effLr = lr·k
 */
export interface AdadeltaScalars extends StepScalarsBase {
  readonly lr: number;
  readonly rho: number;
  readonly eps: number;
}

/**
 * Rprop (torch.optim.Rprop; l2 and decay must be 0). With p the previous gradient and s the
 * per-parameter step size:
 *   q = g·p;  s ← clamp(s·(q > 0 ? etaPlus : q < 0 ? etaMinus : 1), stepMin, stepMax)
 *   g ← q < 0 ? 0 : g;   Δ = sign(g)·s;   p ← g;   effLr = s
 */
export interface RpropScalars extends StepScalarsBase {
  readonly etaMinus: number;
  readonly etaPlus: number;
  readonly stepMin: number;
  readonly stepMax: number;
}

type Buf = FloatArray;
type OptBuf = FloatArray | null;

export interface OptimizerKernels {
  sgdStep(params: Buf, grads: Buf, momentumBuffer: OptBuf, effLr: OptBuf, s: SgdScalars): void;
  adagradStep(params: Buf, grads: Buf, sum: Buf, effLr: OptBuf, s: AdagradScalars): void;
  rmspropStep(
    params: Buf,
    grads: Buf,
    squareAvg: Buf,
    gradAvg: OptBuf,
    momentumBuffer: OptBuf,
    effLr: OptBuf,
    s: RmspropScalars,
  ): void;
  adamStep(params: Buf, grads: Buf, expAvg: Buf, expAvgSq: Buf, maxExpAvgSq: OptBuf, effLr: OptBuf, s: AdamScalars): void;
  adamaxStep(params: Buf, grads: Buf, expAvg: Buf, expInf: Buf, effLr: OptBuf, s: AdamaxScalars): void;
  nadamStep(params: Buf, grads: Buf, expAvg: Buf, expAvgSq: Buf, effLr: OptBuf, s: NadamScalars): void;
  radamStep(params: Buf, grads: Buf, expAvg: Buf, expAvgSq: Buf, effLr: OptBuf, s: RadamScalars): void;
  adadeltaStep(params: Buf, grads: Buf, squareAvg: Buf, accDelta: Buf, effLr: OptBuf, s: AdadeltaScalars): void;
  rpropStep(params: Buf, grads: Buf, prev: Buf, stepSize: Buf, effLr: OptBuf, s: RpropScalars): void;
}

export interface Kernels extends MatrixKernels, ModelKernels, OptimizerKernels {
  /** "ts" or "native", for reports. */
  readonly name: string;
}
