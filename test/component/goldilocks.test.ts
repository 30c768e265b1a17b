// The Goldilocks view's bookkeeping (logic/goldilocks.ts) and the sweep form's spec and Compare
// link (logic/sweepForm.ts): which lr is best, which members diverged, means over seeds.
import { describe, expect, test } from 'vitest';
import type { RunSummary, SweepDetail } from '../../src-renderer/src/api/protocol.ts';
import { defaultMetric, goldilocks, metricChoices } from '../../src-renderer/src/logic/goldilocks.ts';
import { buildSweepSpec, compareLink, newSweepForm, parseNumberList } from '../../src-renderer/src/logic/sweepForm.ts';

let nextId = 1;
function run(o: { optimizer?: string; lr: number; seed?: number; status: RunSummary['status']; summary: Record<string, number>; divergedStep?: number }): { run: RunSummary; member: SweepDetail['members'][number] } {
  const id = nextId++;
  const r: RunSummary = {
    id,
    name: `run ${id}`,
    status: o.status,
    optimizer: o.optimizer ?? 'sgd',
    modelKind: 'mlp',
    dataSource: 'iris',
    dataset: 'iris',
    datasetId: null,
    hyperparams: { lr: o.lr },
    createdAt: new Date(0).toISOString(),
    startedAt: null,
    endedAt: null,
    error: null,
    divergedStep: o.divergedStep ?? null,
    notes: '',
    tags: [],
    archived: false,
    sweepId: 1,
    summary: o.summary,
    lastStep: 10,
  };
  return { run: r, member: { runId: id, optimizer: r.optimizer, lr: o.lr, seed: o.seed ?? 0 } };
}

function detail(list: ReturnType<typeof run>[]): Pick<SweepDetail, 'runs' | 'members' | 'runIds'> {
  return { runs: list.map((l) => l.run), members: list.map((l) => l.member), runIds: list.map((l) => l.run.id) };
}

describe('goldilocks', () => {
  test('the best lr is the lowest final loss among finished runs; diverged and NaN ones are marked, active ones left out', () => {
    const d = detail([
      run({ lr: 0.001, status: 'finished', summary: { val_loss: 1.2, train_loss: 1.1 } }),
      run({ lr: 0.1, status: 'finished', summary: { val_loss: 0.38, train_loss: 0.3 } }),
      run({ lr: 1, status: 'running', summary: { val_loss: 0.01, train_loss: 0.01 } }),
      run({ lr: 3, status: 'finished', summary: { val_loss: NaN, train_loss: 0.2 } }),
      run({ lr: 10, status: 'diverged', summary: { val_loss: 1e5, train_loss: 7e6 }, divergedStep: 11 }),
    ]);
    const g = goldilocks(d, defaultMetric(d));
    expect(g.metric).toBe('val_loss');
    expect(g.best).toMatchObject({ lr: 0.1, value: 0.38, optimizer: 'sgd' });
    expect(g.diverged.map((p) => [p.lr, p.divergedStep])).toEqual([
      [3, null],
      [10, 11],
    ]);
    expect(g.counts).toEqual({ finished: 2, diverged: 2, active: 1, ended: 0 });
    expect(g.series[0].means).toEqual([
      { lr: 0.001, mean: 1.2, count: 1 },
      { lr: 0.1, mean: 0.38, count: 1 },
    ]);
    // Once the running member finishes with a lower loss, it is the best.
    d.runs[2] = { ...d.runs[2], status: 'finished' };
    expect(goldilocks(d, 'val_loss').best?.lr).toBe(1);
  });

  test('with seeds the best lr has the lowest mean; per optimizer series; accuracy is maximized', () => {
    const d = detail([
      run({ lr: 0.01, seed: 0, status: 'finished', summary: { val_loss: 0.5, val_accuracy: 0.8 } }),
      run({ lr: 0.01, seed: 1, status: 'finished', summary: { val_loss: 0.1, val_accuracy: 0.9 } }),
      run({ lr: 0.1, seed: 0, status: 'finished', summary: { val_loss: 0.25, val_accuracy: 0.95 } }),
      run({ lr: 0.1, seed: 1, status: 'finished', summary: { val_loss: 0.3, val_accuracy: 0.96 } }),
      run({ optimizer: 'adam', lr: 0.01, status: 'finished', summary: { val_loss: 0.29, val_accuracy: 0.5 } }),
    ]);
    const g = goldilocks(d, 'val_loss');
    expect(g.series.map((s) => s.optimizer)).toEqual(['sgd', 'adam']);
    expect(g.series[0].means).toEqual([
      { lr: 0.01, mean: 0.3, count: 2 },
      { lr: 0.1, mean: 0.275, count: 2 },
    ]);
    expect(g.best).toMatchObject({ optimizer: 'sgd', lr: 0.1, value: 0.275, runIds: [d.runs[2].id, d.runs[3].id] });
    expect(goldilocks(d, 'val_accuracy').best).toMatchObject({ lr: 0.1, value: 0.955 });
    expect(metricChoices(d)).toEqual(['val_accuracy', 'val_loss']);
  });

  test('nothing finished: no best; the training loss when there is no validation loss', () => {
    const d = detail([run({ lr: 0.1, status: 'queued', summary: {} }), run({ lr: 1, status: 'running', summary: { train_loss: 2 } })]);
    expect(defaultMetric(d)).toBe('train_loss');
    expect(goldilocks(d, 'train_loss').best).toBeNull();
  });
});

describe('the sweep form', () => {
  const base = { model: { kind: 'mlp' }, optimizer: { name: 'sgd', hyperparams: { lr: 0.1 } }, data: { source: 'iris' } };

  test('becomes a spec over the base; text fields parsed, bad ones named', () => {
    const form = newSweepForm();
    expect(buildSweepSpec(form, base).spec).toEqual({ base, lr: { kind: 'log', from: 1e-4, to: 1, count: 5 } });
    form.lr.from = 'abc';
    expect(buildSweepSpec(form, base)).toEqual({ spec: null, errors: { 'lr.from': 'a number, e.g. 1e-4' } });
    form.lr.kind = 'list';
    form.lr.list = '0.1, 1e-2 x';
    expect(buildSweepSpec(form, base).errors).toEqual({ 'lr.values': 'x is not a number' });
    form.lr.on = false;
    expect(buildSweepSpec(form, base).errors).toEqual({ axes: 'sweep over learning rates, seeds or optimizers (at least one)' });
    form.seed.on = true;
    form.optimizers.on = true;
    form.optimizers.names = ['sgd', 'adam'];
    expect(buildSweepSpec(form, base).spec).toEqual({ base, seed: { kind: 'range', from: 0, count: 3 }, optimizers: [{ name: 'sgd' }, { name: 'adam' }] });
    expect(buildSweepSpec(form, null).spec).toBeNull();
    expect(parseNumberList('')).toEqual({ ok: false, error: 'at least one value, e.g. 0.001, 0.01, 0.1' });
  });

  test('Compare groups by lr, or by optimizer when only optimizers vary', () => {
    const lrSweep = detail([run({ lr: 0.1, status: 'finished', summary: {} }), run({ lr: 1, status: 'finished', summary: {} })]);
    expect(compareLink(lrSweep)).toBe(`/compare?runs=${lrSweep.runIds.join(',')}&group=optimizer.hyperparams.lr`);
    const optSweep = detail([run({ lr: 0.1, status: 'finished', summary: {} }), run({ optimizer: 'adam', lr: 0.1, status: 'finished', summary: {} })]);
    expect(compareLink(optSweep)).toBe(`/compare?runs=${optSweep.runIds.join(',')}&group=optimizer.name`);
  });
});
