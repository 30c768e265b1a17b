// Optimizer throughput through the facade (Optimizer.step on one float32 group): millions of
// parameters per second, median of several timed steps after warm-up, for the TypeScript kernels
// ("ts"), the native addon ("native", same keys; absent when not built) and PyTorch's own
// optimizers on the same values ("torch", same keys; null without python3-torch), with the
// ratios at 16M parameters and which kernels and CPU path ran ("info"). `<case>_cpu_mparams_s`:
// the same steps per second of this process's CPU time (other processes on a shared machine
// inflate wall time much more than CPU time).
import { sharedArenaMemory } from '../../src-main/core/arena.ts';
import { useKernels, kernels } from '../../src-main/core/kernels/index.ts';
import { tsKernels } from '../../src-main/core/kernels/ts.ts';
import type { Kernels } from '../../src-main/core/kernels/types.ts';
import { Optimizer } from '../../src-main/core/optim/index.ts';
import { createParamSet } from '../../src-main/core/tensor.ts';
import { loadAddon, nativeKernels } from '../../src-main/runner/native-kernels.ts';
import { torchBench, torchUnavailable } from './torch.ts';

const CASES = [
  { key: 'adam', config: { name: 'adam', hyperparams: { lr: 1e-3 } } },
  { key: 'sgd_momentum', config: { name: 'sgd', hyperparams: { lr: 1e-2, momentum: 0.9 } } },
  { key: 'adagrad', config: { name: 'adagrad', hyperparams: { lr: 1e-2 } } },
  { key: 'rmsprop', config: { name: 'rmsprop', hyperparams: { lr: 1e-2 } } },
] as const;

const SIZES = [
  { label: '1m', n: 1 << 20, warmup: 20, timed: 15 },
  { label: '16m', n: 1 << 24, warmup: 2, timed: 7 },
] as const;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** [wall, CPU] millions of parameters per second. */
function measure(config: unknown, n: number, warmup: number, timed: number): [number, number] {
  const set = createParamSet([{ name: 'w', shape: [n], role: 'weight' }], 'float32');
  const { values, grads } = set.groups[0];
  for (let i = 0; i < n; i++) {
    values[i] = Math.sin(i * 0.7);
    grads[i] = Math.cos(i * 1.3) * 0.1;
  }
  const opt = new Optimizer(set, config, { engine: 'fused' });
  const times: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < warmup + timed; k++) {
    const c0 = cpuMs();
    const t0 = performance.now();
    opt.step();
    const ms = performance.now() - t0;
    if (k >= warmup) {
      times.push(ms);
      cpu.push(cpuMs() - c0);
    }
  }
  return [n / median(times) / 1e3, n / median(cpu) / 1e3];
}

/** `{ adam_f32_1m_mparams_s, adam_f32_16m_mparams_s, sgd_momentum_f32_1m_mparams_s, ... }` with `k` installed. */
function measureAll(k: Kernels): Record<string, number> {
  const previous = kernels();
  useKernels(k);
  try {
    const out: Record<string, number> = {};
    for (const size of SIZES)
      for (const c of CASES) {
        const [wall, cpu] = measure(c.config, size.n, size.warmup, size.timed);
        out[`${c.key}_f32_${size.label}_mparams_s`] = Math.round(wall * 10) / 10;
        out[`${c.key}_f32_${size.label}_cpu_mparams_s`] = Math.round(cpu * 10) / 10;
      }
    return out;
  } finally {
    useKernels(previous);
  }
}

function arenaHolds(n: number): boolean {
  const { values, grads } = createParamSet([{ name: 'w', shape: [n], role: 'weight' }], 'float32').groups[0];
  return sharedArenaMemory([values, grads]) !== null;
}

const ratio = (a: number | undefined, b: number | string | undefined) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? Math.round((a / b) * 100) / 100 : null);

export function benchOptimizers(): Record<string, Record<string, unknown> | null> {
  const ts = measureAll(tsKernels);
  const load = loadAddon();
  const native = load.ok ? measureAll(nativeKernels(load.addon)) : null;
  const torch = torchBench('optim');
  const ratios: Record<string, number | null> = {};
  for (const c of CASES) {
    const key = `${c.key}_f32_16m_mparams_s`;
    ratios[`${c.key}_f32_16m_native_over_ts`] = ratio(native?.[key], ts[key]);
    ratios[`${c.key}_f32_16m_native_over_torch`] = ratio(native?.[key], torch?.[key]);
  }
  const cpu = load.ok ? load.addon.cpuFeatures() : null;
  const torchNumbers = torch && Object.fromEntries(Object.entries(torch).filter(([k]) => k.endsWith('_mparams_s')));
  return {
    ts,
    ...(native ? { native } : {}),
    torch: torchNumbers,
    ratios,
    info: {
      optim_kernels: native ? 'ts, native' : `ts (native: ${load.ok ? '' : load.reason})`,
      optim_native_elementwise_path: cpu?.activeElementwise ?? null,
      // Whether the benched group lived in a group arena (core/arena.ts), where Adam's WebAssembly step runs in place.
      optim_ts_group_arena: arenaHolds(1 << 20),
      torch: torch ? { version: torch.version, threads: torch.threads } : torchUnavailable(),
    },
  };
}
