// The run list (filter, sort) and a run's details. Filters and sort keys are compiled to SQL
// with every user-given value bound as a parameter; key names are validated first so a typo
// gets a clear message instead of a silently empty or unsorted list.
import type Database from 'better-sqlite3';
import { plannedTotalSteps } from '../core/train/plan.ts';
import { StoreError } from './errors.ts';
import { num, statsFromRow, type SeriesRow } from './rollup-sql.ts';
import { ownerOf, requireRunRow, type RunRow } from './runs.ts';
import {
  RUN_STATUSES,
  type Condition,
  type ConditionOp,
  type RunConfig,
  type RunDetail,
  type RunFilter,
  type RunStatus,
  type RunSummary,
  type SeriesInfo,
} from './types.ts';

interface SqlExpr {
  sql: string;
  params: unknown[];
}

/** Column keys of the run list (sortable and usable in `where`). */
export const COLUMN_KEYS: Record<string, string> = {
  id: 'r.id',
  name: 'r.name',
  status: 'r.status',
  optimizer: 'r.optimizer',
  model: 'r.model_kind',
  dataset: 'r.dataset_name',
  created: 'r.created_at',
  started: 'r.started_at',
  ended: 'r.ended_at',
  steps: '(SELECT max(last_step) FROM series s WHERE s.run_id = r.id)',
  sweep: 'r.sweep_id',
};

const JSON_PATH = /^[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*(\.[A-Za-z_][A-Za-z0-9_]*(\[\d+\])*)*$/;
const OPS: readonly ConditionOp[] = ['=', '!=', '<', '<=', '>', '>='];

/**
 * SQL for a sort/where key: a column key, `hp.<path>`, `config.<path>`, or a summary metric
 * (`metric.<name>` or a bare name), whose value is the final one if written, else the latest
 * after step 0 (step 0 is the evaluation before training: no result of the run).
 */
export function keyExpr(db: Database.Database, file: string, key: string): SqlExpr {
  if (typeof key !== 'string' || !key) throw new StoreError('invalid', 'an empty sort or filter key', file);
  const column = COLUMN_KEYS[key];
  if (column) return { sql: column, params: [] };
  for (const [prefix, root] of [
    ['hp.', '$.optimizer.hyperparams.'],
    ['config.', '$.'],
  ] as const) {
    if (!key.startsWith(prefix)) continue;
    const path = key.slice(prefix.length);
    if (!JSON_PATH.test(path)) {
      throw new StoreError('invalid', `key ${JSON.stringify(key)}: ${JSON.stringify(path)} is not a dotted path like a.b[0].c`, file);
    }
    return { sql: 'json_extract(r.config, ?)', params: [root + path] };
  }
  const name = key.startsWith('metric.') ? key.slice('metric.'.length) : key;
  const found = db.prepare('SELECT id FROM metric_keys WHERE name = ?').get(name) as { id: number } | undefined;
  if (!found) {
    const metrics = (db.prepare('SELECT name FROM metric_keys ORDER BY name LIMIT 20').pluck().all() as string[]).join(', ');
    throw new StoreError(
      'invalid',
      `unknown key ${JSON.stringify(key)}: use one of ${Object.keys(COLUMN_KEYS).join(', ')}, hp.<name>, config.<path>` +
        (metrics ? `, or a metric (${metrics})` : ' (no metric has been logged yet)'),
      file,
    );
  }
  return {
    sql:
      'coalesce((SELECT value FROM run_final f WHERE f.run_id = r.id AND f.key_id = ?),' +
      ' (SELECT last_value FROM series s WHERE s.run_id = r.id AND s.key_id = ? AND s.last_step > 0))',
    params: [found.id, found.id],
  };
}

function conditionSql(db: Database.Database, file: string, c: Condition): SqlExpr {
  if (!OPS.includes(c.op)) throw new StoreError('invalid', `unknown comparison ${JSON.stringify(c.op)}: use ${OPS.join(' ')}`, file);
  const e = keyExpr(db, file, c.key);
  const value = typeof c.value === 'boolean' ? (c.value ? 1 : 0) : c.value;
  if (typeof value !== 'number' && typeof value !== 'string') throw new StoreError('invalid', `filter ${c.key}: value must be a number or text`, file);
  // Comparisons with NULL are never true: runs without a value for the key are left out.
  return { sql: `(${e.sql}) ${c.op} ?`, params: [...e.params, value] };
}

/** `\`, `%` and `_` taken literally in a LIKE pattern. */
const likeEscape = (s: string) => s.replace(/[\\%_]/g, (ch) => '\\' + ch);

export function listRuns(db: Database.Database, file: string, filter: RunFilter = {}): RunSummary[] {
  const where: string[] = [];
  const params: unknown[] = [];
  const statuses = filter.status === undefined ? [] : Array.isArray(filter.status) ? filter.status : [filter.status];
  for (const s of statuses) {
    if (!RUN_STATUSES.includes(s)) throw new StoreError('invalid', `unknown status ${JSON.stringify(s)}: use one of ${RUN_STATUSES.join(', ')}`, file);
  }
  if (statuses.length) {
    where.push('r.status IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(statuses));
  }
  if (filter.optimizer) {
    where.push('lower(r.optimizer) = lower(?)');
    params.push(filter.optimizer);
  }
  if (filter.dataset) {
    where.push('(r.dataset_name = ? OR r.data_source = ?)');
    params.push(filter.dataset, filter.dataset);
  }
  if (filter.sweep !== undefined) {
    if (!Number.isSafeInteger(filter.sweep)) throw new StoreError('invalid', `sweep ${JSON.stringify(filter.sweep)} is not a sweep id`, file);
    where.push('r.sweep_id = ?');
    params.push(filter.sweep);
  }
  for (const tag of filter.tag === undefined ? [] : Array.isArray(filter.tag) ? filter.tag : [filter.tag]) {
    where.push('EXISTS (SELECT 1 FROM run_tags t WHERE t.run_id = r.id AND t.tag = ?)');
    params.push(tag.trim());
  }
  if (filter.text) {
    where.push("(r.name LIKE ? ESCAPE '\\' OR r.notes LIKE ? ESCAPE '\\')");
    const pattern = `%${likeEscape(filter.text)}%`;
    params.push(pattern, pattern);
  }
  const archived = filter.archived ?? 'exclude';
  if (archived === 'exclude') where.push('r.archived = 0');
  else if (archived === 'only') where.push('r.archived = 1');
  for (const c of filter.where ?? []) {
    const e = conditionSql(db, file, c);
    where.push(e.sql);
    params.push(...e.params);
  }
  let order = 'r.created_at DESC, r.id DESC';
  if (filter.sort) {
    const e = keyExpr(db, file, filter.sort.key);
    // Runs without a value last, whichever the direction; ties newest first.
    order = `(${e.sql}) IS NULL, (${e.sql}) ${filter.sort.desc ? 'DESC' : 'ASC'}, r.id DESC`;
    params.push(...e.params, ...e.params);
  }
  const limit = filter.limit ?? -1;
  const offset = filter.offset ?? 0;
  if (!Number.isSafeInteger(limit) || !Number.isSafeInteger(offset) || offset < 0) {
    throw new StoreError('invalid', 'limit and offset must be whole numbers', file);
  }
  const sql = `SELECT r.* FROM runs r ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT ? OFFSET ?`;
  const rows = db.prepare(sql).all(...params, limit, offset) as RunRow[];
  return summarize(db, rows);
}

/** RunRow -> RunSummary for many rows at once: tags and summaries in two queries. */
function summarize(db: Database.Database, rows: RunRow[]): RunSummary[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const tags = new Map<number, string[]>();
  for (const t of db
    .prepare('SELECT run_id, tag FROM run_tags WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY tag')
    .all(ids) as { run_id: number; tag: string }[]) {
    let list = tags.get(t.run_id);
    if (!list) tags.set(t.run_id, (list = []));
    list.push(t.tag);
  }
  const summary = new Map<number, { values: Record<string, number>; lastStep: number | null }>();
  const entry = (id: number) => {
    let e = summary.get(id);
    if (!e) summary.set(id, (e = { values: {}, lastStep: null }));
    return e;
  };
  for (const s of db
    .prepare(
      `SELECT s.run_id, k.name, s.last_value, s.last_step FROM series s JOIN metric_keys k ON k.id = s.key_id
       WHERE s.run_id IN (SELECT value FROM json_each(?))`,
    )
    .all(ids) as { run_id: number; name: string; last_value: number | null; last_step: number }[]) {
    const e = entry(s.run_id);
    // A value last logged at step 0 is the evaluation before training, not a result of the run
    // (a run that diverged or was stopped before its first evaluation would rank by it).
    if (s.last_step > 0) e.values[s.name] = num(s.last_value);
    e.lastStep = Math.max(e.lastStep ?? -1, s.last_step);
  }
  for (const f of db
    .prepare(
      `SELECT f.run_id, k.name, f.value FROM run_final f JOIN metric_keys k ON k.id = f.key_id
       WHERE f.run_id IN (SELECT value FROM json_each(?))`,
    )
    .all(ids) as { run_id: number; name: string; value: number | null }[]) {
    entry(f.run_id).values[f.name] = num(f.value);
  }
  return rows.map((r) => {
    const config = JSON.parse(r.config) as RunConfig;
    const s = summary.get(r.id);
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      optimizer: r.optimizer,
      modelKind: r.model_kind,
      dataSource: r.data_source,
      dataset: r.dataset_name,
      datasetId: r.dataset_id,
      hyperparams: config.optimizer?.hyperparams ?? {},
      createdAt: iso(r.created_at),
      startedAt: r.started_at === null ? null : iso(r.started_at),
      endedAt: r.ended_at === null ? null : iso(r.ended_at),
      error: r.error,
      divergedStep: r.diverged_step,
      notes: r.notes,
      tags: tags.get(r.id) ?? [],
      archived: r.archived === 1,
      sweepId: r.sweep_id ?? null,
      summary: s?.values ?? {},
      lastStep: s?.lastStep ?? null,
    };
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

export function getRun(db: Database.Database, file: string, id: number): RunDetail {
  const row = requireRunRow(db, file, id);
  const [summary] = summarize(db, [row]);
  const series: SeriesInfo[] = (
    db
      .prepare('SELECT s.*, k.name FROM series s JOIN metric_keys k ON k.id = s.key_id WHERE s.run_id = ? ORDER BY k.name')
      .all(id) as (SeriesRow & { name: string })[]
  ).map((r) => {
    const s = statsFromRow(r);
    return {
      key: r.name,
      count: s.count,
      first: s.first!,
      last: s.last!,
      min: Number.isNaN(s.minValue) ? null : { step: s.minStep, value: s.minValue },
      max: Number.isNaN(s.maxValue) ? null : { step: s.maxStep, value: s.maxValue },
      firstNanStep: s.firstNanStep,
    };
  });
  const final: Record<string, number> = {};
  for (const f of db
    .prepare('SELECT k.name, f.value FROM run_final f JOIN metric_keys k ON k.id = f.key_id WHERE f.run_id = ? ORDER BY k.name')
    .all(id) as { name: string; value: number | null }[]) {
    final[f.name] = num(f.value);
  }
  const snapshots = db.prepare('SELECT count(*) AS n, count(DISTINCT step) AS steps FROM snapshots WHERE run_id = ?').get(id) as { n: number; steps: number };
  const config = JSON.parse(row.config) as RunConfig;
  return {
    ...summary,
    config,
    final,
    series,
    snapshotCount: snapshots.n,
    snapshotSteps: snapshots.steps,
    plannedSteps: plannedTotalSteps(config),
    owner: ownerOf(row),
    lastWriteAt: row.last_write_at === null ? null : iso(row.last_write_at),
  };
}

export function isRunStatus(s: string): s is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(s);
}
