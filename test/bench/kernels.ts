// Bench member "kernels": gemm throughput (GFLOP/s = 2·m·n·k / time) on a few shapes, on the
// five gemms of one digits MLP training step (with their transposes) and the per-call cost of
// tiny gemms, for the TypeScript reference ("ts": WebAssembly SIMD where it pays, else scalar
// loops, as it runs) and the native addon ("native", same keys; null when not built); "ts" also
// reports its scalar loops alone (`gemm_scalar_*`). Plus which CPU path ran and which were available.
import type { MatrixKernels } from '../../src-main/core/kernels/types.ts';
import { setWasmPath, tsKernels } from '../../src-main/core/kernels/ts.ts';
import { installKernels } from '../../src-main/runner/native-kernels.ts';

type Gemm = MatrixKernels['gemm'];
type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;

const THROUGHPUT_SHAPES: readonly [number, number, number][] = [[32, 64, 64], [128, 256, 256], [512, 512, 512]];
const TINY_SHAPES: readonly [number, number, number][] = [[0, 0, 0], [1, 1, 1], [4, 4, 4], [8, 8, 8], [32, 64, 10]];
/** One digits step (61 features after preprocessing, 64 hidden, 10 classes, batch 32): forward x·W1ᵀ, h·W2ᵀ; backward g2ᵀ·h, g2·W2, g1ᵀ·x. */
const TRAINING_SHAPES: readonly { name: string; tA: boolean; tB: boolean; m: number; n: number; k: number }[] = [
  { name: 'NT_32x64x61', tA: false, tB: true, m: 32, n: 64, k: 61 },
  { name: 'NT_32x10x64', tA: false, tB: true, m: 32, n: 10, k: 64 },
  { name: 'TN_10x64x32', tA: true, tB: false, m: 10, n: 64, k: 32 },
  { name: 'NN_32x64x10', tA: false, tB: false, m: 32, n: 64, k: 10 },
  { name: 'TN_64x61x32', tA: true, tB: false, m: 64, n: 61, k: 32 },
];
const REPEATS = 5;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Seconds per call of `call`, over as many calls as fit in minSeconds (the clock read only after 1, 2, 4, ... calls). */
function batch(call: () => void, minSeconds: number): number {
  const t0 = performance.now();
  let calls = 0;
  for (let chunk = 1; ; chunk *= 2) {
    for (let r = 0; r < chunk; r++) call();
    calls += chunk;
    const elapsed = (performance.now() - t0) / 1000;
    if (elapsed >= minSeconds) return elapsed / calls;
  }
}

/** Median seconds per call of C = A·B (m×k · k×n, no transposes, beta = 0) over REPEATS batches of ≥ minSeconds. */
function secondsPerCall(gemm: Gemm, F: Ctor, m: number, n: number, k: number, minSeconds: number): number {
  const a = new F(m * k).map((_, i) => Math.sin(i)), b = new F(k * n).map((_, i) => Math.cos(i));
  const c = new F(m * n);
  const call = () => gemm(false, false, m, n, k, 1, a, k, b, n, 0, c, n);
  batch(call, minSeconds / 4); // warm up: JIT, packing buffers
  const samples: number[] = [];
  for (let rep = 0; rep < REPEATS; rep++) samples.push(batch(call, minSeconds));
  return median(samples);
}

/** Median seconds per call of the training shape's gemm (float32, beta = 0). */
function trainingSecondsPerCall(gemm: Gemm, s: (typeof TRAINING_SHAPES)[number], minSeconds: number): number {
  const { tA, tB, m, n, k } = s;
  const lda = tA ? m : k, ldb = tB ? k : n;
  const a = new Float32Array(m * k).map((_, i) => Math.sin(i)), b = new Float32Array(k * n).map((_, i) => Math.cos(i));
  const c = new Float32Array(m * n);
  const call = () => gemm(tA, tB, m, n, k, 1, a, lda, b, ldb, 0, c, n);
  batch(call, minSeconds / 4);
  const samples: number[] = [];
  for (let rep = 0; rep < REPEATS; rep++) samples.push(batch(call, minSeconds));
  return median(samples);
}

/** GFLOP/s of each training gemm (float32), keyed gemm_float32_train_<shape>_gflops. */
function measureTraining(gemm: Gemm, prefix = 'gemm'): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of TRAINING_SHAPES)
    out[`${prefix}_float32_train_${s.name}_gflops`] = round((2 * s.m * s.n * s.k) / trainingSecondsPerCall(gemm, s, 0.05) / 1e9, 3);
  return out;
}

const label = (F: Ctor, [m, n, k]: readonly number[]) => `${F === Float32Array ? 'float32' : 'float64'} ${m}x${n}x${k}`;
const round = (x: number, digits: number) => Number(x.toPrecision(digits));

/**
 * GFLOP/s per shape and dtype, and nanoseconds per tiny call. All float32 first, then float64:
 * the TS kernel's float32 numbers are from a monomorphic JIT state, its float64 numbers from
 * one that has seen both dtypes (as in a process that trains both).
 */
function measure(gemm: Gemm): { gflops: Record<string, number>; nsPerCall: Record<string, number> } {
  const gflops: Record<string, number> = {}, nsPerCall: Record<string, number> = {};
  for (const F of [Float32Array, Float64Array]) {
    for (const shape of THROUGHPUT_SHAPES) {
      const [m, n, k] = shape;
      gflops[label(F, shape)] = round((2 * m * n * k) / secondsPerCall(gemm, F, m, n, k, 0.05) / 1e9, 3);
    }
    for (const shape of TINY_SHAPES) nsPerCall[label(F, shape)] = round(secondsPerCall(gemm, F, shape[0], shape[1], shape[2], 0.02) * 1e9, 3);
  }
  return { gflops, nsPerCall };
}

/** Sections merged by run.ts: "ts" and "native" with the same keys, "info" for what ran. */
export function benchKernels(): Record<string, Record<string, unknown>> {
  const selection = installKernels();
  const addon = selection.addon;
  const flat = (r: { gflops: Record<string, number>; nsPerCall: Record<string, number> }) => ({
    ...Object.fromEntries(Object.entries(r.gflops).map(([shape, g]) => [`gemm_${shape.replace(' ', '_')}_gflops`, g])),
    ...Object.fromEntries(Object.entries(r.nsPerCall).map(([shape, ns]) => [`gemm_call_${shape.replace(' ', '_')}_ns`, ns])),
  });
  // The scalar loops alone first (engines without WebAssembly SIMD, and problems under 2048
  // multiply-adds), while their JIT state has seen float32 only, as in a float32 training worker.
  setWasmPath('scalar');
  const scalar = {
    ...measureTraining(tsKernels.gemm, 'gemm_scalar'),
    gemm_scalar_float32_128x256x256_gflops: round((2 * 128 * 256 * 256) / secondsPerCall(tsKernels.gemm, Float32Array, 128, 256, 256, 0.05) / 1e9, 3),
  };
  setWasmPath('auto');
  const ts = { ...flat(measure(tsKernels.gemm)), ...measureTraining(tsKernels.gemm), ...scalar };
  const native = addon ? { ...flat(measure(addon.gemm)), ...measureTraining(addon.gemm) } : null;
  const cpu = addon?.cpuFeatures() ?? null;
  // Native float32 128×256×256 on every CPU path this machine can run: what dispatch buys.
  let byPath: Record<string, number> | null = null;
  if (addon && cpu) {
    byPath = {};
    for (const p of cpu.paths.filter((x) => x.supported)) {
      addon.selectPath(p.name);
      byPath[p.name] = round((2 * 128 * 256 * 256) / secondsPerCall(addon.gemm, Float32Array, 128, 256, 256, 0.05) / 1e9, 3);
    }
    addon.selectPath(cpu.active);
  }
  return {
    ts,
    ...(native ? { native } : {}),
    info: {
      kernel: selection.kernels.name,
      fallbackReason: selection.reason,
      cpu: cpu && {
        arch: cpu.arch,
        features: cpu.features,
        available: cpu.paths.filter((p) => p.supported).map((p) => p.name),
        used: cpu.active,
        used_elementwise: cpu.activeElementwise,
      },
      gemm_native_f32_128x256x256_gflops_by_path: byPath,
    },
  };
}
