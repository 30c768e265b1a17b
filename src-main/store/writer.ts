// The one batched writer of a store: metric points and snapshots are buffered in memory and
// committed in one transaction at most `flushIntervalMs` after the first buffered item, as soon
// as `maxPendingRows` / `maxPendingBytes` are buffered, before any status change, and on close.
// A point is lost only if the process dies within that window; everything committed survives a
// crash (WAL). Appends validate eagerly, so a bad point throws at the call that made it.
import type Database from 'better-sqlite3';
import { sqliteCode, StoreError, storeErrorFrom } from './errors.ts';
import { loadRollup, rollupStatements, saveRollup, type RollupStatements } from './rollup-sql.ts';
import type { SeriesRollup } from './rollup.ts';
import type { SnapshotInput, StepAt } from './types.ts';

export interface WriterOptions {
  /** Longest time a point waits in memory before it is committed. Default 100 ms. */
  flushIntervalMs?: number;
  /** Commit as soon as this many metric points + snapshots are buffered. Default 5000. */
  maxPendingRows?: number;
  /** Commit as soon as this many snapshot bytes are buffered. Default 8 MiB. */
  maxPendingBytes?: number;
  /** Called after each commit (e.g. to tell subscribers what is now durable). */
  onFlush?: (stats: FlushStats) => void;
  /** Called when a timer-triggered commit fails; the rows stay buffered and the next call rethrows. */
  onError?: (err: StoreError) => void;
}

export interface FlushStats {
  points: number;
  snapshots: number;
  /** Highest step committed so far, per run touched by this commit. */
  lastStep: Map<number, number>;
  ms: number;
}

interface PendingSnapshot {
  runId: number;
  step: number;
  layer: string;
  kind: string;
  shape: string;
  originalShape: string;
  data: Buffer;
}

const MAX_KEY_LENGTH = 200;
const POINTS_PER_INSERT = 32;

export class MetricWriter {
  private readonly flushIntervalMs: number;
  private readonly maxPendingRows: number;
  private readonly maxPendingBytes: number;
  private readonly st: RollupStatements;
  private readonly insertPoint: Database.Statement<unknown[]>;
  private readonly insertPoints: Database.Statement<unknown[]>;
  private readonly insertSnapshot: Database.Statement<unknown[]>;
  private readonly touchRun: Database.Statement<[number, number]>;
  private readonly runStatus: Database.Statement<[number], { status: string }>;
  private readonly maxSnapshotStep: Database.Statement<[number, string, string], { step: number | null }>;
  private readonly lastSnapshotStep = new Map<string, number>();
  /** Scratch list of (rollup, key id, value) triples of one append, reused to spare garbage. */
  private readonly targets: (SeriesRollup | number)[] = [];
  private readonly keyIds = new Map<string, number>();
  /** Per run: its series by key id. Present once the run was checked to be active. */
  private readonly runs = new Map<number, Map<number, SeriesRollup>>();
  // Buffered points, flat: runId, keyId, step, epoch, wallTime, value per point.
  private points: number[] = [];
  private snapshots: PendingSnapshot[] = [];
  private snapshotBytes = 0;
  private readonly dirtySeries = new Map<SeriesRollup, [number, number]>();
  private firstPendingAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private failure: StoreError | null = null;
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
    private readonly opts: WriterOptions = {},
  ) {
    this.flushIntervalMs = opts.flushIntervalMs ?? 100;
    this.maxPendingRows = opts.maxPendingRows ?? 5000;
    this.maxPendingBytes = opts.maxPendingBytes ?? 8 * 1024 * 1024;
    this.st = rollupStatements(db);
    const insert = 'INSERT INTO metrics (run_id, key_id, step, epoch, wall_time, value) VALUES ';
    this.insertPoint = db.prepare(insert + '(?, ?, ?, ?, ?, ?)');
    // Many rows per statement: about half the cost per point of one statement per row.
    this.insertPoints = db.prepare(insert + Array(POINTS_PER_INSERT).fill('(?, ?, ?, ?, ?, ?)').join(', '));
    this.insertSnapshot = db.prepare(
      'INSERT INTO snapshots (run_id, step, layer, kind, shape, original_shape, data) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.touchRun = db.prepare('UPDATE runs SET last_write_at = ? WHERE id = ?');
    this.runStatus = db.prepare('SELECT status FROM runs WHERE id = ?');
    this.maxSnapshotStep = db.prepare('SELECT max(step) AS step FROM snapshots WHERE run_id = ? AND layer = ? AND kind = ?');
  }

  /** Metric points and snapshots waiting to be committed. */
  get pending(): number {
    return this.points.length / 6 + this.snapshots.length;
  }

  /** Logs `values` (key -> value) of one run at one step; one point per key. All or nothing. */
  append(runId: number, at: StepAt, values: Record<string, number>): void {
    this.sqlite('logging metrics', () => this.appendPoints(runId, at, values));
  }

  private appendPoints(runId: number, at: StepAt, values: Record<string, number>): void {
    this.checkUsable();
    checkStepAt(at, this.file);
    const series = this.seriesOf(runId);
    const targets = this.targets;
    targets.length = 0;
    for (const key in values) {
      const value = values[key];
      if (typeof value !== 'number') throw this.invalid(`metric ${JSON.stringify(key)} of run ${runId}: value ${String(value)} is not a number`);
      const keyId = this.keyId(key);
      let rollup = series.get(keyId);
      if (!rollup) series.set(keyId, (rollup = loadRollup(this.st, runId, keyId)));
      const last = rollup.stats.last;
      if (last && at.step <= last.step) {
        throw this.invalid(`metric ${JSON.stringify(key)} of run ${runId}: step ${at.step} after step ${last.step}; steps must increase`);
      }
      targets.push(rollup, keyId, value);
    }
    for (let i = 0; i < targets.length; i += 3) {
      const rollup = targets[i] as SeriesRollup;
      const keyId = targets[i + 1] as number;
      const value = targets[i + 2] as number;
      rollup.add({ step: at.step, epoch: at.epoch, wallTime: at.wallTime, value });
      if (!this.dirtySeries.has(rollup)) this.dirtySeries.set(rollup, [runId, keyId]);
      this.points.push(runId, keyId, at.step, at.epoch, at.wallTime, value);
    }
    if (targets.length > 0) this.scheduled();
  }

  /** Logs one tensor snapshot; steps must increase per (run, layer, kind). */
  snapshot(runId: number, snap: SnapshotInput): void {
    this.sqlite('logging a snapshot', () => this.appendSnapshot(runId, snap));
  }

  private appendSnapshot(runId: number, snap: SnapshotInput): void {
    this.checkUsable();
    const what = `snapshot ${JSON.stringify(snap.layer)}/${JSON.stringify(snap.kind)} of run ${runId}`;
    if (!Number.isSafeInteger(snap.step) || snap.step < 0) throw this.invalid(`${what}: step ${snap.step} is not an integer >= 0`);
    if (typeof snap.layer !== 'string' || typeof snap.kind !== 'string' || !snap.layer || !snap.kind) {
      throw this.invalid(`${what}: layer and kind must be non-empty strings`);
    }
    if (!(snap.data instanceof Float32Array)) throw this.invalid(`${what}: data must be a Float32Array`);
    const shape = checkShape(snap.shape, `${what}: shape`, this.file);
    const original = checkShape(snap.originalShape ?? snap.shape, `${what}: originalShape`, this.file);
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== snap.data.length) throw this.invalid(`${what}: shape [${shape}] holds ${size} values, data has ${snap.data.length}`);
    this.seriesOf(runId);
    const slot = `${runId}\u0000${snap.layer}\u0000${snap.kind}`;
    let last = this.lastSnapshotStep.get(slot);
    if (last === undefined) {
      last = this.maxSnapshotStep.get(runId, snap.layer, snap.kind)?.step ?? -1;
    }
    if (snap.step <= last) throw this.invalid(`${what}: step ${snap.step} after step ${last}; steps must increase`);
    this.lastSnapshotStep.set(slot, snap.step);
    // Copied now: the caller may reuse its array as soon as this returns.
    const data = Buffer.from(new Uint8Array(snap.data.buffer, snap.data.byteOffset, snap.data.byteLength));
    this.snapshots.push({
      runId,
      step: snap.step,
      layer: snap.layer,
      kind: snap.kind,
      shape: JSON.stringify(shape),
      originalShape: JSON.stringify(original),
      data,
    });
    this.snapshotBytes += data.byteLength;
    this.scheduled();
  }

  /** Commits everything buffered, in one transaction. */
  flush(): FlushStats {
    this.checkOpen();
    // Inside someone's transaction a later rollback would undo points the writer thinks are safe.
    if (this.db.inTransaction) throw new Error('MetricWriter.flush() must not run inside a transaction');
    return this.commit();
  }

  /** Drops cached state of a run (after it ended or was deleted): later appends re-check it. */
  forgetRun(runId: number): void {
    this.runs.delete(runId);
    const prefix = `${runId}\u0000`;
    for (const slot of this.lastSnapshotStep.keys()) if (slot.startsWith(prefix)) this.lastSnapshotStep.delete(slot);
  }

  /** Commits what is buffered and stops the timer; further appends throw. */
  close(): void {
    if (this.closed) return;
    try {
      if (this.pending > 0) this.commit();
    } finally {
      this.closed = true;
      this.clearTimer();
    }
  }

  private commit(): FlushStats {
    this.clearTimer();
    const t0 = performance.now();
    const points = this.points;
    const snapshots = this.snapshots;
    const lastStep = new Map<number, number>();
    const noteStep = (runId: number, step: number) => lastStep.set(runId, Math.max(step, lastStep.get(runId) ?? -1));
    if (points.length === 0 && snapshots.length === 0) return { points: 0, snapshots: 0, lastStep, ms: 0 };
    const now = Date.now();
    try {
      this.db.transaction(() => {
        const p = points;
        const whole = p.length - (p.length % (6 * POINTS_PER_INSERT));
        for (let i = 0; i < whole; i += 6 * POINTS_PER_INSERT) this.insertPoints.run(p.slice(i, i + 6 * POINTS_PER_INSERT));
        for (let i = whole; i < p.length; i += 6) this.insertPoint.run(p[i], p[i + 1], p[i + 2], p[i + 3], p[i + 4], p[i + 5]);
        for (let i = 0; i < p.length; i += 6) noteStep(p[i], p[i + 2]);
        for (const [rollup, [runId, keyId]] of this.dirtySeries) saveRollup(this.st, runId, keyId, rollup);
        for (const s of snapshots) {
          this.insertSnapshot.run(s.runId, s.step, s.layer, s.kind, s.shape, s.originalShape, s.data);
          noteStep(s.runId, s.step);
        }
        for (const runId of lastStep.keys()) this.touchRun.run(now, runId);
      })();
    } catch (err) {
      // A run deleted meanwhile (by another process): its points have nowhere to go.
      if (sqliteCode(err) === 'SQLITE_CONSTRAINT_FOREIGNKEY' && this.dropDeletedRuns()) return this.commit();
      // Everything else stays buffered (the rollups' dirty marks too), so a retry writes it all.
      this.failure = storeErrorFrom(err, this.file, 'committing metrics');
      throw this.failure;
    }
    this.failure = null;
    for (const rollup of this.dirtySeries.keys()) rollup.markClean();
    this.dirtySeries.clear();
    this.points = [];
    this.snapshots = [];
    this.snapshotBytes = 0;
    const stats: FlushStats = { points: points.length / 6, snapshots: snapshots.length, lastStep, ms: performance.now() - t0 };
    this.opts.onFlush?.(stats);
    return stats;
  }

  /** Forgets buffered data of runs that no longer exist; true if there was any. */
  private dropDeletedRuns(): boolean {
    const buffered = new Set<number>();
    for (let i = 0; i < this.points.length; i += 6) buffered.add(this.points[i]);
    for (const s of this.snapshots) buffered.add(s.runId);
    const gone = new Set([...buffered].filter((id) => !this.runStatus.get(id)));
    if (gone.size === 0) return false;
    const kept: number[] = [];
    for (let i = 0; i < this.points.length; i += 6) if (!gone.has(this.points[i])) kept.push(...this.points.slice(i, i + 6));
    this.points = kept;
    this.snapshots = this.snapshots.filter((s) => !gone.has(s.runId));
    this.snapshotBytes = this.snapshots.reduce((n, s) => n + s.data.byteLength, 0);
    for (const [rollup, [runId]] of this.dirtySeries) if (gone.has(runId)) this.dirtySeries.delete(rollup);
    for (const id of gone) this.forgetRun(id);
    return true;
  }

  /** After an append: commit now if a limit is reached, else make sure a timer will. */
  private scheduled(): void {
    const now = performance.now();
    if (this.timer === null) {
      this.firstPendingAt = now;
      this.timer = setTimeout(() => this.timedCommit(), this.flushIntervalMs);
      this.timer.unref(); // the process exit hook commits what is left
    }
    // A synchronous training loop starves timers: it gets its commit from the time check here.
    if (this.pending >= this.maxPendingRows || this.snapshotBytes >= this.maxPendingBytes || now - this.firstPendingAt >= this.flushIntervalMs) {
      this.commit();
    }
  }

  private timedCommit(): void {
    this.timer = null;
    try {
      this.commit();
    } catch (err) {
      this.opts.onError?.(err as StoreError);
    }
  }

  private clearTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  private seriesOf(runId: number): Map<number, SeriesRollup> {
    let series = this.runs.get(runId);
    if (series) return series;
    const row = this.runStatus.get(runId);
    if (!row) throw new StoreError('not-found', `run ${runId} not found in ${this.file}`, this.file);
    if (row.status !== 'queued' && row.status !== 'running' && row.status !== 'paused') {
      throw new StoreError('conflict', `run ${runId} is ${row.status}: nothing more can be logged to it`, this.file);
    }
    this.runs.set(runId, (series = new Map()));
    return series;
  }

  private keyId(key: string): number {
    const known = this.keyIds.get(key);
    if (known !== undefined) return known;
    checkMetricKey(key, this.file);
    const id = ensureMetricKey(this.db, key);
    this.keyIds.set(key, id);
    return id;
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreError('conflict', `the writer of ${this.file} is closed`, this.file);
  }

  private checkUsable(): void {
    this.checkOpen();
    if (this.failure) {
      // Retry first: a lock that was held may be free now.
      this.commit();
    }
  }

  /** Runs fn, reporting SQLite failures (a lock held too long, a full disk) as StoreErrors. */
  private sqlite<T>(doing: string, fn: () => T): T {
    try {
      return fn();
    } catch (err) {
      if (sqliteCode(err)) throw storeErrorFrom(err, this.file, doing);
      throw err;
    }
  }

  private invalid(message: string): StoreError {
    return new StoreError('invalid', message, this.file);
  }
}

export function checkMetricKey(key: string, file: string): void {
  // eslint-disable-next-line no-control-regex
  if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH || /[\u0000-\u001f\u007f]/.test(key)) {
    throw new StoreError('invalid', `metric key ${JSON.stringify(key)} must be 1-${MAX_KEY_LENGTH} printable characters`, file);
  }
}

/** The id of a metric key, created on first use. */
export function ensureMetricKey(db: Database.Database, key: string): number {
  db.prepare('INSERT OR IGNORE INTO metric_keys (name) VALUES (?)').run(key);
  return (db.prepare('SELECT id FROM metric_keys WHERE name = ?').get(key) as { id: number }).id;
}

function checkStepAt(at: StepAt, file: string): void {
  if (!Number.isSafeInteger(at.step) || at.step < 0) throw new StoreError('invalid', `step ${at.step} is not an integer >= 0`, file);
  if (!Number.isFinite(at.epoch) || at.epoch < 0) throw new StoreError('invalid', `epoch ${at.epoch} at step ${at.step} is not a number >= 0`, file);
  if (!Number.isFinite(at.wallTime) || at.wallTime < 0) {
    throw new StoreError('invalid', `wall time ${at.wallTime} at step ${at.step} is not a number of seconds >= 0`, file);
  }
}

function checkShape(shape: unknown, what: string, file: string): number[] {
  if (!Array.isArray(shape) || shape.length === 0 || !shape.every((d) => Number.isSafeInteger(d) && d > 0)) {
    throw new StoreError('invalid', `${what} ${JSON.stringify(shape)} must be a list of positive integers`, file);
  }
  return shape as number[];
}
