// TypeScript reference of the fused optimizer steps (contract and formulas in types.ts): one
// pass over the buffers per step, float64 arithmetic per element, stored back in the buffers'
// dtype, after the shared argument checks (arg-checks.ts). The common case of each family (no
// effective-lr output, no weight decay, descending) gets its own tight loop in its own small
// function: V8 keeps it free of per-element branches, and optimizes it on its own (inside the
// general function, the same loop ran at half speed once the function was compiled normally
// rather than on-stack-replaced: Adam over 4810 float32 parameters, 80 → 160 M params/s).
import type { FloatArray } from '../tensor.ts';
import { adagradScalar, adamScalar, rmspropScalar } from './plain-loops.ts';
import { adagradInArena, adamInArena, adamThroughCopies, rmspropInArena } from './step-wasm.ts';
import { checkStep } from './arg-checks.ts';
import { useWasmFor } from './wasm-path.ts';
import type {
  AdadeltaScalars,
  AdagradScalars,
  AdamaxScalars,
  AdamScalars,
  NadamScalars,
  OptimizerKernels,
  RadamScalars,
  RmspropScalars,
  RpropScalars,
  SgdScalars,
  StepScalarsBase,
} from './types.ts';

type OptBuf = FloatArray | null;

/** True when the gradient enters the moments as it is: no sign flip, no L2 term, no decay. */
function plain(s: StepScalarsBase): boolean {
  return s.maximize === 0 && s.l2 === 0 && s.decay === 0;
}

function sgdStep(p: FloatArray, g: FloatArray, b: OptBuf, eff: OptBuf, s: SgdScalars): void {
  checkStep('sgdStep', [p, g, b, eff], s);
  const n = p.length;
  const { lr, momentum, l2 } = s;
  const sign = s.maximize ? -1 : 1;
  const keep = 1 - s.decay;
  const damp = 1 - s.dampening;
  const nesterov = s.nesterov !== 0;
  if (eff) eff.fill(lr);
  if (b === null) {
    for (let i = 0; i < n; i++) {
      const pi = p[i];
      p[i] = keep * pi - lr * (sign * g[i] + l2 * pi);
    }
    return;
  }
  if (s.first) {
    for (let i = 0; i < n; i++) {
      const pi = p[i];
      const gi = sign * g[i] + l2 * pi;
      b[i] = gi;
      p[i] = keep * pi - lr * (nesterov ? gi + momentum * gi : gi);
    }
    return;
  }
  if (plain(s) && !nesterov) {
    sgdMomentumPlain(n, p, g, b, lr, momentum, damp);
    return;
  }
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const gi = sign * g[i] + l2 * pi;
    const bi = momentum * b[i] + damp * gi;
    b[i] = bi;
    p[i] = keep * pi - lr * (nesterov ? gi + momentum * bi : bi);
  }
}

/** b ← momentum·b + damp·g;  θ ← θ − lr·b */
function sgdMomentumPlain(n: number, p: FloatArray, g: FloatArray, b: FloatArray, lr: number, momentum: number, damp: number): void {
  for (let i = 0; i < n; i++) {
    const bi = momentum * b[i] + damp * g[i];
    b[i] = bi;
    p[i] -= lr * bi;
  }
}

function adagradStep(p: FloatArray, g: FloatArray, sum: FloatArray, eff: OptBuf, s: AdagradScalars): void {
  checkStep('adagradStep', [p, g, sum, eff], s);
  const n = p.length;
  const { clr, eps, l2 } = s;
  const sign = s.maximize ? -1 : 1;
  const keep = 1 - s.decay;
  const inside = s.epsInside !== 0;
  const guard = s.zeroGuard !== 0;
  if (eff === null && plain(s) && !inside && !guard) {
    adagradPlain(n, p, g, sum, clr, eps);
    return;
  }
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const gi = sign * g[i] + l2 * pi;
    const G = sum[i] + gi * gi;
    sum[i] = G;
    const scale = guard && G === 0 ? 0 : 1 / (inside ? Math.sqrt(G + eps) : Math.sqrt(G) + eps);
    if (eff) eff[i] = clr * scale;
    p[i] = keep * pi - clr * gi * scale;
  }
}

/** G ← G + g²;  θ ← θ − clr·g/(√G + ε), in WebAssembly in the group's arena when it is in one. */
function adagradPlain(n: number, p: FloatArray, g: FloatArray, sum: FloatArray, clr: number, eps: number): void {
  if (useWasmFor(n, WASM_MIN) && adagradInArena(n, p, g, sum, clr, eps)) return;
  adagradScalar(0, n, p, g, sum, clr, eps);
}

function rmspropStep(
  p: FloatArray,
  g: FloatArray,
  v: FloatArray,
  a: OptBuf,
  b: OptBuf,
  eff: OptBuf,
  s: RmspropScalars,
): void {
  checkStep('rmspropStep', [p, g, v, a, b, eff], s);
  const n = p.length;
  const { lr, alpha, eps, l2, momentum } = s;
  const beta = 1 - alpha;
  const sign = s.maximize ? -1 : 1;
  const keep = 1 - s.decay;
  const inside = s.epsInside !== 0;
  if (eff === null && a === null && b === null && plain(s) && !inside) {
    rmspropPlain(n, p, g, v, lr, alpha, beta, eps);
    return;
  }
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const gi = sign * g[i] + l2 * pi;
    const vi = alpha * v[i] + beta * gi * gi;
    v[i] = vi;
    let w = vi;
    if (a) {
      const ai = alpha * a[i] + beta * gi;
      a[i] = ai;
      w = vi - ai * ai;
    }
    const r = inside ? Math.sqrt(w + eps) : Math.sqrt(w) + eps;
    if (eff) eff[i] = lr / r;
    let d = gi / r;
    if (b) {
      d = momentum * b[i] + d;
      b[i] = d;
    }
    p[i] = keep * pi - lr * d;
  }
}

/** v ← alpha·v + (1 − alpha)·g²;  θ ← θ − lr·g/(√v + ε), in WebAssembly in the group's arena when it is in one. */
function rmspropPlain(n: number, p: FloatArray, g: FloatArray, v: FloatArray, lr: number, alpha: number, beta: number, eps: number): void {
  if (useWasmFor(n, WASM_MIN) && rmspropInArena(n, p, g, v, alpha, beta, lr, eps)) return;
  rmspropScalar(0, n, p, g, v, alpha, beta, lr, eps);
}

function adamStep(
  p: FloatArray,
  g: FloatArray,
  m: FloatArray,
  v: FloatArray,
  vmax: OptBuf,
  eff: OptBuf,
  s: AdamScalars,
): void {
  checkStep('adamStep', [p, g, m, v, vmax, eff], s);
  const n = p.length;
  const { lr, beta1, beta2, stepSize, bc2Sqrt, eps, l2 } = s;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  if (eff === null && vmax === null && plain(s)) {
    // stepSize·m/(√v/c + ε) = (stepSize·c)·m/(√v + ε·c): one division per element instead of two.
    adamPlain(n, p, g, m, v, beta1, c1, beta2, c2, stepSize * bc2Sqrt, eps * bc2Sqrt);
    return;
  }
  const sign = s.maximize ? -1 : 1;
  const keep = 1 - s.decay;
  const ams = vmax === null ? 0 : s.amsgrad;
  const bc2 = bc2Sqrt * bc2Sqrt;
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const gi = sign * g[i] + l2 * pi;
    const mi = beta1 * m[i] + c1 * gi;
    const vi = beta2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    let r: number;
    if (ams === 0) r = Math.sqrt(vi) / bc2Sqrt + eps;
    else if (ams === 1) {
      const top = Math.max(vmax![i], vi);
      vmax![i] = top;
      r = Math.sqrt(top) / bc2Sqrt + eps;
    } else {
      const top = Math.max(vmax![i], vi / bc2);
      vmax![i] = top;
      r = Math.sqrt(top) + eps;
    }
    if (eff) eff[i] = lr / r;
    p[i] = keep * pi - (stepSize * mi) / r;
  }
}

/**
 * Plain steps sent to WebAssembly (step-wasm.ts, bit-identical results) from WASM_MIN elements:
 * in place at any size when the buffers share a group arena (core/arena.ts); Adam's buffers
 * outside an arena through copies up to ADAM_COPIES_MAX (above it the copies stream from memory
 * and cost more than the two-lane arithmetic saves). Adam, float32, M params/s, scalar vs copies
 * vs in place, one process: 65536: 123 vs 271 vs –, 1048576: 121–134 vs 110 vs 366–396,
 * 16777216: 93 vs – vs 363.
 */
const WASM_MIN = 64;
const ADAM_COPIES_MAX = 1 << 17;

/** m ← β1·m + c1·g;  v ← β2·v + c2·g²;  θ ← θ − st·m/(√v + e), in WebAssembly where it pays. */
function adamPlain(
  n: number, p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
  beta1: number, c1: number, beta2: number, c2: number, st: number, e: number,
): void {
  if (useWasmFor(n, WASM_MIN) && adamInArena(n, p, g, m, v, beta1, c1, beta2, c2, st, e)) return;
  if (useWasmFor(n, WASM_MIN, ADAM_COPIES_MAX) && adamThroughCopies(n, p, g, m, v, beta1, c1, beta2, c2, st, e)) return;
  adamScalar(0, n, p, g, m, v, beta1, c1, beta2, c2, st, e);
}

function adamaxStep(p: FloatArray, g: FloatArray, m: FloatArray, u: FloatArray, eff: OptBuf, s: AdamaxScalars): void {
  checkStep('adamaxStep', [p, g, m, u, eff], s);
  const n = p.length;
  const { lr, beta1, beta2, stepSize, eps, l2 } = s;
  const c1 = 1 - beta1;
  const sign = s.maximize ? -1 : 1;
  const keep = 1 - s.decay;
  const inside = s.epsInside !== 0;
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const gi = sign * g[i] + l2 * pi;
    const mi = beta1 * m[i] + c1 * gi;
    m[i] = mi;
    const ui = Math.max(beta2 * u[i], inside ? Math.abs(gi) + eps : Math.abs(gi));
    u[i] = ui;
    const r = inside ? ui : ui + eps;
    if (eff) eff[i] = lr / r;
    p[i] = keep * pi - (stepSize * mi) / r;
  }
}

function nadamStep(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, eff: OptBuf, s: NadamScalars): void {
  checkStep('nadamStep', [p, g, m, v, eff], s);
  const n = p.length;
  const { lr, beta1, beta2, bc2, eps, coefGrad, coefAvg, l2 } = s;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const sign = s.maximize ? -1 : 1;
  const keep = 1 - s.decay;
  const cg = lr * coefGrad;
  const cm = lr * coefAvg;
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const gi = sign * g[i] + l2 * pi;
    const mi = beta1 * m[i] + c1 * gi;
    const vi = beta2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    const r = Math.sqrt(vi / bc2) + eps;
    if (eff) eff[i] = lr / r;
    p[i] = keep * pi - (cg * gi + cm * mi) / r;
  }
}

function radamStep(p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, eff: OptBuf, s: RadamScalars): void {
  checkStep('radamStep', [p, g, m, v, eff], s);
  const n = p.length;
  const { lr, beta1, beta2, stepSize, bc2Sqrt, eps, l2, rect } = s;
  const c1 = 1 - beta1;
  const c2 = 1 - beta2;
  const sign = s.maximize ? -1 : 1;
  const keep = 1 - s.decay;
  const rectified = s.rectified !== 0;
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const gi = sign * g[i] + l2 * pi;
    const mi = beta1 * m[i] + c1 * gi;
    const vi = beta2 * v[i] + c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    if (rectified) {
      const r = Math.sqrt(vi) / bc2Sqrt + eps;
      if (eff) eff[i] = (lr * rect) / r;
      p[i] = keep * pi - (stepSize * mi) / r;
    } else {
      if (eff) eff[i] = lr;
      p[i] = keep * pi - stepSize * mi;
    }
  }
}

function adadeltaStep(p: FloatArray, g: FloatArray, v: FloatArray, w: FloatArray, eff: OptBuf, s: AdadeltaScalars): void {
  checkStep('adadeltaStep', [p, g, v, w, eff], s);
  const n = p.length;
  const { lr, rho, eps, l2 } = s;
  const c = 1 - rho;
  const sign = s.maximize ? -1 : 1;
  const keep = 1 - s.decay;
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const gi = sign * g[i] + l2 * pi;
    const vi = rho * v[i] + c * gi * gi;
    v[i] = vi;
    const k = Math.sqrt(w[i] + eps) / Math.sqrt(vi + eps);
    const delta = k * gi;
    w[i] = rho * w[i] + c * delta * delta;
    if (eff) eff[i] = lr * k;
    p[i] = keep * pi - lr * delta;
  }
}

function rpropStep(p: FloatArray, g: FloatArray, prev: FloatArray, step: FloatArray, eff: OptBuf, s: RpropScalars): void {
  checkStep('rpropStep', [p, g, prev, step, eff], s);
  const n = p.length;
  const { etaMinus, etaPlus, stepMin, stepMax, l2 } = s;
  const sign = s.maximize ? -1 : 1;
  const keep = 1 - s.decay;
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    let gi = sign * g[i] + l2 * pi;
    const q = gi * prev[i];
    const factor = q > 0 ? etaPlus : q < 0 ? etaMinus : 1;
    const si = Math.min(Math.max(step[i] * factor, stepMin), stepMax);
    step[i] = si;
    if (q < 0) gi = 0;
    prev[i] = gi;
    if (eff) eff[i] = step[i];
    p[i] = keep * pi - Math.sign(gi) * step[i];
  }
}

export const tsOptimizerKernels: OptimizerKernels = {
  sgdStep,
  adagradStep,
  rmspropStep,
  adamStep,
  adamaxStep,
  nadamStep,
  radamStep,
  adadeltaStep,
  rpropStep,
};
