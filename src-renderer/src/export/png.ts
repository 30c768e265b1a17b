// Any chart.js chart as a PNG at 2× pixel ratio with its legend, title and axes: the chart is
// re-drawn from its own configuration into a detached canvas at devicePixelRatio 2 (so the PNG is
// sharp whatever the screen), optionally re-coloured for a light background.
import type { Chart, ChartConfiguration, ChartOptions, Plugin } from 'chart.js';
import { merge } from 'chart.js/helpers';
import { createChart } from '../charts/chartjs.ts';
import { LIGHT_THEME, readTheme, type ChartTheme } from '../charts/theme.ts';
import { canvasToPngBlob } from './download.ts';

export interface PngOptions {
  /** Device pixels per CSS pixel of the chart; default 2. */
  pixelRatio?: number;
  /** 'light' re-colours text and grid for a white background; 'theme' uses the page's theme colours; 'transparent' draws no background. */
  background?: 'light' | 'theme' | 'transparent';
  /** A title drawn above the chart in the image (the chart's own, if it has one, is replaced). */
  title?: string;
}

/** Text, grid and background colours of a theme applied to every scale, title, legend and tooltip. */
function themeOverrides(theme: ChartTheme, scaleIds: string[]): ChartOptions {
  const scales: Record<string, object> = {};
  for (const id of scaleIds) {
    scales[id] = { ticks: { color: theme.muted }, grid: { color: theme.grid }, border: { color: theme.grid }, title: { color: theme.fg } };
  }
  return { color: theme.fg, scales, plugins: { title: { color: theme.fg }, legend: { labels: { color: theme.fg } } } } as ChartOptions;
}

function backgroundPlugin(color: string): Plugin {
  return {
    id: 'plExportBackground',
    beforeDraw(chart) {
      const ctx = chart.ctx;
      ctx.save();
      ctx.fillStyle = color;
      ctx.fillRect(0, 0, chart.width, chart.height);
      ctx.restore();
    },
  };
}

/**
 * Draws the chart again at `pixelRatio` into a detached canvas. Returns the canvas and a dispose()
 * that destroys the copy (chart.js clears the canvas on destroy, so read the pixels first).
 */
export function renderChartOffscreen(chart: Chart, opts: PngOptions = {}): { canvas: HTMLCanvasElement; dispose: () => void } {
  const pixelRatio = opts.pixelRatio ?? 2;
  const background = opts.background ?? 'theme';
  const width = chart.width;
  const height = chart.height;
  const canvas = document.createElement('canvas');
  // With responsive: false chart.js takes the CSS size from these and multiplies by devicePixelRatio.
  canvas.width = width;
  canvas.height = height;
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const theme = background === 'light' ? LIGHT_THEME : readTheme();
  const options = merge({}, [
    chart.config.options as object,
    background === 'light' ? themeOverrides(LIGHT_THEME, Object.keys(chart.scales)) : {},
    opts.title ? { plugins: { title: { display: true, text: opts.title, color: theme.fg, font: { size: 14, weight: 'bold' } } } } : {},
    { responsive: false, maintainAspectRatio: false, animation: false, devicePixelRatio: pixelRatio, events: [] },
  ]) as ChartOptions;
  const config = {
    type: (chart.config as { type?: string }).type ?? 'line',
    data: {
      labels: chart.data.labels?.slice(),
      datasets: chart.data.datasets.map((ds, i) => ({ ...ds, data: ds.data.slice(), hidden: !chart.isDatasetVisible(i) })),
    },
    options,
    plugins: background === 'transparent' ? [] : [backgroundPlugin(theme.bg)],
  } as ChartConfiguration;
  const copy = createChart(canvas, config);
  if (!copy) throw new Error('this browser cannot draw on a canvas');
  return { canvas, dispose: () => copy.destroy() };
}

/** A chart.js chart as a PNG Blob of (pixelRatio · CSS width) × (pixelRatio · CSS height) pixels. */
export async function chartToPng(chart: Chart, opts: PngOptions = {}): Promise<Blob> {
  const { canvas, dispose } = renderChartOffscreen(chart, opts);
  try {
    return await canvasToPngBlob(canvas);
  } finally {
    dispose();
  }
}
