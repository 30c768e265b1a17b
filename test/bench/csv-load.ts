// Benchmark: load a generated CSV of a given size with loadDataset(), in a child process so its
// peak RSS is the load's own. `node --import tsx test/bench/csv-load.ts [--mb 200] [--kind quoted]`
// prints one JSON object; run.ts calls benchCsvLoad() for `npm run bench` ($PRECOND_BENCH_CSV_MB,
// $PRECOND_BENCH_CSV_KIND).
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src-main/core/rng.ts';

const COLORS = ['red', 'green', 'blue', 'black', 'white'];

/**
 * What the generated file holds besides its 10 numeric columns and 3-class target:
 * - numeric: a plain categorical column (no quotes anywhere: papaparse's fast path);
 * - quoted: the categorical column quoted, one level with a comma inside (papaparse's quote-aware path);
 * - growing: a categorical column of 900 long product names that keep appearing through the file
 *   (values that must not keep the text they were cut from alive).
 */
export type CsvKind = 'numeric' | 'quoted' | 'growing';
export const CSV_KINDS: readonly CsvKind[] = ['numeric', 'quoted', 'growing'];

function categorical(kind: CsvKind, rng: Rng, row: number): string {
  if (kind === 'growing') {
    const newest = Math.min(899, Math.floor(row / 2000));
    const product = rng.uniform() < 0.5 ? newest : rng.int(0, newest);
    return `product-number-${String(product).padStart(4, '0')}`;
  }
  const color = COLORS[rng.int(0, COLORS.length - 1)];
  if (kind === 'numeric') return color;
  return color === 'black' ? '"black, matte"' : `"${color}"`;
}

/** A CSV of about `mb` MB: 10 numeric columns in mixed notations, a categorical column (see CsvKind), a 3-class target. */
export async function writeLargeCsv(path: string, mb: number, seed = 1, kind: CsvKind = 'numeric'): Promise<{ bytes: number; rows: number }> {
  const rng = new Rng(seed);
  const out = createWriteStream(path);
  const target = mb * 1024 * 1024;
  let bytes = 0, rows = 0;
  const header = [...Array.from({ length: 10 }, (_, i) => `x${i}`), kind === 'growing' ? 'product' : 'color', 'label'].join(',') + '\n';
  out.write(header);
  bytes += header.length;
  while (bytes < target) {
    const lines: string[] = [];
    for (let k = 0; k < 1000; k++) {
      const f: string[] = [];
      for (let i = 0; i < 10; i++) {
        const v = rng.normal() * (i + 1);
        f.push(i === 3 ? v.toExponential(3) : i === 7 ? String(Math.round(v)) : v.toFixed(5));
      }
      f.push(categorical(kind, rng, rows + k));
      f.push(String(rng.int(0, 2)));
      lines.push(f.join(','));
    }
    const chunk = lines.join('\n') + '\n';
    bytes += chunk.length;
    rows += lines.length;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return { bytes: statSync(path).size, rows };
}

export interface CsvLoadBench {
  mb: number;
  kind: CsvKind;
  rows: number;
  features: number;
  seconds: number;
  /** Until the last byte is read and the raw table built (the rest prepares the dataset: schema, split, standardization). */
  readSeconds: number;
  /** CPU time (user + system) of the load: less disturbed than wall time by other work on a shared machine. */
  cpuSeconds: number;
  mbPerSecond: number;
  peakRssMb: number;
  rssBeforeMb: number;
}

async function child(path: string): Promise<void> {
  const { loadDataset } = await import('../../src-main/io/load.ts');
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let readSeconds = NaN;
  const onProgress = (p: { phase: string }) => {
    if (p.phase === 'preparing') readSeconds = (performance.now() - t0) / 1000;
  };
  const { summary } = await loadDataset(path, { target: 'label', onProgress });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const peak = process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB
  process.stdout.write(JSON.stringify({ rows: summary.rowsUsed, features: summary.featureCount, seconds, readSeconds, cpuSeconds, peak, rssBefore }) + '\n');
}

export async function benchCsvLoad(mb: number, kind = (process.env.PRECOND_BENCH_CSV_KIND ?? 'numeric') as CsvKind): Promise<CsvLoadBench> {
  if (!CSV_KINDS.includes(kind)) throw new Error(`unknown CSV kind '${kind}': ${CSV_KINDS.join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'precond-csv-bench-'));
  try {
    const path = join(dir, `large-${mb}mb-${kind}.csv`);
    const { bytes } = await writeLargeCsv(path, mb, 1, kind);
    const self = fileURLToPath(import.meta.url);
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', path], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`csv-load child failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rows: number; features: number; seconds: number; readSeconds: number; cpuSeconds: number; peak: number; rssBefore: number };
    const MB = 1024 * 1024;
    return {
      mb: Math.round((bytes / MB) * 10) / 10,
      kind,
      rows: m.rows,
      features: m.features,
      seconds: Math.round(m.seconds * 100) / 100,
      readSeconds: Math.round(m.readSeconds * 100) / 100,
      cpuSeconds: Math.round(m.cpuSeconds * 100) / 100,
      mbPerSecond: Math.round((bytes / MB / m.seconds) * 10) / 10,
      peakRssMb: Math.round(m.peak / MB),
      rssBeforeMb: Math.round(m.rssBefore / MB),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const i = process.argv.indexOf('--child');
  if (i >= 0) await child(process.argv[i + 1]);
  else {
    const j = process.argv.indexOf('--mb');
    const mb = j >= 0 ? Number(process.argv[j + 1]) : 200;
    const k = process.argv.indexOf('--kind');
    process.stdout.write(JSON.stringify(await benchCsvLoad(mb, k >= 0 ? (process.argv[k + 1] as CsvKind) : undefined)) + '\n');
  }
}
