// Sweeps in the store: the record, its members through runs.sweep_id, the filter and sort key,
// what deleting a run or a sweep does, and bad input refused with a message.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StoreError } from '../../../src-main/store/index.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { config, useTempDir } from './helpers.ts';

describe('sweeps in the store', () => {
  const tempDir = useTempDir();
  const open = () => openStore(join(tempDir(), 'sweeps.sqlite'));

  it('records a sweep with its spec and finds its members, in creation order', () => {
    const store = open();
    const spec = { base: config(), lr: { kind: 'log', from: 1e-4, to: 1, count: 3 } };
    const sweepId = store.createSweep({ name: 'lr sweep', spec });
    const other = store.createSweep({ name: 'other', spec: {} });
    const ids = [1e-4, 1e-2, 1].map((lr) => store.createRun({ config: config({ lr }), sweepId }));
    const loner = store.createRun({ config: config() });
    const stranger = store.createRun({ config: config(), sweepId: other });
    store.startRun(ids[0]);
    store.endRun(ids[0], 'diverged', { divergedStep: 3 });

    const sweep = store.getSweep(sweepId);
    expect(sweep).toMatchObject({ id: sweepId, name: 'lr sweep', spec, runIds: ids, statusCounts: { diverged: 1, queued: 2 } });
    expect(Date.parse(sweep.createdAt)).toBeGreaterThan(0);
    expect(store.listRuns({ sweep: sweepId, sort: { key: 'id' } }).map((r) => r.id)).toEqual(ids);
    expect(store.getRun(loner).sweepId).toBeNull();
    expect(store.getRun(stranger).sweepId).toBe(other);
    // `sweep` is a column key: sort and where like any other.
    expect(store.listRuns({ where: [{ key: 'sweep', op: '=', value: other }] }).map((r) => r.id)).toEqual([stranger]);
    expect(store.listSweeps().map((s) => s.name)).toEqual(['other', 'lr sweep']);
    store.close();
  });

  it('keeps a sweep when a member is deleted, and the runs when the sweep is', () => {
    const store = open();
    const sweepId = store.createSweep({ name: 's', spec: {} });
    const [a, b] = [1, 2].map(() => store.createRun({ config: config(), sweepId }));
    for (const id of [a, b]) {
      store.startRun(id);
      store.endRun(id, 'finished');
    }
    store.deleteRun(a);
    expect(store.getSweep(sweepId).runIds).toEqual([b]);
    store.deleteSweep(sweepId);
    expect(store.getRun(b).sweepId).toBeNull();
    expect(() => store.getSweep(sweepId)).toThrow(new RegExp(`sweep ${sweepId} not found`));
    store.close();
  });

  it('refuses a run in a sweep that does not exist, and a sweep without a name', () => {
    const store = open();
    const err = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e as StoreError;
      }
      throw new Error('expected a StoreError');
    };
    expect(err(() => store.createRun({ config: config(), sweepId: 42 }))).toMatchObject({ code: 'not-found', message: expect.stringMatching(/^sweep 42 not found/) });
    expect(store.listRuns()).toEqual([]);
    expect(err(() => store.createSweep({ name: '  ', spec: {} }))).toMatchObject({ code: 'invalid', message: 'a sweep name must be 1-200 characters' });
    expect(err(() => store.getSweep(7))).toMatchObject({ code: 'not-found' });
    store.close();
  });
});
