// Optimizer throughput of the TypeScript kernels, through the facade (Optimizer.step on one
// float32 group): millions of parameters per second, median of several timed steps after warm-up.
// `<case>_cpu_mparams_s`: the same steps per second of this process's CPU time (other processes
// on a shared machine inflate wall time much more than CPU time).
import { useKernels, kernels } from '../../src-main/core/kernels/index.ts';
import { tsKernels } from '../../src-main/core/kernels/ts.ts';
import { Optimizer } from '../../src-main/core/optim/index.ts';
import { createParamSet } from '../../src-main/core/tensor.ts';

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

/** `{ adam_f32_1m_mparams_s, adam_f32_16m_mparams_s, sgd_momentum_f32_1m_mparams_s, ... }`. */
export function benchOptimizers(): Record<string, number> {
  const previous = kernels();
  useKernels(tsKernels);
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
