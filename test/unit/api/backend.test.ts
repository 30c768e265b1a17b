// The backend API on a real store, real CSV files and the core registries, driven through a
// Connection exactly as the transports drive it (messages copied by structuredClone).
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createSchedule, resolveScheduleConfig } from '../../../src-main/core/schedules/index.ts';
import { OPTIMIZER_NAMES } from '../../../src-main/core/optim/index.ts';
import type { ApiEvent, Method, Params, ResponseMessage, Result } from '../../../src-main/api/protocol.ts';
import { LIVE_FEED, METHODS } from '../../../src-main/api/protocol.ts';
import { spreadSteps } from '../../../src-main/api/handlers/runs.ts';
import { precond } from '../../helpers/cli.ts';
import { startHarness, type Harness } from '../../helpers/backendHarness.ts';
import { SEED_LAYERS, seedConfig, seedEffective, seedLoss } from '../../helpers/seed.ts';

let h: Harness;
let nextId = 1;

async function raw(message: unknown): Promise<ResponseMessage> {
  return h.transport.request(message as never);
}

/** Calls a method; returns the validated result or throws the error response. */
async function call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
  const r = await h.transport.request({ id: nextId++, method, params });
  if (!r.ok) throw Object.assign(new Error(r.error.message), { info: r.error });
  return METHODS[method].result.parse(r.result) as Result<M>;
}

async function fails(method: Method, params: unknown): Promise<{ code: string; message: string; field?: string; data?: Record<string, unknown> }> {
  const r = await h.transport.request({ id: nextId++, method, params });
  if (r.ok) throw new Error(`${method} succeeded`);
  return r.error;
}

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('bad messages get an error reply, never a crash', () => {
  test.each([
    ['not an object', 'hello', /bad request/],
    ['no id', { method: 'app.info' }, /message\.id/],
    ['unknown method', { id: 3, method: 'runs.explode' }, /unknown method "runs.explode"/],
    ['extra envelope field', { id: 3, method: 'app.info', evil: true }, /bad request/],
    ['bad params', { id: 3, method: 'runs.get', params: { id: 'x' } }, /runs.get: params.id: expected number/],
    ['unknown param', { id: 3, method: 'runs.get', params: { id: 1, sql: 'DROP' } }, /runs.get: params: Unrecognized key: "sql"/],
  ])('%s', async (_name, message, pattern) => {
    const r = await raw(message);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad-request');
    expect(r.error.message).toMatch(pattern);
    expect(r.error.message).not.toContain('\n');
  });

  test('the id is echoed when it is readable', async () => {
    const r = await raw({ id: 77, method: 'nope' });
    expect(r.id).toBe(77);
  });

  test('an unexpected failure is one line, the stack goes to the log only', async () => {
    h.store.close(); // every store call now fails with a closed-store error
    const e = await fails('runs.list', {});
    expect(e.message).toMatch(/closed/);
    expect(e.message).not.toContain('\n');
    expect(e.message).not.toMatch(/at .*\.ts:\d+/);
  });
});

describe('datasets', () => {
  test('the bundled samples, with their sizes', async () => {
    const samples = await call('datasets.samples', {});
    expect(samples.map((s) => s.name)).toEqual(['breast_cancer', 'diabetes', 'digits', 'iris', 'wine']);
    const iris = samples.find((s) => s.name === 'iris')!;
    expect(iris.sizeBytes).toBe(readFileSync(iris.path).length);
  });

  test('preview: first rows with their lines, inferred column kinds, the default target', async () => {
    const p = await call('datasets.preview', { source: 'iris', rows: 5 });
    expect(p.name).toBe('iris.csv');
    expect(p.header).toEqual(['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm', 'species']);
    expect(p.rows).toHaveLength(5);
    expect(p.lines).toEqual([2, 3, 4, 5, 6]);
    expect(p.columns.map((c) => c.kind)).toEqual(['numeric', 'numeric', 'numeric', 'numeric', 'categorical']);
    expect(p.target).toMatchObject({ column: 'species', task: 'classification' });
    expect(p.format).toMatchObject({ encoding: 'utf-8', delimiter: ',', decimal: '.' });
  });

  test('load: the full report', async () => {
    const s = await call('datasets.load', { source: 'iris', valSplit: 0.2 });
    expect(s).toMatchObject({ rowsRead: 150, rowsUsed: 150, target: 'species', task: 'classification', featureCount: 4, trainRows: 120, validationRows: 30 });
    expect(s.classes).toEqual([
      { label: 'setosa', count: 50 },
      { label: 'versicolor', count: 50 },
      { label: 'virginica', count: 50 },
    ]);
  });

  test('load options: another target makes a regression', async () => {
    const s = await call('datasets.load', { source: 'iris', target: 'petal_width_cm', task: 'regression' });
    expect(s.task).toBe('regression');
    expect(s.target).toBe('petal_width_cm');
    expect(s.excluded).toEqual([]);
  });

  test('load options: a regression target is standardized on the training rows unless targetScaling is none', async () => {
    const scaled = await call('datasets.load', { source: 'diabetes' });
    expect(scaled.targetScaling).toMatchObject({ method: 'standardize' });
    expect(scaled.targetScaling!.std).toBeGreaterThan(70);
    expect((await call('datasets.load', { source: 'diabetes', targetScaling: 'none' })).targetScaling).toEqual({ method: 'none', mean: 0, std: 1 });
    expect((await call('datasets.load', { source: 'iris' })).targetScaling).toBeNull();
    const e = await fails('datasets.load', { source: 'diabetes', targetScaling: 'log' });
    expect(e.code).toBe('bad-request');
    expect(e.message).toMatch(/datasets\.load: params\.targetScaling: /);
  });

  test('a malformed file: code data, with file, line and message', async () => {
    const e = await fails('datasets.load', { source: h.fixture('iris_bad.csv') });
    expect(e.code).toBe('data');
    expect(e.message).toBe('iris_bad.csv line 59, column 6: expected 5 fields, found 6');
    expect(e.data).toMatchObject({ code: 'ragged', line: 59, file: h.fixture('iris_bad.csv'), expected: '5 fields', found: '6' });
  });

  test('classification of a continuous column is refused with the data error, naming the column', async () => {
    // diabetes s2: 302 distinct values in 442 rows, 201 of them in a single row.
    const e = await fails('datasets.load', { source: 'diabetes', target: 's2', task: 'classification' });
    expect(e.code).toBe('data');
    expect(e.data).toMatchObject({ code: 'too-many-classes', columnName: 's2' });
    expect(e.message).toMatch(/^diabetes\.csv: the target column "s2" has 302 distinct values in 442 rows used: as classes, 201 of them would have a single row .*--task regression\)$/);
  });

  test('a word in a numeric column: line and column', async () => {
    const e = await fails('datasets.load', { source: h.fixture('not_a_number.csv') });
    expect(e.code).toBe('data');
    expect(e.data?.line).toBeTypeOf('number');
    expect(e.data?.column).toBeTypeOf('number');
    expect(e.message).toMatch(/line \d+, column \d+/);
  });

  test('the preview of a malformed file shows the rows before the problem and the problem', async () => {
    const p = await call('datasets.preview', { source: h.fixture('iris_bad.csv'), rows: 100 });
    expect(p.error).toMatchObject({ line: 59, code: 'ragged' });
    expect(p.lines.at(-1)).toBe(58);
  });

  test('an unknown sample lists the samples', async () => {
    const e = await fails('datasets.load', { source: 'iriss' });
    expect(e.code).toBe('data');
    expect(e.message).toMatch(/no such file or sample dataset: "iriss"; the sample datasets are: breast_cancer, diabetes, digits, iris, wine/);
  });
});

describe('stored runs', () => {
  test('list, get, rename, tag, notes, archive, delete — with change events', async () => {
    const id = h.seedRun({ steps: 50 });
    const events: unknown[] = [];
    h.transport.onEvent((e) => events.push(e));
    await call('events.subscribe', { filters: [{ runIds: null, types: ['runs'] }] });

    const list = await call('runs.list', {});
    expect(list.map((r) => r.id)).toEqual([id]);
    expect(list[0]).toMatchObject({ status: 'finished', optimizer: 'adam', dataset: 'iris', modelKind: 'mlp', tags: ['seed'] });
    expect(list[0].summary.train_loss).toBeCloseTo(seedLoss(49), 12);

    expect((await call('runs.rename', { id, name: 'renamed' })).name).toBe('renamed');
    expect((await call('runs.tag', { id, tag: 'best' })).tags.sort()).toEqual(['best', 'seed']);
    expect((await call('runs.tag', { id, tag: 'seed', remove: true })).tags).toEqual(['best']);
    expect((await call('runs.notes', { id, notes: 'lr too high?' })).notes).toBe('lr too high?');
    expect((await call('runs.archive', { id, archived: true })).archived).toBe(true);
    expect(await call('runs.list', {})).toEqual([]);
    expect((await call('runs.list', { archived: 'only' })).map((r) => r.id)).toEqual([id]);
    await call('runs.archive', { id, archived: false });

    const detail = await call('runs.get', { id });
    expect(detail.config).toEqual(seedConfig());
    expect(detail.series.map((s) => s.key).sort()).toEqual(['grad_norm', 'lr', 'train_loss', 'val_accuracy', 'val_loss']);

    expect(await call('runs.delete', { id })).toEqual({ deleted: id });
    const e = await fails('runs.get', { id });
    expect(e.code).toBe('not-found');
    expect(events.filter((x) => (x as { change: string }).change === 'updated')).toHaveLength(6);
    expect(events.at(-1)).toEqual({ type: 'runs', change: 'deleted', runIds: [id] });
  });

  test('a live run cannot be deleted: conflict, one line', async () => {
    const id = h.seedRun({ steps: 10, end: 'running' });
    const e = await fails('runs.delete', { id });
    expect(e.code).toBe('conflict');
    expect(e.message).not.toContain('\n');
  });

  test('series: downsampled in the store, first and last kept; NaN survives the IPC copy', async () => {
    const id = h.seedRun({ steps: 400 });
    const [s] = await call('runs.series', { runIds: [id], keys: ['train_loss'], maxPoints: 50 });
    expect(s.count).toBe(400);
    expect(s.downsampled).toBe(true);
    expect(s.step.length).toBeLessThanOrEqual(50);
    expect(s.step[0]).toBe(0);
    expect(s.step.at(-1)).toBe(399);
    expect(s.value.at(-1)).toBeCloseTo(seedLoss(399), 12);

    const nanRun = h.store.createRun({ config: seedConfig() });
    h.store.startRun(nanRun);
    h.store.log(nanRun, { step: 0, epoch: 0, wallTime: 0 }, { train_loss: 1 });
    h.store.log(nanRun, { step: 1, epoch: 0, wallTime: 0 }, { train_loss: NaN });
    h.store.endRun(nanRun, 'diverged', { divergedStep: 1 });
    const [n] = await call('runs.series', { runIds: [nanRun], keys: ['train_loss'], maxPoints: 10 });
    expect(n.value).toEqual([1, NaN]);
  });

  test('seriesColumns: the same points as series, as Float64Array columns, NaN included', async () => {
    const id = h.seedRun({ steps: 300 });
    const [rows] = await call('runs.series', { runIds: [id], keys: ['train_loss'], maxPoints: 1000 });
    const [cols] = await call('runs.seriesColumns', { runIds: [id], keys: ['train_loss'], maxPoints: 1000 });
    expect(cols.step).toBeInstanceOf(Float64Array);
    expect([cols.count, cols.downsampled]).toEqual([300, false]);
    expect([...cols.step]).toEqual(rows.step);
    expect([...cols.epoch]).toEqual(rows.epoch);
    expect([...cols.wallTime]).toEqual(rows.wallTime);
    expect([...cols.value]).toEqual(rows.value);
    const [few] = await call('runs.seriesColumns', { runIds: [id], keys: ['train_loss'], maxPoints: 20 });
    expect(few.downsampled).toBe(true);
    expect(few.step.length).toBeLessThanOrEqual(20);
    expect(few.step.at(-1)).toBe(299);
  });

  test('snapshots by step range, and at most maxSteps steps spread over the run', async () => {
    const id = h.seedRun({ steps: 200, snapshotEvery: 10 });
    const all = await call('runs.snapshots', { id, kind: 'effective_lr', withData: false });
    const steps = [...new Set(all.map((s) => s.step))];
    expect(steps).toEqual([...Array.from({ length: 20 }, (_, k) => k * 10), 199]);
    expect(all.every((s) => s.data === null)).toBe(true);

    const range = await call('runs.snapshots', { id, fromStep: 50, toStep: 70, kind: 'effective_lr', layer: 'layers.0.weight' });
    expect(range.map((s) => s.step)).toEqual([50, 60, 70]);
    const s60 = range[1];
    expect(s60.shape).toEqual([8, 4]);
    expect(s60.data).toBeInstanceOf(Float32Array);
    expect(s60.data![5]).toBeCloseTo(Math.fround(seedEffective(0.01, 5, 60)), 10);

    const spread = await call('runs.snapshots', { id, maxSteps: 5 });
    const spreadSteps_ = [...new Set(spread.map((s) => s.step))];
    expect(spreadSteps_).toHaveLength(5);
    expect(spreadSteps_[0]).toBe(0);
    expect(spreadSteps_.at(-1)).toBe(199);
    // every layer and kind of each kept step
    expect(spread.length).toBe(5 * SEED_LAYERS.length * 2);
  });

  test('spreadSteps keeps first and last and at most max', () => {
    expect(spreadSteps([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(spreadSteps([0, 10, 20, 30, 40, 50, 60], 3)).toEqual([0, 30, 60]);
    expect(spreadSteps([0, 10, 20], 1)).toEqual([20]);
  });

  test('export: byte for byte what `precond runs export` writes', async () => {
    const id = h.seedRun({ steps: 30 });
    h.store.writer.flush(); // the CLI below reads the file from another process
    for (const format of ['csv', 'json'] as const) {
      const r = await call('runs.export', { id, format });
      const cli = precond(['runs', 'export', String(id), '--format', format, '--db', `${h.dir}/precond.sqlite`]);
      expect(cli.status).toBe(0);
      expect(r.text).toBe(cli.stdout);
      expect(r.filename).toBe(`run-${id}-seeded-adam-run.${format}`);
    }
    const csv = (await call('runs.export', { id, format: 'csv' })).text.split('\n');
    expect(csv[0]).toBe('step,epoch,wall_time,grad_norm,lr,train_loss,val_accuracy,val_loss');
    expect(csv).toHaveLength(30 + 2);
  });
});

describe('the runner', () => {
  test('start: the config is resolved (every default filled in) before the runner sees it', async () => {
    const { runId } = await call('runner.start', { config: seedConfig(), name: 'my run', tags: ['a'] });
    const sent = h.runner.calls[0];
    expect(sent.method).toBe('start');
    expect(sent.options).toEqual({ name: 'my run', tags: ['a'], notes: undefined });
    expect(sent.config!.optimizer).toMatchObject({ name: 'adam', preset: 'torch', hyperparams: { lr: 0.01, betas: [0.9, 0.999], eps: 1e-8, amsgrad: false, weight_decay: 0, eps_mode: 'outside' } });
    expect(sent.config!.model).toEqual({ kind: 'mlp', hidden: [8], activation: 'relu', init: 'torch', binaryHead: 'sigmoid' });
    expect(sent.config!.training).toMatchObject({ epochs: 10, batchSize: 16, seed: 0, dtype: 'float32', steps: null });
    expect((await call('runs.get', { id: runId })).name).toBe('my run');
  });

  test('a bad hyperparameter is a config error naming its field, and nothing starts', async () => {
    const config = seedConfig();
    config.optimizer.hyperparams.lr = -1;
    const e = await fails('runner.start', { config });
    expect(e.code).toBe('config');
    expect(e.field).toBe('optimizer.hyperparams.lr');
    expect(e.message).toMatch(/lr = -1 is out of range; allowed: \(0, ∞\)/);
    expect(h.runner.calls).toEqual([]);
  });

  test.each([
    ['model', { model: { kind: 'mlp', hidden: [0], activation: 'relu' } }, 'model.hidden[0]'],
    ['schedule', { schedule: { name: 'cosine' } }, 'schedule.T_max'],
    ['data option', { data: { source: 'iris', valSplit: 2 } }, 'data.valSplit'],
    ['target scaling', { data: { source: 'diabetes', targetScaling: 'log' } }, 'data.targetScaling'],
    ['training', { training: { epochs: 0 } }, 'training.epochs'],
    ['unknown field', { training: { epochz: 3 } }, 'training.epochz'],
  ])('invalid %s', async (_what, patch, field) => {
    const e = await fails('runner.validate', { config: { ...seedConfig(), ...patch } });
    expect(e.code).toBe('config');
    expect(e.field).toBe(field);
  });

  test('pause, resume, stop go to the runner; its events reach connections that asked for them', async () => {
    const { runId } = await call('runner.start', { config: seedConfig() });
    const events: ApiEvent[] = [];
    h.transport.onEvent((e) => events.push(e));
    await call('events.subscribe', { filters: [{ runIds: [runId], types: ['status', 'metrics', 'snapshot'] }, { runIds: null, types: ['progress'] }] });
    h.runner.begin(runId);
    h.runner.emit({ type: 'metrics', runId, points: [{ key: 'train_loss', step: 0, epoch: 0, wallTime: 0, value: NaN }] });
    h.runner.emit({ type: 'progress', runId, step: 1, totalSteps: 10, epoch: 0, epochs: 1, samplesPerSecond: 1, etaSeconds: null });
    h.runner.emit({ type: 'metrics', runId: runId + 1, points: [] });
    h.runner.emit({ type: 'snapshot', runId, step: 0, layer: 'layers.0.weight', kind: 'effective_lr', shape: [1, 2], originalShape: [1, 2], data: new Float32Array([1, 2]) });
    await call('runner.pause', { runId });
    await call('runner.resume', { runId });
    await call('runner.stop', { runId });
    expect(h.runner.calls.map((c) => c.method)).toEqual(['start', 'pause', 'resume', 'stop']);
    // status/metrics/snapshot of this run only; progress of any run; not the other run's metrics
    expect(events.map((e) => e.type)).toEqual(['status', 'metrics', 'progress', 'snapshot', 'status', 'status', 'status']);
    const snap = events[3] as Extract<ApiEvent, { type: 'snapshot' }>;
    expect(snap.data).toBeInstanceOf(Float32Array);
    expect((events[1] as Extract<ApiEvent, { type: 'metrics' }>).points[0].value).toBeNaN();
    expect((await call('runs.get', { id: runId })).status).toBe('stopped');
  });

  test('with the live feed (as every transport has it): a run\'s points come coalesced and decimated, the status after them', async () => {
    await h.close();
    h = await startHarness({ live: LIVE_FEED });
    const { runId } = await call('runner.start', { config: seedConfig() });
    const events: ApiEvent[] = [];
    h.transport.onEvent((e) => events.push(e));
    await call('events.subscribe', { filters: [{ runIds: [runId], types: ['status', 'metrics', 'progress'] }] });
    h.runner.begin(runId);
    for (let step = 1; step <= 400; step++) h.runner.emit({ type: 'metrics', runId, points: [{ key: 'train_loss', step, epoch: 0, wallTime: 0, value: 1 / step }] });
    await new Promise((r) => setTimeout(r, LIVE_FEED.intervalMs + 50));
    const batches = events.filter((e) => e.type === 'metrics');
    expect(batches).toHaveLength(1);
    const steps = batches[0].points.map((p) => p.step);
    expect(steps.length).toBeLessThanOrEqual(LIVE_FEED.pointsPerKey);
    expect([steps[0], steps.at(-1)]).toEqual([1, 400]);
    h.runner.emit({ type: 'metrics', runId, points: [{ key: 'train_loss', step: 401, epoch: 0, wallTime: 0, value: 0 }] });
    await call('runner.stop', { runId });
    expect(events.slice(-2).map((e) => e.type)).toEqual(['metrics', 'status']);
  });

  test('without a runner: unavailable, saying why', async () => {
    await h.close();
    h = await startHarness({ runner: false });
    const e = await fails('runner.start', { config: seedConfig() });
    expect(e).toMatchObject({ code: 'unavailable', message: 'no runner in this test' });
    expect(await call('runner.active', {})).toEqual([]);
    expect((await call('app.info', {})).canTrain).toBe(false);
  });
});

describe('file access in browser mode', () => {
  test('samples and uploads only', async () => {
    await h.close();
    h = await startHarness({ fileAccess: 'uploads' });
    expect((await call('datasets.preview', { source: 'iris' })).name).toBe('iris.csv');
    for (const source of [h.fixture('iris_bad.csv'), '/etc/passwd', `${h.dir}/datasets/../precond.sqlite`]) {
      const e = await fails('datasets.preview', { source });
      expect(e.code).toBe('forbidden');
    }
    const e = await fails('runner.start', { config: seedConfig({ source: h.fixture('iris_bad.csv') }) });
    expect(e.code).toBe('forbidden');
    expect((await call('app.info', {})).fileAccess).toBe('uploads');
  });
});

describe('metadata', () => {
  test('every optimizer of the registry, with its presets’ full defaults', async () => {
    const { optimizers, presets } = await call('meta.optimizers', {});
    expect(optimizers.map((o) => o.name)).toEqual([...OPTIMIZER_NAMES]);
    expect(presets).toEqual(['torch', 'keras', 'optax']);
    const adam = optimizers.find((o) => o.name === 'adam')!;
    expect(adam.presetValues.torch).toMatchObject({ lr: 0.001, betas: [0.9, 0.999], eps: 1e-8, weight_decay: 0, amsgrad: false });
    expect(adam.presetValues.keras).toMatchObject({ eps: 1e-7, eps_mode: 'hat' });
    expect(optimizers.find((o) => o.name === 'adagrad')!.summary).toMatch(/root of the sum of all past squared gradients/);
    expect(optimizers.find((o) => o.name === 'radam')!.presetValues.keras).toBeUndefined();
  });

  test('schedules and models', async () => {
    const schedules = await call('meta.schedules', {});
    expect(schedules.map((s) => s.name)).toContain('cosine');
    expect(await call('meta.models', {})).toMatchObject({ kinds: ['linear', 'mlp'], activations: ['relu', 'tanh', 'sigmoid', 'gelu'] });
  });

  test('schedule preview: the core schedule, sampled when long', async () => {
    const cosine = { name: 'cosine', T_max: 100 };
    const full = await call('meta.schedulePreview', { schedule: cosine, lr: 0.1, steps: 100 });
    const lrAt = createSchedule(resolveScheduleConfig(cosine), 0.1);
    expect(full.stride).toBe(1);
    expect(full.lrs).toEqual(Array.from({ length: 100 }, (_, t) => lrAt(t)));
    const sampled = await call('meta.schedulePreview', { schedule: cosine, lr: 0.1, steps: 10_000, maxPoints: 1000 });
    expect(sampled.stride).toBe(10);
    expect(sampled.lrs).toHaveLength(1000);
    expect(sampled.lrs[37]).toBe(lrAt(370));
    const constant = await call('meta.schedulePreview', { schedule: null, lr: 0.5, steps: 3 });
    expect(constant.lrs).toEqual([0.5, 0.5, 0.5]);
    const bad = await fails('meta.schedulePreview', { schedule: { name: 'cosine', T_max: -3 }, lr: 0.1, steps: 10 });
    expect(bad).toMatchObject({ code: 'config', field: 'schedule.T_max' });
  });
});
