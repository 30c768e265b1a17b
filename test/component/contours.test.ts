import { describe, expect, test } from 'vitest';
import { mount } from '@vue/test-utils';
import ContourPlot from '../../src-renderer/src/components/ContourPlot.vue';
import { buildContourScene, contourPathData, logLevels, plotArea, sampleGrid, sceneToSvg, type OptimizerPath } from '../../src-renderer/src/charts/contours.ts';
import { LIGHT_THEME } from '../../src-renderer/src/charts/theme.ts';

const bowl = (x: number, y: number) => x * x + y * y;
const box = { xMin: -2, xMax: 2, yMin: -1, yMax: 1 };

describe('contours', () => {
  test('samples cell centres with row 0 at the top (y = yMax)', () => {
    const g = sampleGrid((x, y) => 10 * x + y, box, 4, 2);
    // x centres −1.5, −0.5, 0.5, 1.5; y centres 0.5 (top row), −0.5
    expect(Array.from(g)).toEqual([-14.5, -4.5, 5.5, 15.5, -15.5, -5.5, 4.5, 14.5]);
  });

  test('levels are log-spaced above the minimum: (level − fmin) grows by a constant ratio', () => {
    const g = sampleGrid((x, y) => bowl(x, y) - 3, box, 80, 40); // goes negative: fine
    const levels = logLevels(g, 9, 4);
    let fmin = Infinity;
    for (const v of g) fmin = Math.min(fmin, v);
    const d = levels.map((l) => l - fmin);
    for (let k = 1; k < d.length - 1; k++) expect(d[k] / d[k - 1]).toBeCloseTo(d[1] / d[0], 6);
    expect(d[1] / d[0]).toBeCloseTo(10 ** (4 / 8), 6);
  });

  test('the contour of level L of x² + y² is the circle of radius √L, in pixels', () => {
    const w = 560;
    const h = 320;
    const area = plotArea(w, h);
    const nx = 160;
    const ny = 80;
    const g = sampleGrid(bowl, box, nx, ny);
    const [c] = contourPathData(g, nx, ny, [0.5], area);
    expect(c.level).toBe(0.5);
    const sx = (area.right - area.left) / 4;
    const sy = (area.bottom - area.top) / 2;
    const nums = c.d.match(/-?\d+(\.\d+)?/g)!.map(Number);
    expect(nums.length).toBeGreaterThan(40);
    for (let k = 0; k < nums.length; k += 2) {
      const x = (nums[k] - area.left) / sx - 2;
      const y = 1 - (nums[k + 1] - area.top) / sy;
      expect(Math.hypot(x, y)).toBeCloseTo(Math.SQRT1_2, 2);
    }
  });

  const paths: OptimizerPath[] = [
    { id: 'a', label: 'Adam', lr: 0.1, points: [[-1, 0.5], [-0.5, 0.2], [0, 0]] },
    { id: 'b', label: 'SGD', lr: 1.5, points: [[-1, 0.5], [3, -2], [NaN, NaN], [1, 1]] },
  ];

  test('the scene shows iterates 0…visibleSteps, stops a diverged path at its last finite point, and names lr in the legend', () => {
    const s = buildContourScene({ width: 400, height: 300, box, contours: [], paths, visibleSteps: 1, minima: [[0, 0]] }, { ...LIGHT_THEME, bg: null });
    expect(s.paths[0].markers).toHaveLength(2);
    expect(s.paths[0].diverged).toBe(false);
    const all = buildContourScene({ width: 400, height: 300, box, contours: [], paths, visibleSteps: 99 }, { ...LIGHT_THEME, bg: null });
    expect(all.paths[0].markers).toHaveLength(3);
    expect(all.paths[1].markers).toHaveLength(2);
    expect(all.paths[1].diverged).toBe(true);
    expect(all.legend.map((l) => l.label)).toEqual(['Adam  lr=0.1', 'SGD  lr=1.5']);
    expect(all.start).toEqual([all.paths[0].markers[0][0], all.paths[0].markers[0][1]]);
  });

  test('the component draws levels, one group per path, start and minimum; the step control advances visibleSteps', async () => {
    const minima: [number, number][] = [[0, 0]];
    const w = mount(ContourPlot, { props: { f: bowl, box, paths, minima, visibleSteps: 0 } });
    const syncModel = (v: number | undefined): Promise<void> => w.setProps({ visibleSteps: v });
    await w.setProps({ 'onUpdate:visibleSteps': syncModel });
    expect(w.findAll('.pl-contour-levels path').length).toBeGreaterThan(8);
    expect(w.findAll('.pl-contour-path')).toHaveLength(2);
    expect(w.findAll('.pl-contour-minimum')).toHaveLength(1);
    expect(w.findAll('.pl-contour-start')).toHaveLength(1);
    expect(w.find('.pl-contour-path[data-id="a"]').findAll('circle')).toHaveLength(2); // 1 marker + the head
    await w.find('button.pl-step').trigger('click');
    expect(w.emitted('update:visibleSteps')![0]).toEqual([1]);
    expect(w.find('.pl-contour-path[data-id="a"]').findAll('circle')).toHaveLength(3);
    expect(w.find('.pl-steps-label').text()).toBe('step 1 / 3');
    expect(w.text()).toContain('SGD  lr=1.5');
    w.unmount();
  });

  test('the SVG export is a parseable document with the same elements and the chart’s viewBox', () => {
    const w = mount(ContourPlot, { props: { f: bowl, box, paths, width: 500, height: 360 } });
    const svg = (w.vm as unknown as { toSvg: (o: object) => string }).toSvg({ background: 'light' });
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    const root = doc.documentElement;
    expect(root.tagName.toLowerCase()).toBe('svg');
    expect(root.getAttribute('viewBox')).toBe('0 0 500 360');
    expect(doc.querySelectorAll('.pl-contour-levels path').length).toBe(w.findAll('.pl-contour-levels path').length);
    expect(doc.querySelectorAll('.pl-contour-path').length).toBe(2);
    expect(svg).toContain(`fill="${LIGHT_THEME.bg}"`);
    expect(sceneToSvg(buildContourScene({ width: 10, height: 10, box, contours: [], paths: [{ id: '<x>', label: 'a & b', lr: 1, points: [[0, 0]] }], visibleSteps: 0 }, { ...LIGHT_THEME, bg: null }))).toContain('a &amp; b');
    w.unmount();
  });
});
