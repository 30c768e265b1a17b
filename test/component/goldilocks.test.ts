// The Goldilocks chart's grouping of the server's analysis (logic/goldilocks.ts) and the sweep
// form's spec and Compare link (logic/sweepForm.ts).
import { describe, expect, test } from 'vitest';
import type { RunSummary, SweepDetail } from '../../src-renderer/src/api/protocol.ts';
import { goldilocks, metricChoices } from '../../src-renderer/src/logic/goldilocks.ts';
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
  test('splits the server analysis per optimizer, means ascending by lr', () => {
    const g = goldilocks({
      metric: 'val_loss',
      higherIsBetter: false,
      members: [
        { runId: 1, optimizer: 'sgd', lr: 0.1, seed: 0, state: 'finished', value: 0.3, divergedStep: null },
        { runId: 2, optimizer: 'adam', lr: 0.01, seed: 0, state: 'diverged', value: null, divergedStep: 4 },
      ],
      means: [
        { optimizer: 'sgd', lr: 1, mean: 0.2, count: 1, runIds: [3] },
        { optimizer: 'sgd', lr: 0.1, mean: 0.3, count: 1, runIds: [1] },
      ],
      best: { optimizer: 'sgd', lr: 1, mean: 0.2, count: 1, runIds: [3] },
      diverged: [{ runId: 2, optimizer: 'adam', lr: 0.01, seed: 0, state: 'diverged', value: null, divergedStep: 4 }],
      counts: { finished: 1, diverged: 1, active: 0, ended: 0 },
    });
    expect(g.series.map((s) => [s.optimizer, s.points.map((p) => p.runId), s.means.map((m) => m.lr)])).toEqual([
      ['sgd', [1], [0.1, 1]],
      ['adam', [2], []],
    ]);
    expect(g.best?.lr).toBe(1);
  });

  test('metric choices: the losses and qualities the members logged', () => {
    const d = detail([run({ lr: 0.1, status: 'finished', summary: { val_loss: 1, val_accuracy: 0.5, lr: 0.1, 'update_ratio/x': 1 } })]);
    expect(metricChoices(d)).toEqual(['val_accuracy', 'val_loss']);
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
