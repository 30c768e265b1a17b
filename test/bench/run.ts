// `npm run bench [-- --json]`: benchmarks, printed as one JSON object. Numbers, not tests:
// compare ratios measured in the same run. Members are added as the product grows.
const results: Record<string, unknown> = {};
const json = process.argv.includes('--json');
process.stdout.write(json ? JSON.stringify(results) + '\n' : JSON.stringify(results, null, 2) + '\n');
