import { describe, expect, it } from 'vitest';
import type { Dataset, RegressionDataset } from '../../../src-main/core/data/types.ts';
import { createSession, downsample, resolveRunConfig, snapshotShape, type TrainEvent } from '../../../src-main/core/train/index.ts';
import { loadDataset } from '../../../src-main/io/index.ts';

const datasets = new Map<string, Dataset>();
async function data(name: string, seed = 0): Promise<Dataset> {
  const key = `${name}/${seed}`;
  if (!datasets.has(key)) datasets.set(key, (await loadDataset(name, { seed })).dataset);
  return datasets.get(key)!;
}

/** Runs a session to its end in slices of `slice` steps; returns every event. */
async function run(input: Record<string, unknown>, slice = 1000): Promise<TrainEvent[]> {
  const config = resolveRunConfig(input);
  const dataset = await data(config.data.source, config.training.seed);
  const events: TrainEvent[] = [];
  const session = createSession({ config, dataset, onEvent: (e) => events.push(e) });
  while (!session.advance({ maxSteps: slice }));
  return events;
}

const digits = (training: Record<string, unknown> = {}, optimizer: Record<string, unknown> = { name: 'adam' }) => ({
  model: { kind: 'mlp', hidden: [16] },
  optimizer,
  data: { source: 'digits' },
  training: { epochs: 2, ...training },
});

/** (key, step, value) of every metric point, in order. */
function points(events: TrainEvent[]): [string, number, number][] {
  return events.flatMap((e) => (e.type === 'metrics' ? Object.entries(e.values).map(([k, v]) => [k, e.step, v] as [string, number, number]) : []));
}

function endOf(events: TrainEvent[]) {
  const last = events[events.length - 1];
  if (last.type !== 'end') throw new Error(`the last event is ${last.type}, not end`);
  return last.end;
}

describe('training session', () => {
  it('is deterministic: the same config and seed give bit-identical metrics and snapshots, whatever the slicing', async () => {
    const a = await run(digits({ snapshotEvery: 10 }));
    const b = await run(digits({ snapshotEvery: 10 }), 7);
    const pa = points(a);
    const pb = points(b);
    expect(pa.length).toBeGreaterThan(90);
    expect(pb).toEqual(pa);
    const snaps = (es: TrainEvent[]) => es.flatMap((e) => (e.type === 'snapshot' ? [`${e.step} ${e.layer} ${Buffer.from(e.data.buffer).toString('hex')}`] : []));
    expect(snaps(b)).toEqual(snaps(a));
    // Object.is on every value: toEqual would also accept -0 for 0.
    expect(pa.every(([, , v], i) => Object.is(v, pb[i][2]))).toBe(true);
    const other = points(await run(digits({ seed: 1, snapshotEvery: 10 })));
    expect(other.filter(([k]) => k === 'train_loss').map(([, , v]) => v)).not.toEqual(pa.filter(([k]) => k === 'train_loss').map(([, , v]) => v));
  });

  it('snapshots the parameter values after the step, beside the effective steps', async () => {
    const config = resolveRunConfig({ ...digits({ epochs: null, steps: 5, snapshotEvery: 1 }), model: { kind: 'mlp', hidden: [8] } });
    const events: TrainEvent[] = [];
    const session = createSession({ config, dataset: await data('digits'), onEvent: (e) => events.push(e) });
    while (!session.advance({ maxSteps: 2 }));
    const last = events.filter((e) => e.type === 'snapshot' && e.kind === 'param' && e.step === 5) as Extract<TrainEvent, { type: 'snapshot' }>[];
    expect(last.map((s) => s.layer).sort()).toEqual([...session.params.byName.keys()].sort());
    for (const s of last) expect(Array.from(s.data)).toEqual(Array.from(Float32Array.from(session.params.byName.get(s.layer)!.values)));
    // and they move between steps
    const first = events.find((e) => e.type === 'snapshot' && e.kind === 'param' && e.layer === 'layers.0.weight') as Extract<TrainEvent, { type: 'snapshot' }>;
    expect(Array.from(first.data)).not.toEqual(Array.from(last.find((s) => s.layer === 'layers.0.weight')!.data));
  });

  it('reports train loss every step, evaluations every epoch and at the end, snapshots, progress and the end', async () => {
    const events = await run(digits({ snapshotEvery: 20 }));
    const dataset = await data('digits');
    const perEpoch = Math.ceil(dataset.split.train.length / 32); // 1437 training rows -> 45 steps
    const total = 2 * perEpoch;
    const trainSteps = points(events).filter(([k]) => k === 'train_loss').map(([, s]) => s);
    expect(trainSteps).toEqual(Array.from({ length: total }, (_, i) => i + 1));
    const evals = events.filter((e) => e.type === 'metrics' && 'val_loss' in e.values) as Extract<TrainEvent, { type: 'metrics' }>[];
    expect(evals.map((e) => e.step)).toEqual([0, perEpoch, total]);
    expect(Object.keys(evals[0].values).sort()).toEqual(['val_accuracy', 'val_loss']);
    expect(Object.keys(evals[1].values).sort()).toEqual(
      ['grad_norm', 'lr', 'update_ratio/layers.0.bias', 'update_ratio/layers.0.weight', 'update_ratio/layers.1.bias', 'update_ratio/layers.1.weight', 'val_accuracy', 'val_loss'].sort(),
    );
    expect(evals[1].epoch).toBe(1);
    expect(evals[2].epoch).toBe(2);
    expect(evals[1].values.lr).toBe(0.001);
    for (const e of evals.slice(1)) {
      expect(e.values.grad_norm).toBeGreaterThan(0);
      const ratios = Object.entries(e.values).filter(([k]) => k.startsWith('update_ratio/'));
      for (const [, v] of ratios) expect(v > 0 && v < 1).toBe(true);
    }
    expect(evals[2].values.val_loss).toBeLessThan(evals[0].values.val_loss);
    // Wall times only grow.
    const walls = events.flatMap((e) => (e.type === 'metrics' ? [e.wallTime] : []));
    walls.slice(1).forEach((w, i) => expect(w).toBeGreaterThanOrEqual(walls[i]));

    const all = events.filter((e) => e.type === 'snapshot') as Extract<TrainEvent, { type: 'snapshot' }>[];
    // Each step's effective steps, and the values after that step, of every tensor.
    expect(all.filter((s) => s.kind === 'param').map((s) => [s.step, s.layer])).toEqual(all.filter((s) => s.kind === 'effective_lr').map((s) => [s.step, s.layer]));
    const snaps = all.filter((s) => s.kind === 'effective_lr');
    const expectedSteps = [1, 20, 40, 60, 80, total];
    expect([...new Set(snaps.map((s) => s.step))]).toEqual(expectedSteps);
    expect(snaps.slice(0, 4).map((s) => [s.layer, s.kind, s.shape, s.originalShape])).toEqual([
      ['layers.0.weight', 'effective_lr', [16, dataset.d], [16, dataset.d]],
      ['layers.1.weight', 'effective_lr', [10, 16], [10, 16]],
      ['layers.0.bias', 'effective_lr', [16], [16]],
      ['layers.1.bias', 'effective_lr', [10], [10]],
    ]);
    // Adam's effective step size lr/(√v̂ + ε): positive, and at step 1 (v̂ = g²) lr/(|g| + ε).
    for (const s of snaps) for (const v of s.data) expect(v).toBeGreaterThan(0);

    const progress = events.filter((e) => e.type === 'progress') as Extract<TrainEvent, { type: 'progress' }>[];
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.at(-1)).toMatchObject({ step: total, totalSteps: total, epoch: 2, epochs: 2, etaSeconds: 0 });
    expect(progress.at(-1)!.samplesPerSecond).toBeGreaterThan(0);

    const end = endOf(events);
    expect(end).toMatchObject({ reason: 'finished', step: total, divergedStep: null });
    expect(end.final).toMatchObject({ steps: total, epochs: 2, samples: 2 * dataset.split.train.length, val_loss: evals[2].values.val_loss, val_accuracy: evals[2].values.val_accuracy });
    expect(end.final.train_loss).toBe(points(events).filter(([k]) => k === 'train_loss').at(-1)![2]);
  });

  it('a step budget, evalEvery and regression metrics', async () => {
    const events = await run({ model: { kind: 'linear' }, optimizer: { name: 'adam', hyperparams: { lr: 0.5 } }, data: { source: 'diabetes' }, training: { steps: 25, evalEvery: 10, snapshotEvery: 0 } });
    const evals = events.filter((e) => e.type === 'metrics' && 'val_loss' in e.values) as Extract<TrainEvent, { type: 'metrics' }>[];
    expect(evals.map((e) => e.step)).toEqual([0, 10, 20, 25]);
    expect(Object.keys(evals[0].values).sort()).toEqual(['val_loss', 'val_r2', 'val_rmse']);
    // val_loss is the MSE of the standardized target; val_rmse is in the target's units.
    const { targetScaling } = (await data('diabetes')) as RegressionDataset;
    expect(targetScaling.std).toBeGreaterThan(70);
    expect(evals[3].values.val_rmse).toBeCloseTo(Math.sqrt(evals[3].values.val_loss) * targetScaling.std, 9);
    expect(events.some((e) => e.type === 'snapshot')).toBe(false);
    expect(endOf(events)).toMatchObject({ reason: 'finished', step: 25 });
  });

  it('detects divergence: SGD with lr 10 on diabetes stops at the step whose loss blew up', async () => {
    const events = await run({ model: { kind: 'linear' }, optimizer: { name: 'sgd', hyperparams: { lr: 10 } }, data: { source: 'diabetes' }, training: { epochs: 5 } });
    const end = endOf(events);
    expect(end.reason).toBe('diverged');
    const losses = points(events).filter(([k]) => k === 'train_loss');
    const [, step, loss] = losses.at(-1)!;
    expect(end.divergedStep).toBe(step);
    expect(end.step).toBe(step);
    expect(!Number.isFinite(loss) || loss > 1e6 * losses[0][2]).toBe(true);
    // Every loss before it was within bounds.
    for (const [, , v] of losses.slice(0, -1)) expect(v).toBeLessThanOrEqual(1e6 * losses[0][2]);
    expect(end.message).toMatch(new RegExp(`^diverged at step ${step}: the training loss is `));
    expect(end.final.train_loss).toBe(loss);
  });

  it('stops early when the validation loss stops improving by minDelta', async () => {
    // No improvement can beat a minDelta of 1e9 after the first evaluation: it stops after exactly `patience` more.
    const events = await run(digits({ epochs: 10, evalEvery: 5, earlyStopping: { patience: 3, minDelta: 1e9 } }));
    const end = endOf(events);
    expect(end.reason).toBe('early-stopped');
    expect(end.step).toBe(20);
    expect(end.message).toMatch(/^early stop at step 20: the validation loss has not improved by more than 1000000000 for 3 evaluations \(best [0-9.]+ at step 5\)$/);
    // A real patience on a long run: it ends before the budget and the best loss was patience evaluations earlier.
    const real = endOf(await run(digits({ epochs: 200, evalEvery: 45, earlyStopping: { patience: 2, minDelta: 0.001 } }, { name: 'adam', hyperparams: { lr: 0.01 } })));
    expect(real.reason).toBe('early-stopped');
    expect(real.step).toBeLessThan(200 * 45);
    const best = Number(/at step (\d+)\)$/.exec(real.message)![1]);
    expect(real.step - best).toBe(2 * 45);
  });

  it('feeds the validation loss to reduce-on-plateau', async () => {
    // An absolute threshold no loss can beat: every evaluation after the first is a plateau.
    const events = await run({ ...digits({ epochs: 4 }, { name: 'sgd', hyperparams: { lr: 0.1 } }), schedule: { name: 'plateau', patience: 0, factor: 0.5, threshold: 1e9, threshold_mode: 'abs' } });
    const lrs = points(events).filter(([k]) => k === 'lr').map(([, , v]) => v);
    expect(lrs).toEqual([0.1, 0.1, 0.05, 0.025]);
  });

  it('keeps weight decay off the biases unless asked', async () => {
    const config = resolveRunConfig(digits({}, { name: 'adamw', hyperparams: { weight_decay: 0.1 } }));
    const dataset = await data('digits');
    const s = createSession({ config, dataset, onEvent: () => {} });
    expect(s.optimizer.groups.map((g) => [g.names, g.weightDecay])).toEqual([
      [['layers.0.weight', 'layers.1.weight'], 0.1],
      [['layers.0.bias', 'layers.1.bias'], 0],
    ]);
    const all = createSession({ config: resolveRunConfig(digits({ biasWeightDecay: true }, { name: 'adamw', hyperparams: { weight_decay: 0.1 } })), dataset, onEvent: () => {} });
    expect(all.optimizer.groups.map((g) => g.weightDecay)).toEqual([0.1]);
  });

  it('stop() ends the session at once, keeping what was reported', async () => {
    const config = resolveRunConfig(digits({ dtype: 'float64' }));
    const events: TrainEvent[] = [];
    const s = createSession({ config, dataset: await data('digits'), onEvent: (e) => events.push(e) });
    expect(s.advance({ maxSteps: 13 })).toBeNull();
    const end = s.stop();
    expect(end).toMatchObject({ reason: 'stopped', step: 13, message: 'stopped at step 13 of 90' });
    expect(s.advance()).toBe(end);
    expect(points(events).filter(([k]) => k === 'train_loss')).toHaveLength(13);
    expect(events.at(-1)).toEqual({ type: 'end', end });
  });

  it('downsamples large tensors to block means, keeping the original shape', async () => {
    expect(snapshotShape([64, 64], 4096)).toEqual([64, 64]);
    expect(snapshotShape([256, 256], 4096)).toEqual([64, 64]);
    expect(snapshotShape([10000], 4096)).toEqual([4096]);
    expect(snapshotShape([10000, 2], 4096)).toEqual([2048, 2]);
    const big = snapshotShape([300, 70], 1000);
    expect(big[0] * big[1]).toBeLessThanOrEqual(1000);
    const m = Float64Array.from({ length: 4 * 6 }, (_, i) => i); // 4×6, row i col j = 6i + j
    expect(Array.from(downsample(m, [4, 6], [2, 3]))).toEqual([3.5, 5.5, 7.5, 15.5, 17.5, 19.5]);
    expect(Array.from(downsample(Float64Array.of(1, 2, 3, 4, 5), [5], [2]))).toEqual([1.5, 4]);

    const events = await run({ ...digits({ epochs: null, steps: 3, snapshotMaxElements: 1000 }), model: { kind: 'mlp', hidden: [128] } });
    const w = events.find((e) => e.type === 'snapshot' && e.layer === 'layers.0.weight') as Extract<TrainEvent, { type: 'snapshot' }>;
    expect(w.originalShape).toEqual([128, (await data('digits')).d]);
    expect(w.shape[0] * w.shape[1]).toBeLessThanOrEqual(1000);
    expect(w.data).toHaveLength(w.shape[0] * w.shape[1]);
  });
});
