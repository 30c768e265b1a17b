// SVG export of line charts.
//
// chart.js draws to a canvas only. Rather than a canvas-to-SVG shim (canvas2svg and its forks
// are unmaintained, emulate only part of the 2-D context API, and would serialise every one of
// chart.js's internal draw calls), the SVG is written here from what the chart has already laid
// out: its chart area, its scales' ticks and pixel mapping, and each dataset's element positions.
// So the SVG shows exactly the canvas's geometry, as clean <path>s and <text>, in ~150 lines.
import type { Chart, Scale } from 'chart.js';
import { escapeXml } from '../charts/format.ts';
import { LIGHT_THEME, readTheme, type ChartTheme } from '../charts/theme.ts';

export interface SvgOptions {
  /** 'light' draws on white with the light theme's text colours; 'theme' uses the page theme; 'transparent' draws no background. */
  background?: 'light' | 'theme' | 'transparent';
  /** A title written above the chart (the chart's own, if it has one, is replaced). */
  title?: string;
}

export interface SvgTick {
  pos: number;
  label: string;
}

export interface SvgLine {
  label: string;
  color: string;
  width: number;
  dash?: number[];
  /** Pixel coordinates; a point with a NaN coordinate breaks the line (a gap). */
  points: [number, number][];
  /** Fill the area between this line and line `fillTo` (an index into lines) with `fillColor`. */
  fillTo?: number;
  fillColor?: string;
}

export interface SvgLineChart {
  width: number;
  height: number;
  background: string | null;
  fg: string;
  muted: string;
  grid: string;
  title?: string;
  xLabel?: string;
  yLabel?: string;
  area: { left: number; top: number; right: number; bottom: number };
  xTicks: SvgTick[];
  yTicks: SvgTick[];
  lines: SvgLine[];
  legend: { label: string; color: string }[];
}

export { escapeXml };

const r2 = (v: number): string => String(Math.round(v * 100) / 100);

/** "M x y L x y …" with a new "M" after every gap. */
export function polylinePath(points: readonly [number, number][]): string {
  let d = '';
  let pen = false;
  for (const [x, y] of points) {
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${r2(x)} ${r2(y)}`;
    pen = true;
  }
  return d;
}

/** The closed outline between two lines (upper forward, lower backward), skipping gaps. */
function bandPath(a: readonly [number, number][], b: readonly [number, number][]): string {
  const ok = (p: [number, number]) => Number.isFinite(p[0]) && Number.isFinite(p[1]);
  const fwd = a.filter(ok);
  const back = b.filter(ok).reverse();
  if (fwd.length === 0 || back.length === 0) return '';
  return `M${[...fwd, ...back].map(([x, y]) => `${r2(x)} ${r2(y)}`).join('L')}Z`;
}

/** The whole chart as a standalone SVG document (viewBox = the chart's CSS size). */
export function renderLineSvg(c: SvgLineChart): string {
  const { left, top, right, bottom } = c.area;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${c.width}" height="${c.height}" viewBox="0 0 ${c.width} ${c.height}" font-family="system-ui, sans-serif" font-size="12">`);
  if (c.background) out.push(`<rect width="${c.width}" height="${c.height}" fill="${escapeXml(c.background)}"/>`);
  out.push(`<defs><clipPath id="pl-plot-area"><rect x="${r2(left)}" y="${r2(top)}" width="${r2(right - left)}" height="${r2(bottom - top)}"/></clipPath></defs>`);
  // Grid and tick labels.
  out.push(`<g class="grid" stroke="${escapeXml(c.grid)}" stroke-width="1">`);
  for (const t of c.xTicks) out.push(`<line x1="${r2(t.pos)}" x2="${r2(t.pos)}" y1="${r2(top)}" y2="${r2(bottom)}"/>`);
  for (const t of c.yTicks) out.push(`<line x1="${r2(left)}" x2="${r2(right)}" y1="${r2(t.pos)}" y2="${r2(t.pos)}"/>`);
  out.push(`<rect x="${r2(left)}" y="${r2(top)}" width="${r2(right - left)}" height="${r2(bottom - top)}" fill="none"/>`);
  out.push('</g>');
  out.push(`<g class="ticks" fill="${escapeXml(c.muted)}">`);
  for (const t of c.xTicks) if (t.label) out.push(`<text x="${r2(t.pos)}" y="${r2(bottom + 16)}" text-anchor="middle">${escapeXml(t.label)}</text>`);
  for (const t of c.yTicks) if (t.label) out.push(`<text x="${r2(left - 6)}" y="${r2(t.pos + 4)}" text-anchor="end">${escapeXml(t.label)}</text>`);
  out.push('</g>');
  // Bands, then lines, clipped to the plot area.
  out.push('<g class="data" clip-path="url(#pl-plot-area)" fill="none" stroke-linejoin="round">');
  c.lines.forEach((l) => {
    if (l.fillTo === undefined || !c.lines[l.fillTo]) return;
    const d = bandPath(l.points, c.lines[l.fillTo].points);
    if (d) out.push(`<path class="band" d="${d}" fill="${escapeXml(l.fillColor ?? l.color)}" stroke="none"/>`);
  });
  for (const l of c.lines) {
    const d = polylinePath(l.points);
    if (!d) continue;
    const dash = l.dash && l.dash.length ? ` stroke-dasharray="${l.dash.join(' ')}"` : '';
    out.push(`<path class="line" d="${d}" stroke="${escapeXml(l.color)}" stroke-width="${r2(l.width)}"${dash}><title>${escapeXml(l.label)}</title></path>`);
  }
  out.push('</g>');
  // Titles and legend.
  out.push(`<g class="labels" fill="${escapeXml(c.fg)}">`);
  if (c.title) out.push(`<text class="title" x="${r2(c.width / 2)}" y="18" text-anchor="middle" font-size="14" font-weight="bold">${escapeXml(c.title)}</text>`);
  if (c.xLabel) out.push(`<text class="x-title" x="${r2((left + right) / 2)}" y="${r2(Math.min(c.height - 4, bottom + 34))}" text-anchor="middle">${escapeXml(c.xLabel)}</text>`);
  if (c.yLabel) {
    const y = (top + bottom) / 2;
    out.push(`<text class="y-title" x="14" y="${r2(y)}" text-anchor="middle" transform="rotate(-90 14 ${r2(y)})">${escapeXml(c.yLabel)}</text>`);
  }
  if (c.legend.length) {
    const widths = c.legend.map((item) => 24 + 6.5 * item.label.length + 12);
    let x = Math.max(4, (c.width - widths.reduce((a, b) => a + b, 0)) / 2);
    const y = c.title ? 38 : 16;
    out.push('<g class="legend">');
    c.legend.forEach((item, k) => {
      out.push(`<rect x="${r2(x)}" y="${y - 5}" width="18" height="3" fill="${escapeXml(item.color)}"/>`);
      out.push(`<text x="${r2(x + 24)}" y="${y}">${escapeXml(item.label)}</text>`);
      x += widths[k];
    });
    out.push('</g>');
  }
  out.push('</g></svg>');
  return out.join('\n');
}

function textOf(t: unknown): string {
  return Array.isArray(t) ? t.join(' ') : typeof t === 'string' ? t : '';
}

function ticksOf(scale: Scale | undefined): SvgTick[] {
  if (!scale) return [];
  return scale.ticks.map((t) => ({ pos: scale.getPixelForValue(t.value), label: textOf(t.label) }));
}

function colorText(c: unknown, fallback: string): string {
  return typeof c === 'string' ? c : fallback;
}

/** The index a dataset's `fill` option points at (absolute number or relative "+n"/"-n"), if any. */
function fillTarget(fill: unknown, index: number): number | undefined {
  if (typeof fill === 'number') return fill;
  if (typeof fill === 'string' && /^[+-]\d+$/.test(fill)) return index + Number(fill);
  if (fill && typeof fill === 'object' && 'target' in fill) return fillTarget((fill as { target: unknown }).target, index);
  return undefined;
}

/** The spec of a drawn chart.js line chart (see renderLineSvg). */
export function svgSpecOfChart(chart: Chart, opts: SvgOptions = {}): SvgLineChart {
  const background = opts.background ?? 'theme';
  const theme: ChartTheme = background === 'light' ? LIGHT_THEME : readTheme();
  const o = chart.options;
  const xScale = chart.scales.x as Scale | undefined;
  const yScale = chart.scales.y as Scale | undefined;
  const visible = chart.data.datasets.map((_, i) => chart.isDatasetVisible(i));
  const indexMap = new Map<number, number>();
  const lines: SvgLine[] = [];
  chart.data.datasets.forEach((ds, i) => {
    if (!visible[i]) return;
    const meta = chart.getDatasetMeta(i);
    const lineOpts = (meta.dataset?.options ?? {}) as Record<string, unknown>;
    indexMap.set(i, lines.length);
    lines.push({
      label: ds.label ?? '',
      color: colorText(ds.borderColor ?? lineOpts.borderColor, theme.fg),
      width: Number(ds.borderWidth ?? lineOpts.borderWidth ?? 1.5),
      dash: (ds as { borderDash?: number[] }).borderDash,
      points: meta.data.map((el) => {
        const p = el as unknown as { x: number; y: number; skip?: boolean };
        return p.skip ? [NaN, NaN] : [p.x, p.y];
      }),
      fillColor: colorText(ds.backgroundColor ?? lineOpts.backgroundColor, theme.grid),
      fillTo: fillTarget((ds as { fill?: unknown }).fill, i),
    });
  });
  for (const l of lines) l.fillTo = l.fillTo === undefined ? undefined : indexMap.get(l.fillTo);
  const legendOpts = o.plugins?.legend;
  const legend: { label: string; color: string }[] = [];
  const labelOpts = legendOpts?.labels;
  if (legendOpts?.display !== false && labelOpts?.generateLabels) {
    const keep = labelOpts.filter;
    const items = labelOpts.generateLabels(chart).filter((item) => !keep || keep(item, chart.data));
    for (const item of items) if (!item.hidden) legend.push({ label: item.text, color: colorText(item.strokeStyle ?? item.fillStyle, theme.fg) });
  }
  const title = opts.title || (o.plugins?.title?.display ? textOf(o.plugins.title.text) : '');
  const axisTitle = (s: Scale | undefined) => {
    const t = (s?.options as { title?: { display?: boolean; text?: unknown } } | undefined)?.title;
    return t?.display ? textOf(t.text) : '';
  };
  return {
    width: chart.width,
    height: chart.height,
    background: background === 'transparent' ? null : theme.bg,
    fg: theme.fg,
    muted: theme.muted,
    grid: theme.grid,
    title,
    xLabel: axisTitle(xScale),
    yLabel: axisTitle(yScale),
    area: { ...chart.chartArea },
    xTicks: ticksOf(xScale),
    yTicks: ticksOf(yScale),
    lines,
    legend,
  };
}

/** A drawn chart.js line chart as an SVG document string. */
export function chartToSvg(chart: Chart, opts: SvgOptions = {}): string {
  return renderLineSvg(svgSpecOfChart(chart, opts));
}
