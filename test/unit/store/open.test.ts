import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, SCHEMA_VERSION, StoreError } from '../../../src-main/store/index.ts';
import { APPLICATION_ID } from '../../../src-main/store/migrations.ts';
import { config, fileState, useTempDir } from './helpers.ts';

function openError(file: string, opts: Parameters<typeof openStore>[1] = {}): StoreError {
  try {
    openStore(file, opts).close();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error(`opening ${file} should have failed`);
}

/** A closed store file holding one finished run with a few points. */
function storeWithARun(file: string): void {
  const store = openStore(file);
  const id = store.createRun({ config: config() });
  store.startRun(id);
  for (let s = 0; s < 50; s++) store.log(id, { step: s, epoch: 0, wallTime: s / 10 }, { train_loss: 1 / (s + 1) });
  store.endRun(id, 'finished');
  store.close();
}

describe('opening the store', () => {
  const tempDir = useTempDir();

  it('creates the file and its folder at the current schema: WAL, foreign keys on, our application id', () => {
    const file = join(tempDir(), 'nested', 'folder', 'runs.sqlite');
    const store = openStore(file);
    expect(store.file).toBe(file);
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('application_id', { simple: true })).toBe(APPLICATION_ID);
    const tables = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(
      expect.arrayContaining(['datasets', 'metric_keys', 'metric_rollups', 'metrics', 'run_final', 'run_tags', 'runs', 'series', 'snapshots']),
    );
    db.close();
  });

  it('turns foreign keys on for its connection (a point of a missing run is refused)', () => {
    const file = join(tempDir(), 'fk.sqlite');
    const store = openStore(file);
    const db = (store as unknown as { db: Database.Database }).db; // the store's own connection
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(() => db.prepare('INSERT INTO metrics VALUES (999, 1, 0, 0, 0, 1)').run()).toThrow(/FOREIGN KEY/);
    store.close();
  });

  it('with create: false, refuses a missing file and creates nothing', () => {
    const file = join(tempDir(), 'absent.sqlite');
    const err = openError(file, { create: false });
    expect(err.code).toBe('missing');
    expect(err.message).toContain(file);
    expect(existsSync(file)).toBe(false);
  });

  it('refuses a file of garbage bytes, naming it, and leaves it untouched', () => {
    const file = join(tempDir(), 'garbage.sqlite');
    writeFileSync(file, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919 + 13) % 256)));
    const before = fileState(file);
    const err = openError(file);
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/not a SQLite database/);
    expect(fileState(file)).toEqual(before);
  });

  it('refuses a folder, naming it and what was expected', () => {
    const folder = join(tempDir(), 'a-folder.sqlite');
    mkdirSync(folder);
    const err = openError(folder);
    expect(err.code).toBe('io');
    expect(err.message).toBe(`${folder} is a folder; expected a SQLite database file (e.g. ${join(folder, 'precond.sqlite')})`);
  });

  it('refuses a SQLite file whose schema page is damaged, and leaves it untouched', () => {
    const file = join(tempDir(), 'damaged.sqlite');
    storeWithARun(file);
    const bytes = readFileSync(file);
    for (let i = 100; i < 4096; i++) bytes[i] = (i * 31) % 256; // page 1 after the header: the schema's b-tree
    writeFileSync(file, bytes);
    const before = fileState(file);
    const err = openError(file);
    expect(err.code).toBe('corrupt');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/damaged|malformed/);
    expect(fileState(file)).toEqual(before);
  });

  it('refuses a file from a newer schema version, saying which, and leaves it untouched', () => {
    const file = join(tempDir(), 'newer.sqlite');
    storeWithARun(file);
    const raw = new Database(file);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    const before = fileState(file);
    const err = openError(file);
    expect(err.code).toBe('newer-schema');
    expect(err.message).toContain(file);
    expect(err.message).toContain(`schema version ${SCHEMA_VERSION + 1}`);
    expect(fileState(file)).toEqual(before);
  });

  it('refuses a SQLite database Precond Lab did not create, and leaves it untouched', () => {
    const file = join(tempDir(), 'other-app.sqlite');
    const raw = new Database(file);
    raw.exec('CREATE TABLE runs (x); INSERT INTO runs VALUES (1)');
    raw.close();
    const before = fileState(file);
    const err = openError(file);
    expect(err.code).toBe('foreign');
    expect(err.message).toContain(file);
    expect(fileState(file)).toEqual(before);
  });

  it('refuses a file another connection holds the write lock on, naming it, and leaves it untouched', () => {
    const file = join(tempDir(), 'locked.sqlite');
    storeWithARun(file);
    const other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run(); // a second writer in the middle of a transaction
    try {
      const before = readFileSync(file);
      const err = openError(file, { busyTimeoutMs: 100 });
      expect(err.code).toBe('locked');
      expect(err.message).toContain(file);
      expect(err.message).toMatch(/locked by another process/);
      expect(readFileSync(file).equals(before)).toBe(true);
    } finally {
      other.prepare('ROLLBACK').run();
      other.close();
    }
    // Once the lock is released the same file opens, its run intact.
    const store = openStore(file);
    expect(store.listRuns().map((r) => r.status)).toEqual(['finished']);
    store.close();
  });

  it('lets two stores use one file at once (a CLI next to the app)', () => {
    const file = join(tempDir(), 'shared.sqlite');
    const app = openStore(file);
    const cli = openStore(file);
    const id = app.createRun({ config: config() });
    app.startRun(id);
    app.log(id, { step: 1, epoch: 0, wallTime: 0 }, { train_loss: 2 });
    app.writer.flush();
    expect(cli.getRun(id).summary).toEqual({ train_loss: 2 });
    expect(cli.getRun(id).status).toBe('running'); // its owner (this process) is alive
    cli.addTag(id, 'from-cli');
    expect(app.getRun(id).tags).toEqual(['from-cli']);
    cli.close();
    app.close();
  });
});
