// `npm run bench [-- --json] [-- --only kernels,io,...]`: benchmarks, printed as one JSON object.
// Numbers, not tests: compare ratios measured in the same run. Each bench lives in its own module
// and returns sections keyed by implementation ("ts", "native", "torch") or topic ("io", "ratios", "info");
// sections from all benches are merged, so "native" sits beside "ts" with the same keys.
import { loadavg } from 'node:os';
import { benchCsvLoad } from './csv-load.ts';
import { benchKernels } from './kernels.ts';
import { benchModels } from './models.ts';
import { benchOptimizers } from './optim.ts';
import { storeBench } from './store.ts';
import { benchTrain } from './train.ts';

/** A section is null when its implementation is unavailable here (e.g. "torch" without python3-torch). */
type Sections = Record<string, Record<string, unknown> | null>;

const benches: Record<string, () => Sections | Promise<Sections>> = {
  optim: benchOptimizers,
  kernels: benchKernels,
  models: benchModels,
  store: storeBench,
  // The training loop's throughput (ts and native kernels), its logging overhead, and quality on the samples.
  train: benchTrain,
  // A generated CSV loaded in a child process (for its own peak RSS); $PRECOND_BENCH_CSV_MB sets the size.
  io: async () => ({ io: { csv_load: await benchCsvLoad(Number(process.env.PRECOND_BENCH_CSV_MB ?? 50)) } }),
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : null;
for (const name of only ?? []) {
  if (!(name in benches)) throw new Error(`unknown bench '${name}': ${Object.keys(benches).join(', ')}`);
}
const results: Sections = {};
// The machine is shared: its load average (processes wanting a core) before and after tells how
// far the wall-clock numbers of this run are inflated.
const loadBefore = loadavg()[0];
for (const [name, bench] of Object.entries(benches)) {
  if (only && !only.has(name)) continue;
  for (const [section, values] of Object.entries(await bench())) {
    const before = results[section];
    results[section] = values === null ? (before ?? null) : { ...before, ...values };
  }
}
results.info = { ...results.info, load_average_1m: { before: Number(loadBefore.toFixed(2)), after: Number(loadavg()[0].toFixed(2)) } };
process.stdout.write(json ? JSON.stringify(results) + '\n' : JSON.stringify(results, null, 2) + '\n');
