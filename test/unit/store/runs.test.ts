import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, StoreError, type RunFilter, type RunStore } from '../../../src-main/store/index.ts';
import { currentOwner } from '../../../src-main/store/owner.ts';
import { config, useTempDir } from './helpers.ts';

function storeError(fn: () => unknown): StoreError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StoreError);
    return err as StoreError;
  }
  throw new Error('expected a StoreError');
}

/**
 * Five runs: id 1 adam lr 0.001 digits finished (val_loss 0.3, final val_accuracy 0.97),
 * 2 sgd lr 0.1 iris diverged, 3 adam lr 0.01 /data/wine.csv running, 4 rmsprop lr 0.003 digits
 * queued, 5 adam lr 0.0003 digits finished (val_loss 0.2) archived.
 */
function fiveRuns(store: RunStore): void {
  const make = (optimizer: string, lr: number, source: string, name?: string, tags: string[] = [], notes = '') =>
    store.createRun({ config: config({ optimizer, lr, source }), name, tags, notes });
  const a = make('adam', 0.001, 'digits', 'baseline 100%_done', ['baseline', 'sweep'], 'first try');
  const b = make('sgd', 0.1, 'iris', undefined, ['sweep']);
  const c = make('adam', 0.01, '/data/wine.csv', 'wine adam', [], 'lr TOO high?');
  make('rmsprop', 0.003, 'digits', 'queued rmsprop');
  const e = make('adam', 0.0003, 'digits', 'slow adam', ['sweep']);
  for (const id of [a, b, c, e]) store.startRun(id);
  const log = (id: number, step: number, values: Record<string, number>) => store.log(id, { step, epoch: 0, wallTime: step }, values);
  log(a, 0, { train_loss: 2, val_loss: 0.9 });
  log(a, 1, { train_loss: 1, val_loss: 0.3 });
  log(b, 1, { train_loss: NaN });
  log(c, 0, { val_loss: 0.8 }); // only the evaluation before training: no result of the run
  log(e, 5, { train_loss: 0.5, val_loss: 0.2 });
  store.endRun(a, 'finished', { final: { val_accuracy: 0.97 } });
  store.endRun(b, 'diverged', { divergedStep: 1, error: 'loss is NaN' });
  store.endRun(e, 'finished');
  store.archiveRun(e);
}

describe('runs', () => {
  const tempDir = useTempDir();
  const open = () => openStore(join(tempDir(), 'runs.sqlite'));

  it('are created queued, owned by this process, named from their config unless named', () => {
    const store = open();
    const before = Date.now();
    const id = store.createRun({ config: config({ optimizer: 'adam', lr: 0.003, source: '/home/ada/data/wine.csv' }) });
    const run = store.getRun(id);
    expect(run).toMatchObject({
      id: 1,
      name: 'adam(lr=0.003) · mlp · wine',
      status: 'queued',
      optimizer: 'adam',
      modelKind: 'mlp',
      dataSource: '/home/ada/data/wine.csv',
      dataset: 'wine',
      startedAt: null,
      endedAt: null,
      tags: [],
      archived: false,
      summary: {},
      lastStep: null,
      owner: currentOwner(),
      series: [],
      snapshotCount: 0,
      snapshotSteps: 0,
      plannedSteps: null, // no preprocessing recorded (the runner records it)
    });
    expect(Date.parse(run.createdAt)).toBeGreaterThanOrEqual(before - 1);
    expect(run.config).toEqual(config({ optimizer: 'adam', lr: 0.003, source: '/home/ada/data/wine.csv' }));
    expect(store.createRun({ config: config(), name: '  mine ', tags: ['x', 'x', ' y'] })).toBe(2);
    expect(store.getRun(2)).toMatchObject({ name: 'mine', tags: ['x', 'y'] });
    store.close();
  });

  it('refuse a config without the fields the store reads, naming the field', () => {
    const store = open();
    const c = config();
    const cases: [unknown, string][] = [
      [{ ...c, optimizer: { ...c.optimizer, name: undefined } }, 'run config: optimizer.name:'],
      [{ ...c, optimizer: { name: 'adam' } }, 'run config: optimizer.hyperparams:'],
      [{ ...c, model: {} }, 'run config: model.kind:'],
      [{ ...c, data: { source: '' } }, 'run config: data.source:'],
      ['adam', 'run config: (the config itself):'],
    ];
    for (const [bad, message] of cases) {
      const err = storeError(() => store.createRun({ config: bad as never }));
      expect(err.code).toBe('invalid');
      expect(err.message.startsWith(message)).toBe(true);
    }
    expect(store.listRuns()).toEqual([]);
    store.close();
  });

  it('move only along the allowed transitions, with their timestamps', () => {
    const store = open();
    const id = store.createRun({ config: config() });
    store.startRun(id);
    const started = store.getRun(id).startedAt;
    expect(started).not.toBeNull();
    store.pauseRun(id);
    expect(store.getRun(id)).toMatchObject({ status: 'paused', endedAt: null });
    store.resumeRun(id);
    expect(store.getRun(id)).toMatchObject({ status: 'running', startedAt: started });
    store.endRun(id, 'failed', { error: 'worker threw: RangeError' });
    expect(store.getRun(id)).toMatchObject({ status: 'failed', error: 'worker threw: RangeError' });
    expect(store.getRun(id).endedAt).not.toBeNull();

    const err = storeError(() => store.resumeRun(id));
    expect(err).toMatchObject({ code: 'conflict', message: `run ${id} is failed; it cannot become running` });
    expect(storeError(() => store.endRun(id, 'finished')).code).toBe('conflict');
    const queued = store.createRun({ config: config() });
    expect(storeError(() => store.pauseRun(queued)).message).toBe(`run ${queued} is queued; it cannot become paused`);
    expect(storeError(() => store.endRun(queued, 'finished')).code).toBe('conflict');
    store.endRun(queued, 'stopped'); // cancelled before it started
    expect(store.getRun(queued)).toMatchObject({ status: 'stopped', startedAt: null });
    expect(storeError(() => store.endRun(queued, 'interrupted' as never)).code).toBe('invalid');
    expect(storeError(() => store.startRun(77))).toMatchObject({ code: 'not-found', message: `run 77 not found in ${store.file}` });
    store.close();
  });

  it('list with every filter, sorted by columns, hyperparameters and summary metrics', () => {
    const store = open();
    fiveRuns(store);
    const ids = (f: RunFilter) => store.listRuns(f).map((r) => r.id);
    expect(ids({})).toEqual([4, 3, 2, 1]); // newest first, archived hidden
    expect(ids({ archived: 'only' })).toEqual([5]);
    expect(ids({ archived: 'include' })).toEqual([5, 4, 3, 2, 1]);
    expect(ids({ status: 'finished' })).toEqual([1]);
    expect(ids({ status: ['running', 'queued'] })).toEqual([4, 3]);
    expect(ids({ optimizer: 'ADAM' })).toEqual([3, 1]);
    expect(ids({ dataset: 'digits' })).toEqual([4, 1]);
    expect(ids({ dataset: 'wine' })).toEqual([3]);
    expect(ids({ dataset: '/data/wine.csv' })).toEqual([3]);
    expect(ids({ tag: 'sweep', archived: 'include' })).toEqual([5, 2, 1]);
    expect(ids({ tag: ['sweep', 'baseline'] })).toEqual([1]);
    expect(ids({ text: 'too high' })).toEqual([3]); // notes, case-insensitive
    expect(ids({ text: '100%_' })).toEqual([1]); // % and _ taken literally
    expect(ids({ text: '0%' })).toEqual([1]);
    expect(ids({ text: '_' })).toEqual([1]);
    expect(ids({ status: 'finished', optimizer: 'sgd' })).toEqual([]);

    expect(ids({ sort: { key: 'hp.lr' } })).toEqual([1, 4, 3, 2]);
    expect(ids({ sort: { key: 'hp.lr', desc: true }, archived: 'include' })).toEqual([2, 3, 4, 1, 5]);
    expect(ids({ sort: { key: 'hp.betas[1]' }, limit: 2 })).toEqual([4, 3]); // all equal: newest first
    expect(ids({ sort: { key: 'config.data.source' } })).toEqual([3, 4, 1, 2]);
    expect(ids({ sort: { key: 'name' } })).toEqual([1, 4, 2, 3]);
    // A summary metric: runs without it last in either direction; NaN is no value.
    expect(ids({ sort: { key: 'val_loss' }, archived: 'include' })).toEqual([5, 1, 4, 3, 2]);
    expect(ids({ sort: { key: 'val_loss', desc: true }, archived: 'include' })).toEqual([1, 5, 4, 3, 2]);
    expect(ids({ sort: { key: 'metric.train_loss' }, archived: 'include' })).toEqual([5, 1, 4, 3, 2]);
    expect(ids({ sort: { key: 'val_accuracy', desc: true } })).toEqual([1, 4, 3, 2]);
    expect(ids({ sort: { key: 'steps', desc: true } })).toEqual([2, 1, 3, 4]); // 1, 1 (a tie: newest first), 0, none
    expect(ids({ sort: { key: 'steps', desc: true }, limit: 1, offset: 1 })).toEqual([1]);
    expect(ids({ sort: { key: 'id' }, limit: 2, offset: 1 })).toEqual([2, 3]);

    expect(ids({ where: [{ key: 'hp.lr', op: '<=', value: 0.003 }] })).toEqual([4, 1]);
    expect(ids({ where: [{ key: 'hp.lr', op: '=', value: 0.01 }] })).toEqual([3]);
    expect(ids({ where: [{ key: 'config.training.batchSize', op: '=', value: 32 }, { key: 'optimizer', op: '!=', value: 'adam' }] })).toEqual([4, 2]);
    expect(ids({ where: [{ key: 'val_loss', op: '<', value: 0.5 }], archived: 'include' })).toEqual([5, 1]);
    expect(ids({ where: [{ key: 'val_loss', op: '<', value: 1 }], archived: 'include' })).toEqual([5, 1]); // not run 3's step-0 0.8
    expect(ids({ where: [{ key: 'val_accuracy', op: '>', value: 0.9 }] })).toEqual([1]);
    store.close();
  });

  it('summaries: the latest value of every key, final values taking precedence', () => {
    const store = open();
    fiveRuns(store);
    const [run] = store.listRuns({ sort: { key: 'id' }, limit: 1 });
    expect(run).toMatchObject({ summary: { train_loss: 1, val_loss: 0.3, val_accuracy: 0.97 }, lastStep: 1 });
    expect(store.getRun(2).summary.train_loss).toBeNaN();
    expect(store.getRun(1).final).toEqual({ val_accuracy: 0.97 });
    // A value logged only at step 0 (the evaluation before training) is no summary: a run stopped
    // or diverged before its first evaluation has no validation loss to show or rank by.
    expect(store.getRun(3).summary).toEqual({});
    expect(store.getRun(3).lastStep).toBe(0);
    store.close();
  });

  it('refuse unknown or malformed keys, statuses and operators with a clear message', () => {
    const store = open();
    fiveRuns(store);
    const cases: [RunFilter, RegExp][] = [
      [{ sort: { key: 'val_los' } }, /unknown key "val_los": use one of id, name, .*, hp\.<name>, config\.<path>, or a metric \(train_loss, val_accuracy, val_loss\)/],
      [{ sort: { key: "hp.lr') DESC; DROP TABLE runs; --" } }, /is not a dotted path/],
      [{ sort: { key: 'config.' } }, /is not a dotted path/],
      [{ where: [{ key: 'hp.lr', op: 'LIKE' as never, value: 1 }] }, /unknown comparison "LIKE"/],
      [{ status: 'done' as never }, /unknown status "done": use one of queued, running/],
    ];
    for (const [filter, message] of cases) {
      const err = storeError(() => store.listRuns(filter));
      expect(err.code).toBe('invalid');
      expect(err.message).toMatch(message);
    }
    // Values are bound, never spliced into SQL.
    expect(store.listRuns({ text: "'; DROP TABLE runs; --" })).toEqual([]);
    expect(store.listRuns({ where: [{ key: 'name', op: '=', value: "x' OR '1'='1" }] })).toEqual([]);
    expect(store.listRuns({ archived: 'include' })).toHaveLength(5);
    store.close();
  });

  it('take names, notes and tags; archiving is reversible', () => {
    const store = open();
    const id = store.createRun({ config: config() });
    store.renameRun(id, ' new name ');
    store.setNotes(id, 'looks good');
    expect(store.addTag(id, 'best')).toBe(true);
    expect(store.addTag(id, 'best')).toBe(false);
    expect(store.addTag(id, 'adam')).toBe(true);
    expect(store.removeTag(id, 'adam')).toBe(true);
    expect(store.removeTag(id, 'adam')).toBe(false);
    expect(store.getRun(id)).toMatchObject({ name: 'new name', notes: 'looks good', tags: ['best'] });
    expect(storeError(() => store.addTag(id, 'a,b')).message).toMatch(/without commas/);
    expect(storeError(() => store.renameRun(id, '   ')).code).toBe('invalid');
    expect(storeError(() => store.addTag(99, 'x')).code).toBe('not-found');
    expect(storeError(() => store.renameRun(99, 'x')).code).toBe('not-found');
    store.archiveRun(id);
    expect(store.listRuns()).toEqual([]);
    expect(store.getRun(id).archived).toBe(true);
    store.unarchiveRun(id);
    expect(store.listRuns().map((r) => [r.id, r.archived])).toEqual([[id, false]]);
    expect(storeError(() => store.archiveRun(99)).code).toBe('not-found');
    store.close();
  });

  it('delete with every metric, rollup, snapshot, tag and final value; a live run is refused', () => {
    const store = open();
    const [gone, kept] = [store.createRun({ config: config(), tags: ['t'] }), store.createRun({ config: config(), tags: ['t'] })];
    for (const id of [gone, kept]) {
      store.startRun(id);
      for (let s = 0; s < 600; s++) store.log(id, { step: s, epoch: 0, wallTime: 0 }, { train_loss: s, lr: 1 });
      store.logSnapshot(id, { step: 1, layer: 'w', kind: 'effective_lr', shape: [1], data: new Float32Array([1]) });
    }
    const err = storeError(() => store.deleteRun(gone));
    expect(err.code).toBe('conflict');
    expect(err.message).toBe(`run ${gone} is running by process ${process.pid} on ${currentOwner().host}; stop it before deleting it`);
    store.endRun(gone, 'stopped', { final: { val_accuracy: 0.5 } });
    store.endRun(kept, 'stopped', { final: { val_accuracy: 0.6 } });
    store.deleteRun(gone);
    expect(storeError(() => store.getRun(gone)).code).toBe('not-found');
    expect(storeError(() => store.deleteRun(gone)).code).toBe('not-found');
    store.close();

    const db = new Database(join(store.file), { readonly: true });
    for (const table of ['metrics', 'series', 'metric_rollups', 'snapshots', 'run_tags', 'run_final']) {
      const count = (id: number) => db.prepare(`SELECT count(*) FROM ${table} WHERE run_id = ?`).pluck().get(id);
      expect([table, count(gone)]).toEqual([table, 0]);
      expect([table, count(kept)]).not.toEqual([table, 0]);
    }
    db.close();
  });

  it('record data sets once per path and content', () => {
    const store = open();
    const info = { path: '/d/digits.csv', contentHash: 'sha256:1', sizeBytes: 10, rows: 3, columns: 2, schema: { target: 'label' } };
    const id = store.recordDataset(info);
    expect(store.recordDataset({ ...info, rows: 4 })).toBe(id);
    expect(store.recordDataset({ ...info, contentHash: 'sha256:2' })).not.toBe(id);
    expect(store.getDataset(id)).toMatchObject({ ...info, rows: 4, id });
    const run = store.createRun({ config: config(), datasetId: id });
    expect(store.getRun(run).datasetId).toBe(id);
    expect(storeError(() => store.getDataset(99)).code).toBe('not-found');
    store.close();
  });
});
