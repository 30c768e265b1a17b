// Forward-only schema migrations keyed on `PRAGMA user_version`. Migration k takes a database at
// version k-1 to version k. Never edit a migration once it has been merged: append a new one
// (and a test fixture at the old version in test/unit/store/migrations.test.ts).
import type Database from 'better-sqlite3';
import { rollupStatements, saveRollup } from './rollup-sql.ts';
import { SeriesRollup } from './rollup.ts';

export interface Migration {
  version: number;
  description: string;
  up(db: Database.Database): void;
}

/** `PRAGMA application_id` of Precond Lab files: "PREC". */
export const APPLICATION_ID = 0x50524543;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'datasets, runs, tags, metric keys, metrics, final metrics, snapshots',
    up(db) {
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.exec(`
        CREATE TABLE datasets (
          id INTEGER PRIMARY KEY,
          path TEXT NOT NULL,
          content_hash TEXT NOT NULL,
          size_bytes INTEGER NOT NULL,
          row_count INTEGER,
          column_count INTEGER,
          schema TEXT CHECK (schema IS NULL OR json_valid(schema)),
          created_at INTEGER NOT NULL,
          UNIQUE (content_hash, path)
        );
        CREATE TABLE runs (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          status TEXT NOT NULL CHECK (status IN
            ('queued', 'running', 'paused', 'finished', 'stopped', 'diverged', 'failed', 'interrupted')),
          config TEXT NOT NULL CHECK (json_valid(config)),
          optimizer TEXT NOT NULL,
          model_kind TEXT NOT NULL,
          data_source TEXT NOT NULL,
          dataset_name TEXT NOT NULL,
          dataset_id INTEGER REFERENCES datasets (id) ON DELETE SET NULL,
          created_at INTEGER NOT NULL,
          started_at INTEGER,
          ended_at INTEGER,
          error TEXT,
          diverged_step INTEGER,
          notes TEXT NOT NULL DEFAULT '',
          archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1))
        );
        CREATE INDEX runs_by_status ON runs (status);
        CREATE INDEX runs_by_created ON runs (created_at);
        CREATE INDEX runs_by_dataset ON runs (dataset_id);
        CREATE TABLE run_tags (
          run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          tag TEXT NOT NULL,
          PRIMARY KEY (run_id, tag)
        ) WITHOUT ROWID;
        CREATE INDEX run_tags_by_tag ON run_tags (tag);
        CREATE TABLE metric_keys (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE
        );
        -- One row per logged point. value NULL = NaN (SQLite cannot store NaN).
        CREATE TABLE metrics (
          run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          key_id INTEGER NOT NULL REFERENCES metric_keys (id),
          step INTEGER NOT NULL,
          epoch REAL NOT NULL,
          wall_time REAL NOT NULL,
          value REAL,
          PRIMARY KEY (run_id, key_id, step)
        ) WITHOUT ROWID;
        CREATE TABLE run_final (
          run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          key_id INTEGER NOT NULL REFERENCES metric_keys (id),
          value REAL,
          PRIMARY KEY (run_id, key_id)
        ) WITHOUT ROWID;
        CREATE TABLE snapshots (
          id INTEGER PRIMARY KEY,
          run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          step INTEGER NOT NULL,
          layer TEXT NOT NULL,
          kind TEXT NOT NULL,
          shape TEXT NOT NULL CHECK (json_valid(shape)),
          original_shape TEXT NOT NULL CHECK (json_valid(original_shape)),
          data BLOB NOT NULL,
          UNIQUE (run_id, step, layer, kind)
        );
      `);
    },
  },
  {
    version: 2,
    description: 'per-series summaries (latest, first, min, max) and min/max rollups for fast downsampling',
    up(db) {
      db.exec(`
        CREATE TABLE series (
          run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          key_id INTEGER NOT NULL REFERENCES metric_keys (id),
          count INTEGER NOT NULL,
          first_step INTEGER NOT NULL,
          first_epoch REAL NOT NULL,
          first_wall REAL NOT NULL,
          first_value REAL,
          last_step INTEGER NOT NULL,
          last_epoch REAL NOT NULL,
          last_wall REAL NOT NULL,
          last_value REAL,
          min_step INTEGER,
          min_value REAL,
          max_step INTEGER,
          max_value REAL,
          first_nan_step INTEGER,
          PRIMARY KEY (run_id, key_id)
        ) WITHOUT ROWID;
        CREATE TABLE metric_rollups (
          run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
          key_id INTEGER NOT NULL REFERENCES metric_keys (id),
          level INTEGER NOT NULL,
          chunk INTEGER NOT NULL,
          data BLOB NOT NULL,
          PRIMARY KEY (run_id, key_id, level, chunk)
        );
      `);
      // Build both from the points already stored, through the writer's own code path.
      const st = rollupStatements(db);
      const seriesList = db.prepare('SELECT DISTINCT run_id, key_id FROM metrics').all() as { run_id: number; key_id: number }[];
      const page = db.prepare(
        'SELECT step, epoch, wall_time, value FROM metrics WHERE run_id = ? AND key_id = ? AND step > ? ORDER BY step LIMIT 10000',
      );
      for (const { run_id, key_id } of seriesList) {
        const rollup = new SeriesRollup();
        let after = -1;
        for (;;) {
          const rows = page.all(run_id, key_id, after) as { step: number; epoch: number; wall_time: number; value: number | null }[];
          for (const r of rows) rollup.add({ step: r.step, epoch: r.epoch, wallTime: r.wall_time, value: r.value ?? NaN });
          saveRollup(st, run_id, key_id, rollup);
          rollup.markClean();
          if (rows.length < 10000) break;
          after = rows[rows.length - 1].step;
        }
      }
    },
  },
  {
    version: 3,
    description: 'owning process of each run and its last write, for crash recovery',
    up(db) {
      db.exec(`
        ALTER TABLE runs ADD COLUMN owner_pid INTEGER;
        ALTER TABLE runs ADD COLUMN owner_host TEXT;
        ALTER TABLE runs ADD COLUMN owner_start TEXT;
        ALTER TABLE runs ADD COLUMN last_write_at INTEGER;
      `);
    },
  },
  {
    version: 4,
    description: 'sweeps (one config over learning rates, seeds or optimizers) and the sweep each run belongs to',
    up(db) {
      db.exec(`
        CREATE TABLE sweeps (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          name TEXT NOT NULL,
          spec TEXT NOT NULL CHECK (json_valid(spec)),
          created_at INTEGER NOT NULL
        );
        ALTER TABLE runs ADD COLUMN sweep_id INTEGER REFERENCES sweeps (id) ON DELETE SET NULL;
        CREATE INDEX runs_by_sweep ON runs (sweep_id);
      `);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Applies migrations from+1 .. to. Run inside a write transaction; sets user_version as it goes. */
export function migrate(db: Database.Database, from: number, to: number = SCHEMA_VERSION): void {
  for (const m of MIGRATIONS) {
    if (m.version <= from || m.version > to) continue;
    m.up(db);
    db.pragma(`user_version = ${m.version}`);
  }
}
