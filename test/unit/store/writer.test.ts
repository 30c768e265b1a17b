import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, StoreError, type FlushStats, type RunStore } from '../../../src-main/store/index.ts';
import { config, useTempDir } from './helpers.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Points committed, as seen by an independent connection (what another process would see). */
function committed(file: string, runId?: number): number {
  const db = new Database(file, { readonly: true });
  try {
    return (runId === undefined
      ? db.prepare('SELECT count(*) FROM metrics').pluck().get()
      : db.prepare('SELECT count(*) FROM metrics WHERE run_id = ?').pluck().get(runId)) as number;
  } finally {
    db.close();
  }
}

function running(store: RunStore): number {
  const id = store.createRun({ config: config() });
  store.startRun(id);
  return id;
}

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

describe('the batched writer', () => {
  const tempDir = useTempDir();

  it('holds points in memory and commits them in one transaction when the interval has passed', async () => {
    const file = join(tempDir(), 'timer.sqlite');
    const flushes: FlushStats[] = [];
    const store = openStore(file, { writer: { flushIntervalMs: 50, onFlush: (s) => flushes.push(s) } });
    const id = running(store);
    for (let s = 0; s < 20; s++) store.log(id, { step: s, epoch: 0, wallTime: s / 100 }, { train_loss: 1 / (s + 1), lr: 0.01 });
    expect(store.writer.pending).toBe(40);
    expect(committed(file)).toBe(0);
    await sleep(200); // the event loop is free: the timer commits
    expect(committed(file)).toBe(40);
    expect(store.writer.pending).toBe(0);
    expect(flushes).toHaveLength(1);
    expect(flushes[0]).toMatchObject({ points: 40, snapshots: 0, lastStep: new Map([[id, 19]]) });
    store.close();
  });

  it('commits from inside a synchronous loop that never yields to timers', () => {
    const file = join(tempDir(), 'sync.sqlite');
    const store = openStore(file, { writer: { flushIntervalMs: 20, maxPendingRows: 1e9 } });
    const id = running(store);
    const start = performance.now();
    let step = 0;
    while (performance.now() - start < 100) store.log(id, { step: step++, epoch: 0, wallTime: 0 }, { train_loss: step });
    // Still inside the same synchronous stretch: most of it is already durable.
    const durable = committed(file, id);
    expect(durable).toBeGreaterThan(0);
    expect(durable + store.writer.pending).toBe(step);
    store.close();
    expect(committed(file, id)).toBe(step);
  });

  it('commits as soon as maxPendingRows points are buffered', () => {
    const file = join(tempDir(), 'rows.sqlite');
    const store = openStore(file, { writer: { flushIntervalMs: 60_000, maxPendingRows: 10 } });
    const id = running(store);
    for (let s = 0; s < 9; s++) store.log(id, { step: s, epoch: 0, wallTime: 0 }, { train_loss: s });
    expect(committed(file)).toBe(0);
    store.log(id, { step: 9, epoch: 0, wallTime: 0 }, { train_loss: 9 });
    expect(committed(file)).toBe(10);
    store.close();
  });

  it('commits what it holds on close and before a status change', () => {
    const file = join(tempDir(), 'close.sqlite');
    const store = openStore(file, { writer: { flushIntervalMs: 60_000 } });
    const a = running(store);
    const b = running(store);
    store.log(a, { step: 0, epoch: 0, wallTime: 0 }, { train_loss: 1 });
    store.pauseRun(a);
    expect(committed(file, a)).toBe(1);
    store.log(b, { step: 0, epoch: 0, wallTime: 0 }, { train_loss: 1 });
    store.close();
    expect(committed(file, b)).toBe(1);
    expect(() => store.log(b, { step: 1, epoch: 0, wallTime: 0 }, { train_loss: 1 })).toThrow(StoreError);
  });

  it('keeps NaN and ±Infinity exactly, and every epoch and wall time', () => {
    const file = join(tempDir(), 'values.sqlite');
    const store = openStore(file);
    const id = running(store);
    const values = [0.5, NaN, Infinity, -Infinity, -0.25, 5e-324, 1.7976931348623157e308];
    values.forEach((v, s) => store.log(id, { step: s * 3, epoch: s / 2, wallTime: s * 0.125 }, { v }));
    store.endRun(id, 'diverged', { divergedStep: 3, error: 'loss became NaN' });
    const [s] = store.exportSeries(id);
    expect(s.value).toEqual(values);
    expect(s.step).toEqual([0, 3, 6, 9, 12, 15, 18]);
    expect(s.epoch).toEqual(values.map((_, i) => i / 2));
    expect(s.wallTime).toEqual(values.map((_, i) => i * 0.125));
    const run = store.getRun(id);
    expect(run.series[0]).toMatchObject({ firstNanStep: 3, min: { step: 9, value: -Infinity }, max: { step: 6, value: Infinity } });
    expect(run).toMatchObject({ status: 'diverged', divergedStep: 3, error: 'loss became NaN' });
    store.close();
  });

  it('refuses, at the call, a step that does not increase — and takes none of that call\'s points', () => {
    const store = openStore(join(tempDir(), 'steps.sqlite'));
    const id = running(store);
    store.log(id, { step: 5, epoch: 0, wallTime: 0 }, { train_loss: 1 });
    store.log(id, { step: 3, epoch: 0, wallTime: 0 }, { lr: 0.1 }); // another key has its own steps
    const err = storeError(() => store.log(id, { step: 5, epoch: 0, wallTime: 0 }, { grad_norm: 2, train_loss: 1 }));
    expect(err.code).toBe('invalid');
    expect(err.message).toBe(`metric "train_loss" of run ${id}: step 5 after step 5; steps must increase`);
    expect(store.writer.pending).toBe(2); // grad_norm of the refused call was not taken
    for (const [at, values, message] of [
      [{ step: -1, epoch: 0, wallTime: 0 }, { a: 1 }, /step -1 is not an integer >= 0/],
      [{ step: 1.5, epoch: 0, wallTime: 0 }, { a: 1 }, /step 1.5 is not an integer/],
      [{ step: 9, epoch: NaN, wallTime: 0 }, { a: 1 }, /epoch NaN at step 9/],
      [{ step: 9, epoch: 0, wallTime: -2 }, { a: 1 }, /wall time -2 at step 9/],
      [{ step: 9, epoch: 0, wallTime: 0 }, { a: '1' }, /metric "a" of run \d+: value 1 is not a number/],
      [{ step: 9, epoch: 0, wallTime: 0 }, { '': 1 }, /metric key "" must be/],
    ] as const) {
      expect(() => store.log(id, at, values as unknown as Record<string, number>)).toThrow(message);
    }
    store.close();
  });

  it('refuses points for a run that does not exist or has ended', () => {
    const store = openStore(join(tempDir(), 'ended.sqlite'));
    expect(storeError(() => store.log(42, { step: 0, epoch: 0, wallTime: 0 }, { a: 1 })).code).toBe('not-found');
    const id = running(store);
    store.log(id, { step: 0, epoch: 0, wallTime: 0 }, { a: 1 });
    store.endRun(id, 'stopped');
    const err = storeError(() => store.log(id, { step: 1, epoch: 0, wallTime: 0 }, { a: 1 }));
    expect(err.code).toBe('conflict');
    expect(err.message).toBe(`run ${id} is stopped: nothing more can be logged to it`);
    expect(store.exportSeries(id)[0].step).toEqual([0]);
    store.close();
  });

  it('continues a series after a reopen exactly as if it had never stopped', () => {
    const dir = tempDir();
    const points = Array.from({ length: 9000 }, (_, s) => ({ step: 2 * s, epoch: Math.floor(s / 45), wallTime: s / 50, value: Math.cos(s / 300) * (1 + (s % 7)) }));
    const oneGo = openStore(join(dir, 'one-go.sqlite'));
    const a = running(oneGo);
    for (const p of points) oneGo.log(a, p, { loss: p.value });
    oneGo.writer.flush();

    const file = join(dir, 'resumed.sqlite');
    let store = openStore(file);
    const b = running(store);
    // Cut in the middle of rollup blocks and chunks of every level.
    for (const p of points.slice(0, 4321)) store.log(b, p, { loss: p.value });
    store.close();
    store = openStore(file);
    expect(store.getRun(b).status).toBe('running'); // owned by this live process
    expect(() => store.log(b, points[4320], { loss: 0 })).toThrow(/step 8640 after step 8640/);
    for (const p of points.slice(4321)) store.log(b, p, { loss: p.value });
    store.writer.flush();

    for (const maxPoints of [5, 100, 1000, 5000]) {
      const q = (id: number) => ({ runIds: [id], keys: ['loss'], maxPoints });
      expect({ ...store.series(q(b))[0], runId: 0 }).toEqual({ ...oneGo.series(q(a))[0], runId: 0 });
    }
    expect(store.getRun(b).series).toEqual(oneGo.getRun(a).series);
    store.close();
    oneGo.close();
  });

  it('stores snapshots as Float32 with their shapes, copied at the call', () => {
    const store = openStore(join(tempDir(), 'snap.sqlite'));
    const id = running(store);
    const buffer = new Float32Array([1, 2, 3, 4, 5, 6]);
    store.logSnapshot(id, { step: 10, layer: 'layers.0.weight', kind: 'effective_lr', shape: [2, 3], originalShape: [64, 32], data: buffer });
    buffer.fill(-1); // the caller reuses its array right away
    store.logSnapshot(id, { step: 10, layer: 'layers.0.bias', kind: 'effective_lr', shape: [3], data: buffer.subarray(0, 3) });
    store.logSnapshot(id, { step: 20, layer: 'layers.0.weight', kind: 'effective_lr', shape: [2, 3], originalShape: [64, 32], data: new Float32Array(6).fill(0.5) });
    store.logSnapshot(id, { step: 20, layer: 'layers.0.weight', kind: 'update', shape: [1], data: new Float32Array([1e-7]) });
    const all = store.snapshots(id);
    expect(all.map((s) => [s.step, s.layer, s.kind])).toEqual([
      [10, 'layers.0.bias', 'effective_lr'],
      [10, 'layers.0.weight', 'effective_lr'],
      [20, 'layers.0.weight', 'effective_lr'],
      [20, 'layers.0.weight', 'update'],
    ]);
    expect(all[1]).toMatchObject({ shape: [2, 3], originalShape: [64, 32] });
    expect(Array.from(all[1].data!)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(all[0].data!)).toEqual([-1, -1, -1]);
    expect(all[0].originalShape).toEqual([3]);
    expect(all[3].data![0]).toBe(Math.fround(1e-7));

    expect(store.snapshots(id, { fromStep: 15 }).map((s) => s.step)).toEqual([20, 20]);
    expect(store.snapshots(id, { toStep: 15, layer: 'layers.0.weight' }).map((s) => s.step)).toEqual([10]);
    expect(store.snapshots(id, { kind: 'update', withData: false })).toMatchObject([{ step: 20, data: null }]);
    expect(store.getRun(id).snapshotCount).toBe(4);

    const bad = (patch: object) => () =>
      store.logSnapshot(id, { step: 30, layer: 'l', kind: 'k', shape: [2], data: new Float32Array(2), ...patch });
    expect(bad({ shape: [3] })).toThrow(/shape \[3\] holds 3 values, data has 2/);
    expect(bad({ shape: [0, 2] })).toThrow(/must be a list of positive integers/);
    expect(bad({ data: new Float64Array(2) })).toThrow(/must be a Float32Array/);
    expect(bad({ step: 20, layer: 'layers.0.weight', kind: 'update' })).toThrow(/step 20 after step 20; steps must increase/);
    store.close();
  });

  it('drops buffered points of a run another connection deleted, and still commits the others', () => {
    const file = join(tempDir(), 'deleted.sqlite');
    const store = openStore(file, { writer: { flushIntervalMs: 60_000 } });
    const gone = running(store);
    const kept = running(store);
    store.log(gone, { step: 0, epoch: 0, wallTime: 0 }, { a: 1 });
    store.log(kept, { step: 0, epoch: 0, wallTime: 0 }, { a: 2 });
    const other = new Database(file);
    other.pragma('foreign_keys = ON');
    other.prepare('DELETE FROM runs WHERE id = ?').run(gone);
    other.close();
    expect(store.writer.flush().points).toBe(1);
    expect(committed(file, kept)).toBe(1);
    expect(storeError(() => store.log(gone, { step: 1, epoch: 0, wallTime: 0 }, { a: 1 })).code).toBe('not-found');
    store.close();
  });

  it('keeps points buffered while another writer holds the lock, and commits them once it is free', () => {
    const file = join(tempDir(), 'busy.sqlite');
    const errors: StoreError[] = [];
    const store = openStore(file, { busyTimeoutMs: 50, writer: { flushIntervalMs: 60_000, onError: (e) => errors.push(e) } });
    const id = running(store);
    store.log(id, { step: 0, epoch: 0, wallTime: 0 }, { a: 1 });
    store.writer.flush();
    const other = new Database(file);
    other.prepare('BEGIN IMMEDIATE').run();
    store.log(id, { step: 1, epoch: 0, wallTime: 0 }, { a: 2 });
    const err = storeError(() => store.writer.flush());
    expect(err.code).toBe('locked');
    expect(err.message).toContain(file);
    expect(store.writer.pending).toBe(1);
    // Reads still work meanwhile, on what is committed.
    expect(store.exportSeries(id)[0].value).toEqual([1]);
    // A key never seen before needs a write: refused clearly, nothing of that call is taken.
    expect(storeError(() => store.log(id, { step: 2, epoch: 0, wallTime: 0 }, { b: 1 })).code).toBe('locked');
    other.prepare('ROLLBACK').run();
    other.close();
    store.log(id, { step: 2, epoch: 0, wallTime: 0 }, { a: 3 }); // retries the failed commit first
    expect(store.exportSeries(id)[0].value).toEqual([1, 2, 3]);
    expect(errors).toEqual([]); // no timer commit ran (interval 60 s)
    store.close();
  });
});
