// Opening the run store, and RunStore: the one object the runner, the API and the CLI use.
import Database from 'better-sqlite3';
import { accessSync, closeSync, constants, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { sqliteCode, StoreError, storeErrorFrom } from './errors.ts';
import { DB_FILE_NAME, ensureDbFolder } from './location.ts';
import { APPLICATION_ID, migrate, SCHEMA_VERSION } from './migrations.ts';
import { getRun, listRuns } from './queries.ts';
import * as runs from './runs.ts';
import * as sweeps from './sweeps.ts';
import { SeriesReader } from './series.ts';
import type {
  DatasetInfo,
  DatasetRecord,
  EndStatus,
  ExportRow,
  NewRun,
  NewSweep,
  RunDetail,
  RunFilter,
  RunSummary,
  Series,
  SeriesQuery,
  Snapshot,
  SnapshotInput,
  SnapshotQuery,
  StepAt,
  SweepRecord,
} from './types.ts';
import { MetricWriter, type WriterOptions } from './writer.ts';

export interface OpenOptions {
  /** Create the file (and its folder) if missing. Default true; false -> StoreError 'missing'. */
  create?: boolean;
  /** How long to wait for another connection's write lock before giving up. Default 5000 ms. */
  busyTimeoutMs?: number;
  writer?: WriterOptions;
  /**
   * better-sqlite3's compiled binding to load instead of the one in node_modules (built for
   * Node's ABI): `npm start` passes one built for Electron's ABI to the desktop app.
   */
  nativeBinding?: string;
  /**
   * The caller only reads (listing, showing, exporting): when the file (or its folder) is not
   * writable by this user, it is opened read-only instead of failing. Nothing is migrated or
   * recovered then; a file that needs a migration is refused with a StoreError 'readonly'.
   */
  readOnlyIfNotWritable?: boolean;
}

const SQLITE_MAGIC = 'SQLite format 3\0';

/** Refuses, without writing anything, a file that is not a SQLite database. Empty is fine. */
function checkHeader(file: string): void {
  const head = Buffer.alloc(16);
  let size: number;
  try {
    size = statSync(file).size;
    if (size === 0) return;
    const fd = openSync(file, 'r');
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    throw new StoreError('io', `cannot read ${file}: ${(err as Error).message}`, file, { cause: err });
  }
  if (size < 512 || head.toString('latin1') !== SQLITE_MAGIC) {
    throw new StoreError('corrupt', `${file} is not a SQLite database (it does not start with the "SQLite format 3" header)`, file);
  }
}

/**
 * Opens (creating if needed) the store in `file`: checks it is a Precond Lab database no newer
 * than this code, switches it to WAL with foreign keys on, applies pending migrations, and marks
 * runs left active by dead processes `interrupted` (see `recovered`). Nothing is written to a
 * file that fails a check.
 */
export function openStore(file: string, opts: OpenOptions = {}): RunStore {
  const path = resolve(file);
  const busy = opts.busyTimeoutMs ?? 5000;
  if (isFolder(path)) {
    throw new StoreError('io', `${path} is a folder; expected a SQLite database file (e.g. ${join(path, DB_FILE_NAME)})`, path);
  }
  if (existsSync(path)) checkHeader(path);
  else if (opts.create === false) throw new StoreError('missing', `${path} does not exist`, path);
  else createDbFolder(path);
  if (opts.readOnlyIfNotWritable && existsSync(path) && !writable(path)) return openReadOnly(path, busy, opts);
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: busy, ...(opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {}) });
  } catch (err) {
    throw storeErrorFrom(err, path, 'opening it', busy);
  }
  try {
    // Checks first, read-only: a refused file must stay exactly as it was.
    checkSchema(db, path);
    if (db.pragma('journal_mode', { simple: true }) !== 'wal') {
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (mode !== 'wal') throw new StoreError('io', `${path}: could not switch to WAL journaling (got ${String(mode)})`, path);
    }
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL'); // in WAL: a crash loses nothing committed; power loss at most the last commits
    db.pragma('cache_size = -16384'); // 16 MiB of pages (default 2): the rollups of many long runs stay in memory
    const recovered = db
      .transaction(() => {
        // Again under the write lock: another process may have migrated in between.
        const version = checkSchema(db, path);
        migrate(db, version);
        return runs.recoverOrphans(db);
      })
      .immediate();
    return new RunStore(db, path, recovered, opts.writer);
  } catch (err) {
    db.close();
    throw storeErrorFrom(err, path, 'opening it', busy);
  }
}

/** Whether `path` is a folder (false when nothing is there, or a file is where a folder should be). */
function isFolder(path: string): boolean {
  try {
    return statSync(path, { throwIfNoEntry: false })?.isDirectory() === true;
  } catch {
    return false;
  }
}

/** Whether this user may write the file and its folder (SQLite writes -wal and -shm beside it). */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The folder that will hold a new database; a failure names the database and what is in the way. */
function createDbFolder(path: string): void {
  try {
    ensureDbFolder(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOTDIR' || code === 'EEXIST'
        ? 'a file is in the way of its folder'
        : code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
          ? `its folder ${dirname(path)} cannot be created here (permission denied)`
          : (err as Error).message;
    throw new StoreError('io', `cannot create the database ${path}: ${why}`, path, { cause: err });
  }
}

/** A store this user may only read: checked as usual, then no migration, WAL switch or recovery. */
function openReadOnly(path: string, busy: number, opts: OpenOptions): RunStore {
  const binding = opts.nativeBinding ? { nativeBinding: opts.nativeBinding } : {};
  let db = new Database(path, { readonly: true, fileMustExist: true, timeout: busy, ...binding });
  try {
    db.pragma('user_version', { simple: true });
  } catch (err) {
    db.close();
    // A WAL database needs its -shm file, which SQLite cannot create in a folder this user may
    // not write. With no -wal file beside it the main file holds every commit: read an
    // in-memory copy, its header switched from WAL (bytes 18-19 = 2) to a plain journal (1).
    if (sqliteCode(err) !== 'SQLITE_READONLY_DIRECTORY' && sqliteCode(err) !== 'SQLITE_CANTOPEN') throw storeErrorFrom(err, path, 'opening it read-only', busy);
    if (existsSync(`${path}-wal`)) {
      throw new StoreError(
        'readonly',
        `${path} is read-only for you, in a folder you cannot write, and has a write-ahead log (${path}-wal) that SQLite cannot replay without writing; ` +
          'open it once as its owner (any precond command), or copy the folder, and try again',
        path,
        { cause: err },
      );
    }
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (readErr) {
      throw new StoreError('io', `cannot read ${path}: ${(readErr as Error).message}`, path, { cause: readErr });
    }
    bytes[18] = bytes[19] = 1;
    db = new Database(bytes, { readonly: true, ...binding });
  }
  try {
    const version = checkSchema(db, path);
    if (version < SCHEMA_VERSION) {
      throw new StoreError(
        'readonly',
        `${path} is read-only for you and was written by an older Precond Lab (schema version ${version}; this one needs ${SCHEMA_VERSION}): ` +
          'it must be upgraded, which needs write access; make it writable (or copy it) and try again. The file was not changed.',
        path,
      );
    }
    db.pragma('cache_size = -16384');
    return new RunStore(db, path, [], opts.writer);
  } catch (err) {
    db.close();
    throw storeErrorFrom(err, path, 'opening it read-only', busy);
  }
}

function checkSchema(db: Database.Database, path: string): number {
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    throw new StoreError(
      'newer-schema',
      `${path} was written by a newer Precond Lab (schema version ${version}; this one knows up to ${SCHEMA_VERSION}); ` +
        'update Precond Lab to open it. The file was not changed.',
      path,
    );
  }
  const appId = db.pragma('application_id', { simple: true }) as number;
  const tables = db.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'table'").pluck().get() as number;
  if ((appId !== 0 && appId !== APPLICATION_ID) || (version === 0 && tables > 0)) {
    throw new StoreError('foreign', `${path} is a SQLite database that Precond Lab did not create; it was not changed`, path);
  }
  return version;
}

export class RunStore {
  readonly writer: MetricWriter;
  private readonly reader: SeriesReader;
  private readonly exitHook = () => {
    try {
      this.close();
    } catch (err) {
      process.stderr.write(`precond: ${err instanceof Error ? err.message : String(err)}\n`);
    }
  };

  constructor(
    private readonly db: Database.Database,
    /** Absolute path of the database file. */
    readonly file: string,
    /** Runs this open found abandoned by a dead process and marked `interrupted`. */
    readonly recovered: runs.RecoveredRun[],
    writerOptions?: WriterOptions,
  ) {
    this.writer = new MetricWriter(db, file, writerOptions);
    this.reader = new SeriesReader(db, file);
    // Commits what the writer still holds when the process exits normally.
    process.on('exit', this.exitHook);
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  // --- runs ---------------------------------------------------------------------------------

  /** A new `queued` run owned by this process; returns its id. */
  createRun(input: NewRun): number {
    return this.guard('creating a run', () => runs.createRun(this.db, this.file, input));
  }

  getRun(id: number): RunDetail {
    return this.guard('reading a run', () => getRun(this.db, this.file, id));
  }

  listRuns(filter: RunFilter = {}): RunSummary[] {
    return this.guard('listing runs', () => listRuns(this.db, this.file, filter));
  }

  /** queued -> running; this process becomes the owner. */
  startRun(id: number): void {
    this.setStatus(id, 'running');
  }

  pauseRun(id: number): void {
    this.setStatus(id, 'paused');
  }

  resumeRun(id: number): void {
    this.setStatus(id, 'running');
  }

  /**
   * Ends a run: commits its buffered points, then in one transaction writes the final metrics
   * and the status (with the error text of a failed run, the step a diverged run blew up at).
   */
  endRun(id: number, status: EndStatus, extra: runs.TransitionExtra = {}): void {
    if (!runs.endStatusAllowed(status)) throw new StoreError('invalid', `${String(status)} is not a way a run can end`, this.file);
    this.setStatus(id, status, extra);
    this.writer.forgetRun(id);
  }

  renameRun(id: number, name: string): void {
    this.guard('renaming a run', () => runs.renameRun(this.db, this.file, id, name));
  }

  setNotes(id: number, notes: string): void {
    this.guard('saving notes', () => runs.setNotes(this.db, this.file, id, notes));
  }

  /** Adds a tag; false if the run already had it. */
  addTag(id: number, tag: string): boolean {
    return this.guard('tagging a run', () => runs.addTag(this.db, this.file, id, tag));
  }

  /** Removes a tag; false if the run did not have it. */
  removeTag(id: number, tag: string): boolean {
    return this.guard('untagging a run', () => runs.removeTag(this.db, this.file, id, tag));
  }

  /** Hides a run from the default list; reversible with unarchiveRun. */
  archiveRun(id: number): void {
    this.guard('archiving a run', () => runs.setArchived(this.db, this.file, id, true));
  }

  unarchiveRun(id: number): void {
    this.guard('unarchiving a run', () => runs.setArchived(this.db, this.file, id, false));
  }

  /** Deletes a run with all its metrics, snapshots and tags. A live run must be stopped first. */
  deleteRun(id: number): void {
    this.guard('deleting a run', () => runs.deleteRun(this.db, this.file, id));
    this.writer.forgetRun(id);
  }

  // --- sweeps ------------------------------------------------------------------------------

  /** Records a sweep (its runs are then created with `sweepId`); returns its id. */
  createSweep(input: NewSweep): number {
    return this.guard('creating a sweep', () => sweeps.createSweep(this.db, this.file, input));
  }

  getSweep(id: number): SweepRecord {
    return this.guard('reading a sweep', () => sweeps.getSweep(this.db, this.file, id));
  }

  /** Every sweep, newest first. */
  listSweeps(limit?: number): SweepRecord[] {
    return this.guard('listing sweeps', () => sweeps.listSweeps(this.db, limit));
  }

  /** Deletes a sweep's record; its runs are kept, no longer in a sweep. */
  deleteSweep(id: number): void {
    this.guard('deleting a sweep', () => sweeps.deleteSweep(this.db, this.file, id));
  }

  // --- points -------------------------------------------------------------------------------

  /** Buffers one point per key of `values` at `at` (see MetricWriter.append). */
  log(runId: number, at: StepAt, values: Record<string, number>): void {
    this.writer.append(runId, at, values);
  }

  logSnapshot(runId: number, snapshot: SnapshotInput): void {
    this.writer.snapshot(runId, snapshot);
  }

  /** Series of several runs x keys, each downsampled in the store to <= maxPoints points. */
  series(query: SeriesQuery): Series[] {
    return this.guard('reading metrics', () => this.reader.series(query));
  }

  /** Every point of every key of a run (full resolution). */
  exportSeries(runId: number): Series[] {
    return this.guard('exporting metrics', () => this.reader.fullSeries(runId));
  }

  /** One row per step, one column per key (full resolution), read lazily. */
  exportTable(runId: number): { keys: string[]; rows: () => Generator<ExportRow> } {
    return this.guard('exporting metrics', () => this.reader.table(runId));
  }

  snapshots(runId: number, query: SnapshotQuery = {}): Snapshot[] {
    return this.guard('reading snapshots', () => this.reader.snapshots(runId, query));
  }

  /** Every metric key logged in this store, sorted. */
  metricKeys(): string[] {
    return this.guard('reading metric keys', () => this.db.prepare('SELECT name FROM metric_keys ORDER BY name').pluck().all() as string[]);
  }

  // --- datasets -----------------------------------------------------------------------------

  /** Records a data set (same path and content hash -> same id); returns its id. */
  recordDataset(info: DatasetInfo): number {
    return this.guard('recording a data set', () =>
      (
        this.db
          .prepare(
            `INSERT INTO datasets (path, content_hash, size_bytes, row_count, column_count, schema, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (content_hash, path) DO UPDATE SET size_bytes = excluded.size_bytes,
               row_count = excluded.row_count, column_count = excluded.column_count, schema = excluded.schema
             RETURNING id`,
          )
          .get(
            info.path,
            info.contentHash,
            info.sizeBytes,
            info.rows ?? null,
            info.columns ?? null,
            info.schema === undefined ? null : JSON.stringify(info.schema),
            Date.now(),
          ) as { id: number }
      ).id,
    );
  }

  getDataset(id: number): DatasetRecord {
    return this.guard('reading a data set', () => {
      const r = this.db.prepare('SELECT * FROM datasets WHERE id = ?').get(id) as
        | { id: number; path: string; content_hash: string; size_bytes: number; row_count: number | null; column_count: number | null; schema: string | null; created_at: number }
        | undefined;
      if (!r) throw new StoreError('not-found', `data set ${id} not found in ${this.file}`, this.file);
      return {
        id: r.id,
        path: r.path,
        contentHash: r.content_hash,
        sizeBytes: r.size_bytes,
        rows: r.row_count,
        columns: r.column_count,
        schema: r.schema === null ? undefined : (JSON.parse(r.schema) as unknown),
        createdAt: new Date(r.created_at).toISOString(),
      };
    });
  }

  /** Commits what the writer holds, then closes the file. Safe to call twice. */
  close(): void {
    process.off('exit', this.exitHook);
    if (!this.db.open) return;
    try {
      this.writer.close();
    } finally {
      this.db.close();
    }
  }

  /**
   * Reads and edits see every point logged before them: what the writer holds is committed
   * first. If another process holds the lock, they go on with what is committed (WAL readers
   * never wait) and the writer keeps its points for its next commit.
   */
  private commitPending(): void {
    if (this.writer.pending === 0) return;
    try {
      this.writer.flush();
    } catch (err) {
      if (!(err instanceof StoreError && err.code === 'locked')) throw err;
    }
  }

  private setStatus(id: number, to: 'running' | 'paused' | EndStatus, extra: runs.TransitionExtra = {}): void {
    // Points logged before a status change are committed before it.
    this.writer.flush();
    this.guard(`setting run ${id} ${to}`, () => runs.transition(this.db, this.file, id, to, extra));
  }

  private guard<T>(doing: string, fn: () => T): T {
    if (!this.db.open) throw new StoreError('conflict', `the store ${this.file} is closed`, this.file);
    this.commitPending();
    try {
      return fn();
    } catch (err) {
      // SQLite failures become StoreErrors; anything else is a bug and goes up as it is.
      if (err instanceof StoreError || sqliteCode(err)) throw storeErrorFrom(err, this.file, doing);
      throw err;
    }
  }
}
