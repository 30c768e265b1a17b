// Each link of the optimizers alone, against its formula worked out by hand on small inputs.
import { describe, expect, it } from 'vitest';
import { chain, type GradientTransform, type TransformState } from '../../../src-main/core/optim/transform.ts';
import * as t from '../../../src-main/core/optim/transforms.ts';

/** Runs `link` over successive gradients; returns the update and effective lr of each step. */
function drive(link: GradientTransform, grads: number[][], params: number[], lr = 0.1) {
  const p = Float64Array.from(params);
  const state = link.init(p);
  const out: { u: number[]; eff: number[]; state: TransformState }[] = [];
  grads.forEach((g, k) => {
    const u = Float64Array.from(g);
    const eff = new Float64Array(g.length).fill(1);
    link.update(u, state, p, { step: k + 1, lr, effLr: eff });
    out.push({ u: Array.from(u), eff: Array.from(eff), state });
  });
  return out;
}

const close = (a: number[], b: number[], digits = 14) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], digits));

describe('flipSign', () => {
  it('u ← −u, effective lr unchanged', () => {
    const [r] = drive(t.flipSign(), [[1, -2, 0]], [0, 0, 0]);
    expect(r.u).toEqual([-1, 2, -0]);
    expect(r.eff).toEqual([1, 1, 1]);
  });
});

describe('addDecayedWeights', () => {
  it('u ← u + λθ', () => {
    const [r] = drive(t.addDecayedWeights(0.5), [[1, 2]], [4, -6]);
    expect(r.u).toEqual([3, -1]);
    expect(r.eff).toEqual([1, 1]);
  });
});

describe('decayWeightsIndependently', () => {
  it('u ← u − λθ', () => {
    const [r] = drive(t.decayWeightsIndependently(0.5), [[1, 2]], [4, -6]);
    expect(r.u).toEqual([-1, 5]);
  });
});

describe('traceMomentum', () => {
  it('takes the gradient undamped on step 1, then b ← μb + (1−τ)u', () => {
    const r = drive(t.traceMomentum(0.9, 0.5), [[1], [2], [3]], [0]);
    expect(r[0].u).toEqual([1]);
    close(r[1].u, [0.9 * 1 + 0.5 * 2]);
    close(r[2].u, [0.9 * (0.9 + 1) + 0.5 * 3]);
    expect(r[2].eff).toEqual([1]);
  });
  it('nesterov: u ← u + μb', () => {
    const r = drive(t.traceMomentum(0.9, 0, true), [[1], [2]], [0]);
    close(r[0].u, [1 + 0.9 * 1]);
    const b2 = 0.9 * 1 + 2;
    close(r[1].u, [2 + 0.9 * b2]);
  });
});

describe('scaleByRss (AdaGrad)', () => {
  it('u ← u/(√G + ε) with G the running sum of squares from the initial value', () => {
    const r = drive(t.scaleByRss({ initialAccumulator: 0.5, eps: 1e-3, epsInside: false, zeroGuard: false }), [[3], [4]], [0]);
    close(r[0].u, [3 / (Math.sqrt(0.5 + 9) + 1e-3)]);
    close(r[1].u, [4 / (Math.sqrt(0.5 + 9 + 16) + 1e-3)]);
    close(r[1].eff, [1 / (Math.sqrt(25.5) + 1e-3)]);
  });
  it('ε inside the root: u/√(G + ε)', () => {
    const [r] = drive(t.scaleByRss({ initialAccumulator: 0, eps: 0.25, epsInside: true, zeroGuard: false }), [[2]], [0]);
    close(r.u, [2 / Math.sqrt(4.25)]);
  });
  it("Optax's guard keeps a parameter that never had a gradient at 0 instead of 0/0", () => {
    const guarded = drive(t.scaleByRss({ initialAccumulator: 0, eps: 0, epsInside: true, zeroGuard: true }), [[0, 1]], [0, 0]);
    expect(guarded[0].u).toEqual([0, 1]);
    expect(guarded[0].eff).toEqual([0, 1]);
    const unguarded = drive(t.scaleByRss({ initialAccumulator: 0, eps: 0, epsInside: true, zeroGuard: false }), [[0, 1]], [0, 0]);
    expect(unguarded[0].u[0]).toBeNaN();
  });
});

describe('scaleByInverseTimeDecay', () => {
  it('u ← u/(1 + (t−1)·d)', () => {
    const r = drive(t.scaleByInverseTimeDecay(0.5), [[3], [3], [3]], [0]);
    close(r[0].u, [3]);
    close(r[1].u, [2]);
    close(r[2].u, [1.5]);
    close(r[2].eff, [0.5]);
  });
});

describe('scaleByRms (RMSprop)', () => {
  it('v ← αv + (1−α)u²; u ← u/(√v + ε)', () => {
    const r = drive(t.scaleByRms({ alpha: 0.9, eps: 1e-2, epsInside: false, centered: false }), [[2], [1]], [0]);
    const v1 = 0.1 * 4;
    const v2 = 0.9 * v1 + 0.1 * 1;
    close(r[0].u, [2 / (Math.sqrt(v1) + 1e-2)]);
    close(r[1].u, [1 / (Math.sqrt(v2) + 1e-2)]);
    close(r[1].eff, [1 / (Math.sqrt(v2) + 1e-2)]);
  });
  it('centered: divides by √(v − ḡ²) + ε', () => {
    const r = drive(t.scaleByRms({ alpha: 0.5, eps: 0, epsInside: false, centered: true }), [[2], [4]], [0]);
    const v1 = 0.5 * 4, a1 = 0.5 * 2;
    const v2 = 0.5 * v1 + 0.5 * 16, a2 = 0.5 * a1 + 0.5 * 4;
    close(r[0].u, [2 / Math.sqrt(v1 - a1 * a1)]);
    close(r[1].u, [4 / Math.sqrt(v2 - a2 * a2)]);
    expect(Object.keys(r[1].state).sort()).toEqual(['grad_avg', 'square_avg']);
  });
  it('ε inside the root (Keras)', () => {
    const [r] = drive(t.scaleByRms({ alpha: 0.9, eps: 0.1, epsInside: true, centered: false }), [[2]], [0]);
    close(r.u, [2 / Math.sqrt(0.4 + 0.1)]);
  });
});

describe('scaleByAdam', () => {
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  it('u ← m̂/(√v̂ + ε)', () => {
    const r = drive(t.scaleByAdam({ beta1: b1, beta2: b2, eps, epsHat: false, amsgrad: 'off' }), [[2], [-1]], [0]);
    // Step 1: m̂ = g, v̂ = g², so u = g/(|g| + ε).
    close(r[0].u, [2 / (2 + eps)]);
    const m = b1 * 0.1 * 2 + 0.1 * -1, v = b2 * 0.001 * 4 + 0.001 * 1;
    const mh = m / (1 - b1 ** 2), vh = v / (1 - b2 ** 2);
    close(r[1].u, [mh / (Math.sqrt(vh) + eps)]);
    close(r[1].eff, [1 / (Math.sqrt(vh) + eps)]);
  });
  it("ε-hat (Keras): at step 1 it is torch's form with ε/√(1 − β₂)", () => {
    const [hat] = drive(t.scaleByAdam({ beta1: b1, beta2: b2, eps: 0.1, epsHat: true, amsgrad: 'off' }), [[2]], [0]);
    const [plain] = drive(t.scaleByAdam({ beta1: b1, beta2: b2, eps: 0.1 / Math.sqrt(1 - b2), epsHat: false, amsgrad: 'off' }), [[2]], [0]);
    close(hat.u, plain.u);
    close(hat.u, [2 / (2 + 0.1 / Math.sqrt(1 - b2))]);
  });
  it('AMSGrad raw (torch): the max of raw v, corrected by the current 1 − β₂ᵗ', () => {
    const r = drive(t.scaleByAdam({ beta1: 0.5, beta2: 0.5, eps: 0, epsHat: false, amsgrad: 'raw' }), [[4], [0]], [0]);
    const v1 = 0.5 * 16, v2 = 0.5 * v1;
    const vmax = Math.max(v1, v2);
    const m2 = 0.5 * 0.5 * 4;
    close(r[1].u, [m2 / 0.75 / (Math.sqrt(vmax) / Math.sqrt(0.75))]);
  });
  it('AMSGrad corrected (Optax): the max of v̂', () => {
    const r = drive(t.scaleByAdam({ beta1: 0.5, beta2: 0.5, eps: 0, epsHat: false, amsgrad: 'corrected' }), [[4], [0]], [0]);
    const vh1 = (0.5 * 16) / 0.5, vh2 = (0.5 * 0.5 * 16) / 0.75;
    const m2 = 0.5 * 0.5 * 4;
    close(r[1].u, [m2 / 0.75 / Math.sqrt(Math.max(vh1, vh2))]);
    // The two conventions differ here: raw max 8 → √(8/0.75); corrected max 16 → 4.
    expect(Math.sqrt(Math.max(vh1, vh2))).not.toBeCloseTo(Math.sqrt(8 / 0.75), 3);
  });
});

describe('scaleByAdamax', () => {
  it('torch: w ← max(β₂w, |u| + ε); u ← m̂/w', () => {
    const r = drive(t.scaleByAdamax({ beta1: 0.9, beta2: 0.5, eps: 0.1, epsInside: true }), [[2], [0.5]], [0]);
    close(r[0].u, [2 / 2.1]);
    const w2 = Math.max(0.5 * 2.1, 0.6), m2 = 0.9 * 0.2 + 0.1 * 0.5;
    close(r[1].u, [m2 / (1 - 0.81) / w2]);
  });
  it('Keras/Optax: w ← max(β₂w, |u|); u ← m̂/(w + ε)', () => {
    const [r] = drive(t.scaleByAdamax({ beta1: 0.9, beta2: 0.5, eps: 0.1, epsInside: false }), [[2]], [0]);
    close(r.u, [2 / 2.1]);
    close(r.eff, [1 / 2.1]);
  });
});

describe('scaleByNadam', () => {
  const b1 = 0.9, b2 = 0.999, eps = 1e-8;
  it("torch's schedule μₜ = β₁(1 − ½·0.96^(0.004t)) and ∏μ", () => {
    const r = drive(t.scaleByNadam({ beta1: b1, beta2: b2, eps, momentumDecay: 0.004, schedule: 'dozat', float32Product: false }), [[2]], [0]);
    const mu1 = b1 * (1 - 0.5 * 0.96 ** 0.004), mu2 = b1 * (1 - 0.5 * 0.96 ** 0.008);
    const m = 0.2;
    const expected = ((1 - mu1) / (1 - mu1)) * 2 + (mu2 / (1 - mu1 * mu2)) * m;
    close(r[0].u, [expected / (2 + eps)]);
    expect(r[0].state.mu_product).toBeCloseTo(mu1, 15);
  });
  it('Keras 3 uses 0.96^t, i.e. momentum_decay = 1', () => {
    const r = drive(t.scaleByNadam({ beta1: b1, beta2: b2, eps, momentumDecay: 1, schedule: 'dozat', float32Product: false }), [[1], [1]], [0]);
    expect(r[1].state.mu_product).toBeCloseTo(b1 * (1 - 0.5 * 0.96) * b1 * (1 - 0.5 * 0.96 ** 2), 15);
  });
  it('Optax (constant μ = β₁): u = (β₁m/(1 − β₁ᵗ⁺¹) + (1 − β₁)g/(1 − β₁ᵗ))/(√v̂ + ε)', () => {
    const r = drive(t.scaleByNadam({ beta1: b1, beta2: b2, eps, momentumDecay: 0.004, schedule: 'constant', float32Product: false }), [[2], [1]], [0]);
    const m2 = b1 * 0.2 + 0.1 * 1, v2 = b2 * 0.004 + 0.001;
    const expected = (b1 * m2) / (1 - b1 ** 3) + (0.1 * 1) / (1 - b1 ** 2);
    close(r[1].u, [expected / (Math.sqrt(v2 / (1 - b2 ** 2)) + eps)]);
  });
  it('float32 product: ∏μ is rounded to float32 every step', () => {
    const r = drive(t.scaleByNadam({ beta1: b1, beta2: b2, eps, momentumDecay: 0.004, schedule: 'dozat', float32Product: true }), [[1], [1]], [0]);
    const p = r[1].state.mu_product as number;
    expect(Math.fround(p)).toBe(p);
  });
});

describe('scaleByRadam', () => {
  const b1 = 0.9, b2 = 0.999;
  it('plain bias-corrected momentum while ρₜ ≤ 5, then rₜ·m̂/(√v̂ + ε̂)', () => {
    const grads = Array.from({ length: 7 }, () => [1]);
    const r = drive(t.scaleByRadam({ beta1: b1, beta2: b2, eps: 1e-8, epsHat: true, threshold: 5 }), grads, [0]);
    const rhoInf = 2 / (1 - b2) - 1;
    const rho = (k: number) => rhoInf - (2 * k * b2 ** k) / (1 - b2 ** k);
    expect(rho(5)).toBeLessThanOrEqual(5);
    expect(rho(6)).toBeGreaterThan(5);
    // A constant gradient 1 keeps m̂ = 1 and v̂ = 1.
    close(r[4].u, [1], 12);
    expect(r[4].eff).toEqual([1]);
    const r6 = Math.sqrt(((rho(6) - 4) * (rho(6) - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho(6)));
    const bc2 = Math.sqrt(1 - b2 ** 6);
    close(r[5].u, [r6 / (1 + 1e-8 / bc2)], 12);
  });
});

describe('scaleByAdadelta', () => {
  it('Δ = √(w + ε)/√(v + ε)·u; w ← ρw + (1−ρ)Δ²', () => {
    const r = drive(t.scaleByAdadelta(0.9, 1e-6), [[2], [1]], [0]);
    const v1 = 0.4, k1 = Math.sqrt(1e-6) / Math.sqrt(v1 + 1e-6), d1 = k1 * 2, w1 = 0.1 * d1 * d1;
    close(r[0].u, [d1]);
    const v2 = 0.9 * v1 + 0.1, k2 = Math.sqrt(w1 + 1e-6) / Math.sqrt(v2 + 1e-6);
    close(r[1].u, [k2]);
    close(r[1].eff, [k2]);
  });
});

describe('scaleByRprop', () => {
  it('grows the step while the sign holds, shrinks it and skips the step on a flip', () => {
    const link = t.scaleByRprop({ initialStep: 0.1, etaMinus: 0.5, etaPlus: 1.2, stepMin: 1e-6, stepMax: 0.13 });
    const r = drive(link, [[1], [2], [3], [-1], [-1]], [0]);
    expect(r.map((x) => x.u[0])).toEqual([0.1, 0.1 * 1.2, 0.13, 0, -0.065]);
    expect(r.map((x) => x.eff[0])).toEqual([0.1, 0.1 * 1.2, 0.13, 0.065, 0.065]);
  });
});

describe('scaleByLearningRate and scale', () => {
  it('u ← −η·u, effective lr ·η', () => {
    const [r] = drive(t.scaleByLearningRate(), [[2, -4]], [0, 0], 0.25);
    expect(r.u).toEqual([-0.5, 1]);
    expect(r.eff).toEqual([0.25, 0.25]);
  });
  it('scale(c): u ← c·u, effective lr ·|c|', () => {
    const [r] = drive(t.scale(-2), [[1.5]], [0]);
    expect(r.u).toEqual([-3]);
    expect(r.eff).toEqual([2]);
  });
});

describe('chain', () => {
  it('runs its links in order on one buffer and merges their state', () => {
    const c = chain(t.addDecayedWeights(1), t.scaleByRms({ alpha: 0.5, eps: 0, epsInside: false, centered: false }), t.traceMomentum(0.5), t.scaleByLearningRate());
    const [r] = drive(c, [[1]], [1], 0.1);
    // u = (1 + 1) = 2; v = 2; u = 2/√2; b = u; −η·u.
    close(r.u, [(-0.1 * 2) / Math.sqrt(2)]);
    expect(Object.keys(r.state).sort()).toEqual(['momentum_buffer', 'square_avg']);
    close(r.eff, [0.1 / Math.sqrt(2)]);
  });
  it('refuses links whose state keys collide', () => {
    const c = chain(t.traceMomentum(0.9), t.traceMomentum(0.5));
    expect(() => c.init(new Float64Array(1))).toThrow(/momentum_buffer/);
  });
});
