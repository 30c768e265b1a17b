// The Runs table's logic (filters as typed, sorting with missing values last, the virtual window)
// and the view against the real backend: sort, filter, select, tag, rename, notes, archive,
// delete after a confirmation.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { API_KEY } from '../../src-renderer/src/api/index.ts';
import type { RunSummary } from '../../src-renderer/src/api/protocol.ts';
import RunsView from '../../src-renderer/src/views/RunsView.vue';
import { COLUMN_BY_KEY, applyTable, parseColumnFilter, visibleWindow, type TableState } from '../../src-renderer/src/logic/runsTable.ts';
import { startHarness, testApp, until, type Harness, type TestApp } from './harness.ts';

function run(id: number, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    name: `run ${id}`,
    status: 'finished',
    optimizer: 'adam',
    modelKind: 'mlp',
    dataSource: 'iris',
    dataset: 'iris',
    datasetId: null,
    hyperparams: { lr: 0.01 },
    createdAt: new Date(Date.UTC(2026, 11, 1 + id)).toISOString(),
    startedAt: null,
    endedAt: null,
    error: null,
    divergedStep: null,
    notes: '',
    tags: [],
    archived: false,
    summary: {},
    lastStep: 9,
    ...over,
  };
}

const state = (over: Partial<TableState> = {}): TableState => ({ filters: {}, search: '', sort: { key: 'created', desc: true }, showArchived: false, ...over });
const ids = (rs: RunSummary[]) => rs.map((r) => r.id);

describe('runs table logic', () => {
  test('Steps is the last step logged: the steps a run took (step 0 is the evaluation before training), as the run view and the CLI count', () => {
    const steps = COLUMN_BY_KEY.get('steps')!;
    expect(steps.text(run(1, { lastStep: 2 }))).toBe('2'); // diverged at step 2
    expect(steps.value(run(1, { lastStep: 0 }))).toBe(0);
    expect(steps.text(run(1, { lastStep: null }))).toBe('—');
  });

  test('Sweep: the sweep a run was launched in, as #id (— for none), filtered by its number', () => {
    const sweep = COLUMN_BY_KEY.get('sweep')!;
    expect(sweep.text(run(1, { sweepId: 7 }))).toBe('#7');
    expect(sweep.text(run(1, { sweepId: null }))).toBe('—');
    expect(sweep.text(run(1))).toBe('—'); // a summary from before sweeps has no sweepId
    const p = parseColumnFilter(sweep, '=7');
    if (!p.ok || !p.test) throw new Error('=7 should parse');
    expect([run(1, { sweepId: 7 }), run(2, { sweepId: 8 }), run(3, { sweepId: null })].filter(p.test).map((r) => r.id)).toEqual([1]);
  });

  const runs = [
    run(1, { hyperparams: { lr: 1e-3 }, optimizer: 'sgd', summary: { val_loss: 0.5 } }),
    run(2, { hyperparams: { lr: 0.1 }, summary: { val_loss: NaN } }),
    run(3, { hyperparams: { lr: 0.01 }, optimizer: 'rmsprop', summary: { val_loss: 0.2 }, tags: ['best'], notes: 'the good one' }),
    run(4, { hyperparams: { lr: 1e-4 }, summary: {}, archived: true }),
  ];

  test('number filters: equal, comparisons, ranges; a bad one is a message naming the column', () => {
    const lr = COLUMN_BY_KEY.get('lr')!;
    const pick = (input: string) => {
      const p = parseColumnFilter(lr, input);
      if (!p.ok) throw new Error(p.message);
      return runs.filter((r) => !p.test || p.test(r)).map((r) => r.id);
    };
    expect(pick('0.01')).toEqual([3]);
    expect(pick('<0.01')).toEqual([1, 4]);
    expect(pick('>= 1e-2')).toEqual([2, 3]);
    expect(pick('!=0.1')).toEqual([1, 3, 4]);
    expect(pick('1e-3..0.01')).toEqual([1, 3]);
    expect(pick('  ')).toEqual([1, 2, 3, 4]);
    expect(parseColumnFilter(lr, '<abc')).toEqual({ ok: false, message: 'lr: “<abc” is not a number with an optional <, <=, >, >=, = or != before it (0.01, <1e-3), or a range 1e-4..1e-2' });
    expect(parseColumnFilter(lr, '0x10').ok).toBe(false);
    // a metric that is NaN or missing never matches a comparison
    const loss = COLUMN_BY_KEY.get('val_loss')!;
    const p = parseColumnFilter(loss, '<1');
    expect(p.ok && runs.filter((r) => p.test!(r)).map((r) => r.id)).toEqual([1, 3]);
  });

  test('text filters: substring, exact with =, excluded with !; dates by day or bound', () => {
    const opt = COLUMN_BY_KEY.get('optimizer')!;
    const test1 = (input: string) => {
      const p = parseColumnFilter(opt, input);
      return p.ok ? runs.filter((r) => p.test!(r)).map((r) => r.id) : p.message;
    };
    expect(test1('PROP')).toEqual([3]);
    expect(test1('=adam')).toEqual([2, 4]);
    expect(test1('!adam')).toEqual([1, 3]);
    const created = COLUMN_BY_KEY.get('created')!;
    const day = parseColumnFilter(created, new Date(runs[2].createdAt).toISOString().slice(0, 10));
    expect(day.ok).toBe(true);
    expect(parseColumnFilter(created, 'yesterday')).toMatchObject({ ok: false, message: expect.stringContaining('Created: “yesterday” is not a date') });
  });

  test('sorting: both directions, runs without a value (or NaN) last either way; archived hidden unless asked', () => {
    expect(ids(applyTable(runs, state()).rows)).toEqual([3, 2, 1]);
    expect(ids(applyTable(runs, state({ showArchived: true })).rows)).toEqual([4, 3, 2, 1]);
    expect(ids(applyTable(runs, state({ sort: { key: 'val_loss', desc: false }, showArchived: true })).rows)).toEqual([3, 1, 4, 2]);
    expect(ids(applyTable(runs, state({ sort: { key: 'val_loss', desc: true }, showArchived: true })).rows)).toEqual([1, 3, 4, 2]);
    expect(ids(applyTable(runs, state({ sort: { key: 'lr', desc: false } })).rows)).toEqual([1, 3, 2]);
    expect(ids(applyTable(runs, state({ sort: { key: 'name', desc: false } })).rows)).toEqual([1, 2, 3]);
  });

  test('search covers names, notes and tags; a bad filter is reported and ignored', () => {
    expect(ids(applyTable(runs, state({ search: 'GOOD' })).rows)).toEqual([3]);
    expect(ids(applyTable(runs, state({ search: 'best' })).rows)).toEqual([3]);
    const r = applyTable(runs, state({ filters: { lr: '<<1', optimizer: 'sgd' } }));
    expect(ids(r.rows)).toEqual([1]);
    expect(Object.keys(r.errors)).toEqual(['lr']);
  });

  test('the virtual window: the rows in view plus overscan, clamped to the list', () => {
    expect(visibleWindow(0, 360, 36, 1000, 5)).toEqual({ start: 0, end: 16 });
    expect(visibleWindow(3600, 360, 36, 1000, 5)).toEqual({ start: 95, end: 116 });
    // scrolled far past the end of a list that got shorter: its last rows
    expect(visibleWindow(36_000, 360, 36, 20, 5)).toEqual({ start: 5, end: 20 });
    expect(visibleWindow(0, 360, 36, 0, 5)).toEqual({ start: 0, end: 0 });
  });
});

describe('RunsView against the real backend', () => {
  let h: Harness;
  let app: TestApp;
  beforeEach(async () => {
    h = await startHarness();
    app = testApp(h);
  });
  afterEach(async () => {
    await h.close();
  });

  async function mountView(): Promise<VueWrapper> {
    await app.router.push('/runs');
    const w = mount(RunsView, { global: { plugins: [app.router], provide: { [API_KEY as symbol]: app.api } }, attachTo: document.body });
    await until(() => expect(w.findAll('[data-test^=run-row-]').length).toBeGreaterThan(0));
    return w;
  }
  const rowIds = (w: VueWrapper) => w.findAll('[data-test^=run-row-]').map((r) => Number(r.attributes('data-test')!.replace('run-row-', '')));

  test('sort by a column header, filter by a column, select two and compare them', async () => {
    const a = h.seedRun({ name: 'alpha', lr: 0.1, steps: 20 });
    const b = h.seedRun({ name: 'beta', lr: 0.001, steps: 20 });
    const c = h.seedRun({ name: 'gamma', lr: 0.01, steps: 20 });
    const w = await mountView();
    expect(rowIds(w)).toEqual([c, b, a]);
    await w.find('[data-test=sort-lr]').trigger('click');
    expect(rowIds(w)).toEqual([b, c, a]);
    await w.find('[data-test=sort-lr]').trigger('click');
    expect(rowIds(w)).toEqual([a, c, b]);
    await w.find('[data-test=filter-lr]').setValue('<0.05');
    expect(rowIds(w)).toEqual([c, b]);
    expect(w.find('[data-test=row-count]').text()).toBe('2 of 3 runs');
    await w.find(`[data-test=select-${b}]`).setValue(true);
    await w.find(`[data-test=select-${c}]`).setValue(true);
    await w.find('[data-test=compare]').trigger('click');
    await flushPromises();
    expect(app.router.currentRoute.value.path).toBe('/compare');
    expect(app.router.currentRoute.value.query).toEqual({ runs: `${b},${c}` });
    w.unmount();
  });

  test('rename, tag, notes and archive through the editor; delete only after confirming', async () => {
    const a = h.seedRun({ name: 'alpha', steps: 10 });
    const b = h.seedRun({ name: 'beta', steps: 10 });
    const w = await mountView();
    await w.find(`[data-test=edit-${a}]`).trigger('click');
    await w.find('[data-test=editor-name]').setValue('alpha renamed');
    await w.find('[data-test=editor-rename]').trigger('click');
    await w.find('[data-test=editor-tag]').setValue('keeper');
    await w.find('[data-test=editor-add-tag]').trigger('click');
    await w.find('[data-test=editor-notes]').setValue('lr too high?');
    await w.find('[data-test=editor-save-notes]').trigger('click');
    await until(() => expect(w.find(`[data-test=run-row-${a}] [data-test=cell-name]`).text()).toBe('alpha renamed'));
    const stored = await app.api.client.call('runs.get', { id: a });
    expect([stored.name, stored.tags, stored.notes]).toEqual(['alpha renamed', ['keeper', 'seed'], 'lr too high?']);

    await w.find('[data-test=editor-archive]').trigger('click');
    await until(() => expect(rowIds(w)).toEqual([b]));
    await w.find('[data-test=show-archived]').setValue(true);
    expect(rowIds(w)).toEqual([b, a]);

    // a bad tag is the store's message, nothing changes
    await w.find('[data-test=editor-tag]').setValue('a,b');
    await w.find('[data-test=editor-add-tag]').trigger('click');
    await until(() => expect(w.find('[data-test=action-error]').text()).toContain('without commas'));

    await w.find('[data-test=editor-delete]').trigger('click');
    expect(w.find('[data-test=confirm-delete]').text()).toContain(`Delete run ${a} “alpha renamed”`);
    await w.find('[data-test=confirm-delete-no]').trigger('click');
    expect((await app.api.client.call('runs.get', { id: a })).id).toBe(a);
    await w.find('[data-test=editor-delete]').trigger('click');
    await w.find('[data-test=confirm-delete-yes]').trigger('click');
    await until(() => expect(rowIds(w)).toEqual([b]));
    await expect(app.api.client.call('runs.get', { id: a })).rejects.toThrow(/not found/);
    w.unmount();
  });

  test('bulk: tag and delete the selected runs; a run still training is not deleted', async () => {
    const a = h.seedRun({ name: 'alpha', steps: 10 });
    const live = h.seedRun({ name: 'live', steps: 10, end: 'running' });
    const w = await mountView();
    await w.find('[data-test=select-all]').setValue(true);
    expect(w.find('[data-test=selected-count]').text()).toBe('· 2 selected');
    await w.find('[data-test=bulk-tag]').setValue('sweep-1');
    await w.find('[data-test=bulk-tag-add]').trigger('click');
    await until(() => expect(w.findAll('.tags-cell').map((c) => c.text())).toEqual(['seedsweep-1', 'seedsweep-1']));
    expect((await app.api.client.call('runs.list', { tag: 'sweep-1' })).length).toBe(2);
    await w.find('[data-test=bulk-delete]').trigger('click');
    expect(w.find('[data-test=confirm-delete]').text()).toContain(`Delete run ${a} “alpha”`);
    await w.find('[data-test=confirm-delete-yes]').trigger('click');
    await until(() => expect(rowIds(w)).toEqual([live]));
    w.unmount();
  });
});
