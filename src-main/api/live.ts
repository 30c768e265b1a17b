// The live feed: the runner's events as a display-rate stream for the UI's connections.
//
// The runner reports every point and every snapshot (and the store keeps them all); a page only
// has to see a run move a few times a second. Forwarding everything cost the training it shows:
// a digits MLP logs ~4,000 points and ~85 snapshot sets (≈ 40 KB each) a second per run, which the
// server encoded as JSON and the page decoded, validated and indexed. So per run, at most one batch
// per `intervalMs`, built once and shared by every connection:
//   metrics   every point since the last batch; a key with more than `pointsPerKey` of them is
//             decimated in chunks of consecutive points, each giving its first, minimum, maximum and
//             last point (so the key's first and last point and every chunk's extremes are kept),
//             and every non-finite value (a divergence) is kept too;
//   snapshot  the newest step's snapshots (every layer and kind of that step), at most one step per
//             `snapshotIntervalMs`; older steps of the interval are left to the store;
//   progress  the latest.
// A status event goes out at once, after everything the run has pending (the last points and the
// last snapshot come before "finished"). Events no connection asked for are dropped on arrival.
import type { LivePoint, RunEvent } from '../runner/types.ts';
import { ACTIVE_STATUSES } from '../store/types.ts';

export interface LiveFeedOptions {
  /** At most one batch per run this often (default 100 ms: ≤ 10 a second); 0: every event at once, as it came. */
  intervalMs?: number;
  /** At most one snapshot step per run this often (default 500 ms). */
  snapshotIntervalMs?: number;
  /** Points per metric key in one batch before it is decimated (default 32). */
  pointsPerKey?: number;
}

export const LIVE_FEED_DEFAULTS: Required<LiveFeedOptions> = { intervalMs: 100, snapshotIntervalMs: 500, pointsPerKey: 32 };

type SnapshotEvent = Extract<RunEvent, { type: 'snapshot' }>;
type ProgressEvent = Extract<RunEvent, { type: 'progress' }>;

interface PendingRun {
  points: Map<string, LivePoint[]>;
  snapshots: SnapshotEvent[];
  progress: ProgressEvent | null;
  timer: ReturnType<typeof setTimeout> | null;
  lastEmit: number;
  lastSnapshotEmit: number;
}

const ACTIVE = new Set<string>(ACTIVE_STATUSES);

/**
 * At most `budget` points of one key's consecutive points (in step order): all of them when they
 * fit; else per chunk of ⌈n / ⌊budget/4⌋⌉ points its first, minimum, maximum and last point, in
 * order, plus every non-finite point. The first and the last point are always kept.
 */
export function decimatePoints(points: LivePoint[], budget: number): LivePoint[] {
  const n = points.length;
  if (n <= budget) return points;
  const chunks = Math.max(1, Math.floor(budget / 4));
  const size = Math.ceil(n / chunks);
  const keep = new Uint8Array(n);
  for (let start = 0; start < n; start += size) {
    const end = Math.min(n, start + size);
    let lo = -1;
    let hi = -1;
    for (let i = start; i < end; i++) {
      const v = points[i].value;
      if (!Number.isFinite(v)) {
        keep[i] = 1;
        continue;
      }
      if (lo < 0 || v < points[lo].value) lo = i;
      if (hi < 0 || v > points[hi].value) hi = i;
    }
    keep[start] = 1;
    keep[end - 1] = 1;
    if (lo >= 0) keep[lo] = 1;
    if (hi >= 0) keep[hi] = 1;
  }
  const out: LivePoint[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) out.push(points[i]);
  return out;
}

export class LiveFeed {
  private readonly opts: Required<LiveFeedOptions>;
  private readonly runs = new Map<number, PendingRun>();

  /**
   * `emit` gets the feed's events; `wanted(event)` says whether any connection would receive it
   * (an event nobody asked for is not kept).
   */
  constructor(
    private readonly emit: (event: RunEvent) => void,
    private readonly wanted: (event: RunEvent) => boolean,
    options: LiveFeedOptions = {},
  ) {
    this.opts = { ...LIVE_FEED_DEFAULTS, ...options };
  }

  push(event: RunEvent): void {
    if (this.opts.intervalMs <= 0) {
      if (this.wanted(event)) this.emit(event);
      return;
    }
    if (event.type === 'status') {
      const run = this.runs.get(event.runId);
      if (run) this.flush(event.runId, run, true);
      if (!ACTIVE.has(event.status)) this.drop(event.runId);
      if (this.wanted(event)) this.emit(event);
      return;
    }
    if (!this.wanted(event)) return;
    const run = this.pending(event.runId);
    if (event.type === 'metrics') {
      for (const p of event.points) {
        let list = run.points.get(p.key);
        if (!list) run.points.set(p.key, (list = []));
        list.push(p);
      }
    } else if (event.type === 'snapshot') {
      // A newer step replaces what is pending (the set of one step arrives together).
      if (run.snapshots.length > 0 && run.snapshots[0].step !== event.step) run.snapshots = [];
      run.snapshots.push(event);
    } else run.progress = event;
    this.schedule(event.runId, run);
  }

  /** Forgets every pending batch (the backend is closing). */
  close(): void {
    for (const id of [...this.runs.keys()]) this.drop(id);
  }

  private pending(runId: number): PendingRun {
    let run = this.runs.get(runId);
    if (!run) {
      run = { points: new Map(), snapshots: [], progress: null, timer: null, lastEmit: -Infinity, lastSnapshotEmit: -Infinity };
      this.runs.set(runId, run);
    }
    return run;
  }

  private drop(runId: number): void {
    const run = this.runs.get(runId);
    if (run?.timer) clearTimeout(run.timer);
    this.runs.delete(runId);
  }

  private schedule(runId: number, run: PendingRun): void {
    if (run.timer) return;
    const onlySnapshots = run.points.size === 0 && !run.progress;
    const due = Math.max(run.lastEmit + this.opts.intervalMs, onlySnapshots ? run.lastSnapshotEmit + this.opts.snapshotIntervalMs : -Infinity);
    run.timer = setTimeout(() => {
      run.timer = null;
      this.flush(runId, run, false);
      if (run.snapshots.length > 0) this.schedule(runId, run);
    }, Math.max(0, due - performance.now()));
  }

  /** One batch of the run's pending events: metrics, the snapshot step (when due, or `final`), progress. */
  private flush(runId: number, run: PendingRun, final: boolean): void {
    if (run.timer && final) {
      clearTimeout(run.timer);
      run.timer = null;
    }
    const now = performance.now();
    if (run.points.size > 0) {
      const points: LivePoint[] = [];
      for (const list of run.points.values()) for (const p of decimatePoints(list, this.opts.pointsPerKey)) points.push(p);
      run.points = new Map();
      this.emit({ type: 'metrics', runId, points });
      run.lastEmit = now;
    }
    if (run.snapshots.length > 0 && (final || now - run.lastSnapshotEmit >= this.opts.snapshotIntervalMs)) {
      for (const s of run.snapshots) this.emit(s);
      run.snapshots = [];
      run.lastSnapshotEmit = now;
      run.lastEmit = now;
    }
    if (run.progress) {
      this.emit(run.progress);
      run.progress = null;
      run.lastEmit = now;
    }
  }
}
