// Reading and writing SeriesRollup state (tables `series` and `metric_rollups`).
import type Database from 'better-sqlite3';
import { Chunk, chunkHasData, chunkOf, emptyStats, LEVEL_SIZES, SeriesRollup, type SeriesStats } from './rollup.ts';

/** A `series` row as SQLite returns it (NULL value = NaN). */
export interface SeriesRow {
  run_id: number;
  key_id: number;
  count: number;
  first_step: number;
  first_epoch: number;
  first_wall: number;
  first_value: number | null;
  last_step: number;
  last_epoch: number;
  last_wall: number;
  last_value: number | null;
  min_step: number | null;
  min_value: number | null;
  max_step: number | null;
  max_value: number | null;
  first_nan_step: number | null;
}

export const num = (v: number | null): number => (v === null ? NaN : v);

export function statsFromRow(r: SeriesRow): SeriesStats {
  return {
    count: r.count,
    first: { step: r.first_step, epoch: r.first_epoch, wallTime: r.first_wall, value: num(r.first_value) },
    last: { step: r.last_step, epoch: r.last_epoch, wallTime: r.last_wall, value: num(r.last_value) },
    minStep: num(r.min_step),
    minValue: num(r.min_value),
    maxStep: num(r.max_step),
    maxValue: num(r.max_value),
    firstNanStep: r.first_nan_step,
  };
}

export interface RollupStatements {
  selectSeries: Database.Statement<[number, number], SeriesRow>;
  selectChunk: Database.Statement<[number, number, number, number], { data: Buffer }>;
  upsertSeries: Database.Statement<unknown[]>;
  upsertChunk: Database.Statement<[number, number, number, number, Buffer]>;
}

export function rollupStatements(db: Database.Database): RollupStatements {
  return {
    selectSeries: db.prepare('SELECT * FROM series WHERE run_id = ? AND key_id = ?'),
    selectChunk: db.prepare('SELECT data FROM metric_rollups WHERE run_id = ? AND key_id = ? AND level = ? AND chunk = ?'),
    // ON CONFLICT DO UPDATE rewrites the row in place (INSERT OR REPLACE would delete and
    // re-insert it, touching the primary-key index too): most commits only update these rows.
    upsertSeries: db.prepare(
      `INSERT INTO series (run_id, key_id, count, first_step, first_epoch, first_wall, first_value,
         last_step, last_epoch, last_wall, last_value, min_step, min_value, max_step, max_value, first_nan_step)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_id, key_id) DO UPDATE SET count = excluded.count, last_step = excluded.last_step,
         last_epoch = excluded.last_epoch, last_wall = excluded.last_wall, last_value = excluded.last_value,
         min_step = excluded.min_step, min_value = excluded.min_value, max_step = excluded.max_step,
         max_value = excluded.max_value, first_nan_step = excluded.first_nan_step`,
    ),
    upsertChunk: db.prepare(
      `INSERT INTO metric_rollups (run_id, key_id, level, chunk, data) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (run_id, key_id, level, chunk) DO UPDATE SET data = excluded.data`,
    ),
  };
}

/** The stored state of a series, ready to take its next point. */
export function loadRollup(st: RollupStatements, runId: number, keyId: number): SeriesRollup {
  const row = st.selectSeries.get(runId, keyId);
  if (!row) return new SeriesRollup(emptyStats());
  const open = LEVEL_SIZES.map((_, i) => {
    const level = i + 1;
    if (!chunkHasData(level, row.count)) return null;
    const index = chunkOf(level, row.count);
    const chunk = st.selectChunk.get(runId, keyId, level, index);
    if (!chunk) throw new Error(`rollup chunk ${level}/${index} of run ${runId} key ${keyId} is missing`);
    return Chunk.fromBlob(level, index, chunk.data);
  });
  return new SeriesRollup(statsFromRow(row), open);
}

/** Writes what changed in `r` since its last markClean (call inside the flush transaction). */
export function saveRollup(st: RollupStatements, runId: number, keyId: number, r: SeriesRollup): void {
  const s = r.stats;
  if (r.statsDirty && s.first && s.last) {
    // NaN binds as NULL, which is what the NULL-means-NaN columns want.
    st.upsertSeries.run(
      runId,
      keyId,
      s.count,
      s.first.step,
      s.first.epoch,
      s.first.wallTime,
      s.first.value,
      s.last.step,
      s.last.epoch,
      s.last.wallTime,
      s.last.value,
      s.minStep,
      s.minValue,
      s.maxStep,
      s.maxValue,
      s.firstNanStep,
    );
  }
  for (const chunk of r.dirtyChunks()) st.upsertChunk.run(runId, keyId, chunk.level, chunk.index, chunk.blob());
}
