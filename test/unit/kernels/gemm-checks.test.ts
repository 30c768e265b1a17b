// gemm's argument checks: every kernel set throws the same TypeError, naming the argument,
// before touching memory; arrays exactly as long as needed are accepted.
import { describe, expect, it } from 'vitest';
import { addon, kernelSets, nativeSkipReason, type Gemm } from './gemm-harness.ts';

type Args = Parameters<Gemm>;
const f32 = (n: number) => new Float32Array(n);
const f64 = (n: number) => new Float64Array(n);

/** A valid 2×3 · 3×4 call (A 2×3, B 3×4, C 2×4), float64, with overrides by position. */
function call(over: Partial<Record<number, unknown>> = {}): Args {
  const args: unknown[] = [false, false, 2, 4, 3, 1, f64(6), 3, f64(12), 4, 0, f64(8), 4];
  for (const [i, v] of Object.entries(over)) args[Number(i)] = v;
  return args as Args;
}

function thrown(gemm: Gemm, args: Args): unknown {
  try {
    gemm(...args);
  } catch (err) {
    return err;
  }
  return null;
}

const shared = new ArrayBuffer(64 * 8);
const BAD_CALLS: readonly [string, Args, RegExp][] = [
  ['transA not a boolean', call({ 0: 1 }), /^gemm: transA must be a boolean \(got number\)$/],
  ['transB not a boolean', call({ 1: 'yes' }), /^gemm: transB must be a boolean \(got string\)$/],
  ['m negative', call({ 2: -1 }), /^gemm: m must be an integer in \[0, 2\^31\) \(got -1\)$/],
  ['n fractional', call({ 3: 2.5 }), /^gemm: n must be an integer in \[0, 2\^31\) \(got 2\.5\)$/],
  ['k NaN', call({ 4: NaN }), /^gemm: k must be an integer in \[0, 2\^31\) \(got NaN\)$/],
  ['m too large', call({ 2: 2 ** 31 }), /^gemm: m must be an integer in \[0, 2\^31\) \(got 2147483648\)$/],
  ['m a string', call({ 2: '2' }), /^gemm: m must be an integer in \[0, 2\^31\) \(got string\)$/],
  ['alpha not a number', call({ 5: '1' }), /^gemm: alpha must be a number \(got string\)$/],
  ['beta undefined', call({ 10: undefined }), /^gemm: beta must be a number \(got undefined\)$/],
  ['a a plain array', call({ 6: [1, 2, 3, 4, 5, 6] }), /^gemm: a must be a Float32Array or Float64Array \(got object\)$/],
  ['b an Int32Array', call({ 8: new Int32Array(12) }), /^gemm: b must be a Float32Array or Float64Array \(got Int32Array\)$/],
  ['c a DataView', call({ 11: new DataView(new ArrayBuffer(64)) }), /^gemm: c must be a Float32Array or Float64Array \(got DataView\)$/],
  ['c a Buffer', call({ 11: Buffer.alloc(64) }), /^gemm: c must be a Float32Array or Float64Array \(got Uint8Array\)$/],
  ['a null', call({ 6: null }), /^gemm: a must be a Float32Array or Float64Array \(got object\)$/],
  ['lda negative', call({ 7: -3 }), /^gemm: lda must be an integer in \[0, 2\^31\) \(got -3\)$/],
  ['mixed dtypes', call({ 8: f32(12) }), /^gemm: a, b and c must have the same dtype \(got Float64Array, Float32Array, Float64Array\)$/],
  ['lda below the columns of A', call({ 7: 2 }), /^gemm: lda = 2 is less than the 3 columns of A as stored$/],
  ['lda below the columns of transposed A', call({ 0: true, 7: 1 }), /^gemm: lda = 1 is less than the 2 columns of A as stored \(transA\)$/],
  ['ldb below the columns of transposed B', call({ 1: true, 9: 2 }), /^gemm: ldb = 2 is less than the 3 columns of B as stored \(transB\)$/],
  ['ldc below n', call({ 12: 3 }), /^gemm: ldc = 3 is less than the 4 columns of C as stored$/],
  ['a one short', call({ 6: f64(5) }), /^gemm: a has 5 elements, but A as stored \(2×3, lda = 3\) needs 6$/],
  ['a short for its stride', call({ 6: f64(6), 7: 5 }), /^gemm: a has 6 elements, but A as stored \(2×3, lda = 5\) needs 8$/],
  ['transposed a short', call({ 0: true, 6: f64(5), 7: 2 }), /^gemm: a has 5 elements, but A as stored \(3×2, lda = 2\) needs 6$/],
  ['b one short', call({ 8: f64(11) }), /^gemm: b has 11 elements, but B as stored \(3×4, ldb = 4\) needs 12$/],
  ['transposed b short', call({ 1: true, 8: f64(11), 9: 3 }), /^gemm: b has 11 elements, but B as stored \(4×3, ldb = 3\) needs 12$/],
  ['c one short', call({ 11: f64(7) }), /^gemm: c has 7 elements, but C as stored \(2×4, ldc = 4\) needs 8$/],
  ['c overlaps a', call({ 6: new Float64Array(shared, 0, 6), 11: new Float64Array(shared, 5 * 8, 8) }), /^gemm: c overlaps a in memory; C must not share elements with A or B$/],
  ['c overlaps b', call({ 8: new Float64Array(shared, 8 * 8, 12), 11: new Float64Array(shared, 19 * 8, 8) }), /^gemm: c overlaps b in memory; C must not share elements with A or B$/],
];

for (const set of kernelSets())
  describe(`gemm argument checks: ${set.name}`, () => {
    for (const [what, args, message] of BAD_CALLS)
      it(`${what}: TypeError`, () => {
        set.select();
        const c = args[11];
        const before = ArrayBuffer.isView(c) ? new Uint8Array(c.buffer, c.byteOffset, c.byteLength).slice() : null;
        const err = thrown(set.gemm, args);
        expect(err).toBeInstanceOf(TypeError);
        expect((err as Error).message).toMatch(message);
        // Nothing was written.
        if (before && ArrayBuffer.isView(c)) expect(new Uint8Array(c.buffer, c.byteOffset, c.byteLength)).toEqual(before);
      });

    it('accepts arrays exactly as long as their strided matrices, for every transpose', () => {
      set.select();
      for (const tA of [false, true])
        for (const tB of [false, true]) {
          // A as stored is 2×3 or 3×2 with stride 5; B 3×4 or 4×3 with stride 6; C 2×4 with stride 7.
          const [rA, cA] = tA ? [3, 2] : [2, 3], [rB, cB] = tB ? [4, 3] : [3, 4];
          const a = f32((rA - 1) * 5 + cA).fill(1), b = f32((rB - 1) * 6 + cB).fill(1), c = f32(7 + 4);
          set.gemm(tA, tB, 2, 4, 3, 1, a, 5, b, 6, 0, c, 7);
          expect(Array.from(c)).toEqual([3, 3, 3, 3, 0, 0, 0, 3, 3, 3, 3]);
        }
    });

    it('accepts empty matrices with empty arrays and zero strides', () => {
      set.select();
      expect(() => set.gemm(false, false, 0, 0, 0, 1, f64(0), 0, f64(0), 0, 0, f64(0), 0)).not.toThrow();
      const c = f64(2).fill(NaN);
      set.gemm(false, false, 1, 2, 0, 1, f64(0), 0, f64(0), 2, 0, c, 2); // k = 0: C = 0·C = 0
      expect(Array.from(c)).toEqual([0, 0]);
    });

    it('accepts A, B and C as disjoint parts of one buffer, and A = B', () => {
      set.select();
      const buf = new ArrayBuffer(16 * 8);
      const a = new Float64Array(buf, 0, 4).fill(2), c = new Float64Array(buf, 4 * 8, 4);
      set.gemm(false, false, 2, 2, 2, 1, a, 2, a, 2, 0, c, 2);
      expect(Array.from(c)).toEqual([8, 8, 8, 8]);
    });
  });

describe.skipIf(!addon)(`native gemm only${nativeSkipReason ? ` (skipped: ${nativeSkipReason})` : ''}`, () => {
  it('throws a TypeError on a wrong argument count', () => {
    const gemm = addon!.gemm as unknown as (...args: unknown[]) => void;
    expect(() => gemm(false, false, 1, 1, 1)).toThrow(new TypeError('gemm: expected 13 arguments, got 5'));
  });
});
