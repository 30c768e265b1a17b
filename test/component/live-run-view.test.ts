// The Live run view: a run that ended opens from the store (curves, heatmap per layer, the
// step slider); a live run appends the runner's events without redrawing what was read, and
// the controls go to the runner.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { API_KEY } from '../../src-renderer/src/api/index.ts';
import LiveRunView from '../../src-renderer/src/views/LiveRunView.vue';
import LiveLineChart from '../../src-renderer/src/components/LiveLineChart.vue';
import Heatmap from '../../src-renderer/src/components/Heatmap.vue';
import PercentileBandChart from '../../src-renderer/src/components/PercentileBandChart.vue';
import SchedulePreview from '../../src-renderer/src/components/SchedulePreview.vue';
import type { SeriesSpec } from '../../src-renderer/src/components/LiveLineChart.vue';
import { startHarness, testApp, until, type Harness, type TestApp } from './harness.ts';

let h: Harness;
let app: TestApp;

beforeEach(async () => {
  h = await startHarness();
  app = testApp(h);
});
afterEach(async () => {
  await h.close();
});

async function mountRun(id: number): Promise<VueWrapper> {
  await app.router.push(`/runs/${id}`);
  const w = mount(LiveRunView, { props: { id }, global: { plugins: [app.router], provide: { [API_KEY as symbol]: app.api } } });
  await until(() => expect(w.find('[data-test=run-name]').text()).not.toBe(`Run ${id}`));
  await flushPromises();
  return w;
}

type ChartApi = { pointCount(id?: string): number };
const chart = (w: VueWrapper, k: number) => w.findAllComponents(LiveLineChart)[k].vm as unknown as ChartApi;

describe('LiveRunView, a run that ended', () => {
  test('curves and snapshots from the store; one heatmap and one band chart per layer', async () => {
    const id = h.seedRun({ steps: 120, snapshotEvery: 20 });
    const w = await mountRun(id);
    expect(w.find('[data-test=run-name]').text()).toBe('seeded adam run');
    expect(w.find('[data-test=status]').text()).toBe('finished');
    expect(w.find('[data-test=pause]').exists()).toBe(false);
    expect(w.find('[data-test=stop]').exists()).toBe(false);
    await until(() => expect(chart(w, 0).pointCount('train_loss')).toBe(120));
    expect(chart(w, 0).pointCount('val_loss')).toBe(13);
    expect(chart(w, 1).pointCount('val_accuracy')).toBe(13);
    expect(chart(w, 2).pointCount('grad_norm')).toBe(13);

    await until(() => expect(w.findAll('[data-test^=layer-]')).toHaveLength(2));
    const maps = w.findAllComponents(Heatmap);
    expect(maps.map((m) => [m.props('name'), m.props('rows'), m.props('cols'), m.props('biasName')])).toEqual([
      ['layers.0.weight', 8, 4, 'layers.0.bias'],
      ['layers.1.weight', 3, 8, 'layers.1.bias'],
    ]);
    // the last snapshot is shown, with the parameter values for the tooltip
    expect(w.find('[data-test=snapshot-step]').text()).toBe('step 119 · 7 / 7');
    expect(maps[0].props('paramValues')).toBeInstanceOf(Float32Array);
    expect(maps[0].props('biasValues')).toHaveLength(8);
    // one colour range for every layer and step
    expect(maps[0].props('range')).toEqual(maps[1].props('range'));
    const bands = w.findAllComponents(PercentileBandChart);
    expect(bands.map((b) => (b.props('snapshots') as unknown[]).length)).toEqual([7, 7]);
  });

  test('the step slider moves every heatmap to that snapshot', async () => {
    const id = h.seedRun({ steps: 120, snapshotEvery: 20 });
    const w = await mountRun(id);
    await until(() => expect(w.findAllComponents(Heatmap)).toHaveLength(2));
    const before = w.findAllComponents(Heatmap)[0].props('values') as Float32Array;
    await w.find('[data-test=step-slider]').setValue(2);
    expect(w.find('[data-test=snapshot-step]').text()).toBe('step 40 · 3 / 7');
    const after = w.findAllComponents(Heatmap)[0].props('values') as Float32Array;
    expect(after).not.toBe(before);
    // seedEffective(lr, i, t) = lr·10^(−1 − (i mod 7)/3)·(1 + t/100)
    expect(after[0]).toBeCloseTo(Math.fround(0.01 * 0.1 * 1.4), 9);
  });

  test('every colour-scale mode is one scale for every layer; "this step" is the extent of all layers at that step', async () => {
    const id = h.seedRun({ steps: 120, snapshotEvery: 20 });
    const w = await mountRun(id);
    await until(() => expect(w.findAllComponents(Heatmap)).toHaveLength(2));
    await w.find('[data-test=step-slider]').setValue(2); // step 40
    const modes = w.findAll('[data-test=range-mode] button');
    expect(modes.map((b) => b.text())).toEqual(['p1–p99', 'full', 'this step']);
    for (const mode of modes) {
      await mode.trigger('click');
      const ranges = w.findAllComponents(Heatmap).map((m) => m.props('range'));
      expect(ranges[0], mode.text()).not.toBeNull();
      expect(ranges[1], mode.text()).toEqual(ranges[0]);
    }
    // seedEffective(lr, i, t) = lr·10^(−1 − (i mod 7)/3)·(1 + t/100): at t = 40, over i mod 7 = 0…6 of both layers
    const [lo, hi] = w.findAllComponents(Heatmap)[0].props('range') as [number, number];
    expect(hi).toBeCloseTo(Math.fround(0.01 * 0.1 * 1.4), 9);
    expect(lo).toBeCloseTo(Math.fround(0.01 * 10 ** (-1 - 6 / 3) * 1.4), 12);
  });

  test('export goes through the host', async () => {
    const id = h.seedRun({ steps: 10 });
    const w = await mountRun(id);
    await w.find('[data-test=export-csv]').trigger('click');
    await w.find('[data-test=export-json]').trigger('click');
    expect(app.exported).toEqual([
      { id, format: 'csv' },
      { id, format: 'json' },
    ]);
  });

  test('a run that diverged says where', async () => {
    const id = h.seedRun({ steps: 30, end: 'diverged' });
    const w = await mountRun(id);
    expect(w.find('[data-test=status]').text()).toBe('diverged');
    expect(w.find('[data-test=progress]').text()).toContain('the loss became NaN');
  });

  test('an unknown run: one line', async () => {
    await app.router.push('/runs/999');
    const w = mount(LiveRunView, { props: { id: 999 }, global: { plugins: [app.router], provide: { [API_KEY as symbol]: app.api } } });
    await until(() => expect(w.find('[data-test=load-error]').exists()).toBe(true));
    expect(w.find('[data-test=load-error]').text()).toMatch(/run 999 not found/);
    // only that line: no progress bar, charts or heatmaps of a run that is not there
    expect(w.find('[data-test=progress]').exists()).toBe(false);
    expect(w.find('[data-test=loss-chart]').exists()).toBe(false);
  });
});

describe('LiveRunView, a live run', () => {
  test('points read from the store are not drawn twice; live ones append; controls reach the runner', async () => {
    const id = h.seedRun({ steps: 50, snapshotEvery: 25, end: 'running' }); // stored as running
    const w = await mountRun(id);
    await until(() => expect(chart(w, 0).pointCount('train_loss')).toBe(50));
    expect(w.find('[data-test=pause]').exists()).toBe(true);

    // overlapping (steps 48, 49 already stored) and new points
    h.runner.emit({ type: 'metrics', runId: id, points: [48, 49, 50, 51].map((step) => ({ key: 'train_loss', step, epoch: step / 8, wallTime: step * 0.01, value: 0.1 })) });
    h.runner.emit({ type: 'progress', runId: id, step: 52, totalSteps: 200, epoch: 6, epochs: 25, samplesPerSecond: 12_345, etaSeconds: 74 });
    h.runner.emit({ type: 'metrics', runId: id + 1, points: [{ key: 'train_loss', step: 99, epoch: 0, wallTime: 0, value: 1 }] });
    await until(() => expect(chart(w, 0).pointCount('train_loss')).toBe(52));
    await until(() => expect(w.find('[data-test=progress-text]').text()).toBe('step 52 / 200 · epoch 6 / 25 · 12,345 samples/s · 1:14 left'));

    // a new snapshot: following live, the slider moves to it
    const n = 8 * 4;
    h.runner.emit({ type: 'snapshot', runId: id, step: 60, layer: 'layers.0.weight', kind: 'effective_lr', shape: [8, 4], originalShape: [8, 4], data: new Float32Array(n).fill(0.5) });
    await until(() => expect(w.find('[data-test=snapshot-step]').text()).toBe('step 60 · 4 / 4'));
    const first = w.findAllComponents(Heatmap)[0];
    expect((first.props('values') as Float32Array)[0]).toBe(0.5);

    await w.find('[data-test=pause]').trigger('click');
    // enabled once the pause call has returned
    await until(() => expect(w.find('[data-test=resume]').attributes('disabled')).toBeUndefined());
    await w.find('[data-test=resume]').trigger('click');
    await until(() => expect(w.find('[data-test=pause]').attributes()).not.toHaveProperty('disabled'));
    await w.find('[data-test=stop]').trigger('click');
    await until(() => expect(w.find('[data-test=status]').text()).toBe('stopped'));
    expect(h.runner.calls.map((c) => c.method)).toEqual(['pause', 'resume', 'stop']);
    expect(w.find('[data-test=stop]').exists()).toBe(false);
  });
});

const specsOf = (w: VueWrapper, k: number) => (w.findAllComponents(LiveLineChart)[k].props('series') as SeriesSpec[]).map((s) => [s.id, s.colorIndex]);
const previewRequests = () => h.transport.sent.filter((m) => m.method === 'meta.schedulePreview').map((m) => m.params as { steps: number });

describe('LiveRunView, live and stored agree', () => {
  test('series order and colours follow the metric key, not which points arrived first', async () => {
    const stored = await mountRun(h.seedRun({ steps: 20 }));
    await until(() => expect(chart(stored, 0).pointCount('val_loss')).toBeGreaterThan(0));
    const storedSpecs = [specsOf(stored, 0), specsOf(stored, 2)];
    expect(storedSpecs[0]).toEqual([
      ['train_loss', 0],
      ['val_loss', 1],
    ]);
    stored.unmount();

    // live, the validation loss and the gradient norm arrive before the training loss
    const id = h.seedRun({ steps: 0, end: 'running' });
    const live = await mountRun(id);
    h.runner.emit({ type: 'metrics', runId: id, points: [{ key: 'val_loss', step: 0, epoch: 0, wallTime: 0, value: 1.1 }, { key: 'grad_norm', step: 1, epoch: 0, wallTime: 0, value: 2 }] });
    h.runner.emit({ type: 'metrics', runId: id, points: [{ key: 'train_loss', step: 1, epoch: 0, wallTime: 0, value: 1 }] });
    await until(() => expect(chart(live, 0).pointCount('train_loss')).toBe(1));
    expect([specsOf(live, 0), specsOf(live, 2)]).toEqual(storedSpecs);
  });

  test('a stopped run: the bar, the text and the schedule chart span the planned steps, the logged lr drawn on top', async () => {
    // 10 epochs of ⌈120 / 16⌉ = 8 steps planned, stopped after 30 (steps 0…29 logged)
    const w = await mountRun(h.seedRun({ steps: 30, trainRows: 120, end: 'stopped' }));
    expect(w.find('[data-test=status]').text()).toBe('stopped');
    expect(w.find('[data-test=progress-bar]').attributes('style')).toContain(`width: ${(100 * 29) / 80}%`);
    expect(w.find('[data-test=progress]').text()).toContain('stopped at step 29 of 80');
    await until(() => expect(w.findComponent(SchedulePreview).exists()).toBe(true));
    expect(previewRequests().map((p) => p.steps)).toEqual([80]);
    const preview = w.findComponent(SchedulePreview);
    const logged = preview.props('logged') as { step: number[]; value: number[] };
    expect(logged.step).toEqual(Array.from({ length: 30 }, (_, t) => t));
    expect(new Set(logged.value)).toEqual(new Set([0.01]));
  });

  test('a live run: the schedule chart spans the same planned steps, and live lr points join the logged line', async () => {
    const id = h.seedRun({ steps: 10, trainRows: 120, end: 'running' });
    const w = await mountRun(id);
    h.runner.emit({ type: 'progress', runId: id, step: 12, totalSteps: 80, epoch: 1.5, epochs: 10, samplesPerSecond: 100, etaSeconds: 5 });
    h.runner.emit({ type: 'metrics', runId: id, points: [10, 11].map((step) => ({ key: 'lr', step, epoch: 1, wallTime: 0, value: 0.005 })) });
    await until(() => expect((w.findComponent(SchedulePreview).props('logged') as { step: ArrayLike<number> }).step).toHaveLength(12));
    expect(new Set(previewRequests().map((p) => p.steps))).toEqual(new Set([80]));
  });

  test('stored snapshots beyond the ones read are counted, not hidden', async () => {
    const w = await mountRun(h.seedRun({ steps: 700, snapshotEvery: 2 })); // steps 0, 2, …, 698 and 699: 351
    await until(() => expect(w.find('[data-test=snapshot-step]').text()).toBe('step 699 · 300 / 300'));
    expect(w.find('[data-test=snapshot-coverage]').text()).toBe('300 of 351 stored snapshots shown, evenly spaced');
    const all = await mountRun(h.seedRun({ steps: 100, snapshotEvery: 20 }));
    await until(() => expect(all.find('[data-test=snapshot-step]').text()).toBe('step 99 · 6 / 6'));
    expect(all.find('[data-test=snapshot-coverage]').exists()).toBe(false);
  });
});
