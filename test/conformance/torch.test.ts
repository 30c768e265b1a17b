// Every PyTorch 1.13.1 reference case, through the optimizer facade, on every kernel set and
// both engines (fused kernels and the chain of transformations). To run another Kernels
// implementation (e.g. native) through the same suite, add it to KERNEL_SETS. The TS set runs
// twice: as selected by size, and with every call that has a WebAssembly version sent there.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kernels } from '../../src-main/core/kernels/types.ts';
import { setWasmPath, tsKernels, type WasmPath } from '../../src-main/core/kernels/ts.ts';
import { parseCase, replayClosedLoop, replayOpenLoop, replaySchedule } from '../../src-main/core/optim/replay.ts';
import { SURFACES } from '../../src-main/core/surfaces/index.ts';
import { loadAddon, nativeKernels } from '../../src-main/runner/native-kernels.ts';
import { describeMismatch, worstMismatch } from './close.ts';

const addon = loadAddon();
// The native addon when it is built (PRECOND_REQUIRE_NATIVE=1 makes a missing one fail in native-loader.test.ts).
const KERNEL_SETS: readonly { name: string; kernels: Kernels; wasmPath: WasmPath }[] = [
  { name: 'ts', kernels: tsKernels, wasmPath: 'auto' },
  { name: 'ts/wasm', kernels: tsKernels, wasmPath: 'wasm' },
  ...(addon.ok ? [{ name: 'native', kernels: nativeKernels(addon.addon), wasmPath: 'auto' as const }] : []),
];

const DIR = fileURLToPath(new URL('../fixtures/conformance/torch/', import.meta.url));
const CASES = readdirSync(DIR)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => {
    const raw = JSON.parse(readFileSync(DIR + file, 'utf8')) as Record<string, unknown>;
    return { file, raw, c: parseCase(raw) };
  });

const TOL = { float64: [1e-9, 1e-12], float32: [1e-5, 1e-6] } as const;

describe('the conformance fixtures', () => {
  it('cover every optimizer, both dtypes, the closed-loop paths and the schedules', () => {
    const open = CASES.flatMap(({ c }) => (c.kind === 'open-loop' ? [`${c.optimizer}/${c.dtype}`] : []));
    for (const name of ['sgd', 'adagrad', 'rmsprop', 'adam', 'adamw', 'adamax', 'nadam', 'radam', 'adadelta', 'rprop'])
      for (const dtype of ['float32', 'float64']) expect(open).toContain(`${name}/${dtype}`);
    expect(CASES.filter(({ c }) => c.kind === 'closed-loop').length).toBe(5);
    expect(CASES.filter(({ c }) => c.kind === 'schedule').length).toBe(5);
  });
});

describe.each(KERNEL_SETS)('torch conformance, kernels "$name"', ({ kernels, wasmPath }) => {
  beforeAll(() => void setWasmPath(wasmPath));
  afterAll(() => void setWasmPath('auto'));
  describe.each(['fused', 'chain'] as const)('engine %s', (engine) => {
    for (const { file, raw, c } of CASES) {
      if (c.kind === 'open-loop') {
        const [rel, abs] = TOL[c.dtype];
        const expected = c.steps.map((s) => s.params);
        it(`${file}: every parameter after every step`, () => {
          const m = worstMismatch(replayOpenLoop(c, { engine, kernels }), expected, rel, abs);
          expect(m.ratio, describeMismatch(m)).toBeLessThanOrEqual(1);
        });
        it(`${file}: the same with the effective step size requested`, () => {
          const m = worstMismatch(replayOpenLoop(c, { engine, kernels, effectiveLr: true }), expected, rel, abs);
          expect(m.ratio, describeMismatch(m)).toBeLessThanOrEqual(1);
        });
      } else if (c.kind === 'closed-loop') {
        const path = raw.path as { loss: number; grad: number[]; params: number[] }[];
        it(`${file}: the path, and the loss and gradient at every point`, () => {
          const got = replayClosedLoop(c, { engine, kernels });
          const m = worstMismatch(
            got.map((p) => p.params),
            path.map((p) => p.params),
            1e-7,
            0,
          );
          expect(m.ratio, describeMismatch(m)).toBeLessThanOrEqual(1);
          const f = SURFACES[c.function];
          const lg = worstMismatch(
            got.map((p) => [p.loss, ...p.grad]),
            path.map((p) => [p.loss, ...p.grad]),
            1e-7,
            1e-12,
          );
          expect(lg.ratio, describeMismatch(lg)).toBeLessThanOrEqual(1);
          expect(f.f(c.start[0], c.start[1])).toBeCloseTo(path[0].loss, 9);
        });
      } else if (engine === 'fused') {
        it(`${file}: every learning rate`, () => {
          const m = worstMismatch(replaySchedule(c), c.lrs, 1e-12, 0);
          expect(m.ratio, describeMismatch(m)).toBeLessThanOrEqual(1);
        });
      }
    }
  });
});
