// Reading points back: downsampled series for charts, full-resolution exports, snapshots.
//
// Downsampling is min-max bucketing to at most N points per (run, key) series: the series'
// points (by ordinal) are cut into nb = floor((N - 3) / 2) consecutive buckets, and each bucket
// contributes its minimum and its maximum point; the first point, the last point and the first
// NaN point are always added. So the global first, last, min and max are always in the result.
// Buckets are whole rollup blocks of the coarsest level that still has >= nb blocks (read from
// `metric_rollups`, a few KB per series) or, for short series, single raw points.
import type Database from 'better-sqlite3';
import { StoreError } from './errors.ts';
import { BLOCK_FIELDS, BLOCKS_PER_CHUNK, F_COUNT, F_MAX, F_MIN, LEVEL_SIZES } from './rollup.ts';
import { statsFromRow, type SeriesRow } from './rollup-sql.ts';
import type { ExportRow, MetricPoint, Series, SeriesQuery, Snapshot, SnapshotQuery } from './types.ts';

type RawRow = [step: number, epoch: number, wallTime: number, value: number | null];

export const MIN_MAX_POINTS = 5;

/** The rollup level a series of `count` points is bucketed from: 0 = raw points. */
export function levelFor(count: number, buckets: number): number {
  for (let i = LEVEL_SIZES.length - 1; i >= 0; i--) if (Math.ceil(count / LEVEL_SIZES[i]) >= buckets) return i + 1;
  return 0;
}

/** Per bucket, the point with the smallest and the one with the largest value (first wins ties). */
class MinMaxBuckets {
  // step, epoch, wallTime, value per bucket; value NaN = bucket has no point yet.
  readonly min: Float64Array;
  readonly max: Float64Array;
  constructor(readonly buckets: number) {
    this.min = new Float64Array(buckets * 4).fill(NaN);
    this.max = new Float64Array(buckets * 4).fill(NaN);
  }

  offerMin(b: number, step: number, epoch: number, wall: number, value: number): void {
    const o = b * 4;
    if (!Number.isNaN(value) && (Number.isNaN(this.min[o + 3]) || value < this.min[o + 3])) set(this.min, o, step, epoch, wall, value);
  }

  offerMax(b: number, step: number, epoch: number, wall: number, value: number): void {
    const o = b * 4;
    if (!Number.isNaN(value) && (Number.isNaN(this.max[o + 3]) || value > this.max[o + 3])) set(this.max, o, step, epoch, wall, value);
  }

  points(): MetricPoint[] {
    const out: MetricPoint[] = [];
    for (const a of [this.min, this.max]) {
      for (let o = 0; o < a.length; o += 4) {
        if (!Number.isNaN(a[o + 3])) out.push({ step: a[o], epoch: a[o + 1], wallTime: a[o + 2], value: a[o + 3] });
      }
    }
    return out;
  }
}

function set(a: Float64Array, o: number, step: number, epoch: number, wall: number, value: number): void {
  a[o] = step;
  a[o + 1] = epoch;
  a[o + 2] = wall;
  a[o + 3] = value;
}

export class SeriesReader {
  private readonly selectSeries: Database.Statement<[number, number], SeriesRow>;
  private readonly selectPoints: Database.Statement<[number, number]>;
  private readonly selectPoint: Database.Statement<[number, number, number]>;
  private readonly selectChunks: Database.Statement<[number, number, number]>;
  private readonly selectPage: Database.Statement<[number, number, number, number]>;

  constructor(
    private readonly db: Database.Database,
    private readonly file: string,
  ) {
    this.selectSeries = db.prepare('SELECT * FROM series WHERE run_id = ? AND key_id = ?');
    this.selectPoints = db.prepare('SELECT step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND key_id = ? ORDER BY step').raw();
    this.selectPoint = db.prepare('SELECT step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND key_id = ? AND step = ?').raw();
    this.selectChunks = db
      .prepare('SELECT chunk, data FROM metric_rollups WHERE run_id = ? AND key_id = ? AND level = ? ORDER BY chunk')
      .raw();
    this.selectPage = db
      .prepare('SELECT step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND key_id = ? AND step > ? ORDER BY step LIMIT ?')
      .raw();
  }

  /** Series for every run x key asked for, each downsampled to <= maxPoints (see top of file). */
  series(q: SeriesQuery): Series[] {
    if (!Number.isSafeInteger(q.maxPoints) || q.maxPoints < MIN_MAX_POINTS) {
      throw new StoreError('invalid', `maxPoints must be a whole number >= ${MIN_MAX_POINTS}, got ${q.maxPoints}`, this.file);
    }
    this.requireRuns(q.runIds);
    const keyIds = this.keyIds(q.keys);
    const out: Series[] = [];
    for (const runId of q.runIds) for (const key of q.keys) out.push(this.one(runId, key, keyIds.get(key), q.maxPoints));
    return out;
  }

  private one(runId: number, key: string, keyId: number | undefined, maxPoints: number): Series {
    const s: Series = { runId, key, count: 0, downsampled: false, step: [], epoch: [], wallTime: [], value: [] };
    const row = keyId === undefined ? undefined : this.selectSeries.get(runId, keyId);
    if (!row || keyId === undefined) return s;
    const stats = statsFromRow(row);
    s.count = stats.count;
    if (stats.count <= maxPoints) {
      for (const p of this.selectPoints.all(runId, keyId) as RawRow[]) push(s, p[0], p[1], p[2], p[3] ?? NaN);
      return s;
    }
    s.downsampled = true;
    const nb = Math.floor((maxPoints - 3) / 2);
    const acc = new MinMaxBuckets(nb);
    const level = levelFor(stats.count, nb);
    if (level === 0) {
      const rows = this.selectPoints.all(runId, keyId) as RawRow[];
      for (let i = 0; i < rows.length; i++) {
        const [step, epoch, wall, v] = rows[i];
        const b = Math.floor((i * nb) / rows.length);
        acc.offerMin(b, step, epoch, wall, v ?? NaN);
        acc.offerMax(b, step, epoch, wall, v ?? NaN);
      }
    } else {
      const blocks = Math.ceil(stats.count / LEVEL_SIZES[level - 1]);
      for (const [chunk, blob] of this.selectChunks.all(runId, keyId, level) as [number, Buffer][]) {
        const d = float64View(blob);
        for (let slot = 0, o = 0; o < d.length; slot++, o += BLOCK_FIELDS) {
          if (d[o + F_COUNT] === 0) continue;
          const b = Math.floor(((chunk * BLOCKS_PER_CHUNK + slot) * nb) / blocks);
          acc.offerMin(b, d[o + F_MIN], d[o + F_MIN + 1], d[o + F_MIN + 2], d[o + F_MIN + 3]);
          acc.offerMax(b, d[o + F_MAX], d[o + F_MAX + 1], d[o + F_MAX + 2], d[o + F_MAX + 3]);
        }
      }
    }
    const points = acc.points();
    points.push(stats.first!, stats.last!);
    if (stats.firstNanStep !== null) {
      const p = this.selectPoint.get(runId, keyId, stats.firstNanStep) as RawRow | undefined;
      if (p) points.push({ step: p[0], epoch: p[1], wallTime: p[2], value: NaN });
    }
    points.sort((a, b) => a.step - b.step);
    for (let i = 0; i < points.length; i++) {
      const p = points[i];
      if (i === 0 || p.step !== points[i - 1].step) push(s, p.step, p.epoch, p.wallTime, p.value);
    }
    return s;
  }

  /** Every point of every key of a run, per key (the JSON export). */
  fullSeries(runId: number): Series[] {
    this.requireRuns([runId]);
    return this.runKeys(runId).map(({ id, name }) => {
      const s: Series = { runId, key: name, count: 0, downsampled: false, step: [], epoch: [], wallTime: [], value: [] };
      for (const p of this.selectPoints.all(runId, id) as RawRow[]) push(s, p[0], p[1], p[2], p[3] ?? NaN);
      s.count = s.step.length;
      return s;
    });
  }

  /**
   * The wide table of a run: one row per step, one column per key (CSV export). Reads each
   * key page by page and merges them, so memory stays bounded however long the run.
   */
  table(runId: number, pageSize = 5000): { keys: string[]; rows: () => Generator<ExportRow> } {
    this.requireRuns([runId]);
    const keys = this.runKeys(runId);
    const page = this.selectPage;
    function* rows(): Generator<ExportRow> {
      const bufs = keys.map(({ id }) => ({ id, rows: [] as RawRow[], pos: 0, after: -1, done: false }));
      for (;;) {
        for (const b of bufs) {
          if (b.pos < b.rows.length || b.done) continue;
          b.rows = page.all(runId, b.id, b.after, pageSize) as RawRow[];
          b.pos = 0;
          if (b.rows.length < pageSize) b.done = true;
          if (b.rows.length) b.after = b.rows[b.rows.length - 1][0];
        }
        // Steps up to the frontier are complete in every buffer.
        let frontier = Infinity;
        for (const b of bufs) if (!b.done) frontier = Math.min(frontier, b.rows[b.rows.length - 1][0]);
        for (;;) {
          let step = Infinity;
          for (const b of bufs) if (b.pos < b.rows.length) step = Math.min(step, b.rows[b.pos][0]);
          if (step === Infinity || step > frontier) break;
          const row: ExportRow = { step, epoch: NaN, wallTime: Infinity, values: new Array<number | undefined>(bufs.length) };
          bufs.forEach((b, i) => {
            const p = b.rows[b.pos];
            if (!p || p[0] !== step) return;
            if (Number.isNaN(row.epoch)) row.epoch = p[1];
            row.wallTime = Math.min(row.wallTime, p[2]);
            row.values[i] = p[3] ?? NaN;
            b.pos++;
          });
          yield row;
        }
        if (bufs.every((b) => b.done && b.pos >= b.rows.length)) return;
      }
    }
    return { keys: keys.map((k) => k.name), rows };
  }

  snapshots(runId: number, q: SnapshotQuery = {}): Snapshot[] {
    this.requireRuns([runId]);
    const withData = q.withData ?? true;
    const where = ['run_id = ?', 'step >= ?', 'step <= ?'];
    const params: unknown[] = [runId, q.fromStep ?? 0, q.toStep ?? Number.MAX_SAFE_INTEGER];
    if (q.layer !== undefined) {
      where.push('layer = ?');
      params.push(q.layer);
    }
    if (q.kind !== undefined) {
      where.push('kind = ?');
      params.push(q.kind);
    }
    const rows = this.db
      .prepare(
        `SELECT id, step, layer, kind, shape, original_shape${withData ? ', data' : ''} FROM snapshots
         WHERE ${where.join(' AND ')} ORDER BY step, layer, kind`,
      )
      .all(...params) as { id: number; step: number; layer: string; kind: string; shape: string; original_shape: string; data?: Buffer }[];
    return rows.map((r) => ({
      id: r.id,
      runId,
      step: r.step,
      layer: r.layer,
      kind: r.kind,
      shape: JSON.parse(r.shape) as number[],
      originalShape: JSON.parse(r.original_shape) as number[],
      // A fresh, aligned copy: the Buffer SQLite hands back may sit at any offset.
      data: r.data ? new Float32Array(new Uint8Array(r.data).buffer) : null,
    }));
  }

  private runKeys(runId: number): { id: number; name: string }[] {
    return this.db
      .prepare('SELECT k.id, k.name FROM series s JOIN metric_keys k ON k.id = s.key_id WHERE s.run_id = ? ORDER BY k.name')
      .all(runId) as { id: number; name: string }[];
  }

  private keyIds(keys: string[]): Map<string, number> {
    const ids = new Map<string, number>();
    const get = this.db.prepare('SELECT id FROM metric_keys WHERE name = ?').pluck();
    for (const key of keys) {
      const id = get.get(key) as number | undefined;
      if (id !== undefined) ids.set(key, id);
    }
    return ids;
  }

  private requireRuns(runIds: number[]): void {
    const found = new Set(
      this.db.prepare('SELECT id FROM runs WHERE id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(runIds)) as number[],
    );
    const missing = runIds.filter((id) => !found.has(id));
    if (missing.length) throw new StoreError('not-found', `run ${missing.join(', ')} not found in ${this.file}`, this.file);
  }
}

function push(s: Series, step: number, epoch: number, wall: number, value: number): void {
  s.step.push(step);
  s.epoch.push(epoch);
  s.wallTime.push(wall);
  s.value.push(value);
}

function float64View(blob: Buffer): Float64Array {
  if (blob.byteOffset % 8 === 0) return new Float64Array(blob.buffer, blob.byteOffset, blob.byteLength / 8);
  return new Float64Array(new Uint8Array(blob).buffer);
}
