// The Compare view against the real backend (chart.js replaced by a recorder): the runs of the
// URL loaded at full resolution, the difference and final-metric tables, grouping by a setting.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { API_KEY } from '../../src-renderer/src/api/index.ts';
import { FakeChart, manualFrames } from './fakeChart.ts';
import { startHarness, testApp, until, type Harness, type TestApp } from './harness.ts';

vi.mock('../../src-renderer/src/charts/chartjs.ts', () => ({
  createChart: (canvas: HTMLCanvasElement, config: never) => new FakeChart(canvas, config),
}));
const { default: CompareView } = await import('../../src-renderer/src/views/CompareView.vue');
const { default: LiveLineChart } = await import('../../src-renderer/src/components/LiveLineChart.vue');
const { default: GroupBandChart } = await import('../../src-renderer/src/components/GroupBandChart.vue');

let h: Harness;
let app: TestApp;
beforeEach(async () => {
  FakeChart.instances = [];
  const frames = manualFrames();
  vi.stubGlobal('requestAnimationFrame', frames.raf);
  vi.stubGlobal('cancelAnimationFrame', frames.caf);
  h = await startHarness();
  app = testApp(h);
});
afterEach(async () => {
  vi.unstubAllGlobals();
  await h.close();
});

async function mountAt(url: string): Promise<VueWrapper> {
  await app.router.push(url);
  const w = mount(CompareView, { global: { plugins: [app.router], provide: { [API_KEY as symbol]: app.api } } });
  await flushPromises();
  return w;
}
const paths = (w: VueWrapper) => w.findAll('[data-test=diff-column] button').map((b) => b.attributes('data-path'));

describe('CompareView', () => {
  test('two runs: every point loaded, the differing settings only, the final metrics', async () => {
    const a = h.seedRun({ name: 'adam', lr: 0.01, steps: 300 });
    const b = h.seedRun({ name: 'sgd', lr: 0.1, optimizer: 'sgd', steps: 250 });
    const w = await mountAt(`/compare?runs=${a},${b}`);
    await until(() => expect(w.find('[data-test=draw-stats]').exists()).toBe(true));
    expect(w.find('[data-test=draw-stats]').attributes('data-points')).toBe('550');
    const chart = w.findComponent(LiveLineChart).vm as unknown as { pointCount(id?: string): number };
    expect([chart.pointCount(`run-${a}`), chart.pointCount(`run-${b}`)]).toEqual([300, 250]);
    expect(paths(w)).toEqual(['optimizer.name', 'optimizer.hyperparams.lr']);
    expect(w.findAll(`[data-test=diff-row-${b}] [data-test=diff-cell]`).map((c) => c.text())).toEqual(['sgd', '0.1']);
    expect(w.find('[data-test=final-table]').text()).toContain('train_loss');
    // one series request per run, as typed columns
    const asked = h.transport.sent.filter((m) => m.method === 'runs.seriesColumns').map((m) => (m.params as { runIds: number[] }).runIds);
    expect(asked).toEqual([[a], [b]]);
    // another metric loads that key
    await w.find('[data-test=metric]').setValue('val_loss');
    await until(() => expect(w.find('[data-test=draw-stats]').attributes('data-points')).toBe(String(31 + 26)));
  });

  test('grouped by a setting: one band per value, the URL keeps the choice', async () => {
    const ids = [0.001, 0.01].flatMap((lr) => [0, 1].map((seed) => h.seedRun({ name: `lr ${lr} seed ${seed}`, lr, seed, steps: 50, loss: (t) => (1 + seed) / (1 + t) + lr })));
    const w = await mountAt(`/compare?runs=${ids.join(',')}`);
    await until(() => expect(paths(w)).toEqual(['optimizer.hyperparams.lr', 'training.seed']));
    await w.find('[data-test=group]').setValue('optimizer.hyperparams.lr');
    await flushPromises();
    expect(app.router.currentRoute.value.query.group).toBe('optimizer.hyperparams.lr');
    await until(() => expect(w.findComponent(GroupBandChart).exists()).toBe(true));
    const groups = w.findComponent(GroupBandChart).props('groups') as { label: string; stats: { step: Float64Array; max: Float64Array; min: Float64Array } }[];
    expect(groups.map((g) => g.label)).toEqual(['lr=0.001 (2 runs)', 'lr=0.01 (2 runs)']);
    expect(groups[0].stats.step).toHaveLength(50);
    // the band spans the two seeds (smoothed: the EMA of each run, then min and max)
    expect(groups[0].stats.max[10]).toBeGreaterThan(groups[0].stats.min[10]);
  });

  test('a run still training is said; Reload reads its newest points', async () => {
    const live = h.seedRun({ steps: 20, end: 'running' });
    const done = h.seedRun({ steps: 20 });
    const w = await mountAt(`/compare?runs=${live},${done}`);
    await until(() => expect(w.find('[data-test=training-note]').text()).toContain(`#${live}`));
    const chart = () => w.findComponent(LiveLineChart).vm as unknown as { pointCount(id?: string): number };
    await until(() => expect(chart().pointCount(`run-${live}`)).toBe(20));
    h.store.log(live, { step: 20, epoch: 2.5, wallTime: 0.2 }, { train_loss: 0.5 });
    h.store.writer.flush();
    await w.find('[data-test=reload]').trigger('click');
    await until(() => expect(chart().pointCount(`run-${live}`)).toBe(21));
  });

  test('a bad URL and a deleted run are said, the rest still compared', async () => {
    let w = await mountAt('/compare?runs=4,abc');
    expect(w.find('[data-test=query-error]').text()).toContain('“abc” is not a run id');
    w.unmount();
    const a = h.seedRun({ steps: 10 });
    w = await mountAt(`/compare?runs=${a},424242`);
    await until(() => expect(w.find('[data-test=missing-runs]').text()).toContain('No run 424242'));
    expect(w.find('[data-test=no-differences]').text()).toBe('One run: nothing to compare it with.');
  });

  test('a new link in the same view replaces what the last one showed, a bad one too', async () => {
    const a = h.seedRun({ name: 'adam', steps: 20 });
    const b = h.seedRun({ name: 'sgd', optimizer: 'sgd', steps: 20 });
    const w = await mountAt(`/compare?runs=${a},${b}`);
    await until(() => expect(w.find('[data-test=draw-stats]').exists()).toBe(true));
    expect(w.find('.subtitle').text()).toContain('2 runs');
    await app.router.push(`/compare?runs=${a},x`);
    await until(() => expect(w.find('[data-test=query-error]').exists()).toBe(true));
    expect(w.find('[data-test=draw-stats]').exists()).toBe(false);
    expect(w.find(`[data-test=diff-row-${a}]`).exists()).toBe(false);
    expect(w.find('.subtitle').text()).not.toContain('runs ·');
    await app.router.push(`/compare?runs=${a}`);
    await until(() => expect(w.find('.subtitle').text()).toContain('1 run ·'));
    expect(w.find('[data-test=query-error]').exists()).toBe(false);
  });
});
