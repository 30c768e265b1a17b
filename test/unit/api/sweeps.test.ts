// sweeps.* through a Connection on the real backend (real store, core expansion and config
// resolver; the FakeRunner records what would be launched). A bad sweep launches nothing.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { ApiEvent, Method, Params, Result, SweepSpec } from '../../../src-main/api/protocol.ts';
import { METHODS } from '../../../src-main/api/protocol.ts';
import { startHarness, type Harness } from '../../helpers/backendHarness.ts';

let h: Harness;
let nextId = 1;

async function call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
  const r = await h.transport.request({ id: nextId++, method, params });
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return METHODS[method].result.parse(r.result) as Result<M>;
}

async function fails(method: Method, params: unknown): Promise<{ code: string; message: string; field?: string }> {
  const r = await h.transport.request({ id: nextId++, method, params });
  if (r.ok) throw new Error(`${method} succeeded`);
  return r.error;
}

const base = {
  model: { kind: 'mlp', hidden: [8] },
  optimizer: { name: 'sgd', preset: 'torch', hyperparams: { lr: 0.1 } },
  data: { source: 'iris' },
  training: { epochs: 2 },
};
const lrSweep: SweepSpec = { base, lr: { kind: 'log', from: 1e-3, to: 10, count: 5 } };
const starts = () => h.runner.calls.filter((c) => c.method === 'start');

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('sweeps.plan', () => {
  test('shows the values and members before anything is launched', async () => {
    const plan = await call('sweeps.plan', { ...lrSweep, seed: { kind: 'list', values: [0, 1] } });
    expect(plan.lrs).toEqual([0.001, 0.01, 0.1, 1, 10]);
    expect(plan.seeds).toEqual([0, 1]);
    expect(plan.members).toHaveLength(10);
    expect(plan.members[3]).toEqual({ index: 3, name: 'sgd(lr=0.01, seed=1) · mlp · iris', point: { lr: 0.01, seed: 1 } });
    expect(starts()).toEqual([]);
    expect(h.store.listSweeps()).toEqual([]);
  });
});

describe('sweeps.start', () => {
  test('records the sweep, launches every member in order with its name and sweep id', async () => {
    const events: ApiEvent[] = [];
    h.transport.onEvent((e) => events.push(e));
    const { sweepId, runIds } = await call('sweeps.start', { ...lrSweep, name: 'iris lr' });
    expect(runIds).toHaveLength(5);
    expect(starts().map((c) => [c.config?.optimizer.hyperparams.lr, c.options?.sweepId, c.options?.name])).toEqual(
      [0.001, 0.01, 0.1, 1, 10].map((lr) => [lr, sweepId, `sgd(lr=${lr}) · mlp · iris`]),
    );
    // The launched configs are resolved: every default filled in.
    expect(starts()[0].config?.training).toMatchObject({ epochs: 2, batchSize: 32, seed: 0 });
    const detail = await call('sweeps.get', { id: sweepId });
    expect(detail).toMatchObject({ id: sweepId, name: 'iris lr', runIds, statusCounts: { queued: 5 } });
    expect(detail.spec).toEqual({ ...lrSweep, name: 'iris lr' });
    expect(detail.members.map((m) => [m.runId, m.lr, m.seed, m.optimizer])).toEqual(runIds.map((id, i) => [id, [0.001, 0.01, 0.1, 1, 10][i], 0, 'sgd']));
    expect(detail.runs.map((r) => [r.id, r.sweepId])).toEqual(runIds.map((id) => [id, sweepId]));
    expect(events.filter((e) => e.type === 'runs')).toEqual([{ type: 'runs', change: 'created', runIds }]);
    expect((await call('sweeps.list', {})).map((s) => s.id)).toEqual([sweepId]);
    expect((await call('runs.list', { sweep: sweepId })).map((r) => r.id).sort()).toEqual(runIds);
  });

  test('over optimizers: each with its own defaults', async () => {
    const { runIds } = await call('sweeps.start', { base, optimizers: [{ name: 'sgd' }, { name: 'adam' }, { name: 'adagrad' }] });
    expect(starts().map((c) => [c.config?.optimizer.name, c.config?.optimizer.hyperparams.lr])).toEqual([
      ['sgd', 0.1],
      ['adam', 0.001],
      ['adagrad', 0.01],
    ]);
    expect(runIds).toHaveLength(3);
  });

  test.each([
    ['a count out of range (the protocol)', { ...lrSweep, lr: { kind: 'log', from: 1e-3, to: 10, count: 500 } }, 'bad-request', 'lr.count', /sweeps.start: params.lr.count: .*from 2 to 50/],
    ['a member config that does not resolve', { ...lrSweep, base: { ...base, training: { epochs: 2, batchSize: 0 } } }, 'config', 'base.training.batchSize', /run 1 of 5 \(lr 0\.001\): training\.batchSize: expected a whole number ≥ 1, found 0/],
    ['an unknown optimizer among several', { base, optimizers: [{ name: 'adam' }, { name: 'nope' }] }, 'config', 'optimizers[1].name', /run 2 of 2 \(optimizer nope\)/],
    ['lr from = to', { ...lrSweep, lr: { kind: 'log', from: 1, to: 1, count: 3 } }, 'config', 'lr.to', /different from lr\.from/],
    ['no axis', { base }, 'config', 'lr', /at least one axis/],
  ])('%s fails naming the field and launches nothing', async (_what, spec, code, field, message) => {
    const e = await fails('sweeps.start', spec);
    expect(e).toMatchObject({ code, field });
    expect(e.message).toMatch(message);
    expect(starts()).toEqual([]);
    expect(h.store.listSweeps()).toEqual([]);
    expect(h.store.listRuns()).toEqual([]);
  });

  test('a file this transport may not read is refused before any launch', async () => {
    await h.close();
    h = await startHarness({ fileAccess: 'uploads' });
    const e = await fails('sweeps.start', { ...lrSweep, base: { ...base, data: { source: '/etc/passwd' } } });
    expect(e.code).toBe('forbidden');
    expect(starts()).toEqual([]);
    expect(h.store.listSweeps()).toEqual([]);
  });

  test('when the first launch fails (e.g. the data does not load) the sweep is not kept', async () => {
    h.runner.failStart = new Error('boom');
    const e = await fails('sweeps.start', lrSweep);
    expect(e.message).toMatch(/boom/);
    expect(h.store.listSweeps()).toEqual([]);
  });

  test('when a later launch fails, the members already launched are stopped', async () => {
    h.runner.failStart = new Error('disk full');
    h.runner.failStartAfter = 2;
    await fails('sweeps.start', lrSweep);
    const [sweep] = h.store.listSweeps();
    expect(sweep.statusCounts).toEqual({ stopped: 2 });
    expect(h.runner.calls.filter((c) => c.method === 'stop').map((c) => c.runId)).toEqual(sweep.runIds);
  });

  test('without a runner: unavailable, nothing recorded', async () => {
    await h.close();
    h = await startHarness({ runner: false });
    expect((await fails('sweeps.start', lrSweep)).code).toBe('unavailable');
    expect(h.store.listSweeps()).toEqual([]);
    // Planning still works: it launches nothing.
    expect((await call('sweeps.plan', lrSweep)).lrs).toHaveLength(5);
  });
});

describe('sweeps.get', () => {
  test('an unknown sweep is not-found', async () => {
    expect(await fails('sweeps.get', { id: 99 })).toMatchObject({ code: 'not-found', message: expect.stringMatching(/^sweep 99 not found/) });
  });
});
