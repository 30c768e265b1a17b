// Group arenas (core/arena.ts): a group's values, gradients and optimizer state share one
// contiguous buffer in disjoint zeroed slots (a fixed WebAssembly memory for large groups, a plain
// ArrayBuffer for small ones); sub-views and a full arena get plain typed arrays; and the arrays
// behave as ordinary typed arrays everywhere else.
import { describe, expect, it } from 'vitest';
import { ARENA_MIN_LENGTH, allocateGroupBuffers, allocateLike, sharedArenaMemory } from '../../../src-main/core/arena.ts';
import { Optimizer } from '../../../src-main/core/optim/index.ts';
import { zerosLike } from '../../../src-main/core/optim/transform.ts';
import { createParamSet, type FloatArray } from '../../../src-main/core/tensor.ts';

const isWasmMemoryBuffer = (a: FloatArray) => sharedArenaMemory([a]) !== null;
const ranges = (arrays: FloatArray[]) => arrays.map((a) => [a.byteOffset, a.byteOffset + a.byteLength] as const).sort((x, y) => x[0] - y[0]);

describe('group arenas', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: values, grads and three state buffers share one memory, disjoint, aligned and zeroed`, () => {
      const n = 1001; // not a multiple of the alignment
      const { values, grads } = allocateGroupBuffers(dtype, n);
      const state = [allocateLike(values), allocateLike(values), allocateLike(values)];
      const all = [values, grads, ...state];
      expect(sharedArenaMemory(all)).not.toBeNull();
      for (const a of all) {
        expect(a.length).toBe(n);
        expect(a instanceof (dtype === 'float32' ? Float32Array : Float64Array)).toBe(true);
        expect(a.byteOffset % 64).toBe(0);
        expect(a.every((x) => x === 0)).toBe(true);
      }
      const r = ranges(all);
      for (let i = 1; i < r.length; i++) expect(r[i][0]).toBeGreaterThanOrEqual(r[i - 1][1]);
      // Writing one leaves the others alone.
      values.fill(7);
      for (const a of [grads, ...state]) expect(a.every((x) => x === 0)).toBe(true);
      // The arena is full now: more state is a plain array, still zeros of the right kind.
      const extra = allocateLike(values);
      expect(isWasmMemoryBuffer(extra)).toBe(false);
      expect(extra.length).toBe(n);
      expect(sharedArenaMemory([values, extra])).toBeNull();
    });
  }

  it('keeps a small group in one plain buffer, and gives sub-views and plain arrays plain typed arrays', () => {
    const small = allocateGroupBuffers('float32', ARENA_MIN_LENGTH - 1);
    const smallState = allocateLike(small.values);
    expect(isWasmMemoryBuffer(small.values)).toBe(false);
    expect(small.values.length).toBe(ARENA_MIN_LENGTH - 1);
    expect(small.grads.buffer).toBe(small.values.buffer);
    expect(smallState.buffer).toBe(small.values.buffer);
    expect(smallState.byteOffset).toBeGreaterThanOrEqual(small.grads.byteOffset + small.grads.byteLength);
    const big = allocateGroupBuffers('float32', 4 * ARENA_MIN_LENGTH);
    expect(isWasmMemoryBuffer(big.values)).toBe(true);
    // A view of one tensor is not a whole group buffer: its state can't take a group-sized slot.
    const view = big.values.subarray(0, ARENA_MIN_LENGTH);
    const forView = allocateLike(view);
    expect(forView.length).toBe(ARENA_MIN_LENGTH);
    expect(isWasmMemoryBuffer(forView)).toBe(false);
    expect(isWasmMemoryBuffer(allocateLike(new Float64Array(500)))).toBe(false);
    expect(zerosLike(new Float64Array(500))).toBeInstanceOf(Float64Array);
  });

  it('holds a parameter set’s groups and the optimizer state created for them', () => {
    const set = createParamSet(
      [
        { name: 'w', shape: [40, 30], role: 'weight' },
        { name: 'b', shape: [40], role: 'bias' },
      ],
      'float32',
      (s) => (s.role === 'bias' ? 1 : 0),
    );
    const [weights, biases] = set.groups;
    expect(sharedArenaMemory([weights.values, weights.grads])).not.toBeNull();
    expect(sharedArenaMemory([biases.values, biases.grads])).toBeNull(); // 40 < ARENA_MIN_LENGTH: a plain buffer
    expect(biases.grads.buffer).toBe(biases.values.buffer);
    // The views models use are views of the arena.
    expect(set.byName.get('w')!.values.buffer).toBe(weights.values.buffer);
    const opt = new Optimizer(set, { name: 'adam', hyperparams: { lr: 1e-3 } });
    weights.grads.fill(0.5);
    opt.step();
    const expAvg = opt.stateDict().state.w.buffers.exp_avg;
    if (!(expAvg instanceof Float32Array)) throw new Error('exp_avg is not a Float32Array');
    expect(Array.from(expAvg.slice(0, 3))).toEqual(Array.from(new Float32Array([0.05, 0.05, 0.05])));
    // Saved state is a plain copy, not a view into the arena.
    expect(isWasmMemoryBuffer(expAvg)).toBe(false);
    expect(weights.values[0]).toBeCloseTo(-1e-3, 6);
  });

  it('survives structured cloning of a view (what postMessage does) as a plain copy', () => {
    const { values } = allocateGroupBuffers('float64', 256);
    values[3] = 2.5;
    const copy = structuredClone(values.subarray(0, 8));
    expect(Array.from(copy)).toEqual([0, 0, 0, 2.5, 0, 0, 0, 0]);
    values[3] = 0;
    expect(copy[3]).toBe(2.5);
  });
});
