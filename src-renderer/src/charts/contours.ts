// The 2-D playground's picture as a plain scene: contour lines of f over a box (d3-contour on a
// sampled grid, log-spaced levels), optimizer paths, start and minimum markers, axes and legend.
// The ContourPlot component renders the scene as live SVG; sceneToSvg writes the same scene as
// a standalone SVG document for export.
import { contours } from 'd3-contour';
import { escapeXml, formatNumber } from './format.ts';
import { linearTicks } from './ticks.ts';

export interface Box {
  xMin: number;
  xMax: number;
  yMin: number;
  yMax: number;
}

export interface OptimizerPath {
  id: string;
  /** e.g. "Adam". */
  label: string;
  lr: number;
  color?: string;
  /** Without a colour: the theme's series colour of this index (default: the path's position), so a light-background export re-colours it too. */
  colorIndex?: number;
  /** Iterates in order, points[0] being the start. */
  points: readonly (readonly [number, number])[];
  /**
   * The step after which the path was stopped as diverged (its last point, points[divergedAt]),
   * e.g. because it left far outside the window; a non-finite point counts as diverged anyway.
   */
  divergedAt?: number | null;
}

/**
 * Samples f on an nx × ny grid of cell centres, row 0 at the top (y = yMax) as d3-contour and SVG
 * expect: value[j·nx + i] = f(xMin + (i+½)/nx·(xMax−xMin), yMax − (j+½)/ny·(yMax−yMin)).
 */
export function sampleGrid(f: (x: number, y: number) => number, box: Box, nx: number, ny: number): Float64Array {
  const out = new Float64Array(nx * ny);
  const dx = (box.xMax - box.xMin) / nx;
  const dy = (box.yMax - box.yMin) / ny;
  for (let j = 0; j < ny; j++) {
    const y = box.yMax - (j + 0.5) * dy;
    for (let i = 0; i < nx; i++) out[j * nx + i] = f(box.xMin + (i + 0.5) * dx, y);
  }
  return out;
}

/**
 * Log-spaced contour levels above the grid's minimum: level_k = fmin + R·10^(−d + d·k/(n−1)),
 * R = fmax − fmin, for k = 0…n−1, so levels crowd near the minimum where the interesting
 * geometry (a narrow valley) is. Works for functions that go negative (a saddle).
 */
export function logLevels(values: ArrayLike<number>, count = 18, decades = 4): number[] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const range = hi - lo;
  if (!(range > 0) || count < 1) return [];
  const levels: number[] = [];
  for (let k = 0; k < count; k++) {
    const e = count === 1 ? 0 : -decades + (decades * k) / (count - 1);
    levels.push(lo + range * 10 ** e);
  }
  return levels.slice(0, -1).concat(lo + range * 0.999);
}

export interface PlotArea {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** data → pixel maps for a box drawn in an area (y up). */
export function boxScales(box: Box, a: PlotArea): { px: (x: number) => number; py: (y: number) => number } {
  const sx = (a.right - a.left) / (box.xMax - box.xMin);
  const sy = (a.bottom - a.top) / (box.yMax - box.yMin);
  return { px: (x) => a.left + (x - box.xMin) * sx, py: (y) => a.bottom - (y - box.yMin) * sy };
}

/** pixel → data, the inverse of boxScales: x = xMin + (px − left)/sx, y = yMin + (bottom − py)/sy; null outside the area. */
export function pixelToData(box: Box, a: PlotArea, px: number, py: number): [number, number] | null {
  if (!(px >= a.left && px <= a.right && py >= a.top && py <= a.bottom)) return null;
  return [box.xMin + ((px - a.left) / (a.right - a.left)) * (box.xMax - box.xMin), box.yMin + ((a.bottom - py) / (a.bottom - a.top)) * (box.yMax - box.yMin)];
}

const r2 = (v: number): string => String(Math.round(v * 100) / 100);

/**
 * d3-contour MultiPolygons (grid coordinates) → SVG path data in the plot area, as open lines.
 * d3-contour returns the filled region f ≥ level, whose rings run along the grid's border where
 * the region touches it; those border edges are not part of the level line and are left out.
 */
export function contourPathData(values: ArrayLike<number>, nx: number, ny: number, levels: readonly number[], a: PlotArea): { level: number; d: string }[] {
  // d3-contour wants finite numbers; overflowing samples are far above every level anyway.
  const clean = Array.from(values, (v) => (Number.isFinite(v) ? v : Number.MAX_VALUE));
  const sx = (a.right - a.left) / nx;
  const sy = (a.bottom - a.top) / ny;
  // An edge between two border points (including the cut corners of the grid) is border, not level line.
  const border = (p: number[]) => p[0] <= 0 || p[0] >= nx || p[1] <= 0 || p[1] >= ny;
  const onBorder = (p: number[], q: number[]) => border(p) && border(q);
  return contours()
    .size([nx, ny])
    .thresholds(levels as number[])(clean)
    .map((mp) => {
      let d = '';
      for (const polygon of mp.coordinates) {
        for (const ring of polygon) {
          let pen = false;
          for (let k = 1; k < ring.length; k++) {
            const p = ring[k - 1];
            const q = ring[k];
            if (onBorder(p, q)) {
              pen = false;
              continue;
            }
            if (!pen) d += `M${r2(a.left + p[0] * sx)} ${r2(a.top + p[1] * sy)}`;
            d += `L${r2(a.left + q[0] * sx)} ${r2(a.top + q[1] * sy)}`;
            pen = true;
          }
        }
      }
      return { level: mp.value, d };
    })
    .filter((c) => c.d.length > 0);
}

export interface SceneTheme {
  bg: string | null;
  fg: string;
  muted: string;
  grid: string;
  panel: string;
  series: string[];
}

export interface ScenePath {
  id: string;
  label: string;
  color: string;
  /** Polyline of the visible iterates (pixel coordinates). */
  d: string;
  /** The visible iterates in pixels (the legend goes where they are fewest). */
  points: [number, number][];
  markers: [number, number][];
  head: [number, number] | null;
  /** The path reached a non-finite iterate or its divergedAt step (drawn up to the last finite one). */
  diverged: boolean;
  /** Where the diverged marker goes: the last drawn iterate, pulled into the plot area if it lies outside. */
  divergedMarker: [number, number] | null;
  visibleSteps: number;
}

export interface ContourScene {
  width: number;
  height: number;
  area: PlotArea;
  theme: SceneTheme;
  title: string;
  levels: { level: number; d: string }[];
  paths: ScenePath[];
  start: [number, number] | null;
  minima: [number, number][];
  xTicks: { pos: number; label: string }[];
  yTicks: { pos: number; label: string }[];
  xLabel: string;
  yLabel: string;
  legend: { label: string; color: string; diverged: boolean; /** e.g. " (diverged at step 40)", or "". */ note: string }[];
}

export interface SceneInput {
  width: number;
  height: number;
  box: Box;
  /** Grid samples from sampleGrid and the contour levels (both computed once per surface). */
  contours: { level: number; d: string }[];
  paths: readonly OptimizerPath[];
  /** Steps shown per path: iterates 0…visibleSteps. */
  visibleSteps: number;
  start?: readonly [number, number] | null;
  minima?: readonly (readonly [number, number])[];
  title?: string;
  xLabel?: string;
  yLabel?: string;
  /** Draw a marker at every visible iterate while a path has at most this many. */
  maxMarkers?: number;
}

export const CONTOUR_MARGIN = { left: 48, right: 12, top: 28, bottom: 36 };

export function plotArea(width: number, height: number): PlotArea {
  const m = CONTOUR_MARGIN;
  return { left: m.left, top: m.top, right: width - m.right, bottom: height - m.bottom };
}

// Far-away iterates of a diverging path are clamped (they lie outside the clip area anyway) so the
// SVG never carries coordinates like 1e300.
const clampPx = (v: number): number => Math.max(-1e5, Math.min(1e5, v));

export function buildContourScene(input: SceneInput, theme: SceneTheme): ContourScene {
  const area = plotArea(input.width, input.height);
  const { px, py } = boxScales(input.box, area);
  const maxMarkers = input.maxMarkers ?? 300;
  const paths = input.paths.map((p, k): ScenePath => {
    const color = p.color ?? theme.series[(p.colorIndex ?? k) % theme.series.length];
    const pts: [number, number][] = [];
    let diverged = false;
    const last = Math.min(p.points.length - 1, Math.max(0, input.visibleSteps));
    for (let s = 0; s <= last; s++) {
      const [x, y] = p.points[s];
      if (!Number.isFinite(x) || !Number.isFinite(y)) {
        diverged = true;
        break;
      }
      pts.push([clampPx(px(x)), clampPx(py(y))]);
    }
    if (p.divergedAt != null && last >= p.divergedAt) diverged = true;
    const d = pts.map(([x, y], s) => `${s === 0 ? 'M' : 'L'}${r2(x)} ${r2(y)}`).join('');
    const end = pts.at(-1);
    const inset = 6;
    const divergedMarker: [number, number] | null =
      diverged && end ? [Math.max(area.left + inset, Math.min(area.right - inset, end[0])), Math.max(area.top + inset, Math.min(area.bottom - inset, end[1]))] : null;
    return { id: p.id, label: p.label, color, d, points: pts, markers: pts.length <= maxMarkers ? pts : [], head: end ?? null, diverged, divergedMarker, visibleSteps: Math.max(0, pts.length - 1) };
  });
  const startPt = input.start ?? input.paths[0]?.points[0] ?? null;
  const fmt = (v: number) => formatNumber(v, 3);
  return {
    width: input.width,
    height: input.height,
    area,
    theme,
    title: input.title ?? '',
    levels: input.contours,
    paths,
    start: startPt ? [px(startPt[0]), py(startPt[1])] : null,
    minima: (input.minima ?? []).map(([x, y]) => [px(x), py(y)]),
    xTicks: linearTicks(input.box.xMin, input.box.xMax, 6).map((v) => ({ pos: px(v), label: fmt(v) })),
    yTicks: linearTicks(input.box.yMin, input.box.yMax, 5).map((v) => ({ pos: py(v), label: fmt(v) })),
    xLabel: input.xLabel ?? 'x',
    yLabel: input.yLabel ?? 'y',
    legend: paths.map((p, k) => {
      const at = input.paths[k].divergedAt;
      const note = p.diverged ? (at != null ? ` (diverged at step ${at})` : ' (diverged)') : '';
      return { label: `${p.label}  lr=${formatNumber(input.paths[k].lr, 3)}`, color: p.color, diverged: p.diverged, note };
    }),
  };
}

/** Path data of a 4-pointed star marker (minimum) centred at (x, y). */
export function starPath(x: number, y: number, r = 7): string {
  const pts: string[] = [];
  for (let k = 0; k < 8; k++) {
    const a = (Math.PI / 4) * k - Math.PI / 2;
    const rr = k % 2 === 0 ? r : r * 0.38;
    pts.push(`${r2(x + rr * Math.cos(a))} ${r2(y + rr * Math.sin(a))}`);
  }
  return `M${pts.join('L')}Z`;
}

/** A ✕ marker (two strokes) of half-size r centred at (x, y): where a diverged path ran away. */
export function crossPath(x: number, y: number, r = 5): string {
  return `M${r2(x - r)} ${r2(y - r)}L${r2(x + r)} ${r2(y + r)}M${r2(x - r)} ${r2(y + r)}L${r2(x + r)} ${r2(y - r)}`;
}

/**
 * Legend box geometry shared by the component and the exporter: in the corner of the plot area
 * that covers the fewest iterates, the start and the minima (top right when tied).
 */
export function legendLayout(scene: ContourScene): { x: number; y: number; w: number; h: number; rowH: number } {
  const rowH = 16;
  const w = 30 + 7 * Math.max(0, ...scene.legend.map((l) => l.label.length + l.note.length));
  const h = rowH * scene.legend.length + 8;
  const a = scene.area;
  const corners = [
    { x: a.right - w - 8, y: a.top + 8 },
    { x: a.left + 8, y: a.top + 8 },
    { x: a.right - w - 8, y: a.bottom - h - 8 },
    { x: a.left + 8, y: a.bottom - h - 8 },
  ];
  const marks = [...scene.paths.flatMap((p) => p.points), ...(scene.start ? [scene.start] : []), ...scene.minima];
  // The start and minima count as much as a whole path: hiding them hides what the plot is about.
  const weight = (k: number) => (k >= marks.length - (scene.start ? 1 : 0) - scene.minima.length ? 1000 : 1);
  const covered = (c: { x: number; y: number }) => marks.reduce((n, [px, py], k) => n + (px >= c.x - 6 && px <= c.x + w + 6 && py >= c.y - 6 && py <= c.y + h + 6 ? weight(k) : 0), 0);
  let best = corners[0];
  let bestCount = covered(best);
  for (const c of corners.slice(1)) {
    const n = covered(c);
    if (n < bestCount) [best, bestCount] = [c, n];
  }
  return { x: best.x, y: best.y, w, h, rowH };
}

/** The scene as a standalone SVG document (same elements as the ContourPlot component). */
export function sceneToSvg(s: ContourScene): string {
  const t = s.theme;
  const a = s.area;
  const o: string[] = [];
  o.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${s.width}" height="${s.height}" viewBox="0 0 ${s.width} ${s.height}" font-family="system-ui, sans-serif" font-size="12">`);
  if (t.bg) o.push(`<rect width="${s.width}" height="${s.height}" fill="${escapeXml(t.bg)}"/>`);
  o.push(`<defs><clipPath id="pl-contour-clip"><rect x="${a.left}" y="${a.top}" width="${r2(a.right - a.left)}" height="${r2(a.bottom - a.top)}"/></clipPath></defs>`);
  o.push(`<g clip-path="url(#pl-contour-clip)">`);
  o.push(`<g class="pl-contour-levels" fill="none" stroke="${escapeXml(t.muted)}" stroke-opacity="0.55" stroke-width="0.8">`);
  for (const l of s.levels) o.push(`<path d="${l.d}"><title>f = ${escapeXml(formatNumber(l.level))}</title></path>`);
  o.push('</g>');
  o.push('<g class="pl-contour-paths" fill="none" stroke-linejoin="round">');
  for (const p of s.paths) {
    o.push(`<g class="pl-contour-path" data-id="${escapeXml(p.id)}">`);
    if (p.d) o.push(`<path d="${p.d}" stroke="${escapeXml(p.color)}" stroke-width="1.75"/>`);
    for (const [x, y] of p.markers) o.push(`<circle cx="${r2(x)}" cy="${r2(y)}" r="2" fill="${escapeXml(p.color)}"/>`);
    if (p.head) o.push(`<circle cx="${r2(p.head[0])}" cy="${r2(p.head[1])}" r="4" fill="${escapeXml(p.color)}" stroke="${escapeXml(t.fg)}" stroke-width="1"/>`);
    if (p.divergedMarker) o.push(`<path class="pl-contour-diverged" d="${crossPath(p.divergedMarker[0], p.divergedMarker[1])}" stroke="${escapeXml(p.color)}" stroke-width="3" stroke-linecap="round"/>`);
    o.push('</g>');
  }
  o.push('</g>');
  for (const [x, y] of s.minima) o.push(`<path class="pl-contour-minimum" d="${starPath(x, y)}" fill="${escapeXml(t.fg)}"/>`);
  if (s.start) o.push(`<circle class="pl-contour-start" cx="${r2(s.start[0])}" cy="${r2(s.start[1])}" r="5" fill="none" stroke="${escapeXml(t.fg)}" stroke-width="2"/>`);
  o.push('</g>');
  o.push(`<rect x="${a.left}" y="${a.top}" width="${r2(a.right - a.left)}" height="${r2(a.bottom - a.top)}" fill="none" stroke="${escapeXml(t.grid)}"/>`);
  o.push(`<g class="ticks" fill="${escapeXml(t.muted)}">`);
  for (const k of s.xTicks) o.push(`<text x="${r2(k.pos)}" y="${r2(a.bottom + 16)}" text-anchor="middle">${escapeXml(k.label)}</text>`);
  for (const k of s.yTicks) o.push(`<text x="${r2(a.left - 6)}" y="${r2(k.pos + 4)}" text-anchor="end">${escapeXml(k.label)}</text>`);
  o.push('</g>');
  o.push(`<g fill="${escapeXml(t.fg)}">`);
  o.push(`<text x="${r2((a.left + a.right) / 2)}" y="${r2(s.height - 6)}" text-anchor="middle">${escapeXml(s.xLabel)}</text>`);
  o.push(`<text x="12" y="${r2((a.top + a.bottom) / 2)}" text-anchor="middle" transform="rotate(-90 12 ${r2((a.top + a.bottom) / 2)})">${escapeXml(s.yLabel)}</text>`);
  if (s.title) o.push(`<text x="${r2(a.left)}" y="18" font-size="14" font-weight="bold">${escapeXml(s.title)}</text>`);
  o.push('</g>');
  if (s.legend.length) {
    const L = legendLayout(s);
    o.push(`<g class="legend"><rect x="${r2(L.x)}" y="${r2(L.y)}" width="${r2(L.w)}" height="${r2(L.h)}" rx="4" fill="${escapeXml(t.panel)}" fill-opacity="0.9" stroke="${escapeXml(t.grid)}"/>`);
    s.legend.forEach((item, k) => {
      const y = L.y + 4 + L.rowH * k + L.rowH / 2;
      o.push(`<line x1="${r2(L.x + 6)}" x2="${r2(L.x + 22)}" y1="${r2(y)}" y2="${r2(y)}" stroke="${escapeXml(item.color)}" stroke-width="2.5"/>`);
      o.push(`<text x="${r2(L.x + 28)}" y="${r2(y + 4)}" fill="${escapeXml(t.fg)}">${escapeXml(item.label + item.note)}</text>`);
    });
    o.push('</g>');
  }
  o.push('</svg>');
  return o.join('\n');
}
