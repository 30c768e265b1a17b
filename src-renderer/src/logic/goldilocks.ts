// The learning-rate "Goldilocks" view of a sweep: each member's final loss against its learning
// rate, per optimizer, the mean over seeds at each lr, the best lr (lowest mean among members that
// finished), and the members that diverged (too hot: no usable final loss). Pure data, no chart.
import type { RunSummary, SweepDetail } from '../api/protocol.ts';

type RunStatus = RunSummary['status'];

export type PointState = 'finished' | 'diverged' | 'active' | 'ended';

export interface GoldilocksPoint {
  runId: number;
  optimizer: string;
  lr: number;
  seed: number | null;
  status: RunStatus;
  state: PointState;
  /** The metric's final value (its latest while the run is active); null when it has none or it is not finite. */
  value: number | null;
  divergedStep: number | null;
}

export interface GoldilocksSeries {
  optimizer: string;
  points: GoldilocksPoint[];
  /** Per learning rate (ascending): the mean over the finished members' values (seeds), and how many. */
  means: { lr: number; mean: number; count: number }[];
}

export interface GoldilocksBest {
  optimizer: string;
  lr: number;
  /** Mean of the metric over the finished members at that lr. */
  value: number;
  runIds: number[];
}

export interface Goldilocks {
  metric: string;
  series: GoldilocksSeries[];
  best: GoldilocksBest | null;
  diverged: GoldilocksPoint[];
  /** Members without a learning rate (should not happen in an lr sweep); left out of the chart. */
  skipped: number;
  counts: { finished: number; diverged: number; active: number; ended: number };
}

const ACTIVE: readonly RunStatus[] = ['queued', 'running', 'paused'];

/** The metric to plot by default: the validation loss when members have one, else the training loss. */
export function defaultMetric(detail: Pick<SweepDetail, 'runs'>): string {
  return detail.runs.some((r) => Number.isFinite(r.summary.val_loss)) ? 'val_loss' : 'train_loss';
}

/** Loss-like metrics the members logged, for the metric picker. */
export function metricChoices(detail: Pick<SweepDetail, 'runs'>): string[] {
  const keys = new Set<string>();
  for (const r of detail.runs) for (const k of Object.keys(r.summary)) if (/loss|rmse|accuracy|r2/.test(k) && !k.includes('/')) keys.add(k);
  return [...keys].sort();
}

/** A finished run whose metric is NaN or infinite blew up as surely as one the loop marked diverged. */
function stateOf(status: RunStatus, raw: number | undefined): PointState {
  if (status === 'diverged') return 'diverged';
  if (ACTIVE.includes(status)) return 'active';
  if (status === 'finished') return raw === undefined ? 'ended' : Number.isFinite(raw) ? 'finished' : 'diverged';
  return 'ended';
}

/** Metrics where higher is better (accuracy, R²): the best lr maximizes them. */
export const higherIsBetter = (metric: string): boolean => /accuracy|r2/.test(metric);

export function goldilocks(detail: Pick<SweepDetail, 'runs' | 'members'>, metric: string): Goldilocks {
  const lrOf = new Map(detail.members.map((m) => [m.runId, m]));
  const byOptimizer = new Map<string, GoldilocksPoint[]>();
  let skipped = 0;
  const counts = { finished: 0, diverged: 0, active: 0, ended: 0 };
  for (const run of detail.runs) {
    const member = lrOf.get(run.id);
    const lr = member?.lr ?? (typeof run.hyperparams.lr === 'number' ? run.hyperparams.lr : null);
    if (lr === null || !(lr > 0)) {
      skipped++;
      continue;
    }
    const raw = run.summary[metric];
    const value = typeof raw === 'number' && Number.isFinite(raw) ? raw : null;
    const state = stateOf(run.status, raw);
    counts[state]++;
    const point: GoldilocksPoint = { runId: run.id, optimizer: run.optimizer, lr, seed: member?.seed ?? null, status: run.status, state, value, divergedStep: run.divergedStep };
    const list = byOptimizer.get(run.optimizer) ?? [];
    list.push(point);
    byOptimizer.set(run.optimizer, list);
  }
  const better = higherIsBetter(metric) ? (a: number, b: number) => a > b : (a: number, b: number) => a < b;
  const series: GoldilocksSeries[] = [];
  let best: GoldilocksBest | null = null;
  for (const [optimizer, points] of byOptimizer) {
    points.sort((a, b) => a.lr - b.lr || (a.seed ?? 0) - (b.seed ?? 0));
    const groups = new Map<number, GoldilocksPoint[]>();
    for (const p of points) if (p.state === 'finished') groups.set(p.lr, [...(groups.get(p.lr) ?? []), p]);
    const means = [...groups].map(([lr, ps]) => ({ lr, mean: ps.reduce((s, p) => s + p.value!, 0) / ps.length, count: ps.length, runIds: ps.map((p) => p.runId) }));
    means.sort((a, b) => a.lr - b.lr);
    for (const m of means) if (!best || better(m.mean, best.value)) best = { optimizer, lr: m.lr, value: m.mean, runIds: m.runIds };
    series.push({ optimizer, points, means: means.map(({ lr, mean, count }) => ({ lr, mean, count })) });
  }
  const diverged = series.flatMap((s) => s.points.filter((p) => p.state === 'diverged'));
  return { metric, series, best, diverged, skipped, counts };
}
