// A heatmap frame (matrix, bias strip, legend, title) as a PNG, drawn by the same code as the
// on-screen component into a detached canvas at pixelRatio 2.
import { colormap, positiveExtent, type ColormapName, type LogRange } from '../charts/colormap.ts';
import { computeLayout, drawHeatmap, validateFrame, type HeatmapFrame } from '../charts/heatmap.ts';
import { LIGHT_THEME, readTheme } from '../charts/theme.ts';
import { canvasToPngBlob } from './download.ts';

export interface HeatmapPngOptions {
  pixelRatio?: number;
  background?: 'light' | 'theme' | 'transparent';
  /** Drawn above the matrix; default the parameter name. */
  title?: string;
  range?: LogRange;
  colormap?: ColormapName;
  width?: number;
  maxHeight?: number;
}

/** Draws the frame into a new canvas of (pixelRatio · layout size) pixels. */
export function renderHeatmapCanvas(f: HeatmapFrame, opts: HeatmapPngOptions = {}): HTMLCanvasElement {
  validateFrame(f);
  const pixelRatio = opts.pixelRatio ?? 2;
  const theme = opts.background === 'light' ? LIGHT_THEME : readTheme();
  const range = opts.range ?? positiveExtent(f.values, f.biasValues) ?? { lo: 1, hi: 10 };
  const l = computeLayout(f.rows, f.cols, !!f.biasValues, { width: opts.width ?? 560, maxHeight: opts.maxHeight, withTitle: true });
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(l.width * pixelRatio);
  canvas.height = Math.round(l.height * pixelRatio);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('this browser cannot draw on a canvas');
  ctx.setTransform(pixelRatio, 0, 0, pixelRatio, 0, 0);
  const bg = opts.background === 'transparent' ? null : theme.bg;
  drawHeatmap(ctx, f, l, range, colormap(opts.colormap ?? 'viridis'), { bg, fg: theme.fg, muted: theme.muted, grid: theme.grid }, { title: opts.title ?? f.name });
  return canvas;
}

export function heatmapToPng(f: HeatmapFrame, opts: HeatmapPngOptions = {}): Promise<Blob> {
  return canvasToPngBlob(renderHeatmapCanvas(f, opts));
}
