// The heatmap's logic, separate from any canvas: layout, hit testing, tooltip text and legend
// ticks are pure functions; drawHeatmap paints a layout onto any 2-D context (the component's
// canvas or an export canvas).
import { colorOf, fillRgba, logPosition, rgbCss, type Colormap, type LogRange } from './colormap.ts';
import { formatNumber, formatPowerOfTen } from './format.ts';
import { logTicks } from './ticks.ts';

export interface HeatmapFrame {
  /** Parameter name of the matrix, e.g. "layers.0.weight". */
  name: string;
  rows: number;
  cols: number;
  /** The coloured quantity (e.g. effective step size), row-major, rows × cols. */
  values: Float32Array;
  /** The parameter's own values, shown in the tooltip. */
  paramValues?: Float32Array;
  /** Bias strip: one value per row. */
  biasName?: string;
  biasValues?: Float32Array;
  biasParamValues?: Float32Array;
  /**
   * The tensor's own shape when rows × cols is a grid of its block means (a downsampled
   * snapshot): the tooltip then names the block's index ranges.
   */
  originalRows?: number;
  originalCols?: number;
}

/** Rows ⌊i·R/r⌋ … ⌊(i+1)·R/r⌋ − 1 of R: the block i of r covers (the downsampling of core/train). */
export function blockSpan(i: number, r: number, R: number): [number, number] {
  return [Math.floor((i * R) / r), Math.floor(((i + 1) * R) / r) - 1];
}

function indexText(i: number, r: number, R: number | undefined): string {
  if (R === undefined || R === r) return String(i);
  const [a, b] = blockSpan(i, r, R);
  return a === b ? String(a) : `${a}–${b}`;
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface HeatmapLayout {
  width: number;
  height: number;
  title: { x: number; y: number } | null;
  matrix: Rect & { cellW: number; cellH: number };
  bias: Rect | null;
  legend: Rect;
  invalidSwatch: Rect;
}

export interface LayoutOptions {
  width: number;
  /** Cap on the matrix's height in CSS px. */
  maxHeight?: number;
  /** Largest cell edge in CSS px (small matrices do not become huge squares). */
  maxCell?: number;
  /** Few-row matrices are stretched vertically to at least this height. */
  minMatrixHeight?: number;
  /** Room for a title line above the matrix (exports). */
  withTitle?: boolean;
}

const PAD = 8;
const BIAS_GAP = 8;
const LEGEND_GAP = 16;
const LEGEND_BAR = 12;
const LEGEND_LABELS = 56;
const TITLE_H = 22;
const SWATCH_H = 18;

export function validateFrame(f: HeatmapFrame): void {
  const n = f.rows * f.cols;
  if (!(Number.isInteger(f.rows) && f.rows > 0 && Number.isInteger(f.cols) && f.cols > 0)) throw new RangeError(`${f.name}: rows and cols must be positive integers, got ${f.rows} × ${f.cols}`);
  if (f.values.length !== n) throw new RangeError(`${f.name}: values has ${f.values.length} entries, expected rows × cols = ${n}`);
  if (f.paramValues && f.paramValues.length !== n) throw new RangeError(`${f.name}: paramValues has ${f.paramValues.length} entries, expected ${n}`);
  if (f.biasValues && f.biasValues.length !== f.rows) throw new RangeError(`${f.biasName ?? 'bias'}: biasValues has ${f.biasValues.length} entries, expected one per row (${f.rows})`);
  if (f.biasParamValues && f.biasParamValues.length !== f.rows) throw new RangeError(`${f.biasName ?? 'bias'}: biasParamValues has ${f.biasParamValues.length} entries, expected ${f.rows}`);
}

export function computeLayout(rows: number, cols: number, hasBias: boolean, o: LayoutOptions): HeatmapLayout {
  const maxCell = o.maxCell ?? 24;
  const maxHeight = o.maxHeight ?? 480;
  const minMatrixHeight = o.minMatrixHeight ?? 80;
  const top = PAD + (o.withTitle ? TITLE_H : 0);
  const reserved = 2 * PAD + LEGEND_GAP + LEGEND_BAR + LEGEND_LABELS;
  // Width first: the bias strip is as wide as a cell but at least 10 px.
  let cellW = Math.min(maxCell, Math.max(0.25, (o.width - reserved - (hasBias ? BIAS_GAP + 10 : 0)) / cols));
  const biasW = hasBias ? Math.round(Math.max(10, cellW)) : 0;
  if (hasBias) cellW = Math.min(maxCell, Math.max(0.25, (o.width - reserved - BIAS_GAP - biasW) / cols));
  const rawCellH = Math.min(maxHeight / rows, Math.max(cellW, Math.min(maxCell, minMatrixHeight / rows)));
  // Whole-pixel matrix edges, so the frame drawn around it never blends into the outer cells.
  const mw = Math.max(1, Math.round(cellW * cols));
  const mh = Math.max(1, Math.round(rawCellH * rows));
  cellW = mw / cols;
  const cellH = mh / rows;
  const matrix = { x: PAD, y: top, w: mw, h: mh, cellW, cellH };
  const bias = hasBias ? { x: PAD + mw + BIAS_GAP, y: top, w: biasW, h: mh } : null;
  const legendX = (bias ? bias.x + bias.w : PAD + mw) + LEGEND_GAP;
  const legendH = Math.max(mh, 100);
  const legend = { x: legendX, y: top, w: LEGEND_BAR, h: legendH };
  const invalidSwatch = { x: legendX, y: top + legendH + 6, w: LEGEND_BAR, h: 10 };
  return {
    width: Math.ceil(legendX + LEGEND_BAR + LEGEND_LABELS + PAD),
    height: Math.ceil(invalidSwatch.y + SWATCH_H),
    title: o.withTitle ? { x: PAD, y: PAD + 14 } : null,
    matrix,
    bias,
    legend,
    invalidSwatch,
  };
}

export type HeatmapHit = { part: 'weight'; row: number; col: number } | { part: 'bias'; row: number };

/** Which cell is under the point (x, y) in CSS px of the layout, if any. */
export function hitTest(l: HeatmapLayout, rows: number, cols: number, x: number, y: number): HeatmapHit | null {
  const m = l.matrix;
  if (y < m.y || y >= m.y + m.h) return null;
  const row = Math.min(rows - 1, Math.floor((y - m.y) / m.cellH));
  if (x >= m.x && x < m.x + m.w) return { part: 'weight', row, col: Math.min(cols - 1, Math.floor((x - m.x) / m.cellW)) };
  if (l.bias && x >= l.bias.x && x < l.bias.x + l.bias.w) return { part: 'bias', row };
  return null;
}

/** The rectangle of one weight cell (or of a bias cell when col is undefined). */
export function cellRect(l: HeatmapLayout, row: number, col?: number): Rect {
  const m = l.matrix;
  if (col === undefined) {
    if (!l.bias) throw new RangeError('this heatmap has no bias strip');
    return { x: l.bias.x, y: m.y + row * m.cellH, w: l.bias.w, h: m.cellH };
  }
  return { x: m.x + col * m.cellW, y: m.y + row * m.cellH, w: m.cellW, h: m.cellH };
}

export interface TooltipContent {
  /** e.g. "layers.0.weight[3, 17]" or "layers.0.bias[3]". */
  title: string;
  lines: string[];
}

export function tooltipContent(f: HeatmapFrame, hit: HeatmapHit, valueLabel = 'effective step'): TooltipContent {
  if (hit.part === 'weight') {
    const i = hit.row * f.cols + hit.col;
    const lines = [];
    const block = (f.originalRows ?? f.rows) !== f.rows || (f.originalCols ?? f.cols) !== f.cols;
    if (f.paramValues) lines.push(`value ${formatNumber(f.paramValues[i])}`);
    lines.push(`${valueLabel} ${formatNumber(f.values[i])}`);
    if (block) lines.push('(mean of the block)');
    return { title: `${f.name}[${indexText(hit.row, f.rows, f.originalRows)}, ${indexText(hit.col, f.cols, f.originalCols)}]`, lines };
  }
  const lines = [];
  if (f.biasParamValues) lines.push(`value ${formatNumber(f.biasParamValues[hit.row])}`);
  if (f.biasValues) lines.push(`${valueLabel} ${formatNumber(f.biasValues[hit.row])}`);
  if ((f.originalRows ?? f.rows) !== f.rows) lines.push('(mean of the block)');
  return { title: `${f.biasName ?? 'bias'}[${indexText(hit.row, f.rows, f.originalRows)}]`, lines };
}

export interface LegendTick {
  value: number;
  /** 0 at the bottom of the bar (range.lo), 1 at the top (range.hi). */
  t: number;
  label: string;
}

/** Ticks of the log10 legend: decades (and 2, 5 multiples on short ranges), plus the range ends when no tick is near them. */
export function legendTicks(range: LogRange): LegendTick[] {
  const label = (v: number) => {
    const e = Math.log10(v);
    return Math.abs(e - Math.round(e)) < 1e-9 ? formatPowerOfTen(Math.round(e)) : formatNumber(v, 2);
  };
  const ticks = logTicks(range.lo, range.hi).map((v) => ({ value: v, t: logPosition(v, range), label: label(v) }));
  for (const v of [range.lo, range.hi]) {
    const t = logPosition(v, range);
    if (!ticks.some((k) => Math.abs(k.t - t) < 0.12)) ticks.push({ value: v, t, label: formatNumber(v, 2) });
  }
  return ticks.sort((a, b) => a.t - b.t);
}

export interface DrawTheme {
  bg: string | null;
  fg: string;
  muted: string;
  grid: string;
}

/** The image of a matrix at native resolution (one pixel per value) as RGBA bytes. */
export function matrixRgba(values: ArrayLike<number>, range: LogRange, cm: Colormap): Uint8ClampedArray {
  const out = new Uint8ClampedArray(values.length * 4);
  fillRgba(values, range, cm, out);
  return out;
}

/** A canvas holding `rgba` at native resolution (w × h pixels), to be drawn scaled. */
function nativeCanvas(rgba: Uint8ClampedArray, w: number, h: number, reuse?: HTMLCanvasElement): HTMLCanvasElement | null {
  const c = reuse ?? document.createElement('canvas');
  c.width = w;
  c.height = h;
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  const img = ctx.createImageData(w, h);
  img.data.set(rgba);
  ctx.putImageData(img, 0, 0);
  return c;
}

/** Paints matrix, bias strip, legend (with log10 ticks) and the invalid-value swatch. ctx is in CSS px. */
export function drawHeatmap(
  ctx: CanvasRenderingContext2D,
  f: HeatmapFrame,
  l: HeatmapLayout,
  range: LogRange,
  cm: Colormap,
  theme: DrawTheme,
  opts: { title?: string; scratch?: { matrix?: HTMLCanvasElement; bias?: HTMLCanvasElement } } = {},
): void {
  ctx.clearRect(0, 0, l.width, l.height);
  if (theme.bg) {
    ctx.fillStyle = theme.bg;
    ctx.fillRect(0, 0, l.width, l.height);
  }
  ctx.imageSmoothingEnabled = false;
  const m = nativeCanvas(matrixRgba(f.values, range, cm), f.cols, f.rows, opts.scratch?.matrix);
  if (m) ctx.drawImage(m, l.matrix.x, l.matrix.y, l.matrix.w, l.matrix.h);
  if (l.bias && f.biasValues) {
    const b = nativeCanvas(matrixRgba(f.biasValues, range, cm), 1, f.rows, opts.scratch?.bias);
    if (b) ctx.drawImage(b, l.bias.x, l.bias.y, l.bias.w, l.bias.h);
  }
  ctx.strokeStyle = theme.grid;
  ctx.lineWidth = 1;
  ctx.strokeRect(l.matrix.x - 0.5, l.matrix.y - 0.5, l.matrix.w + 1, l.matrix.h + 1);
  if (l.bias) ctx.strokeRect(l.bias.x - 0.5, l.bias.y - 0.5, l.bias.w + 1, l.bias.h + 1);
  // Legend bar: top = hi, bottom = lo, one row per device-independent pixel.
  const lg = l.legend;
  for (let py = 0; py < lg.h; py++) {
    const t = 1 - (py + 0.5) / lg.h;
    const v = 10 ** (Math.log10(range.lo) + t * (Math.log10(range.hi) - Math.log10(range.lo)));
    ctx.fillStyle = rgbCss(colorOf(v, range, cm));
    ctx.fillRect(lg.x, lg.y + py, lg.w, 1);
  }
  ctx.strokeRect(lg.x - 0.5, lg.y - 0.5, lg.w + 1, lg.h + 1);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  ctx.fillStyle = theme.muted;
  for (const tick of legendTicks(range)) {
    const y = lg.y + (1 - tick.t) * lg.h;
    ctx.fillRect(lg.x + lg.w, Math.round(y), 4, 1);
    ctx.fillText(tick.label, lg.x + lg.w + 6, y);
  }
  const sw = l.invalidSwatch;
  ctx.fillStyle = rgbCss(cm.invalid);
  ctx.fillRect(sw.x, sw.y, sw.w, sw.h);
  ctx.fillStyle = theme.muted;
  ctx.fillText('≤0 / NaN', sw.x + sw.w + 6, sw.y + sw.h / 2);
  if (opts.title && l.title) {
    ctx.fillStyle = theme.fg;
    ctx.font = 'bold 13px system-ui, sans-serif';
    ctx.textBaseline = 'alphabetic';
    ctx.fillText(opts.title, l.title.x, l.title.y);
  }
}
