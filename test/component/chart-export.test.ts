// The shared export menu: which formats a chart offers, the file it makes (full-resolution data,
// raw and smoothed), and that it goes to the host's save (dialog or download) with a safe name.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { flushPromises, mount } from '@vue/test-utils';
import { API_KEY, type Api } from '../../src-renderer/src/api/index.ts';
import type { Host } from '../../src-renderer/src/api/host.ts';
import { FakeChart, manualFrames } from './fakeChart.ts';

vi.mock('../../src-renderer/src/charts/chartjs.ts', () => ({
  createChart: (canvas: HTMLCanvasElement, config: never) => new FakeChart(canvas, config),
}));

const { default: LiveLineChart } = await import('../../src-renderer/src/components/LiveLineChart.vue');
const { default: ChartExport } = await import('../../src-renderer/src/components/ChartExport.vue');
const { chartExportFile, exportBaseName, formatsOf } = await import('../../src-renderer/src/export/chartExport.ts');
const { emaSmooth } = await import('../../src-renderer/src/charts/smoothing.ts');

let frames: ReturnType<typeof manualFrames>;
beforeEach(() => {
  FakeChart.instances = [];
  frames = manualFrames();
  vi.stubGlobal('requestAnimationFrame', frames.raf);
  vi.stubGlobal('cancelAnimationFrame', frames.caf);
});
afterEach(() => vi.unstubAllGlobals());

type ChartApi = { append(id: string, p: unknown): void; flush(): void };

function lossChart(smoothing: number) {
  const w = mount(LiveLineChart, { props: { series: [{ id: 'a', label: 'Adam, lr=1e-3' }], smoothing } });
  const api = w.vm as unknown as ChartApi;
  const step = Array.from({ length: 5000 }, (_, i) => i);
  const value = step.map((i) => 1 / (i + 1) + (i % 7) * 1e-3);
  api.append('a', { step: Float64Array.from(step), value: Float64Array.from(value) });
  api.flush();
  return { w, step, value };
}

function savingHost(saved: { blob: Blob; filename: string }[]): Api {
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

describe('chart export', () => {
  test('formats: a line chart offers all four, a heatmap-like target only PNG, nothing without a target', () => {
    const { w } = lossChart(0);
    expect(formatsOf(w.vm as never)).toEqual(['png', 'svg', 'csv', 'json']);
    expect(formatsOf({ toPng: async () => new Blob() })).toEqual(['png']);
    expect(formatsOf(null)).toEqual([]);
  });

  test('file names are reduced to safe characters', () => {
    expect(exportBaseName('Loss · run 3/Adam (lr=1e-3)')).toBe('loss-run-3-adam-lr-1e-3');
    expect(exportBaseName('Ünïcode ✓')).toBe('unicode');
    expect(exportBaseName('///')).toBe('chart');
  });

  test('CSV holds every stored point (not the decimated display), raw and smoothed', async () => {
    const { w, step, value } = lossChart(0.9);
    expect(FakeChart.instances[0].data.datasets[1].data.length).toBeLessThan(2000); // the display is decimated
    const { blob, filename } = await chartExportFile(w.vm as never, 'csv', { baseName: 'loss run 1' });
    expect(filename).toBe('loss-run-1.csv');
    const rows = (await blob.text()).trim().split('\n');
    expect(rows[0]).toBe('series,label,step,value,smoothed');
    expect(rows).toHaveLength(5001);
    const smoothed = emaSmooth(value, 0.9);
    for (const i of [0, 1, 2500, 4999]) expect(rows[i + 1]).toBe(`a,"Adam, lr=1e-3",${step[i]},${value[i]},${smoothed[i]}`);
  });

  test('JSON of the same chart, and a chart without points says so', async () => {
    const { w, value } = lossChart(0);
    const { blob } = await chartExportFile(w.vm as never, 'json', { baseName: 'x' });
    const j = JSON.parse(await blob.text());
    expect(j.series[0].value).toEqual(value);
    expect(j.series[0].smoothed).toBeUndefined();
    await expect(chartExportFile({ exportData: () => [{ id: 'a', label: 'a', step: [], value: [] }] }, 'csv', { baseName: 'x' })).rejects.toThrow('no points to export');
    await expect(chartExportFile({ exportData: () => [] }, 'png', { baseName: 'x' })).rejects.toThrow('cannot be exported as PNG');
  });

  test('the menu lists what the target offers, saves through the host, and passes the light-background choice', async () => {
    const saved: { blob: Blob; filename: string }[] = [];
    const backgrounds: (string | undefined)[] = [];
    const target = {
      toPng: async (o?: { background?: string }) => {
        backgrounds.push(o?.background);
        return new Blob(['png'], { type: 'image/png' });
      },
    };
    const w = mount(ChartExport, { props: { target, name: 'layers.0 step 40' }, global: { provide: { [API_KEY as symbol]: savingHost(saved) } } });
    await w.find('[data-test=export-toggle]').trigger('click');
    expect(w.findAll('[role=menuitem]').map((b) => b.attributes('data-test'))).toEqual(['export-png']);
    await w.find('[data-test=export-light]').setValue(true);
    await w.find('[data-test=export-png]').trigger('click');
    await flushPromises();
    expect(saved.map((s) => s.filename)).toEqual(['layers.0-step-40.png']);
    expect(backgrounds).toEqual(['light']);
    expect(w.emitted('saved')).toEqual([['download', 'png']]);
  });

  test('the title given to the menu goes into the exported images', async () => {
    const seen: unknown[] = [];
    const target = { toPng: async (o?: unknown) => (seen.push(o), new Blob(['p'])), toSvg: (o?: unknown) => (seen.push(o), '<svg/>') };
    await chartExportFile(target, 'png', { baseName: 'x', title: 'Loss · run 3' });
    await chartExportFile(target, 'svg', { baseName: 'x', title: 'Loss · run 3', background: 'light' });
    expect(seen).toEqual([
      { background: 'theme', title: 'Loss · run 3' },
      { background: 'light', title: 'Loss · run 3' },
    ]);
  });

  test('a failing export shows its message in the menu', async () => {
    const w = mount(ChartExport, {
      props: { target: { toPng: () => Promise.reject(new Error('the chart is not drawn')) }, name: 'x' },
      global: { provide: { [API_KEY as symbol]: savingHost([]) } },
    });
    await w.find('[data-test=export-toggle]').trigger('click');
    await w.find('[data-test=export-png]').trigger('click');
    await flushPromises();
    expect(w.find('[data-test=export-error]').text()).toBe('the chart is not drawn');
  });
});

describe('the Electron host', () => {
  test('saves a chart export through the saveFile bridge with a filter for its type', async () => {
    const { electronHost } = await import('../../src-renderer/src/api/host.ts');
    const requests: unknown[] = [];
    const bridge = { saveFile: async (r: unknown) => (requests.push(r), '/home/u/loss.svg') } as never;
    const where = await electronHost(bridge).saveBlob(new Blob(['<svg/>']), 'loss.svg');
    expect(where).toBe('/home/u/loss.svg');
    expect(requests).toEqual([{ defaultName: 'loss.svg', data: new TextEncoder().encode('<svg/>'), filters: [{ name: 'SVG image', extensions: ['svg'] }] }]);
  });
});
