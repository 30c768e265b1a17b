// The plain steps of Adam, RMSprop and AdaGrad run in WebAssembly (core/kernels/step-wasm.ts), in
// place for buffers in one group arena (core/arena.ts), and Adam also through chunk copies for
// others: every path must give bit-identical parameters and state to the scalar loops, for both
// dtypes, odd lengths (the last element is stepped in TypeScript), several chunks, and special
// values.
import { describe, expect, it } from 'vitest';
import { allocateGroupBuffers, allocateLike, sharedArenaMemory } from '../../../src-main/core/arena.ts';
import { adagradInArena, adamInArena, rmspropInArena } from '../../../src-main/core/kernels/step-wasm.ts';
import { setWasmPath, tsKernels, type WasmPath } from '../../../src-main/core/kernels/ts.ts';
import type { FloatArray } from '../../../src-main/core/tensor.ts';

const BASE = { maximize: 0, l2: 0, decay: 0 };

/** Each optimizer's plain step on [θ, g, state…], and which state buffers are non-negative. */
const OPTIMIZERS = {
  adam: {
    nonNegative: [false, false, false, true],
    step: ([p, g, m, v]: FloatArray[]) =>
      tsKernels.adamStep(p, g, m, v, null, null, { ...BASE, lr: 1e-3, beta1: 0.9, beta2: 0.999, stepSize: 1e-3 / 0.1, bc2Sqrt: Math.sqrt(0.001), eps: 1e-8, amsgrad: 0 }),
  },
  rmsprop: {
    nonNegative: [false, false, true],
    step: ([p, g, v]: FloatArray[]) => tsKernels.rmspropStep(p, g, v, null, null, null, { ...BASE, lr: 1e-2, alpha: 0.99, eps: 1e-8, epsInside: 0, momentum: 0 }),
  },
  adagrad: {
    nonNegative: [false, false, true],
    step: ([p, g, s]: FloatArray[]) => tsKernels.adagradStep(p, g, s, null, { ...BASE, clr: 1e-2, eps: 1e-10, epsInside: 0, zeroGuard: 0 }),
  },
} as const;

describe('plain steps: WebAssembly and scalar paths agree bit for bit', () => {
  it('runs WebAssembly with SIMD on this engine', () => {
    expect(setWasmPath('wasm')).toBe(true);
    setWasmPath('auto');
  });

  for (const [name, opt] of Object.entries(OPTIMIZERS))
    for (const F of [Float32Array, Float64Array])
      for (const n of [1, 2, 3, 7, 64, 65, 4095, 4096, 4097, 10001])
        it(`${name}, ${F.name}, ${n} elements, three steps`, () => {
          // Mixed magnitudes (every fifth value tiny), NaN and ∞ gradients, a −0 parameter.
          const start = opt.nonNegative.map((abs, k) =>
            F.from(
              Array.from({ length: n }, (_, i) => {
                const x = Math.sin(i * 1.7 + k + 1) * (i % 5 === 0 ? 1e-30 : 1);
                return abs ? Math.abs(x) : x;
              }),
            ),
          );
          if (n > 5) {
            start[1][3] = NaN;
            start[1][4] = Infinity;
            start[0][5] = -0;
          }
          /** The buffers as plain arrays, or in one arena (as a parameter group and its state). */
          const buffers = (arena: boolean): FloatArray[] => {
            if (!arena) return start.map((x) => x.slice());
            const { values, grads } = allocateGroupBuffers(F === Float32Array ? 'float32' : 'float64', n);
            const all = [values, grads, ...start.slice(2).map(() => allocateLike(values))];
            all.forEach((b, i) => b.set(start[i]));
            if (n >= 64) expect(sharedArenaMemory(all)).not.toBeNull();
            return all;
          };
          const run = (path: WasmPath, arena = false) => {
            setWasmPath(path);
            const bufs = buffers(arena);
            for (let t = 0; t < 3; t++) opt.step(bufs);
            setWasmPath('auto');
            return bufs;
          };
          const scalar = run('scalar');
          const paths = [['arena', run('wasm', true)], ['arena, auto', run('auto', true)]] as [string, FloatArray[]][];
          if (name === 'adam') paths.push(['copies', run('wasm')]);
          for (const [label, wasm] of paths) {
            const diffs: string[] = [];
            wasm.forEach((b, k) => {
              for (let i = 0; i < n && diffs.length < 3; i++)
                if (k !== 1 && !Object.is(b[i], scalar[k][i])) diffs.push(`${label}: buffer ${k}[${i}]: wasm ${b[i]}, scalar ${scalar[k][i]}`);
            });
            expect(diffs).toEqual([]);
            // The step did something: the first parameter moved.
            expect(wasm[0][0]).not.toBe(start[0][0]);
          }
        });

  it('steps in place only when all buffers are in one arena', () => {
    const { values, grads } = allocateGroupBuffers('float32', 256);
    const m = allocateLike(values), v = allocateLike(values);
    grads.fill(0.5);
    expect(adamInArena(256, values, grads, m, v, 0.9, 0.1, 0.999, 0.001, 1e-3, 1e-8)).toBe(true);
    expect(m[255]).toBeCloseTo(0.05, 7);
    expect(values[0]).toBeLessThan(0);
    expect(rmspropInArena(256, values, grads, v, 0.99, 0.01, 1e-2, 1e-8)).toBe(true);
    expect(adagradInArena(256, values, grads, m, 1e-2, 1e-10)).toBe(true);
    const outside = new Float32Array(256);
    expect(adamInArena(256, values, grads, m, outside, 0.9, 0.1, 0.999, 0.001, 1e-3, 1e-8)).toBe(false);
    expect(rmspropInArena(256, values, grads, outside, 0.99, 0.01, 1e-2, 1e-8)).toBe(false);
    expect(adagradInArena(256, values, outside, m, 1e-2, 1e-10)).toBe(false);
    expect(outside.every((x) => x === 0)).toBe(true);
  });
});
