// Files the user names for output (`runs export --out`, the app's save dialogs): a folder, a
// folder that does not exist, a file where a folder should be, a read-only place or file, and a
// write that fails half-way. Each is one line naming the user's path, and nothing is left behind.
import { chmodSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputFileError, writeFileAtomically } from '../../../src-main/io/output-file.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { precondChild, precondWithoutRoot } from '../../helpers/cli.ts';
import { config, useTempDir } from '../../unit/store/helpers.ts';

function errorOf(fn: () => unknown): OutputFileError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OutputFileError) return err;
    throw err;
  }
  throw new Error('no error thrown');
}

function oneRunDb(file: string): void {
  const store = openStore(file);
  const id = store.createRun({ config: config(), name: 'one' });
  store.startRun(id);
  for (let s = 1; s <= 3; s++) store.log(id, { step: s, epoch: 0, wallTime: s }, { train_loss: 1 / s });
  store.endRun(id, 'finished');
  store.close();
}

describe('writeFileAtomically', () => {
  const tempDir = useTempDir();

  it('refuses a folder, a missing folder and a file used as a folder, naming the path given', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'plain'), 'x');
    const put = (p: (s: string) => void) => p('a,b\n');
    expect(errorOf(() => writeFileAtomically(dir, put, { suggestedName: 'run-3.csv' })).message).toBe(`${dir} is a folder: give a file name to write (e.g. ${join(dir, 'run-3.csv')})`);
    expect(errorOf(() => writeFileAtomically(join(dir, 'nope', 'x.csv'), put)).message).toBe(
      `cannot write ${join(dir, 'nope', 'x.csv')}: the folder ${join(dir, 'nope')} does not exist (create it first, or choose another path)`,
    );
    expect(errorOf(() => writeFileAtomically(join(dir, 'plain', 'x.csv'), put)).message).toBe(`cannot write ${join(dir, 'plain', 'x.csv')}: ${join(dir, 'plain')} is a file, not a folder`);
    expect(readdirSync(dir)).toEqual(['plain']);
  });

  it('a writer that fails half-way leaves the old file as it was and no temp file', () => {
    const dir = tempDir();
    const file = join(dir, 'out.csv');
    writeFileSync(file, 'old\n');
    expect(() =>
      writeFileAtomically(file, (put) => {
        put('new,half\n');
        throw new Error('the export broke');
      }),
    ).toThrow('the export broke');
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
    expect(writeFileAtomically(file, (put) => put(new TextEncoder().encode('new\n')))).toBe(file);
    expect([readFileSync(file, 'utf8'), readdirSync(dir)]).toEqual(['new\n', ['out.csv']]);
  });
});

describe('precond runs export --out', () => {
  const tempDir = useTempDir();

  it('a folder, a missing folder, a file as folder: one line naming the path, exit 1, nothing written', async () => {
    const dir = tempDir();
    const db = join(dir, 'runs.sqlite');
    oneRunDb(db);
    mkdirSync(join(dir, 'folder'));
    writeFileSync(join(dir, 'plain'), 'x');
    const outs = [join(dir, 'folder'), join(dir, 'missing', 'x.csv'), join(dir, 'plain', 'x.csv')];
    const results = await Promise.all(outs.map((out) => precondChild(['runs', 'export', '1', '--out', out, '--db', db]).result));
    expect(results.map((r) => [r.status, r.stdout, r.stderr])).toEqual([
      [1, '', `precond: --out: ${outs[0]} is a folder: give a file name to write (e.g. ${join(outs[0], 'run-1.csv')})\n`],
      [1, '', `precond: --out: cannot write ${outs[1]}: the folder ${join(dir, 'missing')} does not exist (create it first, or choose another path)\n`],
      [1, '', `precond: --out: cannot write ${outs[2]}: ${join(dir, 'plain')} is a file, not a folder\n`],
    ]);
    expect(readdirSync(dir).filter((f) => !f.startsWith('runs.sqlite')).sort()).toEqual(['folder', 'plain']); // no temp file left
    expect(readdirSync(join(dir, 'folder'))).toEqual([]);
    const ok = await precondChild(['runs', 'export', '1', '--out', join(dir, 'folder', 'one.csv'), '--db', db]).result;
    expect([ok.status, ok.stderr]).toEqual([0, `wrote run 1 (3 rows) to ${join(dir, 'folder', 'one.csv')}\n`]);
    expect(readFileSync(join(dir, 'folder', 'one.csv'), 'utf8').split('\n')[0]).toBe('step,epoch,wall_time,train_loss');
  });

  it.skipIf(!precondWithoutRoot)('a read-only folder or file: permission named with the user\'s path, never the temp file', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755); // the unprivileged user must reach the files
    const db = join(dir, 'runs.sqlite');
    oneRunDb(db);
    chmodSync(db, 0o666);
    const locked = join(dir, 'locked');
    mkdirSync(locked, { mode: 0o555 });
    chmodSync(locked, 0o555);
    const readOnlyFile = join(dir, 'kept.csv');
    writeFileSync(readOnlyFile, 'keep me\n');
    chmodSync(readOnlyFile, 0o444);
    chmodSync(dir, 0o777); // the folder itself is writable: only the file is protected
    const inLocked = precondWithoutRoot!(['runs', 'export', '1', '--out', join(locked, 'x.csv'), '--db', db]);
    expect([inLocked.status, inLocked.stderr]).toEqual([1, `precond: --out: cannot write ${join(locked, 'x.csv')}: permission denied (the folder ${locked} or the file is not writable by you)\n`]);
    const overReadOnly = precondWithoutRoot!(['runs', 'export', '1', '--out', readOnlyFile, '--db', db]);
    expect([overReadOnly.status, overReadOnly.stderr]).toEqual([1, `precond: --out: cannot write ${readOnlyFile}: the file is read-only\n`]);
    expect(readFileSync(readOnlyFile, 'utf8')).toBe('keep me\n');
    expect(readdirSync(locked)).toEqual([]);
    for (const r of [inLocked, overReadOnly]) expect(r.stderr).not.toMatch(/\.tmp|internal error/);
  });
});
