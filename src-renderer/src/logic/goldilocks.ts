// The Goldilocks chart's data: the server's reading of a sweep (sweeps.get's `analysis`, made by
// src-main/core/sweep/analysis.ts — the same best lr `precond sweep` prints) split per optimizer
// for drawing, and the metrics the members logged, for the picker.
import type { SweepAnalysis, SweepDetail } from '../api/protocol.ts';

export type GoldilocksPoint = SweepAnalysis['members'][number];
export type LrMean = SweepAnalysis['means'][number];

export interface GoldilocksSeries {
  optimizer: string;
  points: GoldilocksPoint[];
  /** The means over seeds at each lr, ascending. */
  means: LrMean[];
}

export interface Goldilocks {
  metric: string;
  higherIsBetter: boolean;
  series: GoldilocksSeries[];
  best: LrMean | null;
  diverged: GoldilocksPoint[];
  counts: SweepAnalysis['counts'];
}

export function goldilocks(analysis: SweepAnalysis): Goldilocks {
  const series = new Map<string, GoldilocksSeries>();
  const of = (optimizer: string) => {
    let s = series.get(optimizer);
    if (!s) series.set(optimizer, (s = { optimizer, points: [], means: [] }));
    return s;
  };
  for (const p of analysis.members) of(p.optimizer).points.push(p);
  for (const m of analysis.means) of(m.optimizer).means.push(m);
  for (const s of series.values()) s.means.sort((a, b) => a.lr - b.lr);
  return { metric: analysis.metric, higherIsBetter: analysis.higherIsBetter, series: [...series.values()], best: analysis.best, diverged: analysis.diverged, counts: analysis.counts };
}

/** Loss-like and quality metrics the members logged, for the metric picker. */
export function metricChoices(detail: Pick<SweepDetail, 'runs'>): string[] {
  const keys = new Set<string>();
  for (const r of detail.runs) for (const k of Object.keys(r.summary)) if (/loss|rmse|accuracy|r2/.test(k) && !k.includes('/')) keys.add(k);
  return [...keys].sort();
}
