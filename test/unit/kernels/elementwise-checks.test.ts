// Bad calls of the optimizer and model kernels: the TypeScript reference and the native addon
// throw the same TypeError, word for word (arg-checks.ts and native/src/elementwise_binding.cc),
// and leave every buffer as it was. A call that is fine in one must be fine in the other.
import { describe, expect, it } from 'vitest';
import { tsKernels } from '../../../src-main/core/kernels/ts.ts';
import type { Kernels } from '../../../src-main/core/kernels/types.ts';
import { nativeKernels } from '../../../src-main/runner/native-kernels.ts';
import { addon, nativeSkipReason } from './elementwise-harness.ts';

type Call = (k: Kernels) => unknown;
type KernelFn = (...args: unknown[]) => unknown;
/** Calls kernel `name` of `k` with arguments of any type (the point of these tests). */
const call = (k: Kernels, name: keyof Kernels, ...args: unknown[]) => (k[name] as KernelFn)(...args);

const f32 = (n: number) => new Float32Array(n).fill(0.5);
const f64 = (n: number) => new Float64Array(n).fill(0.5);
const ADAM = { maximize: 0, l2: 0, decay: 0, lr: 1e-3, beta1: 0.9, beta2: 0.999, stepSize: 1e-2, bc2Sqrt: 0.03, eps: 1e-8, amsgrad: 0 };
const adam = (args: unknown[], s: unknown = ADAM): Call => (k) => call(k, 'adamStep', ...args, s);
const shared = new Float32Array(16);

const BAD: [string, Call, string][] = [
  ['s is null', adam([f32(4), f32(4), f32(4), f32(4), null, null], null), 'adamStep: s must be an object of scalars (got null)'],
  ['a scalar is missing', adam([f32(4), f32(4), f32(4), f32(4), null, null], { ...ADAM, beta1: undefined }), 'adamStep: s.beta1 must be a number (got undefined)'],
  ['a scalar is a string', adam([f32(4), f32(4), f32(4), f32(4), null, null], { ...ADAM, eps: '1e-8' }), 'adamStep: s.eps must be a number (got string)'],
  ['params is a plain array', adam([[1, 2], f32(2), f32(2), f32(2), null, null]), 'adamStep: params must be a Float32Array or Float64Array (got object)'],
  ['a state buffer is an Int32Array', adam([f32(4), f32(4), new Int32Array(4), f32(4), null, null]), 'adamStep: expAvg must be a Float32Array or Float64Array (got Int32Array)'],
  ['a required buffer is null', (k) => call(k, 'adagradStep', f32(2), f32(2), null, null, { maximize: 0, l2: 0, decay: 0, clr: 1, eps: 1, epsInside: 0, zeroGuard: 0 }), 'adagradStep: sum must be a Float32Array or Float64Array (got null)'],
  ['an optional buffer is undefined', adam([f32(4), f32(4), f32(4), f32(4), undefined, null]), 'adamStep: maxExpAvgSq must be a Float32Array, a Float64Array or null (got undefined)'],
  ['effLr is a DataView', adam([f32(4), f32(4), f32(4), f32(4), null, new DataView(new ArrayBuffer(16))]), 'adamStep: effLr must be a Float32Array, a Float64Array or null (got DataView)'],
  ['dtypes differ', adam([f32(4), f64(4), f32(4), f32(4), null, null]), 'adamStep: grads is a Float64Array, but params is a Float32Array (every buffer has one dtype)'],
  ['a length differs', adam([f64(4), f64(4), f64(4), f64(3), null, null]), 'adamStep: expAvgSq has 3 elements, but params has 4'],
  ['state buffers overlap', adam([f32(4), f32(4), shared.subarray(0, 4), shared.subarray(2, 6), null, null]), 'adamStep: expAvg overlaps expAvgSq in memory'],
  ['params is grads', (k) => { const p = f32(4); return call(k, 'adamStep', p, p, f32(4), f32(4), null, null, ADAM); }, 'adamStep: params overlaps grads in memory'],
  ['effLr overlaps a state buffer', (k) => call(k, 'sgdStep', f32(4), f32(4), shared.subarray(8, 12), shared.subarray(11, 15), { maximize: 0, l2: 0, decay: 0, lr: 1, momentum: 0.9, dampening: 0, nesterov: 0, first: 1 }), 'sgdStep: momentumBuffer overlaps effLr in memory'],

  ['a negative size', (k) => call(k, 'addRowVector', -1, 2, f32(2), f32(2)), 'addRowVector: n must be an integer in [0, 2^31) (got -1)'],
  ['a fractional size', (k) => call(k, 'columnSums', 2, 1.5, f32(4), f32(2)), 'columnSums: m must be an integer in [0, 2^31) (got 1.5)'],
  ['a NaN size', (k) => call(k, 'squaredError', NaN, f32(1), f32(1), 1, f32(1)), 'squaredError: len must be an integer in [0, 2^31) (got NaN)'],
  ['a size as a string', (k) => call(k, 'addRowVector', '2', 2, f32(2), f32(4)), 'addRowVector: n must be an integer in [0, 2^31) (got string)'],
  ['a size of 2^31', (k) => call(k, 'activationForward', 0, 2 ** 31, f32(1), f32(1)), 'activationForward: len must be an integer in [0, 2^31) (got 2147483648)'],
  ['an unknown activation code', (k) => call(k, 'activationForward', 9, 1, f64(1), f64(1)), 'activationForward: unknown activation code 9 (0 relu, 1 tanh, 2 sigmoid, 3 gelu)'],
  ['an activation name instead of a code', (k) => call(k, 'activationBackward', 'relu', 1, f64(1), f64(1), f64(1), f64(1)), 'activationBackward: unknown activation code string (0 relu, 1 tanh, 2 sigmoid, 3 gelu)'],
  ['a buffer too short', (k) => call(k, 'addRowVector', 2, 3, f32(3), f32(5)), 'addRowVector: x has 5 elements, but n·m = 6 are needed'],
  ['a missing argument', (k) => call(k, 'squaredError', 2, f32(2), f32(2)), 'squaredError: scale must be a number (got undefined)'],
  ['scale is a string', (k) => call(k, 'sigmoidCrossEntropy', 1, f32(1), new Int32Array(1), 'x', f32(1)), 'sigmoidCrossEntropy: scale must be a number (got string)'],
  ['dtypes differ (model)', (k) => call(k, 'addRowVector', 1, 2, f32(2), f64(2)), 'addRowVector: x is a Float64Array, but v is a Float32Array (every buffer has one dtype)'],
  ['the output overlaps an input', (k) => call(k, 'addRowVector', 1, 4, shared.subarray(0, 4), shared.subarray(2, 6)), 'addRowVector: x overlaps v in memory'],
  ['h is a shifted view of z', (k) => call(k, 'activationForward', 0, 4, shared.subarray(0, 4), shared.subarray(1, 5)), 'activationForward: h overlaps z in memory (h may be z itself, not a shifted view of it)'],
  ['dz is h', (k) => { const h = f64(3); return call(k, 'activationBackward', 0, 3, f64(3), h, f64(3), h); }, 'activationBackward: dz overlaps h in memory'],
  ['labels are floats', (k) => call(k, 'softmaxCrossEntropy', 1, 2, f32(2), Float64Array.of(0), 1, f32(2)), 'softmaxCrossEntropy: labels must be an Int32Array (got Float64Array)'],
  ['labels too short', (k) => call(k, 'softmaxCrossEntropy', 2, 2, f32(4), Int32Array.of(0), 1, f32(4)), 'softmaxCrossEntropy: labels has 1 elements, but n = 2 are needed'],
  ['a class index out of range', (k) => call(k, 'softmaxCrossEntropy', 2, 10, f32(20), Int32Array.of(3, 10), 1, f32(20)), 'softmaxCrossEntropy: labels[1] = 10 is not a class index in [0, 10)'],
  ['a negative class index', (k) => call(k, 'softmaxCrossEntropy', 1, 3, f32(3), Int32Array.of(-1), 1, f32(3)), 'softmaxCrossEntropy: labels[0] = -1 is not a class index in [0, 3)'],
  ['a binary label of 2', (k) => call(k, 'sigmoidCrossEntropy', 2, f64(2), Int32Array.of(1, 2), 1, f64(2)), 'sigmoidCrossEntropy: labels[1] = 2 is not 0 or 1'],
  ['the gradient overlaps the labels', (k) => { const b = new ArrayBuffer(64); return call(k, 'sigmoidCrossEntropy', 2, f32(2), new Int32Array(b, 0, 2), 1, new Float32Array(b, 4, 2)); }, 'sigmoidCrossEntropy: grad overlaps labels in memory'],
];

const GOOD: [string, Call][] = [
  ['optional buffers null', adam([f32(4), f32(4), f32(4), f32(4), null, null])],
  ['every buffer present, float64', adam([f64(4), f64(4), f64(4), f64(4), f64(4), f64(4)])],
  ['disjoint views of one buffer', (k) => { const b = new Float32Array(24); return call(k, 'adamStep', b.subarray(0, 4), b.subarray(4, 8), b.subarray(8, 12), b.subarray(12, 16), b.subarray(16, 20), b.subarray(20, 24), ADAM); }],
  ['empty buffers', adam([f32(0), f32(0), f32(0), f32(0), null, null])],
  ['buffers longer than needed', (k) => call(k, 'addRowVector', 2, 3, f32(5), f32(9))],
  ['h = z', (k) => { const z = f32(4); return call(k, 'activationForward', 3, 4, z, z); }],
  ['dz = dh', (k) => { const d = f64(4); return call(k, 'activationBackward', 1, 4, f64(4), f64(4), d, d); }],
  ['grad = logits', (k) => { const z = f32(6); return call(k, 'softmaxCrossEntropy', 2, 3, z, Int32Array.of(0, 2), 0.5, z); }],
  ['zero rows with no labels', (k) => call(k, 'softmaxCrossEntropy', 0, 3, f32(0), new Int32Array(0), 1, f32(0))],
];

function thrown(c: Call, k: Kernels): Error | null {
  try {
    c(k);
    return null;
  } catch (err) {
    return err as Error;
  }
}

const sets: [string, Kernels][] = [['ts', tsKernels], ...(addon ? ([['native', nativeKernels(addon)]] as [string, Kernels][]) : [])];

describe('optimizer and model kernels reject bad arguments', () => {
  it.skipIf(!addon)(`the native set is under test too${nativeSkipReason ? ` (skipped: ${nativeSkipReason})` : ''}`, () => {
    expect(sets.map(([n]) => n)).toEqual(['ts', 'native']);
  });

  for (const [name, k] of sets) {
    it.each(BAD)(`${name}: %s`, (_, c, message) => {
      const err = thrown(c, k);
      expect(err).toBeInstanceOf(TypeError);
      expect(err!.message).toBe(message);
    });
    it.each(GOOD)(`${name}: accepts %s`, (_, c) => {
      expect(thrown(c, k)).toBeNull();
    });
  }

  it.each(sets)('%s: a rejected call changes no buffer', (_, k) => {
    const p = f32(4), g = f32(4).fill(0.25), m = f32(4), v = f32(4);
    expect(thrown((kk) => call(kk, 'adamStep', p, g, m, v, null, null, { ...ADAM, amsgrad: undefined }), k)).toBeInstanceOf(TypeError);
    expect(thrown((kk) => call(kk, 'adamStep', p, g, m, v, null, f32(3), ADAM), k)).toBeInstanceOf(TypeError);
    expect([...p, ...g, ...m, ...v]).toEqual([...f32(4), ...f32(4).fill(0.25), ...f32(4), ...f32(4)]);
    const z = f32(6), grad = f32(6).fill(9);
    expect(thrown((kk) => call(kk, 'softmaxCrossEntropy', 2, 3, z, Int32Array.of(0, 3), 1, grad), k)).toBeInstanceOf(TypeError);
    expect([...grad]).toEqual(new Array(6).fill(9));
  });
});
