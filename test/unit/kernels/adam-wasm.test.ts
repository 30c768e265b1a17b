// Adam's plain step runs in WebAssembly (core/kernels/adam-wasm.ts), in place for buffers in one
// group arena (core/arena.ts) and through chunk copies for others: both must give bit-identical
// parameters and moments to the scalar loop, for both dtypes, odd lengths (the last element is
// stepped in TypeScript), several chunks, and special values.
import { describe, expect, it } from 'vitest';
import { allocateGroupBuffers, allocateLike, sharedArenaMemory } from '../../../src-main/core/arena.ts';
import { adamInArena } from '../../../src-main/core/kernels/adam-wasm.ts';
import { setWasmPath, tsKernels, type WasmPath } from '../../../src-main/core/kernels/ts.ts';
import type { FloatArray } from '../../../src-main/core/tensor.ts';
import type { AdamScalars } from '../../../src-main/core/kernels/types.ts';

const S: AdamScalars = { maximize: 0, l2: 0, decay: 0, lr: 1e-3, beta1: 0.9, beta2: 0.999, stepSize: 1e-3 / 0.1, bc2Sqrt: Math.sqrt(0.001), eps: 1e-8, amsgrad: 0 };

describe('Adam plain step: WebAssembly and scalar paths agree bit for bit', () => {
  it('runs WebAssembly with SIMD on this engine', () => {
    expect(setWasmPath('wasm')).toBe(true);
    setWasmPath('auto');
  });

  for (const F of [Float32Array, Float64Array])
    for (const n of [1, 2, 3, 7, 64, 65, 4095, 4096, 4097, 10001])
      it(`${F.name}, ${n} elements, three steps`, () => {
        // Mixed magnitudes (every fifth value tiny), NaN and ∞ gradients, a −0 parameter.
        const make = (seed: number, abs: boolean) =>
          F.from(
            Array.from({ length: n }, (_, i) => {
              const x = Math.sin(i * 1.7 + seed) * (i % 5 === 0 ? 1e-30 : 1);
              return abs ? Math.abs(x) : x;
            }),
          );
        const start = [make(1, false), make(2, false), make(3, true), make(4, true)];
        if (n > 5) {
          start[1][3] = NaN;
          start[1][4] = Infinity;
          start[0][5] = -0;
        }
        /** The four buffers as plain arrays, or in one arena (as a parameter group and its Adam state). */
        const buffers = (inArena: boolean): FloatArray[] => {
          if (!inArena) return start.map((x) => x.slice());
          const { values, grads } = allocateGroupBuffers(F === Float32Array ? 'float32' : 'float64', n);
          const all = [values, grads, allocateLike(values), allocateLike(values)];
          all.forEach((b, i) => b.set(start[i]));
          return all;
        };
        const run = (path: WasmPath, inArena = false) => {
          setWasmPath(path);
          const [p, g, m, v] = buffers(inArena);
          if (inArena) expect(n < 64 || sharedArenaMemory([p, g, m, v]) !== null).toBe(true);
          for (let t = 0; t < 3; t++) tsKernels.adamStep(p, g, m, v, null, null, S);
          setWasmPath('auto');
          return { p, m, v };
        };
        const scalar = run('scalar');
        for (const [label, wasm] of [['copies', run('wasm')], ['arena', run('wasm', true)], ['arena, auto', run('auto', true)]] as const) {
          const diffs: string[] = [];
          for (const key of ['p', 'm', 'v'] as const)
            for (let i = 0; i < n && diffs.length < 3; i++)
              if (!Object.is(wasm[key][i], scalar[key][i])) diffs.push(`${label}: ${key}[${i}]: wasm ${wasm[key][i]}, scalar ${scalar[key][i]}`);
          expect(diffs).toEqual([]);
          // The step did something: the first parameter moved.
          expect(wasm.p[0]).not.toBe(start[0][0]);
        }
      });

  it('steps in place only when all four buffers are in one arena', () => {
    const { values, grads } = allocateGroupBuffers('float32', 256);
    const m = allocateLike(values), v = allocateLike(values);
    grads.fill(0.5);
    expect(adamInArena(256, values, grads, m, v, 0.9, 0.1, 0.999, 0.001, 1e-3, 1e-8)).toBe(true);
    expect(m[255]).toBeCloseTo(0.05, 7);
    expect(values[0]).toBeLessThan(0);
    const outside = new Float32Array(256);
    expect(adamInArena(256, values, grads, m, outside, 0.9, 0.1, 0.999, 0.001, 1e-3, 1e-8)).toBe(false);
    expect(outside.every((x) => x === 0)).toBe(true);
  });
});
