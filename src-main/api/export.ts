// A run's full-resolution export, the one format for every door: `precond runs export`, the
// dashboard's export button (Electron's save dialog, browser mode's download).
//   CSV:  step,epoch,wall_time,<one column per metric key>, one row per step, empty where a key
//         has no point at that step; NaN and ±Infinity as NaN, Infinity, -Infinity.
//   JSON: { run, series: [{ key, count, step[], epoch[], wallTime[], value[] }] }, NaN and
//         ±Infinity as the strings "NaN", "Infinity", "-Infinity".
import type { RunDetail, RunStore } from '../store/index.ts';
import { asciiSlug } from './files.ts';

/** JSON where NaN and ±Infinity survive, as the strings "NaN", "Infinity", "-Infinity". */
export function toJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), indent);
}

/** One CSV field (RFC 4180 quoting only where needed). */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The CSV export in chunks of up to `rowsPerChunk` rows (the header is the first chunk); `rows` counts data rows. */
export function* runCsvChunks(store: RunStore, id: number, rowsPerChunk = 2000): Generator<string, number> {
  const { keys, rows } = store.exportTable(id);
  yield ['step', 'epoch', 'wall_time', ...keys].map(csvField).join(',') + '\n';
  let chunk: string[] = [];
  let count = 0;
  for (const row of rows()) {
    chunk.push([row.step, row.epoch, row.wallTime, ...row.values].map((v) => (v === undefined ? '' : String(v))).join(','));
    count++;
    if (chunk.length === rowsPerChunk) {
      yield chunk.join('\n') + '\n';
      chunk = [];
    }
  }
  if (chunk.length) yield chunk.join('\n') + '\n';
  return count;
}

/** The JSON export as one line of text, and how many points it holds. */
export function runJson(store: RunStore, id: number): { text: string; points: number } {
  const run = store.getRun(id);
  const series = store.exportSeries(id).map(({ key, count, step, epoch, wallTime, value }) => ({ key, count, step, epoch, wallTime, value }));
  return { text: toJson({ run, series }) + '\n', points: series.reduce((n, s) => n + s.count, 0) };
}

/** `run-12-adam-iris.csv`: the id, then the name reduced to safe file-name characters. */
export function exportFilename(run: Pick<RunDetail, 'id' | 'name'>, format: 'csv' | 'json'): string {
  const slug = asciiSlug(run.name)
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 60)
    .toLowerCase();
  return `run-${run.id}${slug ? `-${slug}` : ''}.${format}`;
}

export const EXPORT_MIME = { csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' } as const;
