// Adam's plain step runs in WebAssembly for cache-sized buffers (core/kernels/adam-wasm.ts):
// it must give bit-identical parameters and moments to the scalar loop, for both dtypes, odd
// lengths (the last element is stepped in TypeScript), several chunks, and special values.
import { describe, expect, it } from 'vitest';
import { setWasmPath, tsKernels, type WasmPath } from '../../../src-main/core/kernels/ts.ts';
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
        const run = (path: WasmPath) => {
          setWasmPath(path);
          const [p, g, m, v] = start.map((x) => x.slice());
          for (let t = 0; t < 3; t++) tsKernels.adamStep(p, g, m, v, null, null, S);
          setWasmPath('auto');
          return { p, m, v };
        };
        const wasm = run('wasm'), scalar = run('scalar');
        const diffs: string[] = [];
        for (const key of ['p', 'm', 'v'] as const)
          for (let i = 0; i < n && diffs.length < 3; i++)
            if (!Object.is(wasm[key][i], scalar[key][i])) diffs.push(`${key}[${i}]: wasm ${wasm[key][i]}, scalar ${scalar[key][i]}`);
        expect(diffs).toEqual([]);
        // The step did something: the first parameter moved.
        expect(wasm.p[0]).not.toBe(start[0][0]);
      });
});
