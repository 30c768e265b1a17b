// Store benchmarks: writer throughput, the logging cost of a digits-MLP-like run, and the
// downsampling query of issue 5 (20 runs x 100k steps -> 1000 points per run, target <= 100 ms).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type RunConfig, type RunStore } from '../../src-main/store/index.ts';

const CONFIG: RunConfig = {
  model: { kind: 'mlp', hidden: [32], activation: 'relu' },
  optimizer: { name: 'adam', preset: 'torch', hyperparams: { lr: 0.001, betas: [0.9, 0.999] } },
  schedule: null,
  data: { source: 'digits', target: 'label', task: 'classification', valSplit: 0.2 },
  training: { epochs: 20, batchSize: 32, seed: 1, dtype: 'float64', evalEvery: 45, snapshotEvery: 45 },
};

const log = (s: string) => process.stderr.write(`bench store: ${s}\n`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

function busyWait(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // stands in for the forward/backward pass of one step
  }
}

/**
 * A digits MLP (64 -> 32 -> 10, 1437 training rows, batch 32): 45 steps/epoch x 20 epochs.
 * Per step train_loss, grad_norm, lr; per epoch val_loss, val_accuracy, train_accuracy and an
 * update ratio per tensor; effective-lr snapshots of the 4 tensors every 45 steps. `stepMs` of
 * busy work between steps lets the writer commit on its timer as it would in a real run.
 * Returns the wall time and the CPU time (unaffected by other processes taking the CPU) spent
 * inside store calls.
 */
function digitsRun(store: RunStore, stepMs: number): { storeMs: number; storeCpuMs: number; points: number; snapshots: number } {
  const id = store.createRun({ config: CONFIG });
  store.startRun(id);
  const tensors: [string, number[]][] = [
    ['layers.0.weight', [32, 64]],
    ['layers.0.bias', [32]],
    ['layers.1.weight', [10, 32]],
    ['layers.1.bias', [10]],
  ];
  const snapshotData = tensors.map(([, shape]) => new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1e-3));
  let storeMs = 0;
  let storeCpuMs = 0;
  let points = 0;
  let snapshots = 0;
  const timed = (fn: () => void) => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    fn();
    const used = process.cpuUsage(cpu);
    storeCpuMs += (used.user + used.system) / 1000;
    storeMs += performance.now() - t;
  };
  const t0 = performance.now();
  for (let step = 0; step < 900; step++) {
    busyWait(stepMs);
    const epoch = Math.floor(step / 45);
    const at = { step, epoch, wallTime: (performance.now() - t0) / 1000 };
    timed(() => store.log(id, at, { train_loss: 2 / (step + 1), grad_norm: 1 + Math.sin(step), lr: 0.001 }));
    points += 3;
    if (step % 45 === 44) {
      const perEpoch: Record<string, number> = { val_loss: 1 / (epoch + 1), val_accuracy: 0.9, train_accuracy: 0.92 };
      for (const [name] of tensors) perEpoch[`update_ratio/${name}`] = 1e-3;
      timed(() => store.log(id, at, perEpoch));
      points += 7;
      timed(() => tensors.forEach(([layer, shape], i) => store.logSnapshot(id, { step, layer, kind: 'effective_lr', shape, data: snapshotData[i] })));
      snapshots += tensors.length;
    }
  }
  timed(() => store.endRun(id, 'finished', { final: { val_accuracy: 0.95 } }));
  return { storeMs, storeCpuMs, points, snapshots };
}

export function storeBench(): Record<string, Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'precond-bench-store-'));
  const ts: Record<string, number> = {};
  try {
    // 1. The logging cost of a realistic small run, at an assumed 1 ms of training per step
    //    (one run first to warm the JIT up, then the median of five).
    {
      const store = openStore(join(dir, 'digits.sqlite'));
      digitsRun(store, 1);
      const runs = [1, 2, 3, 4, 5].map(() => digitsRun(store, 1));
      const ms = median(runs.map((r) => r.storeMs));
      const cpuMs = median(runs.map((r) => r.storeCpuMs));
      ts.store_log_digits_run_ms = round(ms, 2);
      ts.store_log_digits_run_cpu_ms = round(cpuMs, 2);
      ts.store_log_digits_run_points = runs[0].points;
      ts.store_log_digits_run_snapshots = runs[0].snapshots;
      ts.store_log_digits_cpu_us_per_step = round((cpuMs / 900) * 1000, 1);
      ts.store_log_digits_cpu_overhead_pct_at_1ms_step = round((cpuMs / 900) * 100, 2);
      store.close();
      log(`digits-like run: ${ts.store_log_digits_run_ms} ms (${ts.store_log_digits_run_cpu_ms} ms CPU) in the store for ${runs[0].points} points + ${runs[0].snapshots} snapshots`);
    }

    // 2. Bulk throughput of the writer: 20 runs x 100k steps of one key (also the data for 3).
    const file = join(dir, 'big.sqlite');
    const store = openStore(file);
    const ids: number[] = [];
    const t0 = performance.now();
    for (let r = 0; r < 20; r++) {
      const id = store.createRun({ config: CONFIG, name: `bulk ${r}` });
      store.startRun(id);
      for (let step = 0; step < 100_000; step++) {
        store.log(id, { step, epoch: Math.floor(step / 45), wallTime: step * 1e-3 }, { train_loss: Math.exp(-step / 3e4) + 0.05 * Math.sin(step * r) });
      }
      store.endRun(id, 'finished');
      ids.push(id);
    }
    const bulkMs = performance.now() - t0;
    ts.store_write_points_per_s = Math.round(2_000_000 / (bulkMs / 1000));
    log(`wrote 2M points in ${round(bulkMs / 1000, 2)} s`);

    // 3. Downsampling: 20 runs x 100k steps -> <= 1000 points each.
    const query = { runIds: ids, keys: ['train_loss'], maxPoints: 1000 };
    const times: number[] = [];
    let points = 0;
    for (let rep = 0; rep < 7; rep++) {
      const t = performance.now();
      const series = store.series(query);
      times.push(performance.now() - t);
      points = series.reduce((n, s) => n + s.step.length, 0);
    }
    ts.store_downsample_20x100k_ms = round(median(times), 2);
    ts.store_downsample_20x100k_first_ms = round(times[0], 2);
    ts.store_downsample_20x100k_points = points;
    log(`downsample 20 x 100k -> ${points} points: median ${ts.store_downsample_20x100k_ms} ms (first ${ts.store_downsample_20x100k_first_ms} ms)`);

    // 4. The slowest shape for the same query: series just short of 8 points per bucket are
    //    bucketed from raw points (3983 each).
    const rawIds: number[] = [];
    for (let r = 0; r < 20; r++) {
      const id = store.createRun({ config: CONFIG, name: `raw ${r}` });
      store.startRun(id);
      for (let step = 0; step < 3983; step++) store.log(id, { step, epoch: 0, wallTime: step }, { train_loss: Math.sin(step + r) });
      store.endRun(id, 'finished');
      rawIds.push(id);
    }
    const rawTimes: number[] = [];
    for (let rep = 0; rep < 7; rep++) {
      const t = performance.now();
      store.series({ runIds: rawIds, keys: ['train_loss'], maxPoints: 1000 });
      rawTimes.push(performance.now() - t);
    }
    ts.store_downsample_20x3983_raw_ms = round(median(rawTimes), 2);

    // 5. The run list sorted by a summary metric, and a full-resolution export of one run.
    const listTimes: number[] = [];
    for (let rep = 0; rep < 7; rep++) {
      const t = performance.now();
      store.listRuns({ sort: { key: 'train_loss' } });
      listTimes.push(performance.now() - t);
    }
    ts.store_list_40_runs_sorted_by_metric_ms = round(median(listTimes), 2);
    const t1 = performance.now();
    let rows = 0;
    for (const _row of store.exportTable(ids[0]).rows()) rows++;
    ts.store_export_table_100k_rows_ms = round(performance.now() - t1, 1);
    if (rows !== 100_000) throw new Error(`export gave ${rows} rows`);
    store.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ts };
}
