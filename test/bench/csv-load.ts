// Benchmark: load a generated CSV of a given size with loadDataset(), in a child process so its
// peak RSS is the load's own. `node --import tsx test/bench/csv-load.ts [--mb 200]` prints one
// JSON object; run.ts calls benchCsvLoad() for `npm run bench`.
import { spawnSync } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../../src-main/core/rng.ts';

const COLORS = ['red', 'green', 'blue', 'black', 'white'];

/** A CSV of about `mb` MB: 10 numeric columns in mixed notations, a categorical column, a 3-class target. */
export async function writeLargeCsv(path: string, mb: number, seed = 1): Promise<{ bytes: number; rows: number }> {
  const rng = new Rng(seed);
  const out = createWriteStream(path);
  const target = mb * 1024 * 1024;
  let bytes = 0, rows = 0;
  const header = [...Array.from({ length: 10 }, (_, i) => `x${i}`), 'color', 'label'].join(',') + '\n';
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
      f.push(COLORS[rng.int(0, COLORS.length - 1)]);
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
  rows: number;
  features: number;
  seconds: number;
  mbPerSecond: number;
  peakRssMb: number;
  rssBeforeMb: number;
}

async function child(path: string): Promise<void> {
  const { loadDataset } = await import('../../src-main/io/load.ts');
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const { summary } = await loadDataset(path, { target: 'label' });
  const seconds = (performance.now() - t0) / 1000;
  const peak = process.resourceUsage().maxRSS * 1024; // maxRSS is in KiB
  process.stdout.write(JSON.stringify({ rows: summary.rowsUsed, features: summary.featureCount, seconds, peak, rssBefore }) + '\n');
}

export async function benchCsvLoad(mb: number): Promise<CsvLoadBench> {
  const dir = mkdtempSync(join(tmpdir(), 'precond-csv-bench-'));
  try {
    const path = join(dir, `large-${mb}mb.csv`);
    const { bytes } = await writeLargeCsv(path, mb);
    const self = fileURLToPath(import.meta.url);
    const r = spawnSync(process.execPath, ['--import', 'tsx', self, '--child', path], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`csv-load child failed: ${r.stderr}`);
    const m = JSON.parse(r.stdout.trim().split('\n').pop()!) as { rows: number; features: number; seconds: number; peak: number; rssBefore: number };
    const MB = 1024 * 1024;
    return {
      mb: Math.round((bytes / MB) * 10) / 10,
      rows: m.rows,
      features: m.features,
      seconds: Math.round(m.seconds * 100) / 100,
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
    process.stdout.write(JSON.stringify(await benchCsvLoad(mb)) + '\n');
  }
}
