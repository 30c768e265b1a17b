// `npm run bench [-- --json] [-- --only store,...]`: benchmarks, printed as one JSON object.
// Numbers, not tests: compare ratios measured in the same run. Each member returns its numbers
// grouped (e.g. { ts: {...} } for the TypeScript implementations); add yours to MEMBERS.
import { storeBench } from './store.ts';

type Bench = () => Record<string, Record<string, number>> | Promise<Record<string, Record<string, number>>>;

const MEMBERS: Record<string, Bench> = {
  store: storeBench,
};

const args = process.argv.slice(2);
const json = args.includes('--json');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1]?.split(',') : undefined;
for (const name of only ?? []) {
  if (!(name in MEMBERS)) throw new Error(`unknown bench member '${name}': ${Object.keys(MEMBERS).join(', ')}`);
}

const results: Record<string, Record<string, number>> = {};
for (const [name, bench] of Object.entries(MEMBERS)) {
  if (only && !only.includes(name)) continue;
  for (const [group, numbers] of Object.entries(await bench())) Object.assign((results[group] ??= {}), numbers);
}
process.stdout.write(json ? JSON.stringify(results) + '\n' : JSON.stringify(results, null, 2) + '\n');
