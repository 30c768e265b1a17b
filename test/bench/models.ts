// Model forward+backward throughput (lossAndGrad, no optimizer step), in samples per second:
// the digits shape (64 features → MLP 64 relu → 10 classes, batch 32) and a larger MLP
// (256-256, batch 128), float32 and float64. Each case runs in a fresh child process, as a
// training run does in its worker, so one dtype's JIT feedback never slows another case (or
// another member's bench in the parent process). Median of 5 timed rounds after a warm-up. The
// same cases with the native kernels go under "native" (absent when the addon is not built).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { useKernels } from '../../src-main/core/kernels/index.ts';
import { tsKernels } from '../../src-main/core/kernels/ts.ts';
import { createModel, type Batch } from '../../src-main/core/models/index.ts';
import { Rng } from '../../src-main/core/rng.ts';
import type { Dtype } from '../../src-main/core/tensor.ts';
import { loadAddon, nativeKernels } from '../../src-main/runner/native-kernels.ts';

type KernelSet = 'ts' | 'native';

interface Case {
  readonly key: string;
  readonly inputs: number;
  readonly hidden: number[];
  readonly classes: number;
  readonly batch: number;
  readonly rows: number;
  readonly dtype: Dtype;
}

const CASES: Case[] = (['float32', 'float64'] as const).flatMap((dtype) => {
  const tag = dtype === 'float32' ? 'f32' : 'f64';
  return [
    { key: `models_digits_mlp64_b32_${tag}_fwd_bwd_samples_s`, inputs: 64, hidden: [64], classes: 10, batch: 32, rows: 1437, dtype },
    { key: `models_mlp256x256_b128_${tag}_fwd_bwd_samples_s`, inputs: 64, hidden: [256, 256], classes: 10, batch: 128, rows: 4096, dtype },
  ];
});

/** Samples per second of lossAndGrad on random digits-like data (standard normal features). */
function measure(c: Case, set: KernelSet): number {
  const load = loadAddon();
  if (set === 'native' && !load.ok) throw new Error(`native kernels unavailable: ${load.reason}`);
  useKernels(set === 'native' && load.ok ? nativeKernels(load.addon) : tsKernels);
  const model = createModel({ kind: 'mlp', hidden: c.hidden, activation: 'relu' }, c.inputs, { kind: 'classification', classes: c.classes });
  const params = model.createParams(c.dtype, (s) => (s.role === 'bias' ? 1 : 0));
  const rng = new Rng(0);
  model.init(params, rng);
  const x = Float64Array.from({ length: c.rows * c.inputs }, () => rng.normal());
  const y = Float64Array.from({ length: c.rows }, () => rng.int(0, c.classes - 1));
  const rows = rng.shuffle(Int32Array.from({ length: c.rows }, (_, i) => i));
  const ws = model.createWorkspace(c.dtype, c.batch);
  const batch: Batch = { x, y, n: c.batch, rows, start: 0 };
  const step = () => {
    batch.start = batch.start! + c.batch > c.rows - c.batch ? 0 : batch.start! + c.batch;
    model.lossAndGrad(params, batch, ws);
  };
  const timed = (ms: number) => {
    let steps = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < ms) {
      for (let i = 0; i < 20; i++) step();
      steps += 20;
      t = performance.now();
    }
    return (steps * c.batch) / ((t - t0) / 1000);
  };
  timed(1000);
  const rounds = Array.from({ length: 5 }, () => timed(400)).sort((a, b) => a - b);
  return Math.round(rounds[2]);
}

/** `{ ts: { <key>: samples/s, … }, native: { same keys } }`, each case measured in its own child process. */
export async function benchModels(): Promise<Record<string, Record<string, number>>> {
  const self = fileURLToPath(import.meta.url);
  const out: Record<string, Record<string, number>> = {};
  for (const set of loadAddon().ok ? (['ts', 'native'] as const) : (['ts'] as const)) {
    const numbers: Record<string, number> = {};
    for (const c of CASES) {
      const child = spawnSync(process.execPath, [...process.execArgv, self, '--case', c.key, '--kernels', set], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`models bench case ${c.key} (${set}) failed:\n${child.stderr}`);
      numbers[c.key] = JSON.parse(child.stdout.trim()) as number;
    }
    out[set] = numbers;
  }
  return out;
}

// Child mode: `node --import tsx test/bench/models.ts --case <key> --kernels ts|native` prints one number.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const key = process.argv[process.argv.indexOf('--case') + 1];
  const c = CASES.find((k) => k.key === key);
  if (!c) throw new Error(`unknown models bench case ${key}; known: ${CASES.map((k) => k.key).join(', ')}`);
  const set = process.argv[process.argv.indexOf('--kernels') + 1];
  if (set !== 'ts' && set !== 'native') throw new Error(`--kernels must be ts or native; got ${set}`);
  process.stdout.write(JSON.stringify(measure(c, set)) + '\n');
}
