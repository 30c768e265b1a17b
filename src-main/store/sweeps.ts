// Sweeps: a named group of runs made from one spec (core/sweep). The sweep row is written first,
// its members point at it through runs.sweep_id; deleting a run leaves the sweep with the others,
// and a sweep's record keeps the spec it was expanded from.
import type Database from 'better-sqlite3';
import { StoreError } from './errors.ts';
import type { NewSweep, RunStatus, SweepRecord } from './types.ts';

interface SweepRow {
  id: number;
  name: string;
  spec: string;
  created_at: number;
}

const MAX_NAME = 200;

export function createSweep(db: Database.Database, file: string, input: NewSweep): number {
  const name = typeof input.name === 'string' ? input.name.trim() : '';
  if (!name || name.length > MAX_NAME) throw new StoreError('invalid', `a sweep name must be 1-${MAX_NAME} characters`, file);
  let spec: string | undefined;
  try {
    spec = JSON.stringify(input.spec);
  } catch {
    spec = undefined;
  }
  if (spec === undefined) throw new StoreError('invalid', 'a sweep spec must be JSON', file);
  const { lastInsertRowid } = db.prepare('INSERT INTO sweeps (name, spec, created_at) VALUES (?, ?, ?)').run(name, spec, Date.now());
  return Number(lastInsertRowid);
}

function records(db: Database.Database, rows: SweepRow[]): SweepRecord[] {
  if (rows.length === 0) return [];
  const members = db
    .prepare(
      `SELECT id, sweep_id, status, optimizer,
         json_extract(config, '$.optimizer.hyperparams.lr') AS lr, json_extract(config, '$.training.seed') AS seed
       FROM runs WHERE sweep_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    )
    .all(JSON.stringify(rows.map((r) => r.id))) as { id: number; sweep_id: number; status: RunStatus; optimizer: string; lr: unknown; seed: unknown }[];
  const numberOrNull = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return rows.map((r) => {
    const mine = members.filter((m) => m.sweep_id === r.id);
    const statusCounts: Partial<Record<RunStatus, number>> = {};
    for (const m of mine) statusCounts[m.status] = (statusCounts[m.status] ?? 0) + 1;
    return {
      id: r.id,
      name: r.name,
      spec: JSON.parse(r.spec) as unknown,
      createdAt: new Date(r.created_at).toISOString(),
      runIds: mine.map((m) => m.id),
      statusCounts,
      members: mine.map((m) => ({ runId: m.id, optimizer: m.optimizer, lr: numberOrNull(m.lr), seed: numberOrNull(m.seed) })),
    };
  });
}

export function getSweep(db: Database.Database, file: string, id: number): SweepRecord {
  const row = Number.isSafeInteger(id) ? (db.prepare('SELECT * FROM sweeps WHERE id = ?').get(id) as SweepRow | undefined) : undefined;
  if (!row) throw new StoreError('not-found', `sweep ${id} not found in ${file}`, file);
  return records(db, [row])[0];
}

/** Every sweep, newest first. */
export function listSweeps(db: Database.Database, limit = 1000): SweepRecord[] {
  return records(db, db.prepare('SELECT * FROM sweeps ORDER BY created_at DESC, id DESC LIMIT ?').all(limit) as SweepRow[]);
}

/** Deletes a sweep's record; its runs stay, no longer in a sweep (ON DELETE SET NULL). */
export function deleteSweep(db: Database.Database, file: string, id: number): void {
  const { changes } = db.prepare('DELETE FROM sweeps WHERE id = ?').run(id);
  if (changes === 0) throw new StoreError('not-found', `sweep ${id} not found in ${file}`, file);
}
