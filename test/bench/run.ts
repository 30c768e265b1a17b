// `npm run bench [-- --json]`: benchmarks, printed as one JSON object. Numbers, not tests:
// compare ratios measured in the same run. Each suite lives in its own module and adds its
// numbers to one member of the result ("ts" for the TypeScript kernels; "native" later).
import { benchOptimizers } from './optim.ts';

type Suite = { readonly member: string; readonly run: () => Record<string, number> | Promise<Record<string, number>> };

const SUITES: readonly Suite[] = [{ member: 'ts', run: benchOptimizers }];

const results: Record<string, Record<string, number>> = {};
for (const suite of SUITES) results[suite.member] = { ...results[suite.member], ...(await suite.run()) };

const json = process.argv.includes('--json');
process.stdout.write(json ? JSON.stringify(results) + '\n' : JSON.stringify(results, null, 2) + '\n');
