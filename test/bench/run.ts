// `npm run bench [-- --json] [-- --only a,b]`: benchmarks, printed as one JSON object with one
// member per area. Numbers, not tests: compare ratios measured in the same run. Each member
// lives in its own module beside this one; add yours to MEMBERS.
import { benchKernels } from './kernels.ts';

const MEMBERS: Record<string, () => unknown> = {
  kernels: benchKernels,
};

const json = process.argv.includes('--json');
const onlyAt = process.argv.indexOf('--only');
const only = onlyAt >= 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : null;
const results: Record<string, unknown> = {};
for (const [name, run] of Object.entries(MEMBERS)) if (!only || only.includes(name)) results[name] = await run();
process.stdout.write(json ? JSON.stringify(results) + '\n' : JSON.stringify(results, null, 2) + '\n');
