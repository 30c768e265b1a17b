// The playground: the contour plot's diverged marker, legend placement and click-to-pick, the
// effective-lr chart, and the view (presets from core, outcomes, surface change, a picked start).
import { describe, expect, test, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { createMemoryHistory, createRouter } from 'vue-router';
import { FakeChart } from './fakeChart.ts';
import { boxScales, buildContourScene, legendLayout, pixelToData, plotArea, type OptimizerPath } from '../../src-renderer/src/charts/contours.ts';
import { LIGHT_THEME } from '../../src-renderer/src/charts/theme.ts';
import { PLAYGROUND_PRESETS, outcomeText, computeRow } from '../../src-renderer/src/logic/playground.ts';
import { SURFACES } from '../../src-main/core/surfaces/index.ts';
import { API_KEY, type Api } from '../../src-renderer/src/api/index.ts';
import type { Host } from '../../src-renderer/src/api/host.ts';

vi.mock('../../src-renderer/src/charts/chartjs.ts', () => ({
  createChart: (canvas: HTMLCanvasElement, config: never) => new FakeChart(canvas, config),
}));

const { default: ContourPlot } = await import('../../src-renderer/src/components/ContourPlot.vue');
const { default: EffectiveLrChart } = await import('../../src-renderer/src/components/EffectiveLrChart.vue');
const { default: PlaygroundView } = await import('../../src-renderer/src/views/PlaygroundView.vue');

const box = { xMin: -2, xMax: 2, yMin: -1, yMax: 1 };
const theme = { ...LIGHT_THEME, bg: null };

describe('contour scene', () => {
  test('pixelToData inverts boxScales inside the plot area and is null outside', () => {
    const a = plotArea(500, 400);
    const { px, py } = boxScales(box, a);
    for (const [x, y] of [[-2, -1], [0.5, 0.25], [2, 1], [-1.3, 0.9]] as const) {
      const back = pixelToData(box, a, px(x), py(y))!;
      expect(back[0]).toBeCloseTo(x, 12);
      expect(back[1]).toBeCloseTo(y, 12);
    }
    expect(pixelToData(box, a, a.left - 1, (a.top + a.bottom) / 2)).toBeNull();
    expect(pixelToData(box, a, (a.left + a.right) / 2, a.bottom + 1)).toBeNull();
  });

  test('a path stopped as diverged is marked once its last step is shown, the marker pulled into the area', () => {
    const far: OptimizerPath = { id: 'sgd', label: 'SGD', lr: 0.021, points: [[0, 0.5], [0.1, -0.9], [0.2, 40]], divergedAt: 2 };
    const before = buildContourScene({ width: 400, height: 300, box, contours: [], paths: [far], visibleSteps: 1 }, theme);
    expect(before.paths[0].diverged).toBe(false);
    expect(before.paths[0].divergedMarker).toBeNull();
    expect(before.legend[0].note).toBe('');
    const after = buildContourScene({ width: 400, height: 300, box, contours: [], paths: [far], visibleSteps: 2 }, theme);
    expect(after.paths[0].diverged).toBe(true);
    expect(after.legend[0]).toMatchObject({ label: 'SGD  lr=0.021', note: ' (diverged at step 2)' });
    const [mx, my] = after.paths[0].divergedMarker!;
    const { px } = boxScales(box, after.area);
    expect(mx).toBeCloseTo(px(0.2), 6);
    expect(my).toBe(after.area.top + 6); // y = 40 is far above the window: the marker sits at its top edge
  });

  test('the legend goes to the corner with the fewest iterates, never over the start', () => {
    const topRight: OptimizerPath = { id: 'a', label: 'Adam', lr: 0.1, points: Array.from({ length: 50 }, (_, k) => [1 + k / 50, 0.5 + k / 100] as [number, number]) };
    const s = buildContourScene({ width: 500, height: 400, box, contours: [], paths: [topRight], visibleSteps: 99 }, theme);
    const L = legendLayout(s);
    const inLegend = (p: [number, number]) => p[0] >= L.x && p[0] <= L.x + L.w && p[1] >= L.y && p[1] <= L.y + L.h;
    expect(s.paths[0].points.filter(inLegend)).toEqual([]);
    expect(inLegend(s.start!)).toBe(false);
    const empty = buildContourScene({ width: 500, height: 400, box, contours: [], paths: [{ ...topRight, points: [[0, 0]] }], visibleSteps: 9 }, theme);
    expect(legendLayout(empty).x).toBeGreaterThan(250); // nothing in the way: top right
    expect(legendLayout(empty).y).toBeLessThan(100);
  });

  test('a click on a pickable plot emits its data coordinates, through the scaled viewBox', async () => {
    const w = mount(ContourPlot, { props: { f: (x: number, y: number) => x * x + y * y, box, paths: [], width: 500, height: 400, pickable: true } });
    const svg = w.find('svg').element;
    // Drawn at half size on the page: a client pixel is two viewBox pixels.
    svg.getBoundingClientRect = () => ({ left: 10, top: 20, width: 250, height: 200, right: 260, bottom: 220, x: 10, y: 20, toJSON: () => ({}) }) as DOMRect;
    const a = plotArea(500, 400);
    const { px, py } = boxScales(box, a);
    await w.find('svg').trigger('click', { clientX: 10 + px(1) / 2, clientY: 20 + py(-0.5) / 2 });
    const [[point]] = w.emitted('pick') as [[number, number]][];
    expect(point[0]).toBeCloseTo(1, 9);
    expect(point[1]).toBeCloseTo(-0.5, 9);
    await w.find('svg').trigger('click', { clientX: 11, clientY: 21 }); // the margin, outside the area
    expect(w.emitted('pick')).toHaveLength(1);
    w.unmount();
  });
});

describe('animation', () => {
  test('plays at the chosen speed, at most 60 redraws a second: 240 steps/s advance 4 steps per tick; a new speed applies at once', async () => {
    vi.useFakeTimers();
    try {
      const points = Array.from({ length: 1001 }, (_, k) => [k / 1000, 0] as [number, number]);
      const w = mount(ContourPlot, { props: { f: (x: number, y: number) => x * x + y * y, box, paths: [{ id: 'a', label: 'SGD', lr: 0.1, points }], visibleSteps: 0, stepsPerSecond: 240 } });
      await w.setProps({ 'onUpdate:visibleSteps': (v: number | undefined) => w.setProps({ visibleSteps: v }) });
      const shown = () => (w.emitted('update:visibleSteps') ?? []).at(-1)?.[0];
      (w.vm as unknown as { play: () => void }).play();
      await vi.advanceTimersByTimeAsync(1000 / 60 + 1);
      expect(shown()).toBe(4);
      await vi.advanceTimersByTimeAsync(1000);
      // Timers count whole milliseconds: a 16.7 ms period runs every 16 ms, 62–63 ticks a second.
      const emitted = (w.emitted('update:visibleSteps') as [number][]).map((e) => e[0]);
      expect(emitted.every((v, k) => v === 4 * (k + 1))).toBe(true);
      expect(shown()! - 4).toBeGreaterThanOrEqual(240);
      expect(shown()! - 4).toBeLessThanOrEqual(4 * 63);
      await w.setProps({ stepsPerSecond: 10 });
      const before = shown()!;
      await vi.advanceTimersByTimeAsync(1000);
      expect(shown()).toBe(before + 10);
      (w.vm as unknown as { pause: () => void }).pause();
      await vi.advanceTimersByTimeAsync(1000);
      expect(shown()).toBe(before + 10);
      w.unmount();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('export data', () => {
  test('the contour plot exports every iterate of every path, not only the steps shown; the effective-lr chart both coordinates', () => {
    const paths: OptimizerPath[] = [{ id: 'p0', label: 'Adam', lr: 0.1, points: [[2, 1], [1.5, 0.5], [1, 0.1]] }];
    const w = mount(ContourPlot, { props: { f: (x: number, y: number) => x * x + y * y, box, paths, visibleSteps: 1 } });
    const data = (w.vm as unknown as { exportData: () => { id: string; label: string; step: number[]; value: number[] }[] }).exportData();
    expect(data).toEqual([
      { id: 'p0.x', label: 'Adam lr=0.1 x', step: [0, 1, 2], value: [2, 1.5, 1] },
      { id: 'p0.y', label: 'Adam lr=0.1 y', step: [0, 1, 2], value: [1, 0.5, 0.1] },
    ]);
    w.unmount();
    const c = mount(EffectiveLrChart, { props: { effectiveLr: [[0.1, 0.001], [0.2, 0.002]], visibleSteps: 1, color: '#000', label: 'Adam lr=0.1 effective lr' } });
    const eff = (c.vm as unknown as { exportData: () => { id: string; label: string; step: number[]; value: number[] }[] }).exportData();
    expect(eff).toEqual([
      { id: 'effective_lr.x', label: 'Adam lr=0.1 effective lr x', step: [1, 2], value: [0.1, 0.2] },
      { id: 'effective_lr.y', label: 'Adam lr=0.1 effective lr y', step: [1, 2], value: [0.001, 0.002] },
    ]);
    c.unmount();
  });
});

describe('EffectiveLrChart', () => {
  test('draws x and y up to the visible step, fixed axes, log y only when the sizes span more than a decade', async () => {
    FakeChart.instances = [];
    const adamLike = Array.from({ length: 100 }, (_, k) => [0.05 + k * 0.001, 0.0005 + k * 0.00001] as [number, number]);
    const w = mount(EffectiveLrChart, { props: { effectiveLr: adamLike, visibleSteps: 10, color: '#ff7f0e' } });
    const chart = FakeChart.instances[0];
    const [x, y, marker] = chart.data.datasets;
    expect(x.data.map((p) => p.x)).toEqual(Array.from({ length: 10 }, (_, k) => k + 1));
    expect(y.data[9].y).toBeCloseTo(0.0005 + 9 * 0.00001, 12);
    expect(marker.data).toEqual([x.data[9], y.data[9]]);
    const scales = chart.options.scales as { x: { min: number; max: number }; y: { type: string; min: number; max: number } };
    expect(scales.x).toMatchObject({ min: 1, max: 100 });
    expect(scales.y.type).toBe('logarithmic');
    expect(scales.y.min).toBeCloseTo(0.0005 / 1.5, 12);
    expect(scales.y.max).toBeCloseTo((0.05 + 99 * 0.001) * 1.5, 12);
    w.unmount();
    FakeChart.instances = [];
    const sgd = Array.from({ length: 30 }, () => [0.02, 0.02] as [number, number]);
    const v = mount(EffectiveLrChart, { props: { effectiveLr: sgd, visibleSteps: 30, color: '#1f77b4' } });
    expect((FakeChart.instances[0].options.scales as { y: { type: string } }).y.type).toBe('linear');
    v.unmount();
  });
});

describe('PlaygroundView', () => {
  /** The playground needs no backend; only its export menus save through the host. */
  function recordingApi(saved: { blob: Blob; filename: string }[]): Api {
    const host: Host = {
      kind: 'browser',
      importFile: async () => '',
      exportRun: async () => null,
      saveBlob: async (blob, filename) => {
        saved.push({ blob, filename });
        return 'download';
      },
      onMenu: () => () => {},
    };
    return { client: null as unknown as Api['client'], host };
  }

  async function mountView(query = '', saved: { blob: Blob; filename: string }[] = []) {
    const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/playground', component: PlaygroundView }] });
    await router.push(`/playground${query}`);
    await router.isReady();
    const w = mount({ template: '<RouterView />' }, { global: { plugins: [router], provide: { [API_KEY as symbol]: recordingApi(saved) } } });
    await flushPromises();
    return { w, router };
  }

  test('opens a preset from the URL: its three paths on the plot, each lr in the legend, the outcome core computes', async () => {
    const preset = PLAYGROUND_PRESETS.find((p) => p.id === 'sgd-three-lrs')!;
    const { w } = await mountView('?preset=sgd-three-lrs');
    expect((w.find('[data-test="preset"]').element as HTMLSelectElement).value).toBe('sgd-three-lrs');
    expect(w.findAll('.pl-contour-path')).toHaveLength(3);
    const legend = w.findAll('.legend text').map((t) => t.text());
    expect(legend).toHaveLength(3);
    preset.runs.forEach((r, k) => expect(legend[k]).toContain(`lr=${r.lr}`));
    const outcomes = w.findAll('[data-test="outcome"]').map((c) => c.text());
    const expected = preset.runs.map((r) => {
      const res = computeRow(preset.surface, r, preset.start, preset.steps, preset.tolerance);
      if (!res.ok) throw new Error(res.error);
      return outcomeText(res.outcome, preset.tolerance, res.path.points.length, res.path.loss.at(-1)!);
    });
    expect(outcomes).toEqual(expected);
    expect(outcomes[0]).toMatch(/^diverged at step \d+$/);
    expect(legend[0]).toMatch(/\(diverged at step \d+\)$/);
    expect(w.findAll('.pl-contour-diverged')).toHaveLength(1);
    expect(w.findAll('[data-test="effective-lr"] canvas')).toHaveLength(3);
    w.unmount();
  });

  test('the plot export menu saves every iterate of the three paths as CSV', async () => {
    const saved: { blob: Blob; filename: string }[] = [];
    const { w } = await mountView('?preset=valley-adaptive', saved);
    const menu = w.findAll('[data-test="export-menu"]')[0];
    await menu.find('[data-test="export-toggle"]').trigger('click');
    expect(menu.findAll('[role="menuitem"]').map((b) => b.attributes('data-test'))).toEqual(['export-png', 'export-svg', 'export-csv', 'export-json']);
    await menu.find('[data-test="export-csv"]').trigger('click');
    await flushPromises();
    expect(saved.map((s) => s.filename)).toEqual(['playground-valley-valley-adaptive.csv']);
    const rows = (await saved[0].blob.text()).trim().split('\n');
    expect(rows).toHaveLength(1 + 3 * 2 * 101);
    expect(rows[1]).toBe('path-0.x,SGD lr=0.0198 x,0,2');
    w.unmount();
  });

  test('a new surface takes its own start and leaves the preset; a bad lr is an error on its row, not a crash', async () => {
    const { w, router } = await mountView('?preset=valley-adaptive');
    await w.find('[data-test="surface"]').setValue('rosenbrock');
    await flushPromises();
    expect((w.find('[data-test="preset"]').element as HTMLSelectElement).value).toBe('');
    expect(router.currentRoute.value.query.preset).toBeUndefined();
    expect((w.find('[data-test="start-x"]').element as HTMLInputElement).value).toBe(String(SURFACES.rosenbrock.start[0]));
    expect(w.findAll('.pl-contour-path')).toHaveLength(3);
    await w.find('[aria-label="learning rate 2"]').setValue('-1');
    await flushPromises();
    expect(w.findAll('[data-test="outcome"]')[1].text()).toContain('hyperparams.lr');
    expect(w.findAll('.pl-contour-path')).toHaveLength(2);
    w.unmount();
  });
});
