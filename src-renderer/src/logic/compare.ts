// The Compare view's logic: its URL (/compare?runs=1,2,3&group=<config path>), the
// hyperparameters that differ between runs, grouping runs by one of them, and a group's mean
// with its min–max band across the group's runs (e.g. seeds), aligned by step.
import type { RunConfig } from '../api/protocol.ts';
import { formatParam } from './format.ts';

/** Most runs one comparison loads (the series API's own limit is 1000). */
export const MAX_COMPARE_RUNS = 100;

export interface CompareQuery {
  runIds: number[];
  /** A config path such as `optimizer.hyperparams.lr`, or null for no grouping. */
  group: string | null;
}

const CONFIG_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Reads the route's query; a bad one is an error message naming the parameter and what it takes. */
export function parseCompareQuery(query: Record<string, unknown>): { ok: true; value: CompareQuery } | { ok: false; message: string } {
  const raw = Array.isArray(query.runs) ? query.runs.join(',') : query.runs;
  if (typeof raw !== 'string' || raw.trim() === '') return { ok: false, message: 'no runs to compare: select runs in the Runs table, or open /compare?runs=1,2,3' };
  const parts = raw.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = parts.find((p) => !/^[1-9]\d*$/.test(p));
  if (bad !== undefined) return { ok: false, message: `runs=${raw}: “${bad}” is not a run id (runs takes ids separated by commas, e.g. runs=1,2,3)` };
  const runIds = [...new Set(parts.map(Number))];
  if (runIds.length > MAX_COMPARE_RUNS) return { ok: false, message: `runs=…: ${runIds.length} runs, at most ${MAX_COMPARE_RUNS} can be compared at once` };
  const g = query.group;
  const group = typeof g === 'string' && g.trim() ? g.trim() : null;
  if (group !== null && !CONFIG_PATH.test(group)) return { ok: false, message: `group=${group}: not a config path like optimizer.hyperparams.lr` };
  return { ok: true, value: { runIds, group } };
}

/** The run config's leaves by dotted path (`optimizer.hyperparams.lr`); arrays are one leaf. The preprocessing record is left out. */
export function flattenConfig(config: RunConfig): Map<string, unknown> {
  const out = new Map<string, unknown>();
  const walk = (v: unknown, path: string) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      for (const [k, child] of Object.entries(v)) walk(child, path ? `${path}.${k}` : k);
    } else out.set(path, v);
  };
  for (const [k, v] of Object.entries(config)) if (k !== 'preprocessing') walk(v, k);
  return out;
}

/** A value as comparable text: arrays and objects by their JSON, missing as "—". */
export function valueKey(v: unknown): string {
  if (v === undefined) return '—';
  return typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v);
}

export interface Difference {
  path: string;
  /** One per run, in the runs' order (undefined where that run has no such setting). */
  values: unknown[];
}

/** The config paths whose values are not the same in every run, in a stable, readable order. */
export function configDifferences(configs: readonly RunConfig[]): Difference[] {
  const flat = configs.map(flattenConfig);
  const paths = [...new Set(flat.flatMap((f) => [...f.keys()]))];
  const out: Difference[] = [];
  for (const path of paths) {
    const values = flat.map((f) => f.get(path));
    const first = valueKey(values[0]);
    if (values.some((v) => valueKey(v) !== first)) out.push({ path, values });
  }
  return out;
}

/** A config path's value in a run's config (undefined when absent). */
export function configValue(config: RunConfig, path: string): unknown {
  return flattenConfig(config).get(path);
}

export interface RunGroup {
  /** The grouping value, as text (the legend label). */
  label: string;
  runIds: number[];
}

/** Runs grouped by the value at `path`, groups in order of first appearance (numbers ascending). */
export function groupRuns(runs: readonly { id: number; config: RunConfig }[], path: string): RunGroup[] {
  const groups = new Map<string, { value: unknown; runIds: number[] }>();
  for (const r of runs) {
    const v = configValue(r.config, path);
    const key = valueKey(v);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { value: v, runIds: [] }));
    g.runIds.push(r.id);
  }
  const list = [...groups.values()];
  if (list.every((g) => typeof g.value === 'number')) list.sort((a, b) => (a.value as number) - (b.value as number));
  return list.map((g) => ({ label: `${path.split('.').pop()}=${formatParam(g.value)}`, runIds: g.runIds }));
}

export interface AlignedSeries {
  step: ArrayLike<number>;
  /** The x to draw at each point (step, epoch or wall time). */
  x: ArrayLike<number>;
  value: ArrayLike<number>;
}

export interface GroupStats {
  step: Float64Array;
  /** Mean x of the runs at that step. */
  x: Float64Array;
  mean: Float64Array;
  min: Float64Array;
  max: Float64Array;
  /** How many runs had a finite value at that step. */
  count: Int32Array;
}

/**
 * Mean and min–max across runs at each step any run logged: mean = Σ yᵢ / n over the runs with a
 * finite value there (NaN where none has). Steps are merged in increasing order.
 */
export function groupStats(series: readonly AlignedSeries[]): GroupStats {
  const stepSet = new Set<number>();
  for (const s of series) for (let i = 0; i < s.step.length; i++) stepSet.add(s.step[i]);
  const steps = Float64Array.from(stepSet).sort();
  const n = steps.length;
  const index = new Map<number, number>();
  steps.forEach((s, i) => index.set(s, i));
  const sum = new Float64Array(n);
  const xSum = new Float64Array(n);
  const xCount = new Int32Array(n);
  const min = new Float64Array(n).fill(Infinity);
  const max = new Float64Array(n).fill(-Infinity);
  const count = new Int32Array(n);
  for (const s of series) {
    for (let i = 0; i < s.step.length; i++) {
      const k = index.get(s.step[i])!;
      const x = s.x[i];
      if (Number.isFinite(x)) {
        xSum[k] += x;
        xCount[k]++;
      }
      const y = s.value[i];
      if (!Number.isFinite(y)) continue;
      sum[k] += y;
      count[k]++;
      if (y < min[k]) min[k] = y;
      if (y > max[k]) max[k] = y;
    }
  }
  const mean = new Float64Array(n);
  const xMean = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    mean[k] = count[k] ? sum[k] / count[k] : NaN;
    if (!count[k]) min[k] = max[k] = NaN;
    xMean[k] = xCount[k] ? xSum[k] / xCount[k] : NaN;
  }
  return { step: steps, x: xMean, mean, min, max, count };
}

/** The metric keys worth a final-metric column, in this order, then any other non-per-tensor key. */
const FINAL_ORDER = ['train_loss', 'val_loss', 'val_accuracy', 'val_r2', 'val_rmse', 'grad_norm', 'lr'];
export function finalMetricKeys(summaries: readonly Record<string, number>[]): string[] {
  const keys = new Set<string>();
  for (const s of summaries) for (const k of Object.keys(s)) if (!k.includes('/')) keys.add(k);
  const known = FINAL_ORDER.filter((k) => keys.has(k));
  return [...known, ...[...keys].filter((k) => !FINAL_ORDER.includes(k)).sort()];
}
