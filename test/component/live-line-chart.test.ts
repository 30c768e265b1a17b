import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { FakeChart, manualFrames } from './fakeChart.ts';

vi.mock('../../src-renderer/src/charts/chartjs.ts', () => ({
  createChart: (canvas: HTMLCanvasElement, config: never) => new FakeChart(canvas, config),
}));

const { default: LiveLineChart } = await import('../../src-renderer/src/components/LiveLineChart.vue');
const { emaSmooth } = await import('../../src-renderer/src/charts/smoothing.ts');

type Api = {
  append: (id: string, p: unknown) => void;
  flush: () => void;
  pointCount: (id?: string) => number;
  exportData: () => { id: string; value: ArrayLike<number>; smoothed?: ArrayLike<number>; step: ArrayLike<number> }[];
  clear: (id?: string) => void;
};

let frames: ReturnType<typeof manualFrames>;
beforeEach(() => {
  FakeChart.instances = [];
  frames = manualFrames();
  vi.stubGlobal('requestAnimationFrame', frames.raf);
  vi.stubGlobal('cancelAnimationFrame', frames.caf);
});
afterEach(() => vi.unstubAllGlobals());

function mountChart(props: Record<string, unknown> = {}) {
  const w = mount(LiveLineChart, { props: { series: [{ id: 'a', label: 'Adam' }, { id: 'b', label: 'SGD' }], ...props } });
  return { w, api: w.vm as unknown as Api, chart: () => FakeChart.instances[0] };
}

describe('LiveLineChart', () => {
  test('datasets follow the series prop’s order and colours, whichever series got points first', async () => {
    const { LIGHT_THEME } = await import('../../src-renderer/src/charts/theme.ts');
    const series = [{ id: 'train_loss', label: 'training loss', colorIndex: 0 }, { id: 'val_loss', label: 'validation loss', colorIndex: 1 }];
    const { api, chart } = mountChart({ series });
    api.append('val_loss', { step: 0, value: 1.1 });
    api.append('train_loss', { step: 1, value: 1 });
    api.flush();
    const main = () => chart().data.datasets.filter((_, i) => i % 2 === 1);
    expect(main().map((d) => d.label)).toEqual(['training loss', 'validation loss']);
    expect(main().map((d) => d.borderColor)).toEqual([LIGHT_THEME.series[0], LIGHT_THEME.series[1]].map((c) => `rgba(${parseInt(c.slice(1, 3), 16)}, ${parseInt(c.slice(3, 5), 16)}, ${parseInt(c.slice(5, 7), 16)}, 1)`));
    expect(api.exportData().map((e) => e.id)).toEqual(['train_loss', 'val_loss']);
  });

  test('many appends between frames cost one chart update, in mode "none", on the same chart', () => {
    const { w, api, chart } = mountChart();
    const before = chart().updates.length;
    for (let i = 0; i < 1000; i++) {
      api.append('a', { step: i, value: 1 / (i + 1) });
      api.append('b', { step: i, value: 2 / (i + 1) });
    }
    expect(chart().updates.length).toBe(before); // nothing drawn per point
    expect(frames.pending()).toBe(1); // one frame requested for all of them
    frames.runFrames();
    expect(chart().updates.slice(before)).toEqual(['none']);
    expect(FakeChart.instances).toHaveLength(1); // never re-created
    expect(api.pointCount()).toBe(2000);
    w.unmount();
    expect(chart().destroyed).toBe(true);
  });

  test('hands chart.js at most the display budget per line, ending at the newest point', () => {
    const { w, api, chart } = mountChart({ displayBudget: 512 });
    const step = Float64Array.from({ length: 100_000 }, (_, i) => i);
    const value = Float64Array.from(step, (i) => Math.exp(-i / 1e4) + Math.sin(i));
    api.append('a', { step, value });
    api.append('a', [{ step: 100_000, value: 42 }]);
    frames.runFrames();
    expect(chart().data.datasets[0].data).toEqual([]); // no faint raw line without smoothing
    const raw = chart().data.datasets[1].data;
    expect(raw.length).toBeLessThanOrEqual(512);
    expect(raw[0]).toEqual({ x: 0, y: value[0] });
    expect(raw.at(-1)).toEqual({ x: 100_000, y: 42 });
    expect(raw.some((p) => p.y === 42)).toBe(true);
    // The export is the full series, not what is drawn.
    expect(api.exportData()[0].value.length).toBe(100_001);
    w.unmount();
  });

  test('smoothing draws the smoothed line over a faint raw line; legend and tooltip show the smoothed one', async () => {
    const { w, api, chart } = mountChart({ smoothing: 0.9 });
    const values = [5, 3, 4, 2, 3, 1];
    api.append('a', values.map((v, i) => ({ step: i, value: v })));
    frames.runFrames();
    const [raw, smooth] = chart().data.datasets;
    const expected = emaSmooth(values, 0.9);
    expect(smooth.data.map((p) => p.y)).toEqual(Array.from(expected));
    expect(raw.data.map((p) => p.y)).toEqual(values);
    expect(String(raw.borderColor)).toMatch(/rgba\(.*, 0\.25\)$/);
    expect(smooth.hidden).toBe(false);
    const filter = chart().options.plugins!.legend.labels!.filter as (i: { datasetIndex: number }) => boolean;
    expect([0, 1, 2, 3].map((datasetIndex) => filter({ datasetIndex }))).toEqual([false, true, false, true]);
    expect(Array.from(api.exportData()[0].smoothed!)).toEqual(Array.from(expected));
    // Turning smoothing off hides the faint raw line; the main line then shows the raw values at full colour.
    await w.setProps({ smoothing: 0 });
    frames.runFrames();
    expect(chart().data.datasets[0].hidden).toBe(true);
    expect(chart().data.datasets[1].data.map((p) => p.y)).toEqual(values);
    expect(String(chart().data.datasets[1].borderColor)).toMatch(/, 1\)$/);
    expect(api.exportData()[0].smoothed).toBeUndefined();
    w.unmount();
  });

  test('hovering a line highlights its series, dims the others and emits hover', () => {
    const { w, api, chart } = mountChart();
    api.append('a', [{ step: 0, value: 1 }]);
    api.append('b', [{ step: 0, value: 2 }]);
    frames.runFrames();
    chart().options.onHover!({}, [{ datasetIndex: 2 }]);
    expect(w.emitted('hover')).toEqual([['b']]);
    // re-styled on the next watcher flush
    return w.vm.$nextTick().then(() => {
      const ds = chart().data.datasets;
      expect(ds[3].borderWidth).toBe(2.5);
      expect(String(ds[1].borderColor)).toMatch(/0\.2\)$/);
      chart().options.onHover!({}, []);
      expect(w.emitted('hover')!.at(-1)).toEqual([null]);
      w.unmount();
    });
  });

  test('a log y axis turns values ≤ 0 into gaps, and the x axis follows xKey', async () => {
    const { w, api, chart } = mountChart({ logY: true, xKey: 'epoch' });
    api.append('a', [
      { step: 0, epoch: 0, value: 1 },
      { step: 10, epoch: 0.5, value: 0 },
      { step: 20, epoch: 1, value: 0.5 },
    ]);
    frames.runFrames();
    expect(chart().data.datasets[1].data).toEqual([{ x: 0, y: 1 }, { x: 0.5, y: NaN }, { x: 1, y: 0.5 }]);
    expect((chart().options.scales as { y: { type: string } }).y.type).toBe('logarithmic');
    await w.setProps({ xKey: 'step', logY: false });
    frames.runFrames();
    expect(chart().data.datasets[1].data.map((p) => p.x)).toEqual([0, 10, 20]);
    expect((chart().options.scales as { y: { type: string } }).y.type).toBe('linear');
    expect((chart().options.scales as { x: { title: { text: string } } }).x.title.text).toBe('step');
    w.unmount();
  });

  test('an explicit flush while a redraw is scheduled leaves the chart redrawing by itself (Compare flushes after loading)', async () => {
    const { w, api, chart } = mountChart();
    api.append('a', [{ step: 0, value: 1 }]); // schedules a frame
    expect(frames.pending()).toBe(1);
    api.flush(); // draws now and cancels that frame
    expect(frames.pending()).toBe(0);
    await w.setProps({ logY: true }); // a later change must schedule its own redraw
    expect(frames.pending()).toBe(1);
    const before = chart().updates.length;
    frames.runFrames();
    expect(chart().updates.length).toBe(before + 1);
    expect((chart().options.scales as { y: { type: string } }).y.type).toBe('logarithmic');
    api.append('a', [{ step: 1, value: 0.5 }]);
    expect(frames.pending()).toBe(1);
    w.unmount();
  });

  test('series appear in order with their labels; clear removes them', () => {
    const { w, api, chart } = mountChart();
    api.append('b', [{ step: 0, value: 1 }]);
    api.append('zzz', [{ step: 0, value: 1 }]);
    frames.runFrames();
    expect(chart().data.datasets.map((d) => d.label)).toEqual(['SGD', 'SGD', 'zzz', 'zzz']);
    api.clear('b');
    frames.runFrames();
    expect(chart().data.datasets.map((d) => d.label)).toEqual(['zzz', 'zzz']);
    expect(api.pointCount()).toBe(1);
    w.unmount();
  });
});
