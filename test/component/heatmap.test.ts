import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import Heatmap from '../../src-renderer/src/components/Heatmap.vue';
import { cellRect, computeLayout, hitTest, legendTicks, tooltipContent, validateFrame, type HeatmapFrame } from '../../src-renderer/src/charts/heatmap.ts';
import { formatNumber } from '../../src-renderer/src/charts/format.ts';

function frame(rows: number, cols: number): HeatmapFrame {
  return {
    name: 'layers.0.weight',
    rows,
    cols,
    values: Float32Array.from({ length: rows * cols }, (_, i) => 1e-4 * (1 + i)),
    paramValues: Float32Array.from({ length: rows * cols }, (_, i) => (i % 7) - 3.5),
    biasName: 'layers.0.bias',
    biasValues: Float32Array.from({ length: rows }, (_, r) => 1e-3 * (r + 1)),
    biasParamValues: Float32Array.from({ length: rows }, (_, r) => r / 10),
  };
}

describe('heatmap layout and hit testing', () => {
  test('the centre of every cell hits that cell, for a large and a small matrix', () => {
    for (const [rows, cols, width] of [[256, 784, 1100], [10, 16, 420], [3, 2, 300]] as const) {
      const l = computeLayout(rows, cols, true, { width });
      expect(l.width).toBeLessThanOrEqual(width + 1);
      for (const [r, c] of [[0, 0], [rows - 1, cols - 1], [Math.floor(rows / 2), Math.floor(cols / 3)]]) {
        const cell = cellRect(l, r, c);
        expect(hitTest(l, rows, cols, cell.x + cell.w / 2, cell.y + cell.h / 2)).toEqual({ part: 'weight', row: r, col: c });
      }
      const b = cellRect(l, rows - 1);
      expect(hitTest(l, rows, cols, b.x + b.w / 2, b.y + b.h / 2)).toEqual({ part: 'bias', row: rows - 1 });
      expect(hitTest(l, rows, cols, l.legend.x + 2, l.legend.y + 2)).toBeNull();
      expect(hitTest(l, rows, cols, 1, 1)).toBeNull();
    }
  });

  test('a few-row matrix is stretched to a readable height; cells are capped at 24 px', () => {
    const l = computeLayout(2, 300, false, { width: 800 });
    expect(l.matrix.h).toBeGreaterThanOrEqual(48);
    expect(computeLayout(2, 2, false, { width: 800 }).matrix.cellW).toBe(24);
  });

  test('tooltip: parameter name and index, its value and its effective step', () => {
    const f = frame(5, 20);
    const t = tooltipContent(f, { part: 'weight', row: 3, col: 17 });
    const i = 3 * 20 + 17;
    expect(t.title).toBe('layers.0.weight[3, 17]');
    expect(t.lines).toEqual([`value ${formatNumber(f.paramValues![i])}`, `effective step ${formatNumber(f.values[i])}`]);
    expect(tooltipContent(f, { part: 'bias', row: 2 }).title).toBe('layers.0.bias[2]');
    expect(tooltipContent(f, { part: 'bias', row: 2 }).lines).toEqual(['value 0.2', 'effective step 0.003']);
  });

  test('legend ticks are the decades of the range, labelled as powers of ten', () => {
    const ticks = legendTicks({ lo: 1e-5, hi: 1e-1 });
    expect(ticks.map((t) => t.label)).toEqual(['1e-5', '1e-4', '1e-3', '0.01', '0.1']);
    expect(ticks[0].t).toBe(0);
    expect(ticks.at(-1)!.t).toBe(1);
    expect(ticks[2].t).toBeCloseTo(0.5, 12);
  });

  test('a frame whose arrays do not match its shape is refused with what was expected', () => {
    const f = frame(4, 5);
    expect(() => validateFrame({ ...f, values: new Float32Array(19) })).toThrow('layers.0.weight: values has 19 entries, expected rows × cols = 20');
    expect(() => validateFrame({ ...f, biasValues: new Float32Array(5) })).toThrow('layers.0.bias: biasValues has 5 entries, expected one per row (4)');
  });
});

describe('Heatmap component', () => {
  beforeEach(() => {
    vi.stubGlobal('requestAnimationFrame', (cb: FrameRequestCallback) => setTimeout(() => cb(0), 0) as unknown as number);
    vi.stubGlobal('cancelAnimationFrame', (id: number) => clearTimeout(id));
  });
  afterEach(() => vi.unstubAllGlobals());

  test('hover shows name[row, col], value and step, emits them, and hides on leave', async () => {
    const f = frame(6, 30);
    const w = mount(Heatmap, { props: { ...f, width: 600 }, attachTo: document.body });
    const vm = w.vm as unknown as { cellRect: (r: number, c?: number) => { x: number; y: number; w: number; h: number } };
    const cell = vm.cellRect(3, 17);
    // happy-dom lays nothing out: the canvas's client rect is at (0, 0), so client = canvas coordinates.
    await w.find('canvas').trigger('mousemove', { clientX: cell.x + cell.w / 2, clientY: cell.y + cell.h / 2 });
    const tip = w.find('.pl-heatmap-tooltip');
    expect(tip.exists()).toBe(true);
    const i = 3 * 30 + 17;
    expect(tip.text()).toContain('layers.0.weight[3, 17]');
    expect(tip.text()).toContain(`value ${formatNumber(f.paramValues![i])}`);
    expect(tip.text()).toContain(`effective step ${formatNumber(f.values[i])}`);
    expect(w.emitted('hover')![0][0]).toEqual({ part: 'weight', row: 3, col: 17, label: 'layers.0.weight[3, 17]', value: f.paramValues![i], step: f.values[i] });
    const b = vm.cellRect(5);
    await w.find('canvas').trigger('mousemove', { clientX: b.x + 1, clientY: b.y + 1 });
    expect(w.find('.pl-heatmap-tooltip').text()).toContain('layers.0.bias[5]');
    await w.find('canvas').trigger('mouseleave');
    expect(w.find('.pl-heatmap-tooltip').exists()).toBe(false);
    expect(w.emitted('hover')!.at(-1)![0]).toBeNull();
    w.unmount();
  });

  test('a fixed range must be positive and ordered', () => {
    const f = frame(2, 2);
    const w = mount(Heatmap, { props: { ...f, width: 300, range: [1e-3, 1] } });
    expect((w.vm as unknown as { range: () => object }).range()).toEqual({ lo: 1e-3, hi: 1 });
    w.unmount();
  });
});

describe('tooltips of downsampled matrices', () => {
  test('name the block of the tensor a cell averages', async () => {
    const { tooltipContent, blockSpan } = await import('../../src-renderer/src/charts/heatmap.ts');
    const frame = { name: 'layers.0.weight', rows: 3, cols: 2, values: new Float32Array(6).fill(0.5), originalRows: 7, originalCols: 4, biasName: 'layers.0.bias', biasValues: new Float32Array(3).fill(0.1) };
    expect(blockSpan(2, 3, 7)).toEqual([4, 6]);
    expect(tooltipContent(frame, { part: 'weight', row: 2, col: 1 })).toEqual({ title: 'layers.0.weight[4–6, 2–3]', lines: ['effective step 0.5', '(mean of the block)'] });
    expect(tooltipContent(frame, { part: 'bias', row: 0 })).toEqual({ title: 'layers.0.bias[0–1]', lines: ['effective step 0.1', '(mean of the block)'] });
    expect(tooltipContent({ ...frame, originalRows: undefined, originalCols: undefined }, { part: 'weight', row: 2, col: 1 }).title).toBe('layers.0.weight[2, 1]');
  });
});
