// The worker-thread runner on real SQLite files: parallel and queued runs, pause/resume, stop,
// failing workers, load errors, throttled events, snapshots.
import { readdirSync, readFileSync } from 'node:fs';
import { getPriority } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataLoadError } from '../../../src-main/core/data/errors.ts';
import { RunConfigError } from '../../../src-main/core/train/index.ts';
import { createRunner, RunnerError, type RunEvent, type WorkerPool } from '../../../src-main/runner/index.ts';
import { openStore, type RunStore } from '../../../src-main/store/index.ts';
import { useTempDir } from '../../unit/store/helpers.ts';

const digits = (epochs: number, extra: Record<string, unknown> = {}) => ({
  model: { kind: 'mlp', hidden: [16] },
  optimizer: { name: 'adam', hyperparams: { lr: 0.003 } },
  data: { source: 'digits' },
  training: { epochs, ...extra },
});

/** Every event of one run, as it arrives, with its arrival time. */
function record(runner: WorkerPool): { events: (RunEvent & { at: number })[]; of: (id: number) => (RunEvent & { at: number })[]; stop: () => void } {
  const events: (RunEvent & { at: number })[] = [];
  const stop = runner.subscribe((e) => events.push({ ...e, at: performance.now() }));
  return { events, of: (id) => events.filter((e) => e.runId === id), stop };
}

/** Resolves once `ready()` is true (checked every 5 ms), rejects after `ms`. */
async function until(ready: () => boolean, ms = 20_000, what = 'condition'): Promise<void> {
  const t0 = performance.now();
  while (!ready()) {
    if (performance.now() - t0 > ms) throw new Error(`${what} not met after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

const stepsOf = (store: RunStore, id: number, key = 'train_loss') => store.exportSeries(id).find((s) => s.key === key)?.step ?? [];

describe('runner', () => {
  const tempDir = useTempDir();
  let dir: string;
  let store: RunStore;
  let runner: WorkerPool;

  beforeAll(() => {
    dir = tempDir();
    store = openStore(join(dir, 'runs.sqlite'));
    runner = createRunner({ store, poolSize: 2 });
  });
  afterAll(async () => {
    await runner?.close();
    store?.close();
  });

  it('runs two runs in parallel, each in its own worker, and keeps every point', async () => {
    expect(runner.poolSize).toBe(2);
    const rec = record(runner);
    const a = await runner.launch(digits(8), { name: 'a', tags: ['pair'] });
    const b = await runner.launch(digits(8), { name: 'b' });
    expect(runner.active().map((r) => r.status)).toEqual(['running', 'running']);
    const [oa, ob] = await Promise.all([a.done, b.done]);
    rec.stop();
    expect([oa.status, ob.status]).toEqual(['finished', 'finished']);
    // Both were running before either ended.
    const firstEnd = rec.events.findIndex((e) => e.type === 'status' && e.status === 'finished');
    const running = rec.events.slice(0, firstEnd).filter((e) => e.type === 'status' && e.status === 'running').map((e) => e.runId);
    expect(running.sort()).toEqual([a.runId, b.runId].sort());

    const steps = oa.step;
    expect(steps).toBe(8 * Math.ceil(a.summary.trainRows / 32));
    for (const id of [a.runId, b.runId]) {
      const run = store.getRun(id);
      expect(run.status).toBe('finished');
      expect(stepsOf(store, id)).toEqual(Array.from({ length: steps }, (_, i) => i + 1));
      expect(stepsOf(store, id, 'val_loss')).toEqual(Array.from({ length: 9 }, (_, i) => i * (steps / 8)));
      expect(run.summary.val_accuracy).toBeGreaterThan(0.8);
      expect(run.snapshotCount).toBeGreaterThan(0);
      // what the run view draws its progress and schedule over: the steps the session ran
      expect(run.plannedSteps).toBe(steps);
      expect(run.snapshotSteps).toBe(new Set(store.snapshots(id, {}).map((s) => s.step)).size);
      // The config is stored resolved, with the preprocessing of the data.
      expect(run.config.training).toMatchObject({ epochs: 8, batchSize: 32, seed: 0, dtype: 'float32' });
      expect((run.config.preprocessing as { featureNames: string[] }).featureNames).toHaveLength(a.summary.featureCount);
      expect(run.datasetId).not.toBeNull();
    }
    expect(store.getRun(a.runId)).toMatchObject({ name: 'a', tags: ['pair'] });
    // Same config and seed in two workers: the same numbers.
    const values = (id: number) => store.exportSeries(id).map((s) => [s.key, s.value]);
    expect(values(b.runId)).toEqual(values(a.runId));
    // Subscribers saw every point, in order, and the stored snapshots.
    const live = rec.of(a.runId).flatMap((e) => (e.type === 'metrics' ? e.points.filter((p) => p.key === 'train_loss').map((p) => p.step) : []));
    expect(live).toEqual(stepsOf(store, a.runId));
    const snaps = rec.of(a.runId).filter((e) => e.type === 'snapshot');
    expect(snaps).toHaveLength(store.getRun(a.runId).snapshotCount);
    const first = snaps[0] as Extract<RunEvent, { type: 'snapshot' }>;
    expect(first.data).toBeInstanceOf(Float32Array);
    expect(Array.from(store.snapshots(a.runId, { layer: first.layer, toStep: first.step })[0].data!)).toEqual(Array.from(first.data));
  });

  it('throttles events to one batch per run every eventIntervalMs', async () => {
    // A run far longer than the test, stopped once enough batches have arrived: how many batches
    // a run of fixed length produces depends on the machine's speed, the gaps between them do not.
    const rec = record(runner);
    const a = await runner.launch(digits(100_000));
    const metricBatches = () => rec.of(a.runId).filter((e) => e.type === 'metrics');
    await until(() => metricBatches().length >= 8, 20_000, '8 metrics batches');
    await runner.stop(a.runId);
    await a.done;
    rec.stop();
    // The last batch goes out with the run's end, whenever that comes: the others are throttled.
    const batches = metricBatches().slice(0, -1);
    expect(batches.length).toBeGreaterThanOrEqual(7);
    const gaps = batches.slice(1).map((e, i) => e.at - batches[i].at);
    // Timers never fire early by more than a millisecond or so.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(45);
  });

  it.runIf(process.platform === 'linux')('trains in threads below normal priority, and leaves the main thread as it was', async () => {
    // /proc/self/task/<tid>/stat: the nice value is field 19 (after the parenthesised name).
    const niceOfThreads = () =>
      readdirSync('/proc/self/task').map((tid) => Number(readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1].split(' ')[16]));
    const main = getPriority(0);
    const a = await runner.launch(digits(100_000));
    await until(() => runner.active().some((r) => r.runId === a.runId && r.status === 'running'));
    const during = niceOfThreads();
    await runner.stop(a.runId);
    await a.done;
    expect(during.filter((n) => n === 10).length).toBeGreaterThanOrEqual(1);
    expect(getPriority(0)).toBe(main);
  });

  it('the last progress event of a finished run says it is complete', async () => {
    const rec = record(runner);
    const a = await runner.launch(digits(60));
    await a.done;
    rec.stop();
    const progress = rec.of(a.runId).filter((e) => e.type === 'progress') as Extract<RunEvent, { type: 'progress' }>[];
    expect(progress.at(-1)).toMatchObject({ step: 2700, totalSteps: 2700, epoch: 60, epochs: 60, etaSeconds: 0 });
  });

  it('queues runs beyond the pool size, and stops a queued run without starting it', async () => {
    const rec = record(runner);
    const a = await runner.launch(digits(1000));
    const b = await runner.launch(digits(1000));
    const c = await runner.launch(digits(1));
    const d = await runner.launch(digits(1));
    expect(runner.active()).toEqual([
      { runId: a.runId, status: 'running' },
      { runId: b.runId, status: 'running' },
      { runId: c.runId, status: 'queued' },
      { runId: d.runId, status: 'queued' },
    ]);
    expect(store.getRun(c.runId).status).toBe('queued');
    await runner.stop(d.runId);
    expect(store.getRun(d.runId)).toMatchObject({ status: 'stopped', startedAt: null, lastStep: null });
    await runner.stop(a.runId); // frees a worker: c starts
    expect((await c.done).status).toBe('finished');
    await runner.stop(b.runId);
    rec.stop();
    const statuses = rec.events.filter((e) => e.type === 'status').map((e) => [e.runId, (e as { status: string }).status]);
    expect(statuses).toEqual([
      [a.runId, 'queued'],
      [a.runId, 'running'],
      [b.runId, 'queued'],
      [b.runId, 'running'],
      [c.runId, 'queued'],
      [d.runId, 'queued'],
      [d.runId, 'stopped'],
      [a.runId, 'stopped'],
      [c.runId, 'running'],
      [c.runId, 'finished'],
      [b.runId, 'stopped'],
    ]);
  });

  it('pauses and resumes: no step while paused, and the pause is not training time', async () => {
    // A run far longer than the test (stopped at the end), so that it is still running when the
    // pause arrives however fast the machine trains.
    const rec = record(runner);
    const a = await runner.launch(digits(100_000));
    const trainSteps = () => rec.of(a.runId).flatMap((e) => (e.type === 'metrics' ? e.points.filter((p) => p.key === 'train_loss') : []));
    await until(() => trainSteps().length > 50, 20_000, 'steps before pausing');
    await runner.pause(a.runId);
    expect(store.getRun(a.runId).status).toBe('paused');
    expect(runner.active().find((r) => r.runId === a.runId)?.status).toBe('paused');
    // Once pause() resolves, the last slice's points are stored: nothing moves from then on.
    const storedAtPause = stepsOf(store, a.runId).length;
    const atPause = trainSteps().length;
    await new Promise((r) => setTimeout(r, 400));
    expect(stepsOf(store, a.runId).length).toBe(storedAtPause);
    expect(trainSteps().length).toBe(atPause);
    await expect(runner.pause(a.runId)).resolves.toBeUndefined(); // already paused: nothing to do
    await runner.resume(a.runId);
    expect(store.getRun(a.runId).status).toBe('running');
    await until(() => trainSteps().length > atPause + 50, 20_000, 'steps after resuming');
    await runner.stop(a.runId);
    const outcome = await a.done;
    rec.stop();
    expect(outcome.status).toBe('stopped');
    expect(stepsOf(store, a.runId)).toEqual(Array.from({ length: outcome.step }, (_, i) => i + 1));
    // Wall time excludes the pause: no gap between two steps comes near the 400+ ms paused.
    const walls = trainSteps().map((p) => p.wallTime);
    const maxGap = Math.max(...walls.slice(1).map((w, i) => w - walls[i]));
    expect(maxGap).toBeLessThan(0.3);
    expect(rec.of(a.runId).filter((e) => e.type === 'status').map((e) => (e as { status: string }).status)).toEqual(['queued', 'running', 'paused', 'running', 'stopped']);
    await expect(runner.resume(a.runId)).rejects.toThrow(RunnerError);
  });

  it('a resume that arrives before the worker paused: both calls settle and the run goes on', async () => {
    const rec = record(runner);
    const a = await runner.launch(digits(100_000));
    await until(() => runner.active().some((r) => r.runId === a.runId && r.status === 'running'));
    const pausing = runner.pause(a.runId);
    await runner.resume(a.runId);
    await pausing;
    const steps = () => rec.of(a.runId).flatMap((e) => (e.type === 'metrics' ? e.points.filter((p) => p.key === 'train_loss') : [])).length;
    const before = steps();
    await until(() => steps() > before + 20, 20_000, 'steps after pause and resume');
    expect(runner.active().find((r) => r.runId === a.runId)?.status).toBe('running');
    await runner.stop(a.runId);
    expect((await a.done).status).toBe('stopped');
    rec.stop();
  });

  it('stops a run within 200 ms, ending it stopped with every point kept', async () => {
    const rec = record(runner);
    const a = await runner.launch(digits(1000));
    await until(() => rec.of(a.runId).some((e) => e.type === 'progress' && e.step > 100), 20_000, 'progress');
    const t0 = performance.now();
    await runner.stop(a.runId);
    const ms = performance.now() - t0;
    rec.stop();
    expect(ms, `stop took ${ms.toFixed(0)} ms`).toBeLessThan(200);
    const outcome = await a.done;
    expect(outcome).toMatchObject({ status: 'stopped', reason: 'stopped' });
    const run = store.getRun(a.runId);
    expect(run.status).toBe('stopped');
    expect(stepsOf(store, a.runId)).toEqual(Array.from({ length: outcome.step }, (_, i) => i + 1));
    expect(run.summary.steps).toBe(outcome.step);
    await runner.stop(a.runId); // stopping an ended run is a no-op
    await expect(runner.stop(99_999)).rejects.toThrow(/not a run of this runner/);
  });

  it.each(['throw', 'uncaught', 'exit'] as const)('a worker that fails (%s) marks only its own run failed; the others go on', async (kind) => {
    const good = await runner.launch(digits(6));
    // Far longer than the test: an uncaught error fires on the next turn of the worker's event
    // loop, and a short run could end within the same slice on a fast machine.
    const bad = await runner.launch(digits(100_000), { testOnlyFault: { kind, atStep: 60 } });
    const [og, ob] = await Promise.all([good.done, bad.done]);
    expect(og.status).toBe('finished');
    expect(ob.status).toBe('failed');
    const failed = store.getRun(bad.runId);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(kind === 'exit' ? /^the worker exited \(code 7\)$/ : new RegExp(`test-only fault: ${kind} at step \\d+`));
    expect(store.getRun(good.runId).status).toBe('finished');
    // Points the worker posted before the fault are kept (a thrown error posts what it holds first;
    // a worker that dies loses at most its last unposted batch).
    const kept = stepsOf(store, bad.runId);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => i + 1));
    if (kind === 'throw') expect(kept).toHaveLength(60);
    else expect(kept.length).toBeLessThan(100_000 * 45);
    // The pool is whole again: a new run gets a worker and finishes.
    const after = await runner.launch(digits(1));
    expect((await after.done).status).toBe('finished');
  });

  it('a load error or a bad config fails start() and writes no run', async () => {
    const file = join(dir, 'empty.sqlite');
    const s = openStore(file);
    const r = createRunner({ store: s, poolSize: 1 });
    try {
      await expect(r.start({ ...digits(1), data: { source: join(dir, 'nope.csv') } })).rejects.toThrow(DataLoadError);
      await expect(r.start({ ...digits(1), data: { source: 'digits', target: 'label' } })).rejects.toThrow(/unknown target column "label"; the columns are: /);
      await expect(r.start({ ...digits(1), training: { batchSize: 0 } })).rejects.toThrow(RunConfigError);
      expect(s.listRuns({ archived: 'include' })).toEqual([]);
      expect(r.active()).toEqual([]);
    } finally {
      await r.close();
      s.close();
    }
  });
});
