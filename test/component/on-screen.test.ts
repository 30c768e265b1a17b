// Charts off screen (IntersectionObserver says so, or the page is hidden) skip their redraws and
// catch up when they come into view; an export of a chart off screen shows what it would show.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import { FakeChart, manualFrames } from './fakeChart.ts';

vi.mock('../../src-renderer/src/charts/chartjs.ts', () => ({
  createChart: (canvas: HTMLCanvasElement, config: never) => new FakeChart(canvas, config),
}));

const { default: LiveLineChart } = await import('../../src-renderer/src/components/LiveLineChart.vue');
const { default: SchedulePreview } = await import('../../src-renderer/src/components/SchedulePreview.vue');

/** An IntersectionObserver whose entries the test decides. */
class FakeObserver {
  static all: FakeObserver[] = [];
  constructor(readonly callback: (entries: { isIntersecting: boolean }[]) => void) {
    FakeObserver.all.push(this);
  }
  observe(): void {}
  disconnect(): void {}
  static set(isIntersecting: boolean): void {
    for (const o of FakeObserver.all) o.callback([{ isIntersecting }]);
  }
}

let frames: ReturnType<typeof manualFrames>;
beforeEach(() => {
  FakeChart.instances = [];
  FakeObserver.all = [];
  frames = manualFrames();
  vi.stubGlobal('requestAnimationFrame', frames.raf);
  vi.stubGlobal('cancelAnimationFrame', frames.caf);
  vi.stubGlobal('IntersectionObserver', FakeObserver);
});
afterEach(() => vi.unstubAllGlobals());

describe('a chart off screen', () => {
  test('LiveLineChart keeps the points, draws none of them until seen, and draws them all for an export', async () => {
    const w = mount(LiveLineChart, { props: { series: [{ id: 'a' }] } });
    const api = w.vm as unknown as { append: (id: string, p: unknown) => void; getChart: () => FakeChart };
    const chart = FakeChart.instances[0];
    FakeObserver.set(false);
    await nextTick();
    const before = chart.updates.length;
    for (let i = 0; i < 10; i++) api.append('a', { step: i, value: i });
    frames.runFrames();
    expect(chart.updates.length).toBe(before);
    FakeObserver.set(true);
    await nextTick();
    frames.runFrames();
    expect(chart.updates.length).toBe(before + 1);
    expect(chart.data.datasets[1].data).toHaveLength(10);
    // off screen again: an export brings it up to date first
    FakeObserver.set(false);
    await nextTick();
    api.append('a', { step: 10, value: 10 });
    frames.runFrames();
    expect(chart.data.datasets[1].data).toHaveLength(10);
    expect(api.getChart().data.datasets[1].data).toHaveLength(11);
    w.unmount();
  });

  test('a static chart (the schedule) works out no new configuration until seen', async () => {
    const lrs = Float64Array.from({ length: 100 }, (_, k) => 0.1 / (k + 1));
    const w = mount(SchedulePreview, { props: { lrs, currentStep: 10 } });
    const chart = FakeChart.instances[0];
    FakeObserver.set(false);
    await nextTick();
    const before = chart.updates.length;
    await w.setProps({ currentStep: 50 });
    expect(chart.updates.length).toBe(before);
    FakeObserver.set(true);
    await nextTick();
    expect(chart.updates.length).toBe(before + 1);
    expect(chart.data.datasets.at(-1)!.data).toEqual([{ x: 50, y: lrs[50] }]);
    w.unmount();
  });
});

describe('the schedule chart while a run trains', () => {
  test('the current-step marker and the logged line move only by whole pixels of the drawn axis', async () => {
    const lrs = Float64Array.from({ length: 1000 }, () => 0.01); // a 100,000-step plan sampled every 100 steps
    const logged = { step: [0, 1000], value: [0.01, 0.01] };
    const w = mount(SchedulePreview, { props: { lrs, stepStride: 100, currentStep: 1000, logged } });
    const chart = FakeChart.instances[0] as FakeChart & { scales?: unknown; chartArea?: unknown };
    // as drawn: 100,000 steps over 500 px, 200 steps a pixel
    chart.scales = { x: { min: 0, max: 100_000 } };
    chart.chartArea = { width: 500 };
    const before = chart.updates.length;
    await w.setProps({ currentStep: 1100, logged: { step: [0, 1000, 1100], value: [0.01, 0.01, 0.01] } });
    expect(chart.updates.length).toBe(before); // half a pixel: nothing to redraw
    await w.setProps({ currentStep: 1300, logged: { step: [0, 1000, 1100, 1300], value: [0.01, 0.01, 0.01, 0.01] } });
    expect(chart.updates.length).toBe(before + 1);
    const marker = chart.data.datasets.at(-1)!.data[0];
    expect(marker.x % 200).toBe(0); // on the pixel grid
    expect(Math.abs(marker.x - 1300)).toBeLessThan(200);
    expect(chart.data.datasets[1].data.at(-1)!.x).toBe(1300); // the logged line reaches the newest step
    w.unmount();
  });
});
