import { describe, expect, it } from 'vitest';
import { erf, erfc } from '../../../src-main/core/kernels/erf.ts';
import { tsKernels as K } from '../../../src-main/core/kernels/ts.ts';
import { ActivationCode } from '../../../src-main/core/kernels/types.ts';
import reference from '../../fixtures/models/erf.json' with { type: 'json' };
import { numericGradient, relativeError, worstElementError } from './gradcheck.ts';

const points = reference.points;
const rel = (got: number, want: number) => (want === 0 ? Math.abs(got) : Math.abs(got - want) / Math.abs(want));

describe('erf and erfc (Cody) against mpmath at 50 digits', () => {
  it(`erf is within 1e-15 relative at all ${points.length} points`, () => {
    let worst = 0;
    for (const p of points) worst = Math.max(worst, rel(erf(p.x), p.erf));
    expect(worst).toBeLessThan(1e-15);
  });

  it('erfc is within 1e-15 relative wherever it is a normal double, and 0 below', () => {
    let worst = 0;
    for (const p of points) {
      if (Math.abs(p.erfc) >= 2.2250738585072014e-308) worst = Math.max(worst, rel(erfc(p.x), p.erfc));
      else expect(erfc(p.x)).toBeLessThan(2.2250738585072014e-308);
    }
    expect(worst).toBeLessThan(1e-15);
  });

  it('handles ±∞ and NaN', () => {
    expect(erf(Infinity)).toBe(1);
    expect(erf(-Infinity)).toBe(-1);
    expect(erfc(Infinity)).toBe(0);
    expect(erfc(-Infinity)).toBe(2);
    expect(Number.isNaN(erf(NaN))).toBe(true);
    expect(Number.isNaN(erfc(NaN))).toBe(true);
  });
});

const ACTS = ['relu', 'tanh', 'sigmoid', 'gelu'] as const;
const scalarActivation: Record<(typeof ACTS)[number], (z: number) => number> = {
  relu: (z) => Math.max(0, z),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  gelu: (z) => z * 0.5 * erfc(-z * Math.SQRT1_2), // rounding −z/√2 costs ≈ z² ulps in the tail
};
// points away from relu's kink at 0, from both sides, small and large
const Z = Float64Array.of(-7.5, -3.1, -1.25, -0.6, -0.11, -0.013, 0.017, 0.09, 0.5, 1.3, 2.2, 4.4, 9.1);

function forward(act: (typeof ACTS)[number], z: Float64Array): Float64Array {
  const h = new Float64Array(z.length);
  K.activationForward(ActivationCode[act], z.length, z, h);
  return h;
}

describe('activation kernels', () => {
  it('exact GELU and its derivative match mpmath to a few ulps (1e-15 relative)', () => {
    const z = Float64Array.from(points, (p) => p.x);
    const h = forward('gelu', z);
    const dz = new Float64Array(z.length);
    K.activationBackward(ActivationCode.gelu, z.length, z, h, new Float64Array(z.length).fill(1), dz);
    let worstF = 0, worstB = 0;
    points.forEach((p, i) => {
      // relative error where the value is a normal double; GELU(z) underflows to ±0 for z ≲ −38
      if (Math.abs(p.gelu) > 1e-300) worstF = Math.max(worstF, rel(h[i], p.gelu));
      else expect(Math.abs(h[i])).toBeLessThan(1e-300);
      // gelu′ = Φ(z) + z·φ(z) crosses 0 near z = −0.75: judge it against the size of its terms
      const terms = Math.abs(p.x === 0 ? 0.5 : p.gelu / p.x) + Math.abs(p.x * Math.exp(-0.5 * p.x * p.x) / Math.sqrt(2 * Math.PI));
      if (terms > 1e-300) worstB = Math.max(worstB, Math.abs(dz[i] - p.geluGrad) / terms);
      else expect(Math.abs(dz[i])).toBeLessThan(1e-300);
    });
    expect(worstF).toBeLessThan(1e-15);
    expect(worstB).toBeLessThan(1e-15);
  });

  for (const act of ACTS) {
    it(`${act}: forward matches its formula; backward matches finite differences (< 1e-6)`, () => {
      const h = forward(act, Z);
      for (let i = 0; i < Z.length; i++) expect(rel(h[i], scalarActivation[act](Z[i]))).toBeLessThan(1e-14 * (1 + Z[i] * Z[i]));
      // backward with an upstream gradient dh, against d/dz Σ dh·f(z) by central differences
      const dh = Float64Array.from(Z, (_, i) => 0.3 + 0.1 * i);
      const dz = new Float64Array(Z.length);
      K.activationBackward(ActivationCode[act], Z.length, Z, h, dh, dz);
      const zz = Z.slice();
      const objective = () => {
        const hh = forward(act, zz);
        let s = 0;
        for (let i = 0; i < hh.length; i++) s += dh[i] * hh[i];
        return s;
      };
      const fd = numericGradient(objective, zz, 1e-6);
      expect(relativeError(dz, fd)).toBeLessThan(1e-6);
      expect(worstElementError(dz, fd)).toBeLessThan(1e-6);
    });

    it(`${act}: in place (h = z, dz = dh) gives the same result, and float32 agrees to float32 precision`, () => {
      const h = forward(act, Z);
      const dh = Float64Array.from(Z, (_, i) => 1 - 0.05 * i);
      const dz = new Float64Array(Z.length);
      K.activationBackward(ActivationCode[act], Z.length, Z, h, dh, dz);
      const inPlace = Z.slice();
      K.activationForward(ActivationCode[act], Z.length, inPlace, inPlace);
      expect(Array.from(inPlace)).toEqual(Array.from(h));
      const g = dh.slice();
      K.activationBackward(ActivationCode[act], Z.length, Z, h, g, g);
      expect(Array.from(g)).toEqual(Array.from(dz));
      const z32 = Float32Array.from(Z), h32 = new Float32Array(Z.length), g32 = Float32Array.from(dh);
      K.activationForward(ActivationCode[act], Z.length, z32, h32);
      K.activationBackward(ActivationCode[act], Z.length, z32, h32, g32, g32);
      for (let i = 0; i < Z.length; i++) {
        expect(Math.abs(h32[i] - h[i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(h[i])));
        expect(Math.abs(g32[i] - dz[i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(dz[i])));
      }
    });
  }

  it('stay finite at extreme inputs and let NaN through', () => {
    const z = Float64Array.of(-1000, -40, 40, 1000, NaN);
    for (const act of ACTS) {
      const h = forward(act, z);
      const dz = new Float64Array(z.length);
      K.activationBackward(ActivationCode[act], z.length, z, h, new Float64Array(z.length).fill(1), dz);
      for (let i = 0; i < 4; i++) {
        expect(Number.isFinite(h[i])).toBe(true);
        expect(Number.isFinite(dz[i])).toBe(true);
      }
      expect(Number.isNaN(h[4])).toBe(true);
    }
    expect(Array.from(forward('sigmoid', z).subarray(0, 4))).toEqual([0, 4.248354255291589e-18, 1, 1]);
    // relu′ is 0 at the kink, as torch's threshold_backward
    const dz = new Float64Array(1);
    K.activationBackward(ActivationCode.relu, 1, Float64Array.of(0), Float64Array.of(0), Float64Array.of(5), dz);
    expect(dz[0]).toBe(0);
  });

  it('rejects an unknown activation code', () => {
    expect(() => K.activationForward(9 as ActivationCode, 1, new Float64Array(1), new Float64Array(1))).toThrow(/unknown activation code 9/);
  });
});

describe('bias kernels', () => {
  it('addRowVector adds the vector to every row; columnSums sums every column', () => {
    const n = 5, m = 7;
    const x = Float64Array.from({ length: n * m }, (_, i) => Math.cos(i));
    const v = Float64Array.from({ length: m }, (_, j) => j - 3);
    const y = x.slice();
    K.addRowVector(n, m, v, y);
    for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) expect(y[i * m + j]).toBe(x[i * m + j] + v[j]);
    const out = new Float64Array(m).fill(NaN);
    K.columnSums(n, m, x, out);
    for (let j = 0; j < m; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += x[i * m + j];
      expect(out[j]).toBe(s);
    }
  });
});

const labels = Int32Array.of(2, 0, 1, 2, 1);
const logits = Float64Array.from({ length: 5 * 3 }, (_, i) => Math.sin(1.7 * i) * 2.5);

function naiveSoftmaxCE(z: Float64Array, y: Int32Array, k: number): number {
  let total = 0;
  for (let i = 0; i < y.length; i++) {
    let s = 0;
    for (let j = 0; j < k; j++) s += Math.exp(z[i * k + j]);
    total += -Math.log(Math.exp(z[i * k + y[i]]) / s);
  }
  return total;
}

describe('loss kernels', () => {
  it('softmaxCrossEntropy: loss matches −log softmax; gradient matches finite differences (< 1e-6)', () => {
    const grad = new Float64Array(logits.length);
    const loss = K.softmaxCrossEntropy(5, 3, logits, labels, 0.2, grad);
    expect(rel(loss, naiveSoftmaxCE(logits, labels, 3))).toBeLessThan(1e-14);
    const z = logits.slice();
    const fd = numericGradient(() => 0.2 * K.softmaxCrossEntropy(5, 3, z, labels, 1, new Float64Array(15)), z);
    expect(relativeError(grad, fd)).toBeLessThan(1e-6);
    expect(worstElementError(grad, fd)).toBeLessThan(1e-6);
    // in place: grad may alias logits
    const alias = logits.slice();
    expect(K.softmaxCrossEntropy(5, 3, alias, labels, 0.2, alias)).toBe(loss);
    expect(Array.from(alias)).toEqual(Array.from(grad));
  });

  it('softmaxCrossEntropy is finite and exact for huge logits (±1e4), in both dtypes', () => {
    const z = Float64Array.of(1e4, -1e4, 0, 5e3, 1e4 - 1, 1e4);
    const y = Int32Array.of(1, 2);
    for (const Arr of [Float64Array, Float32Array]) {
      const grad = new Arr(6);
      const loss = K.softmaxCrossEntropy(2, 3, Arr.from(z), y, 1, grad);
      // row 0: 1e4 − (−1e4) + log(1 + e^−2e4 + e^−1e4) = 2e4; row 1: 1e4 − 1e4 + log(1 + e^−1 + e^−5e3)
      expect(loss).toBeCloseTo(2e4 + Math.log1p(Math.exp(-1)), 9);
      expect(Array.from(grad).every(Number.isFinite)).toBe(true);
      expect(grad[0]).toBeCloseTo(1, 12);
      expect(grad[1]).toBeCloseTo(-1, 12);
      expect(grad[5]).toBeCloseTo(1 / (1 + Math.exp(-1)) - 1, 6);
    }
  });

  it('softmaxCrossEntropy lets NaN through', () => {
    const grad = new Float64Array(3);
    expect(Number.isNaN(K.softmaxCrossEntropy(1, 3, Float64Array.of(0, NaN, 1), Int32Array.of(0), 1, grad))).toBe(true);
  });

  it('sigmoidCrossEntropy: loss matches −log σ; gradient matches finite differences (< 1e-6)', () => {
    const z = Float64Array.of(-3.2, -0.7, 0.05, 1.9, 4.4, -0.2);
    const y = Int32Array.of(0, 1, 1, 0, 1, 0);
    const grad = new Float64Array(6);
    const loss = K.sigmoidCrossEntropy(6, z, y, 1 / 6, grad);
    let naive = 0;
    for (let i = 0; i < 6; i++) {
      const p = 1 / (1 + Math.exp(-z[i]));
      naive -= y[i] ? Math.log(p) : Math.log(1 - p);
    }
    expect(rel(loss, naive)).toBeLessThan(1e-14);
    const zz = z.slice();
    const fd = numericGradient(() => K.sigmoidCrossEntropy(6, zz, y, 1, new Float64Array(6)) / 6, zz);
    expect(relativeError(grad, fd)).toBeLessThan(1e-6);
    expect(worstElementError(grad, fd)).toBeLessThan(1e-6);
  });

  it('sigmoidCrossEntropy is finite and exact for huge logits (±1e4)', () => {
    const z = Float64Array.of(1e4, -1e4, 1e4, -1e4);
    const y = Int32Array.of(1, 0, 0, 1);
    const grad = new Float64Array(4);
    // right side: log(1 + e^−1e4) = 0; wrong side: 1e4
    expect(K.sigmoidCrossEntropy(4, z, y, 1, grad)).toBe(2e4);
    expect(Array.from(grad)).toEqual([0, 0, 1, -1]);
  });

  it('squaredError: sum of squares; gradient matches finite differences (< 1e-6)', () => {
    const p = Float64Array.of(0.3, -1.2, 2.5, 0.01), t = Float64Array.of(0.1, -1.0, 3.5, -0.4);
    const grad = new Float64Array(4);
    const loss = K.squaredError(4, p, t, 0.25, grad);
    expect(loss).toBeCloseTo(0.04 + 0.04 + 1 + 0.1681, 14);
    const pp = p.slice();
    const fd = numericGradient(() => 0.25 * K.squaredError(4, pp, t, 1, new Float64Array(4)), pp);
    expect(relativeError(grad, fd)).toBeLessThan(1e-6);
  });
});
