// Perceptual colormaps (matplotlib's viridis and magma, as tabulated by d3-scale-chromatic) as
// 256-entry RGB lookup tables, and the log-scaled colour mapping of the heatmaps.
import { interpolateMagma, interpolateViridis } from 'd3-scale-chromatic';

export type ColormapName = 'viridis' | 'magma';

export interface Colormap {
  name: ColormapName;
  /** 256 × RGB, entry k for t = k / 255. */
  lut: Uint8Array;
  /** The colour of non-finite and ≤ 0 values: far from every colour of the map. */
  invalid: [number, number, number];
}

const cache = new Map<ColormapName, Colormap>();

export function colormap(name: ColormapName): Colormap {
  let cm = cache.get(name);
  if (!cm) {
    const interp = name === 'viridis' ? interpolateViridis : interpolateMagma;
    const lut = new Uint8Array(256 * 3);
    for (let k = 0; k < 256; k++) {
      const [r, g, b] = parseRgb(interp(k / 255));
      lut.set([r, g, b], 3 * k);
    }
    // viridis spans purple→yellow with no red; magma spans black→pale yellow with no green.
    cm = { name, lut, invalid: name === 'viridis' ? [230, 30, 60] : [0, 200, 120] };
    cache.set(name, cm);
  }
  return cm;
}

/** d3 colour strings are "#rrggbb" or "rgb(r, g, b)". */
export function parseRgb(css: string): [number, number, number] {
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const n = parseInt(hex[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`unrecognised colour "${css}"`);
}

export function rgbCss([r, g, b]: readonly number[]): string {
  return `rgb(${r}, ${g}, ${b})`;
}

/** A log10 colour scale over [lo, hi] (both > 0). */
export interface LogRange {
  lo: number;
  hi: number;
}

/** The finite, strictly positive extent of the given arrays, or null when there is none. */
export function positiveExtent(...arrays: (ArrayLike<number> | undefined)[]): LogRange | null {
  let lo = Infinity;
  let hi = -Infinity;
  for (const a of arrays) {
    if (!a) continue;
    for (let i = 0; i < a.length; i++) {
      const v = a[i];
      if (v > 0 && v < Infinity) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    }
  }
  return lo <= hi ? { lo, hi } : null;
}

/**
 * Position of v on the scale: t = (log10 v − log10 lo) / (log10 hi − log10 lo), clamped to [0, 1];
 * NaN for non-finite or ≤ 0 values. A degenerate range (lo = hi) maps every valid value to 0.5.
 */
export function logPosition(v: number, range: LogRange): number {
  if (!(v > 0 && v < Infinity)) return NaN;
  const a = Math.log10(range.lo);
  const span = Math.log10(range.hi) - a;
  if (!(span > 0)) return 0.5;
  const t = (Math.log10(v) - a) / span;
  return t < 0 ? 0 : t > 1 ? 1 : t;
}

/** The RGB of one value. */
export function colorOf(v: number, range: LogRange, cm: Colormap): [number, number, number] {
  const t = logPosition(v, range);
  if (Number.isNaN(t)) return cm.invalid;
  const k = 3 * Math.round(t * 255);
  return [cm.lut[k], cm.lut[k + 1], cm.lut[k + 2]];
}

/** Fills an RGBA buffer (e.g. ImageData.data) with the colours of `values`, one pixel per value. */
export function fillRgba(values: ArrayLike<number>, range: LogRange, cm: Colormap, out: Uint8ClampedArray): void {
  if (out.length < values.length * 4) throw new RangeError(`RGBA buffer holds ${out.length / 4} pixels, need ${values.length}`);
  const a = Math.log10(range.lo);
  const span = Math.log10(range.hi) - a;
  const lut = cm.lut;
  const [ir, ig, ib] = cm.invalid;
  for (let i = 0, o = 0; i < values.length; i++, o += 4) {
    const v = values[i];
    if (v > 0 && v < Infinity) {
      // k = round(255 · clamp((log10 v − log10 lo) / span)), exactly as logPosition + colorOf.
      let t = span > 0 ? (Math.log10(v) - a) / span : 0.5;
      t = t < 0 ? 0 : t > 1 ? 1 : t;
      const k = 3 * Math.round(t * 255);
      out[o] = lut[k];
      out[o + 1] = lut[k + 1];
      out[o + 2] = lut[k + 2];
    } else {
      out[o] = ir;
      out[o + 1] = ig;
      out[o + 2] = ib;
    }
    out[o + 3] = 255;
  }
}
