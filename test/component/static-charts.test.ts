import { describe, expect, test, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { FakeChart } from './fakeChart.ts';

vi.mock('../../src-renderer/src/charts/chartjs.ts', () => ({
  createChart: (canvas: HTMLCanvasElement, config: never) => new FakeChart(canvas, config),
}));

const { default: PercentileBandChart } = await import('../../src-renderer/src/components/PercentileBandChart.vue');
const { default: SchedulePreview } = await import('../../src-renderer/src/components/SchedulePreview.vue');

describe('PercentileBandChart', () => {
  test('draws p5–p95 and p25–p75 bands and the median of log10 values per snapshot, sorted by step', () => {
    FakeChart.instances = [];
    // 101 values 10^(−4 + k/25), k = 0…100: log10 spans −4…0 evenly, so p-th percentile = −4 + 4p/100.
    const values = Float32Array.from({ length: 101 }, (_, k) => 10 ** (-4 + k / 25));
    const shifted = Float32Array.from(values, (v) => v * 10);
    const w = mount(PercentileBandChart, { props: { snapshots: [{ step: 20, values: shifted }, { step: 10, values }], title: 'layers.0.weight' } });
    const ds = FakeChart.instances[0].data.datasets;
    expect(ds.map((d) => d.label)).toEqual(['', 'p5–p95', '', 'p25–p75', 'median']);
    expect(ds[1].fill).toBe('-1');
    expect(ds[4].data.map((p) => p.x)).toEqual([10, 20]);
    const at = (k: number, s: number) => ds[k].data[s].y;
    expect(at(0, 0)).toBeCloseTo(-3.8, 5); // p5
    expect(at(1, 0)).toBeCloseTo(-0.2, 5); // p95
    expect(at(2, 0)).toBeCloseTo(-3, 5); // p25
    expect(at(3, 0)).toBeCloseTo(-1, 5); // p75
    expect(at(4, 0)).toBeCloseTo(-2, 5); // median
    expect(at(4, 1)).toBeCloseTo(-1, 5); // ×10 → +1 in log10
    w.unmount();
  });
});

describe('SchedulePreview', () => {
  test('plots lr against step, decimated for long schedules with the last step kept, and marks the current step', () => {
    FakeChart.instances = [];
    const lrs = Float64Array.from({ length: 50_000 }, (_, k) => 0.1 * 0.5 ** Math.floor(k / 10_000));
    const w = mount(SchedulePreview, { props: { lrs, startStep: 1, currentStep: 25_001, displayBudget: 400 } });
    const [line, marker] = FakeChart.instances[0].data.datasets;
    expect(line.data.length).toBeLessThanOrEqual(400);
    expect(line.data[0]).toEqual({ x: 1, y: 0.1 });
    expect(line.data.at(-1)).toEqual({ x: 50_000, y: lrs[49_999] });
    // each step down of the schedule is kept (first/last of its chunk)
    expect(line.data.some((p) => p.x === 10_001 && p.y === 0.05)).toBe(true);
    expect(marker.data).toEqual([{ x: 25_001, y: lrs[25_000] }]);
    w.unmount();
  });
});
