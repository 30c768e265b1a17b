// Points of a line chart are drawn only where no line segment shows them: a series of a single
// point, or finite points between NaNs (a run that diverged after its first step).
import { describe, expect, test } from 'vitest';
import type { ScriptableContext } from 'chart.js';
import { baseLineOptions, isolatedPointRadius, keepLabelledLogTicks, pointRadiusFor } from '../../src-renderer/src/charts/chartOptions.ts';
import { LIGHT_THEME } from '../../src-renderer/src/charts/theme.ts';

const radiusOf = (ys: number[]) => {
  const radius = isolatedPointRadius(3);
  const data = ys.map((y, x) => ({ x, y }));
  return ys.map((_, dataIndex) => radius({ dataIndex, dataset: { data } } as unknown as ScriptableContext<'line'>));
};

describe('isolatedPointRadius', () => {
  test('a single point gets a marker; points on a line do not', () => {
    expect(radiusOf([1.2229])).toEqual([3]);
    expect(radiusOf([1, 2, 3])).toEqual([0, 0, 0]);
  });
  test('finite points between NaN or ±∞ get markers; the NaNs themselves none', () => {
    expect(radiusOf([1.2229, NaN])).toEqual([3, 0]);
    expect(radiusOf([NaN, 4, NaN, 5, 6, NaN])).toEqual([0, 3, 0, 0, 0, 0]);
    expect(radiusOf([Infinity, 2, -Infinity])).toEqual([0, 3, 0]);
  });
  test('is the default point radius of every line chart', () => {
    const options = baseLineOptions(LIGHT_THEME, {}, false);
    expect(options.elements?.point?.radius).toBeTypeOf('function');
  });
});

describe('pointRadiusFor', () => {
  test('a plain 0 for a line without isolated points (chart.js then resolves the points\' options once, not per point)', () => {
    const line = (ys: number[]) => ys.map((y, x) => ({ x, y }));
    expect(pointRadiusFor(line([1, 2, 3]))).toBe(0);
    expect(pointRadiusFor(line([NaN, NaN]))).toBe(0);
    expect(pointRadiusFor([])).toBe(0);
    expect(pointRadiusFor(line([1, 2, NaN, 4]))).toBeTypeOf('function');
    expect(pointRadiusFor(line([5]))).toBeTypeOf('function');
  });
});

describe('keepLabelledLogTicks', () => {
  const ticksOf = (values: number[]) => values.map((value) => ({ value }));
  test('over many decades only the labelled powers of ten stay (chart.js makes every 1…9 × 10^k)', () => {
    const all: number[] = [];
    for (let e = -10; e <= 0; e++) for (let m = 1; m <= 9; m++) if (m * 10 ** e <= 1) all.push(Number((m * 10 ** e).toPrecision(12)));
    const scale = { ticks: ticksOf(all) };
    keepLabelledLogTicks(scale);
    expect(scale.ticks.map((t) => t.value)).toEqual(Array.from({ length: 11 }, (_, k) => Number((10 ** (k - 10)).toPrecision(12))));
  });
  test('within two decades the 1, 2 and 5 multiples stay; a narrow axis keeps its ticks', () => {
    const scale = { ticks: ticksOf([0.01, 0.02, 0.03, 0.05, 0.07, 0.1, 0.2, 0.3]) };
    keepLabelledLogTicks(scale);
    expect(scale.ticks.map((t) => t.value)).toEqual([0.01, 0.02, 0.05, 0.1, 0.2]);
    const narrow = { ticks: ticksOf([1.1, 1.2, 1.3, 1.4]) };
    keepLabelledLogTicks(narrow);
    expect(narrow.ticks.length).toBeGreaterThanOrEqual(2);
  });
});
