// `npm run bench [-- --json] [-- --only models,...]`: benchmarks, printed as one JSON object.
// Numbers, not tests: compare ratios measured in the same run. Each member registers a bench
// below; a bench returns sections keyed by kernel set ("ts", "native", "torch") that are merged.
import { benchModels } from './models.ts';

type Sections = Record<string, Record<string, unknown>>;

const benches: Record<string, () => Promise<Sections>> = {
  models: benchModels,
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? new Set((args[onlyAt + 1] ?? '').split(',')) : null;
const results: Sections = {};
for (const [name, bench] of Object.entries(benches)) {
  if (only && !only.has(name)) continue;
  for (const [section, values] of Object.entries(await bench())) results[section] = { ...results[section], ...values };
}
process.stdout.write(json ? JSON.stringify(results) + '\n' : JSON.stringify(results, null, 2) + '\n');
