// TypeScript reference of the model kernels (contract and formulas in types.ts): float64
// arithmetic per element, stored back in the buffers' dtype, after the shared argument checks
// (arg-checks.ts); each activation has its own loop, so no per-element branch on its kind.
import type { FloatArray } from '../tensor.ts';
import { checkModelArgs } from './arg-checks.ts';
import { normalCdf, normalPdf } from './erf.ts';
import { ActivationCode, type ModelKernels } from './types.ts';

function addRowVector(n: number, m: number, v: FloatArray, x: FloatArray): void {
  checkModelArgs('addRowVector', [n, m, v, x]);
  for (let i = 0; i < n; i++) {
    const r = i * m;
    for (let j = 0; j < m; j++) x[r + j] += v[j];
  }
}

function columnSums(n: number, m: number, x: FloatArray, out: FloatArray): void {
  checkModelArgs('columnSums', [n, m, x, out]);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += x[i * m + j];
    out[j] = s;
  }
}

/** σ(z) = 1/(1 + e^−z), without overflow for large |z|. */
function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

function activationForward(activation: ActivationCode, len: number, z: FloatArray, h: FloatArray): void {
  checkModelArgs('activationForward', [activation, len, z, h]);
  switch (activation) {
    case ActivationCode.relu:
      for (let i = 0; i < len; i++) {
        const v = z[i];
        h[i] = v < 0 ? 0 : v;
      }
      return;
    case ActivationCode.tanh:
      for (let i = 0; i < len; i++) h[i] = Math.tanh(z[i]);
      return;
    case ActivationCode.sigmoid:
      for (let i = 0; i < len; i++) h[i] = sigmoid(z[i]);
      return;
    case ActivationCode.gelu:
      // gelu(z) = z·Φ(z), Φ(z) = ½·erfc(−z/√2)
      for (let i = 0; i < len; i++) {
        const v = z[i];
        h[i] = v * normalCdf(v);
      }
      return;
    default:
      throw new Error(`unknown activation code ${String(activation)}`);
  }
}

function activationBackward(
  activation: ActivationCode,
  len: number,
  z: FloatArray,
  h: FloatArray,
  dh: FloatArray,
  dz: FloatArray,
): void {
  checkModelArgs('activationBackward', [activation, len, z, h, dh, dz]);
  switch (activation) {
    case ActivationCode.relu:
      for (let i = 0; i < len; i++) dz[i] = z[i] > 0 ? dh[i] : 0;
      return;
    case ActivationCode.tanh:
      // tanh′ = 1 − tanh²
      for (let i = 0; i < len; i++) {
        const t = h[i];
        dz[i] = dh[i] * (1 - t * t);
      }
      return;
    case ActivationCode.sigmoid:
      // σ′ = σ·(1 − σ)
      for (let i = 0; i < len; i++) {
        const s = h[i];
        dz[i] = dh[i] * s * (1 - s);
      }
      return;
    case ActivationCode.gelu:
      // gelu′(z) = Φ(z) + z·φ(z)
      for (let i = 0; i < len; i++) {
        const v = z[i];
        dz[i] = dh[i] * (normalCdf(v) + v * normalPdf(v));
      }
      return;
    default:
      throw new Error(`unknown activation code ${String(activation)}`);
  }
}

function softmaxCrossEntropy(
  n: number,
  k: number,
  logits: FloatArray,
  labels: Int32Array,
  scale: number,
  grad: FloatArray,
): number {
  checkModelArgs('softmaxCrossEntropy', [n, k, logits, labels, scale, grad]);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const r = i * k;
    let m = -Infinity;
    for (let j = 0; j < k; j++) {
      const v = logits[r + j];
      if (v > m || v !== v) m = v; // NaN wins, so it propagates to loss and gradient
    }
    const y = labels[i];
    const zy = logits[r + y];
    let s = 0;
    for (let j = 0; j < k; j++) {
      const e = Math.exp(logits[r + j] - m);
      grad[r + j] = e;
      s += e;
    }
    // −log softmax(z)[y] = (m − z_y) + log Σ e^(z − m)
    total += m - zy + Math.log(s);
    const f = scale / s;
    for (let j = 0; j < k; j++) grad[r + j] *= f;
    grad[r + y] -= scale;
  }
  return total;
}

function sigmoidCrossEntropy(n: number, logits: FloatArray, labels: Int32Array, scale: number, grad: FloatArray): number {
  checkModelArgs('sigmoidCrossEntropy', [n, logits, labels, scale, grad]);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const z = logits[i];
    const y = labels[i];
    // −[y·log σ(z) + (1 − y)·log(1 − σ(z))] = max(z, 0) − z·y + log(1 + e^−|z|)
    total += (z > 0 ? z : 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
    grad[i] = scale * (sigmoid(z) - y);
  }
  return total;
}

function squaredError(len: number, pred: FloatArray, target: FloatArray, scale: number, grad: FloatArray): number {
  checkModelArgs('squaredError', [len, pred, target, scale, grad]);
  let total = 0;
  const s2 = 2 * scale;
  for (let i = 0; i < len; i++) {
    const d = pred[i] - target[i];
    total += d * d;
    grad[i] = s2 * d;
  }
  return total;
}

export const tsModelKernels: ModelKernels = {
  addRowVector,
  columnSums,
  activationForward,
  activationBackward,
  softmaxCrossEntropy,
  sigmoidCrossEntropy,
  squaredError,
};
