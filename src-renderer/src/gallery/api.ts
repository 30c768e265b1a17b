// window.__gallery: what the browser tests call inside the page (exports as base64, layout
// positions, the stress run). Dev-only.
import type { Ref } from 'vue';
import type LiveLineChart from '../components/LiveLineChart.vue';
import type Heatmap from '../components/Heatmap.vue';
import type ContourPlot from '../components/ContourPlot.vue';
import type PercentileBandChart from '../components/PercentileBandChart.vue';
import { formatNumber } from '../charts/format.ts';
import { Decimation } from 'chart.js';
import { Chart, createChart } from '../charts/chartjs.ts';
import { colorOf, colormap } from '../charts/colormap.ts';

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
  smallHeatmap: Ref<InstanceType<typeof Heatmap> | null>;
  percentile: Ref<InstanceType<typeof PercentileBandChart> | null>;
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

type HeatmapApi = InstanceType<typeof Heatmap>;

/**
 * A whole-pixel point inside cell (row, col) of a heatmap, in page coordinates, and the device
 * pixel nearest the cell's centre. (Chromium's mouse events carry integer coordinates, and
 * the cells of a 784-column matrix are only ~1.4 px wide.)
 */
function cellPoint(h: HeatmapApi, row: number, col: number): { x: number; y: number; px: number; py: number } {
  const canvas = h.getCanvas()!;
  const rect = canvas.getBoundingClientRect();
  const cell = h.cellRect(row, col);
  const dpr = canvas.width / rect.width;
  const inside = (a: number, w: number) => Math.min(Math.ceil(a), Math.floor(a + w - 1e-6));
  // The device pixel under the cell's centre: its own centre is within half a pixel of the cell's.
  return { x: inside(rect.left + cell.x, cell.w), y: inside(rect.top + cell.y, cell.h), px: Math.floor((cell.x + cell.w / 2) * dpr), py: Math.floor((cell.y + cell.h / 2) * dpr) };
}

function cssSize(canvas: HTMLCanvasElement | null | undefined): { width: number; height: number } {
  const r = canvas?.getBoundingClientRect();
  return { width: r?.width ?? 0, height: r?.height ?? 0 };
}

/**
 * chart.js's own decimation plugin on 10,000-point lines: for each algorithm and data shape, the
 * last point it kept vs. the series' true last point (see charts/decimate.ts for why we decimate
 * ourselves). Shapes: strictly increasing x, and a last step logged twice (a resumed run).
 */
function chartjsDecimationLastPoint(): { algorithm: string; shape: string; keptCount: number; keptLast: { x: number; y: number } | null; trueLast: { x: number; y: number } }[] {
  // The app never registers chart.js's decimation plugin (charts/chartjs.ts); only this check does.
  Chart.register(Decimation);
  const shapes: Record<string, { x: number; y: number }[]> = {
    'increasing x': Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: Math.sin(i / 50) + i / 1000 })),
    'last step repeated': [...Array.from({ length: 9_999 }, (_, i) => ({ x: i, y: Math.sin(i / 50) })), { x: 9_998, y: 5 }],
  };
  const results = [];
  for (const algorithm of ['min-max', 'lttb'] as const) {
    for (const [shape, data] of Object.entries(shapes)) {
      const canvas = document.createElement('canvas');
      canvas.width = 400;
      canvas.height = 200;
      document.body.append(canvas);
      const chart = createChart(canvas, {
        type: 'line',
        data: { datasets: [{ data, pointRadius: 0 }] },
        options: { animation: false, responsive: false, parsing: false, plugins: { decimation: { enabled: true, algorithm, samples: 400 } }, scales: { x: { type: 'linear' } } },
      });
      const kept = (chart?.data.datasets[0].data ?? []) as { x: number; y: number }[];
      results.push({ algorithm, shape, keptCount: kept.length, keptLast: kept.at(-1) ?? null, trueLast: data[data.length - 1] });
      chart?.destroy();
      canvas.remove();
    }
  }
  return results;
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
        const series = c.exportData();
        const k = series.findIndex((e) => e.id === id);
        const s = series[k];
        // dataset 2k: the faint raw line (drawn while smoothing); 2k+1: the main line.
        const raw = chart.data.datasets[2 * k].data as { x: number; y: number }[];
        const main = chart.data.datasets[2 * k + 1].data as { x: number; y: number }[];
        const last = s.value.length - 1;
        return {
          drawnRaw: raw.at(-1),
          drawnMain: main.at(-1),
          stored: { x: s.step[last], y: s.value[last] },
          storedSmoothed: s.smoothed ? { x: s.step[last], y: s.smoothed[last] } : null,
          drawnCount: main.length,
          storedCount: s.value.length,
        };
      },
      png: async (background: 'light' | 'theme' | 'transparent' = 'theme') => blobToBase64(await g.live.value!.toPng({ background })),
      svg: (background: 'light' | 'theme' | 'transparent' = 'light') => g.live.value!.toSvg({ background }),
      exportData: () => g.live.value!.exportData().map((s) => ({ id: s.id, n: s.value.length, lastStep: s.step[s.step.length - 1] })),
    },
    heatmap: {
      cellPoint: (row: number, col: number) => cellPoint(g.heatmap.value!, row, col),
      expectedTooltip: (row: number, col: number) => {
        const i = row * g.bigCols + col;
        return { title: `layers.0.weight[${row}, ${col}]`, value: `value ${formatNumber(g.bigParams[i])}`, step: `effective step ${formatNumber(g.bigSnapshots[g.snapshotIndex.value][i])}` };
      },
      /** The colour the cell must have: the viridis entry of its value on the heatmap's range. */
      expectedColor: (row: number, col: number) => colorOf(g.bigSnapshots[g.snapshotIndex.value][row * g.bigCols + col], g.heatmap.value!.range(), colormap('viridis')),
      invalidColor: () => colormap('viridis').invalid,
      cssSize: () => cssSize(g.heatmap.value?.getCanvas()),
      layout: () => g.heatmap.value!.layout(),
      png: async () => blobToBase64(await g.heatmap.value!.toPng({ background: 'light' })),
    },
    smallHeatmap: {
      cellPoint: (row: number, col: number) => cellPoint(g.smallHeatmap.value!, row, col),
      invalidColor: () => colormap('magma').invalid,
    },
    percentile: {
      svg: () => g.percentile.value!.toSvg({ background: 'light' }),
      png: async () => blobToBase64(await g.percentile.value!.toPng({ background: 'light' })),
      cssSize: () => cssSize(g.percentile.value?.getChart()?.canvas),
    },
    contour: {
      svg: (background: 'light' | 'theme' | 'transparent' = 'light') => g.contour.value!.toSvg({ background }),
      reset: () => g.contour.value!.reset(),
      play: () => g.contour.value!.play(),
      step: () => g.contour.value!.step(),
      maxSteps: () => g.contour.value!.maxSteps(),
    },
    stress: g.stress,
    /** Frame times (requestAnimationFrame intervals) for `ms` while the gallery's live chart streams. */
    liveFrameTimes: async (ms: number) => {
      g.startStreaming();
      const n0 = g.live.value!.pointCount();
      const d: number[] = [];
      let last = performance.now();
      const end = last + ms;
      await new Promise<void>((resolve) => {
        const tick = (now: number): void => {
          d.push(now - last);
          last = now;
          if (now < end) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
      });
      d.sort((a, b) => a - b);
      const q = (p: number) => d[Math.min(d.length - 1, Math.floor(d.length * p))];
      return { frames: d.length, p50: q(0.5), p95: q(0.95), max: d[d.length - 1], appended: g.live.value!.pointCount() - n0 };
    },
    /** Frame times when the stress chart is only redrawn (no new data) on every frame: the raster cost. */
    stressDrawOnly: async (frames = 30) => {
      const chart = g.stressChart.value!.getChart()!;
      const d: number[] = [];
      let last = performance.now();
      await new Promise<void>((resolve) => {
        const tick = (now: number): void => {
          d.push(now - last);
          last = now;
          chart.draw();
          if (d.length < frames) requestAnimationFrame(tick);
          else resolve();
        };
        requestAnimationFrame(tick);
      });
      d.sort((a, b) => a - b);
      return { p50: d[Math.floor(d.length / 2)], p95: d[Math.floor(d.length * 0.95)], max: d[d.length - 1] };
    },
    /** Times one flush of the stress chart (all series dirty): decimation, chart.update, and a bare redraw. */
    stressBreakdown: () => {
      const c = g.stressChart.value!;
      const series = c.exportData();
      const out = [];
      for (let k = 0; k < 5; k++) {
        // one more point per series, continuing each series
        for (const s of series) c.append(s.id, { step: s.step[s.step.length - 1] + 1 + k, value: s.value[s.value.length - 1] });
        c.flush();
        const st = c.stats();
        const t = performance.now();
        c.getChart()!.draw();
        out.push({ decimateMs: st.lastDecimateMs, updateMs: st.lastUpdateMs, drawMs: performance.now() - t, points: st.displayedPoints });
      }
      return out;
    },
    chartjsDecimationLastPoint,
  };
  (window as unknown as { __gallery: typeof api }).__gallery = api;
}
