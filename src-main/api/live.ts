// The live feed: the runner's events as a display-rate stream for the UI's connections (the
// rates and what a batch holds: LIVE_FEED in protocol.ts).
//
// The runner reports every point and every snapshot (and the store keeps them all); a page only
// has to see a run move a few times a second. Forwarding everything cost the training it shows:
// a digits MLP logs ~4,000 points and ~85 snapshot sets (≈ 40 KB each) a second per run, which the
// server encoded as JSON and the page decoded, validated and indexed. So each run's events are
// coalesced here once, for every connection, and events no connection asked for are dropped on
// arrival.
import type { LivePoint, RunEvent } from '../runner/types.ts';
import { ACTIVE_STATUSES } from '../store/types.ts';
import { LIVE_FEED } from './protocol.ts';

export interface LiveFeedOptions {
  /** At most one batch per run this often (default LIVE_FEED's); 0: every event at once, as it came. */
  intervalMs?: number;
  /** At most one snapshot step per run this often. */
  snapshotIntervalMs?: number;
  /** Points per metric key in one batch before it is decimated. */
  pointsPerKey?: number;
}

type SnapshotEvent = Extract<RunEvent, { type: 'snapshot' }>;
type ProgressEvent = Extract<RunEvent, { type: 'progress' }>;

interface PendingRun {
  points: Map<string, LivePoint[]>;
  snapshots: SnapshotEvent[];
  progress: ProgressEvent | null;
  timer: ReturnType<typeof setTimeout> | null;
  /** When the timer fires (performance.now() time). */
  due: number;
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
    this.opts = { ...LIVE_FEED, ...options };
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
      run = { points: new Map(), snapshots: [], progress: null, timer: null, due: Infinity, lastEmit: -Infinity, lastSnapshotEmit: -Infinity };
      this.runs.set(runId, run);
    }
    return run;
  }

  private drop(runId: number): void {
    const run = this.runs.get(runId);
    if (run?.timer) clearTimeout(run.timer);
    this.runs.delete(runId);
  }

  /** Sets the run's timer for its next batch: an interval after the last, or (snapshots only) when the next snapshot step is due. */
  private schedule(runId: number, run: PendingRun): void {
    const onlySnapshots = run.points.size === 0 && !run.progress;
    const due = Math.max(run.lastEmit + this.opts.intervalMs, onlySnapshots ? run.lastSnapshotEmit + this.opts.snapshotIntervalMs : -Infinity);
    if (run.timer) {
      if (due >= run.due) return;
      clearTimeout(run.timer); // points came while it waited for a snapshot step
    }
    run.due = due;
    run.timer = setTimeout(() => {
      run.timer = null;
      run.due = Infinity;
      this.flush(runId, run, false);
      if (run.snapshots.length > 0) this.schedule(runId, run);
    }, Math.max(0, due - performance.now()));
  }

  /** One batch of the run's pending events: metrics, the snapshot step (when due, or `final`), progress. */
  private flush(runId: number, run: PendingRun, final: boolean): void {
    if (run.timer && final) {
      clearTimeout(run.timer);
      run.timer = null;
      run.due = Infinity;
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
