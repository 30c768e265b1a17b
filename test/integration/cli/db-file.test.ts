// `--db` pointing at the wrong thing: a folder, a path under a file, a database this user may
// only read (reading commands open it read-only, writing ones refuse), and one that would need a
// migration it cannot get. Each is one line naming the file and what was expected.
import Database from 'better-sqlite3';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, SCHEMA_VERSION } from '../../../src-main/store/index.ts';
import { precondChild, precondWithoutRoot } from '../../helpers/cli.ts';
import { config, useTempDir } from '../../unit/store/helpers.ts';

const run = (args: string[]) => precondChild(args).result;

function oneRunDb(file: string): void {
  const store = openStore(file);
  const id = store.createRun({ config: config(), name: 'kept' });
  store.startRun(id);
  for (let s = 1; s <= 3; s++) store.log(id, { step: s, epoch: 0, wallTime: s }, { train_loss: 1 / s });
  store.endRun(id, 'finished');
  store.close();
}

describe('precond --db', () => {
  const tempDir = useTempDir();

  it('a folder, or a path under a file: one line naming it and what was expected, exit 1', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'x');
    const under = join(dir, 'plain', 'runs.sqlite');
    const [list, show, train, trainUnder] = await Promise.all([
      run(['runs', 'list', '--db', dir]),
      run(['runs', 'show', '1', '--db', dir]),
      run(['train', '--data', 'iris', '--db', dir]),
      run(['train', '--data', 'iris', '--db', under]),
    ]);
    const folder = `precond: ${dir} is a folder; expected a SQLite database file (e.g. ${join(dir, 'precond.sqlite')})\n`;
    for (const r of [list, show, train]) expect([r.status, r.stdout, r.stderr]).toEqual([1, '', folder]);
    expect([trainUnder.status, trainUnder.stderr]).toEqual([1, `precond: cannot create the database ${under}: a file is in the way of its folder\n`]);
  });

  it.skipIf(!precondWithoutRoot)('a database this user may only read: runs list/show/export work, writing commands refuse, nothing changes', () => {
    const dir = tempDir();
    const locked = join(dir, 'locked');
    mkdirSync(locked);
    const db = join(locked, 'runs.sqlite');
    oneRunDb(db);
    const before = readFileSync(db);
    chmodSync(dir, 0o755);
    chmodSync(db, 0o444);
    chmodSync(locked, 0o555); // no -wal/-shm can be made beside it either
    try {
      const as = precondWithoutRoot!;
      const list = as(['runs', 'list', '--json', '--db', db]);
      expect([list.status, list.stderr]).toEqual([0, '']);
      expect((JSON.parse(list.stdout) as { name: string; status: string }[]).map((r) => [r.name, r.status])).toEqual([['kept', 'finished']]);
      const show = as(['runs', 'show', '1', '--db', db]);
      expect([show.status, show.stdout.split('\n')[1]]).toEqual([0, 'name       kept']);
      const csv = as(['runs', 'export', '1', '--db', db]);
      expect([csv.status, csv.stdout.split('\n').slice(0, 2)]).toEqual([0, ['step,epoch,wall_time,train_loss', '1,0,1,1']]);
      for (const args of [['runs', 'delete', '1'], ['runs', 'rename', '1', 'new'], ['train', '--data', 'iris', '--steps', '1']]) {
        const r = as([...args, '--db', db]);
        expect([args, r.status, r.stdout]).toEqual([args, 1, '']);
        expect(r.stderr).toMatch(new RegExp(`^precond: ${db.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: attempt to write a readonly database \\(while opening it\\)\\n$`));
      }
      expect(readFileSync(db).equals(before)).toBe(true);
    } finally {
      chmodSync(locked, 0o755);
    }
  });

  it.skipIf(!precondWithoutRoot)('a read-only database from an older schema is refused, saying it needs a migration', () => {
    const dir = tempDir();
    const db = join(dir, 'old.sqlite');
    oneRunDb(db);
    const conn = new Database(db);
    conn.pragma(`user_version = ${SCHEMA_VERSION - 1}`); // as an older Precond Lab left it
    conn.close();
    chmodSync(dir, 0o755);
    chmodSync(db, 0o444);
    const r = precondWithoutRoot!(['runs', 'list', '--db', db]);
    expect([r.status, r.stdout]).toEqual([1, '']);
    expect(r.stderr).toBe(
      `precond: ${db} is read-only for you and was written by an older Precond Lab (schema version ${SCHEMA_VERSION - 1}; this one needs ${SCHEMA_VERSION}): ` +
        'it must be upgraded, which needs write access; make it writable (or copy it) and try again. The file was not changed.\n',
    );
  });
});
