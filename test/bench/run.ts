// `npm run bench [-- --json]`: benchmarks, printed as one JSON object. Numbers, not tests:
// compare ratios measured in the same run. Members are added as the product grows.
import { benchCsvLoad } from './csv-load.ts';

const results: Record<string, unknown> = {};
const json = process.argv.includes('--json');

// CSV loading (generated file, loaded in a child process for its own peak RSS); $PRECOND_BENCH_CSV_MB sets the size.
results.io = { csv_load: await benchCsvLoad(Number(process.env.PRECOND_BENCH_CSV_MB ?? 50)) };

process.stdout.write(json ? JSON.stringify(results) + '\n' : JSON.stringify(results, null, 2) + '\n');
