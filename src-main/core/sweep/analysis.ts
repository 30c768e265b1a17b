// What a sweep's members say about the learning rate (the "Goldilocks" reading): each member's
// final metric and state, the mean over seeds at each (optimizer, lr), the best lr (the lowest
// mean among finished members; the highest for accuracy and R²) and the members that diverged.
// One function for the API (sweeps.get) and `precond sweep`, so both name the same best lr.

/** finished: has a final value; diverged: blew up (or finished with a NaN/∞ metric); active: still queued/running/paused; ended: stopped, failed, interrupted, or no value. */
export type MemberState = 'finished' | 'diverged' | 'active' | 'ended';

export interface SweepMemberOutcome {
  runId: number;
  optimizer: string;
  lr: number | null;
  seed: number | null;
  status: string;
  divergedStep: number | null;
  /** The run's summary metrics: final values, or the latest while it trains. */
  summary: Record<string, number>;
}

export interface AnalyzedMember {
  runId: number;
  optimizer: string;
  lr: number;
  seed: number | null;
  state: MemberState;
  /** The metric's value when finite, else null. */
  value: number | null;
  divergedStep: number | null;
}

export interface LrMean {
  optimizer: string;
  lr: number;
  /** Mean of the finished members' values at this (optimizer, lr): mean = Σ vᵢ / n. */
  mean: number;
  count: number;
  runIds: number[];
}

export interface SweepAnalysis {
  metric: string;
  higherIsBetter: boolean;
  /** Members with a learning rate, by optimizer (first seen first), then lr, then seed. */
  members: AnalyzedMember[];
  means: LrMean[];
  best: LrMean | null;
  diverged: AnalyzedMember[];
  counts: Record<MemberState, number>;
}

const ACTIVE = new Set(['queued', 'running', 'paused']);

/** Metrics where higher is better (accuracy, R²): the best lr maximizes them. */
export const higherIsBetter = (metric: string): boolean => /accuracy|r2/.test(metric);

/** The metric read by default: the validation loss when any member has one, else the training loss. */
export function defaultSweepMetric(members: readonly Pick<SweepMemberOutcome, 'summary'>[]): string {
  return members.some((m) => Number.isFinite(m.summary.val_loss)) ? 'val_loss' : 'train_loss';
}

function stateOf(status: string, raw: number | undefined): MemberState {
  if (status === 'diverged') return 'diverged';
  if (ACTIVE.has(status)) return 'active';
  if (status === 'finished') return raw === undefined ? 'ended' : Number.isFinite(raw) ? 'finished' : 'diverged';
  return 'ended';
}

export function analyzeSweep(outcomes: readonly SweepMemberOutcome[], metric: string = defaultSweepMetric(outcomes)): SweepAnalysis {
  const order = new Map<string, number>();
  const members: AnalyzedMember[] = [];
  const counts: Record<MemberState, number> = { finished: 0, diverged: 0, active: 0, ended: 0 };
  for (const o of outcomes) {
    if (o.lr === null || !(o.lr > 0)) continue;
    if (!order.has(o.optimizer)) order.set(o.optimizer, order.size);
    const raw = o.summary[metric];
    const state = stateOf(o.status, raw);
    counts[state]++;
    members.push({ runId: o.runId, optimizer: o.optimizer, lr: o.lr, seed: o.seed, state, value: typeof raw === 'number' && Number.isFinite(raw) ? raw : null, divergedStep: o.divergedStep });
  }
  members.sort((a, b) => order.get(a.optimizer)! - order.get(b.optimizer)! || a.lr - b.lr || (a.seed ?? 0) - (b.seed ?? 0));
  const groups = new Map<string, LrMean>();
  for (const m of members) {
    if (m.state !== 'finished') continue;
    const key = `${m.optimizer}\u0000${m.lr}`;
    const g = groups.get(key) ?? { optimizer: m.optimizer, lr: m.lr, mean: 0, count: 0, runIds: [] };
    g.mean += m.value!;
    g.count++;
    g.runIds.push(m.runId);
    groups.set(key, g);
  }
  const means = [...groups.values()].map((g) => ({ ...g, mean: g.mean / g.count }));
  const high = higherIsBetter(metric);
  let best: LrMean | null = null;
  for (const m of means) if (!best || (high ? m.mean > best.mean : m.mean < best.mean)) best = m;
  return { metric, higherIsBetter: high, members, means, best, diverged: members.filter((m) => m.state === 'diverged'), counts };
}
