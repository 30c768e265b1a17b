// window.__gallery: what the browser tests call inside the page (exports as base64, layout
// positions, the stress run). Dev-only.
import type { Ref } from 'vue';
import type LiveLineChart from '../components/LiveLineChart.vue';
import type Heatmap from '../components/Heatmap.vue';
import type ContourPlot from '../components/ContourPlot.vue';
import { formatNumber } from '../charts/format.ts';
import { createChart } from '../charts/chartjs.ts';

type Live = InstanceType<typeof LiveLineChart>;

async function blobToBase64(blob: Blob): Promise<string> {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

export interface GalleryRefs {
  live: Ref<Live | null>;
  heatmap: Ref<InstanceType<typeof Heatmap> | null>;
  contour: Ref<InstanceType<typeof ContourPlot> | null>;
  stressChart: Ref<Live | null>;
  stress: (series?: number, perSeries?: number, batch?: number, smoothing?: number) => Promise<Record<string, number>>;
  startStreaming: () => void;
  stopStreaming: () => void;
  bigParams: Float32Array;
  bigSnapshots: Float32Array[];
  snapshotIndex: Ref<number>;
  bigCols: number;
}

function cssSize(canvas: HTMLCanvasElement | null | undefined): { width: number; height: number } {
  const r = canvas?.getBoundingClientRect();
  return { width: r?.width ?? 0, height: r?.height ?? 0 };
}

/**
 * chart.js's own decimation plugin in 'min-max' mode on a 10,000-point line: returns the last
 * point it kept and the true last point (see charts/decimate.ts for why we decimate ourselves).
 */
function chartjsMinMaxLastPoint(): { kept: { x: number; y: number } | null; last: { x: number; y: number }; keptCount: number } {
  const canvas = document.createElement('canvas');
  canvas.width = 400;
  canvas.height = 200;
  canvas.style.width = '400px';
  canvas.style.height = '200px';
  document.body.append(canvas);
  const data = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: Math.sin(i / 50) + i / 1000 }));
  const chart = createChart(canvas, {
    type: 'line',
    data: { datasets: [{ data, pointRadius: 0 }] },
    options: { animation: false, responsive: false, parsing: false, plugins: { decimation: { enabled: true, algorithm: 'min-max' } }, scales: { x: { type: 'linear' } } },
  });
  const kept = (chart?.data.datasets[0].data ?? []) as { x: number; y: number }[];
  const result = { kept: kept.at(-1) ?? null, last: data[data.length - 1], keptCount: kept.length };
  chart?.destroy();
  canvas.remove();
  return result;
}

export function installGalleryApi(g: GalleryRefs): void {
  const api = {
    live: {
      pointCount: () => g.live.value?.pointCount() ?? 0,
      stats: () => g.live.value?.stats(),
      stop: g.stopStreaming,
      start: g.startStreaming,
      cssSize: () => cssSize(g.live.value?.getChart()?.canvas),
      /** The last drawn point of a series' raw line vs. the last stored point. */
      lastPoints: (id: string) => {
        const c = g.live.value!;
        c.flush();
        const chart = c.getChart()!;
        const k = chart.data.datasets.findIndex((ds) => ds.label === c.exportData().find((s) => s.id === id)?.label);
        const drawn = chart.data.datasets[k]?.data.at(-1) as { x: number; y: number } | undefined;
        const s = c.exportData().find((e) => e.id === id)!;
        return { drawn, stored: { x: s.step[s.step.length - 1], y: s.value[s.value.length - 1] }, drawnCount: chart.data.datasets[k]?.data.length ?? 0, storedCount: s.value.length };
      },
      png: async (background: 'light' | 'theme' | 'transparent' = 'theme') => blobToBase64(await g.live.value!.toPng({ background })),
      svg: (background: 'light' | 'theme' | 'transparent' = 'light') => g.live.value!.toSvg({ background }),
      exportData: () => g.live.value!.exportData().map((s) => ({ id: s.id, n: s.value.length, lastStep: s.step[s.step.length - 1] })),
    },
    heatmap: {
      /** Page coordinates of the centre of cell (row, col) of the big heatmap. */
      cellCenter: (row: number, col: number) => {
        const h = g.heatmap.value!;
        const rect = h.getCanvas()!.getBoundingClientRect();
        const cell = h.cellRect(row, col);
        return { x: rect.left + cell.x + cell.w / 2, y: rect.top + cell.y + cell.h / 2 };
      },
      expectedTooltip: (row: number, col: number) => {
        const i = row * g.bigCols + col;
        return { title: `layers.0.weight[${row}, ${col}]`, value: `value ${formatNumber(g.bigParams[i])}`, step: `effective step ${formatNumber(g.bigSnapshots[g.snapshotIndex.value][i])}` };
      },
      cssSize: () => cssSize(g.heatmap.value?.getCanvas()),
      layout: () => g.heatmap.value!.layout(),
      png: async () => blobToBase64(await g.heatmap.value!.toPng({ background: 'light' })),
    },
    contour: {
      svg: (background: 'light' | 'theme' | 'transparent' = 'light') => g.contour.value!.toSvg({ background }),
      reset: () => g.contour.value!.reset(),
      play: () => g.contour.value!.play(),
      step: () => g.contour.value!.step(),
      maxSteps: () => g.contour.value!.maxSteps(),
    },
    stress: g.stress,
    chartjsMinMaxLastPoint,
  };
  (window as unknown as { __gallery: typeof api }).__gallery = api;
}
