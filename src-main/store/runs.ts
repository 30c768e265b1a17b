// Runs: creation, status transitions, edits (name, notes, tags, archive), deletion, and the
// crash recovery done when a store opens.
import type Database from 'better-sqlite3';
import { z } from 'zod';
import { datasetNameOf, defaultRunName } from '../core/train/naming.ts';
import { StoreError } from './errors.ts';
import { currentOwner, ownerLiveness } from './owner.ts';
import { ensureMetricKey } from './writer.ts';
import { ACTIVE_STATUSES, type EndStatus, type NewRun, type RunConfig, type RunOwner, type RunStatus } from './types.ts';

/** A `runs` row as SQLite returns it. */
export interface RunRow {
  id: number;
  name: string;
  status: RunStatus;
  config: string;
  optimizer: string;
  model_kind: string;
  data_source: string;
  dataset_name: string;
  dataset_id: number | null;
  created_at: number;
  started_at: number | null;
  ended_at: number | null;
  error: string | null;
  diverged_step: number | null;
  notes: string;
  archived: 0 | 1;
  owner_pid: number | null;
  owner_host: string | null;
  owner_start: string | null;
  last_write_at: number | null;
  sweep_id: number | null;
}

/** Allowed status changes: from -> to. `interrupted` is set by recovery only. */
export const TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  queued: ['running', 'stopped', 'failed'],
  running: ['paused', 'finished', 'stopped', 'diverged', 'failed'],
  paused: ['running', 'stopped', 'failed'],
  finished: [],
  stopped: [],
  diverged: [],
  failed: [],
  interrupted: [],
};

export const isActive = (s: RunStatus): boolean => (ACTIVE_STATUSES as readonly string[]).includes(s);

const MAX_NAME = 200;
const MAX_TAG = 64;

const ConfigSchema = z.looseObject({
  model: z.looseObject({ kind: z.string().min(1) }),
  optimizer: z.looseObject({ name: z.string().min(1), hyperparams: z.record(z.string(), z.unknown()) }),
  data: z.looseObject({ source: z.string().min(1) }),
});

export function checkConfig(config: unknown, file: string): RunConfig {
  const parsed = ConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue.path.length ? issue.path.join('.') : '(the config itself)';
    throw new StoreError('invalid', `run config: ${where}: ${issue.message}`, file);
  }
  return config as RunConfig;
}

// The default name and the dataset's short name are core's (the CLI and the New run form use the same).
export { datasetNameOf };

/** What is wrong with a run name, or null when the store takes it (callers check flags up front). */
export function runNameProblem(name: string): string | null {
  const trimmed = typeof name === 'string' ? name.trim() : '';
  return !trimmed || trimmed.length > MAX_NAME ? `a run name must be 1-${MAX_NAME} characters` : null;
}

/** What is wrong with a tag, or null when the store takes it. */
export function tagProblem(tag: string): string | null {
  const trimmed = typeof tag === 'string' ? tag.trim() : '';
  // eslint-disable-next-line no-control-regex
  const bad = !trimmed || trimmed.length > MAX_TAG || /[,\u0000-\u001f\u007f]/.test(trimmed);
  return bad ? `tag ${JSON.stringify(tag)} must be 1-${MAX_TAG} characters without commas` : null;
}

function checkName(name: string, file: string): string {
  const problem = runNameProblem(name);
  if (problem) throw new StoreError('invalid', problem, file);
  return name.trim();
}

export function checkTag(tag: string, file: string): string {
  const problem = tagProblem(tag);
  if (problem) throw new StoreError('invalid', problem, file);
  return tag.trim();
}

export function createRun(db: Database.Database, file: string, input: NewRun): number {
  const config = checkConfig(input.config, file);
  const name = input.name === undefined ? defaultRunName(config) : checkName(input.name, file);
  const tags = [...new Set((input.tags ?? []).map((t) => checkTag(t, file)))];
  const sweepId = input.sweepId ?? null;
  if (sweepId !== null && !(Number.isSafeInteger(sweepId) && db.prepare('SELECT 1 FROM sweeps WHERE id = ?').get(sweepId))) {
    throw new StoreError('not-found', `sweep ${sweepId} not found in ${file}`, file);
  }
  const owner = currentOwner();
  return db.transaction(() => {
    const { lastInsertRowid } = db
      .prepare(
        `INSERT INTO runs (name, status, config, optimizer, model_kind, data_source, dataset_name, dataset_id,
           created_at, notes, owner_pid, owner_host, owner_start, sweep_id)
         VALUES (?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        name,
        JSON.stringify(config),
        config.optimizer.name,
        config.model.kind,
        config.data.source,
        datasetNameOf(config.data.source),
        input.datasetId ?? null,
        Date.now(),
        input.notes ?? '',
        owner.pid,
        owner.host,
        owner.start,
        sweepId,
      );
    const id = Number(lastInsertRowid);
    const addTag = db.prepare('INSERT INTO run_tags (run_id, tag) VALUES (?, ?)');
    for (const tag of tags) addTag.run(id, tag);
    return id;
  })();
}

export function getRunRow(db: Database.Database, id: number): RunRow | undefined {
  return db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
}

export function requireRunRow(db: Database.Database, file: string, id: number): RunRow {
  const row = Number.isSafeInteger(id) ? getRunRow(db, id) : undefined;
  if (!row) throw new StoreError('not-found', `run ${id} not found in ${file}`, file);
  return row;
}

export function ownerOf(row: RunRow): RunOwner | null {
  if (row.owner_pid === null || row.owner_host === null || row.owner_start === null) return null;
  return { pid: row.owner_pid, host: row.owner_host, start: row.owner_start };
}

export interface TransitionExtra {
  error?: string | null;
  divergedStep?: number | null;
  /** Final metrics (written in the same transaction as the status). */
  final?: Record<string, number>;
}

/** Moves a run to `to` if TRANSITIONS allows it from its current status (atomically). */
export function transition(db: Database.Database, file: string, id: number, to: RunStatus, extra: TransitionExtra = {}): void {
  const from = (Object.keys(TRANSITIONS) as RunStatus[]).filter((s) => TRANSITIONS[s].includes(to));
  if (extra.divergedStep != null && (!Number.isSafeInteger(extra.divergedStep) || extra.divergedStep < 0)) {
    throw new StoreError('invalid', `diverged step ${extra.divergedStep} is not an integer >= 0`, file);
  }
  const owner = currentOwner();
  const now = Date.now();
  db.transaction(() => {
    const { changes } = db
      .prepare(
        `UPDATE runs SET
           status = @to,
           started_at = CASE WHEN @to = 'running' THEN coalesce(started_at, @now) ELSE started_at END,
           ended_at = CASE WHEN @ends THEN @now ELSE ended_at END,
           error = coalesce(@error, error),
           diverged_step = coalesce(@divergedStep, diverged_step),
           owner_pid = CASE WHEN @to = 'running' THEN @pid ELSE owner_pid END,
           owner_host = CASE WHEN @to = 'running' THEN @host ELSE owner_host END,
           owner_start = CASE WHEN @to = 'running' THEN @start ELSE owner_start END
         WHERE id = @id AND status IN (SELECT value FROM json_each(@from))`,
      )
      .run({
        id,
        to,
        now,
        ends: isActive(to) ? 0 : 1,
        error: extra.error ?? null,
        divergedStep: extra.divergedStep ?? null,
        pid: owner.pid,
        host: owner.host,
        start: owner.start,
        from: JSON.stringify(from),
      });
    if (changes === 0) {
      const row = requireRunRow(db, file, id);
      throw new StoreError('conflict', `run ${id} is ${row.status}; it cannot become ${to}`, file);
    }
    if (extra.final) writeFinal(db, file, id, extra.final);
  })();
}

function writeFinal(db: Database.Database, file: string, id: number, final: Record<string, number>): void {
  const put = db.prepare('INSERT OR REPLACE INTO run_final (run_id, key_id, value) VALUES (?, ?, ?)');
  for (const [key, value] of Object.entries(final)) {
    if (typeof value !== 'number') throw new StoreError('invalid', `final metric ${JSON.stringify(key)} of run ${id} is not a number`, file);
    put.run(id, ensureMetricKey(db, key), value);
  }
}

export function endStatusAllowed(status: string): status is EndStatus {
  return status === 'finished' || status === 'stopped' || status === 'diverged' || status === 'failed';
}

function updateOne(db: Database.Database, file: string, id: number, sql: string, ...params: unknown[]): void {
  const { changes } = db.prepare(sql).run(...params, id);
  if (changes === 0) requireRunRow(db, file, id); // throws not-found; else the value was unchanged
}

export function renameRun(db: Database.Database, file: string, id: number, name: string): void {
  updateOne(db, file, id, 'UPDATE runs SET name = ? WHERE id = ?', checkName(name, file));
}

export function setNotes(db: Database.Database, file: string, id: number, notes: string): void {
  if (typeof notes !== 'string') throw new StoreError('invalid', 'notes must be text', file);
  updateOne(db, file, id, 'UPDATE runs SET notes = ? WHERE id = ?', notes);
}

export function setArchived(db: Database.Database, file: string, id: number, archived: boolean): void {
  updateOne(db, file, id, 'UPDATE runs SET archived = ? WHERE id = ?', archived ? 1 : 0);
}

/** Adds a tag; false if the run already had it. */
export function addTag(db: Database.Database, file: string, id: number, tag: string): boolean {
  const t = checkTag(tag, file);
  requireRunRow(db, file, id);
  return db.prepare('INSERT OR IGNORE INTO run_tags (run_id, tag) VALUES (?, ?)').run(id, t).changes > 0;
}

/** Removes a tag; false if the run did not have it. */
export function removeTag(db: Database.Database, file: string, id: number, tag: string): boolean {
  const t = checkTag(tag, file);
  requireRunRow(db, file, id);
  return db.prepare('DELETE FROM run_tags WHERE run_id = ? AND tag = ?').run(id, t).changes > 0;
}

/** Deletes a run with its metrics, snapshots and tags (ON DELETE CASCADE). A live run is refused. */
export function deleteRun(db: Database.Database, file: string, id: number): void {
  const row = requireRunRow(db, file, id);
  if (isActive(row.status) && ownerLiveness(ownerOf(row)) !== 'dead') {
    const owner = ownerOf(row);
    const where = owner ? ` by process ${owner.pid} on ${owner.host}` : '';
    throw new StoreError('conflict', `run ${id} is ${row.status}${where}; stop it before deleting it`, file);
  }
  db.prepare('DELETE FROM runs WHERE id = ?').run(id);
}

export interface RecoveredRun {
  id: number;
  /** The status it was left in. */
  was: RunStatus;
  owner: RunOwner | null;
  lastStep: number | null;
}

/**
 * Marks `interrupted` every queued, running or paused run whose owner process is dead. Its
 * `endedAt` becomes its last committed write (or now if it never wrote). Runs of live
 * processes and of other hosts are left alone. Call inside a write transaction.
 */
export function recoverOrphans(db: Database.Database): RecoveredRun[] {
  const candidates = db
    .prepare(`SELECT * FROM runs WHERE status IN ('queued', 'running', 'paused') ORDER BY id`)
    .all() as RunRow[];
  const lastStepOf = db.prepare('SELECT max(last_step) AS step FROM series WHERE run_id = ?');
  const mark = db.prepare(
    `UPDATE runs SET status = 'interrupted', ended_at = coalesce(last_write_at, ?), error = ? WHERE id = ? AND status = ?`,
  );
  const recovered: RecoveredRun[] = [];
  for (const row of candidates) {
    const owner = ownerOf(row);
    if (ownerLiveness(owner) !== 'dead') continue;
    const lastStep = (lastStepOf.get(row.id) as { step: number | null }).step;
    const who = owner ? `process ${owner.pid} on ${owner.host}` : 'the process that owned it';
    const kept = lastStep === null ? 'no metrics had been written' : `metrics up to step ${lastStep} are kept`;
    mark.run(Date.now(), `interrupted: ${who} ended while the run was ${row.status}; ${kept}`, row.id, row.status);
    recovered.push({ id: row.id, was: row.status, owner, lastStep });
  }
  return recovered;
}
