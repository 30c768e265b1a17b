import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src-main/store/index.ts';
import { currentOwner, ownerLiveness } from '../../../src-main/store/owner.ts';
import { config, useTempDir } from './helpers.ts';

/** The pid of a process that has exited (and been reaped). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('run owners', () => {
  it('identify this process the same way every time, in every thread', () => {
    const me = currentOwner();
    expect(me.pid).toBe(process.pid);
    expect(currentOwner()).toBe(me);
    if (process.platform === 'linux') expect(me.start).toMatch(/^linux:[0-9a-f-]{36}:\d+$/);
  });

  it('are alive, dead, or unknown (another host)', () => {
    const me = currentOwner();
    expect(ownerLiveness(me)).toBe('alive');
    expect(ownerLiveness({ ...me, start: me.start + '0' })).toBe('dead'); // our pid, an earlier process
    expect(ownerLiveness({ ...me, pid: deadPid(), start: 'x' })).toBe('dead');
    expect(ownerLiveness({ ...me, host: 'elsewhere' })).toBe('unknown');
    expect(ownerLiveness(null)).toBe('dead');
    if (process.platform === 'linux') {
      // pid 1 exists, but it is not the process that started with our start ticks.
      expect(ownerLiveness({ ...me, pid: 1 })).toBe('dead');
    }
  });
});

describe('recovery on open', () => {
  const tempDir = useTempDir();

  it('marks interrupted the active runs of dead owners only, keeping their points', () => {
    const file = join(tempDir(), 'recover.sqlite');
    let store = openStore(file);
    const ids: Record<string, number> = {};
    for (const name of ['dead-running', 'dead-paused', 'dead-queued', 'reused-pid', 'live', 'other-host', 'dead-finished']) {
      ids[name] = store.createRun({ config: config(), name });
    }
    for (const name of ['dead-running', 'dead-paused', 'reused-pid', 'live', 'other-host', 'dead-finished']) store.startRun(ids[name]);
    for (let s = 0; s < 10; s++) store.log(ids['dead-running'], { step: s, epoch: 0, wallTime: s }, { train_loss: 1 / (s + 1) });
    store.pauseRun(ids['dead-paused']);
    store.endRun(ids['dead-finished'], 'finished');
    store.close();

    const me = currentOwner();
    const gone = deadPid();
    const db = new Database(file);
    const own = db.prepare('UPDATE runs SET owner_pid = ?, owner_host = ?, owner_start = ? WHERE id = ?');
    for (const name of ['dead-running', 'dead-paused', 'dead-queued', 'dead-finished']) own.run(gone, me.host, 'linux:earlier', ids[name]);
    own.run(me.pid, me.host, 'an-earlier-process', ids['reused-pid']);
    own.run(gone, 'another-machine', 'x', ids['other-host']);
    const lastWrite = (db.prepare('SELECT last_write_at FROM runs WHERE id = ?').pluck().get(ids['dead-running']) as number);
    db.close();

    store = openStore(file);
    const status = Object.fromEntries(Object.entries(ids).map(([name, id]) => [name, store.getRun(id).status]));
    expect(status).toEqual({
      'dead-running': 'interrupted',
      'dead-paused': 'interrupted',
      'dead-queued': 'interrupted',
      'reused-pid': 'interrupted',
      live: 'running',
      'other-host': 'running',
      'dead-finished': 'finished',
    });
    expect(store.recovered.map((r) => [r.id, r.was, r.lastStep])).toEqual([
      [ids['dead-running'], 'running', 9],
      [ids['dead-paused'], 'paused', null],
      [ids['dead-queued'], 'queued', null],
      [ids['reused-pid'], 'running', null],
    ]);
    const crashed = store.getRun(ids['dead-running']);
    expect(crashed.error).toBe(`interrupted: process ${gone} on ${me.host} ended while the run was running; metrics up to step 9 are kept`);
    expect(crashed.endedAt).toBe(new Date(lastWrite).toISOString()); // its last sign of life
    expect(store.exportSeries(ids['dead-running'])[0].value).toEqual(Array.from({ length: 10 }, (_, s) => 1 / (s + 1)));
    expect(store.getRun(ids['dead-queued']).error).toMatch(/while the run was queued; no metrics had been written/);
    // Interrupted runs are finished business: deletable, no more points.
    store.deleteRun(ids['dead-paused']);
    expect(() => store.log(ids['dead-running'], { step: 10, epoch: 0, wallTime: 0 }, { train_loss: 0 })).toThrow(/is interrupted/);
    store.close();
  });
});
