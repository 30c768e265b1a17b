// Snapshots of a run as the heatmaps use them: grouped by layer (a weight matrix and its bias),
// indexed by step, the effective step sizes coloured and the parameter values for the tooltip.
//
// Kinds (see src-main/store/types.ts): `effective_lr` is coloured; a parameter-value kind (the
// training loop logs it as `param`) feeds the tooltip when present.
import type { Snapshot } from '../api/protocol.ts';

export const EFFECTIVE_KIND = 'effective_lr';

const HIST_MIN = -45; // log10 of the smallest positive float32 is about −45
const HIST_STEP = 0.02;
const HIST_BINS = Math.ceil(90 / HIST_STEP);
export const VALUE_KINDS = ['param', 'value', 'params'];

export interface SnapshotLike {
  step: number;
  layer: string;
  kind: string;
  shape: number[];
  originalShape: number[];
  data: Float32Array | null;
}

/** "layers.0.weight" -> { layer: "layers.0", part: "weight" }; a name without a known suffix is its own layer. */
export function splitParamName(name: string): { layer: string; part: 'weight' | 'bias' | 'other' } {
  const m = /^(.*)\.(weight|bias)$/.exec(name);
  return m ? { layer: m[1], part: m[2] as 'weight' | 'bias' } : { layer: name, part: 'other' };
}

export interface LayerInfo {
  layer: string;
  /** The parameter drawn as the matrix (the weight, or the only tensor). */
  matrix: string;
  bias: string | null;
  rows: number;
  cols: number;
  /** True when the stored matrix is a downsampled view of a larger tensor. */
  downsampled: boolean;
  originalShape: number[];
}

export interface HeatmapFrame {
  step: number;
  values: Float32Array;
  paramValues?: Float32Array;
  biasValues?: Float32Array;
  biasParamValues?: Float32Array;
}

function matrixShape(shape: number[]): [number, number] {
  if (shape.length >= 2) return [shape[0], shape.slice(1).reduce((a, b) => a * b, 1)];
  return [1, shape[0] ?? 1];
}

/**
 * Snapshots by (step, param name, kind), with the layers they describe and the steps they cover.
 * At most `maxSteps` steps are kept (a live run adds steps for as long as it trains): past that
 * the kept steps thin out evenly — those whose arrival number is a multiple of a stride that
 * doubles each time they would not fit — and the newest step always stays.
 */
export class SnapshotIndex {
  constructor(readonly maxSteps = Infinity) {
    if (!(maxSteps >= 2)) throw new RangeError(`maxSteps must be at least 2 (the first and the newest step), got ${maxSteps}`);
  }

  private readonly byKey = new Map<string, SnapshotLike>();
  /** Each step's keys in byKey and its arrival number. */
  private readonly stepInfo = new Map<number, { keys: Set<string>; ordinal: number }>();
  private arrivals = 0;
  private stride = 1;
  private newest: number | null = null;
  /** Steps dropped to stay within maxSteps. */
  dropped = 0;
  private readonly stepSet = new Set<number>();
  private sortedSteps: number[] | null = [];
  private readonly layerMap = new Map<string, LayerInfo>();
  /** Weight + bias arrays joined once per (layer, step): the percentile chart caches by array identity. */
  private readonly joined = new Map<string, Float32Array>();
  /** Smallest and largest positive finite effective step seen. */
  range: { lo: number; hi: number } | null = null;
  /** Counts of log10 effective steps of every snapshot, in bins of HIST_STEP decades (for percentiles). */
  private readonly hist = new Float64Array(HIST_BINS);
  private histTotal = 0;
  version = 0;

  private key(step: number, name: string, kind: string): string {
    return `${step}\u0000${name}\u0000${kind}`;
  }

  /** Forgets every snapshot (the version still only grows, so views keyed on it redraw). */
  clear(): void {
    this.byKey.clear();
    this.stepInfo.clear();
    this.arrivals = 0;
    this.stride = 1;
    this.newest = null;
    this.dropped = 0;
    this.stepSet.clear();
    this.sortedSteps = [];
    this.layerMap.clear();
    this.joined.clear();
    this.range = null;
    this.hist.fill(0);
    this.histTotal = 0;
    this.version++;
  }

  add(s: SnapshotLike | Snapshot): void {
    if (!s.data) return;
    const key = this.key(s.step, s.layer, s.kind);
    this.byKey.set(key, s);
    this.noteStep(s.step).keys.add(key);
    if (s.kind === EFFECTIVE_KIND) {
      if (!this.stepSet.has(s.step)) {
        this.stepSet.add(s.step);
        this.sortedSteps = null;
      }
      this.noteLayer(s);
      this.extend(s.data);
    }
    this.version++;
  }

  private noteStep(step: number): { keys: Set<string>; ordinal: number } {
    let info = this.stepInfo.get(step);
    if (info) return info;
    info = { keys: new Set(), ordinal: this.arrivals++ };
    this.stepInfo.set(step, info);
    // The previous newest step was kept for being the newest only: off the stride, it goes now.
    const prev = this.newest;
    if (prev !== null && this.stepInfo.get(prev)!.ordinal % this.stride !== 0) this.removeStep(prev);
    this.newest = step;
    while (this.stepInfo.size > this.maxSteps) {
      this.stride *= 2;
      for (const [k, i] of [...this.stepInfo]) if (k !== step && i.ordinal % this.stride !== 0) this.removeStep(k);
    }
    return info;
  }

  private removeStep(step: number): void {
    const info = this.stepInfo.get(step);
    if (!info) return;
    for (const key of info.keys) this.byKey.delete(key);
    this.stepInfo.delete(step);
    if (this.stepSet.delete(step)) this.sortedSteps = null;
    for (const layer of this.layerMap.keys()) this.joined.delete(`${layer}\u0000${step}`);
    this.dropped++;
    this.version++;
  }

  private noteLayer(s: SnapshotLike): void {
    const { layer, part } = splitParamName(s.layer);
    const info = this.layerMap.get(layer) ?? { layer, matrix: s.layer, bias: null, rows: 1, cols: 1, downsampled: false, originalShape: s.originalShape };
    if (part === 'bias') info.bias = s.layer;
    else {
      info.matrix = s.layer;
      [info.rows, info.cols] = matrixShape(s.shape);
      info.downsampled = s.shape.join('x') !== s.originalShape.join('x');
      info.originalShape = s.originalShape;
    }
    if (part === 'bias' && !this.layerMap.has(layer)) [info.rows, info.cols] = [s.shape[0] ?? 1, 1];
    this.layerMap.set(layer, info);
  }

  private extend(data: Float32Array): void {
    let lo = this.range?.lo ?? Infinity;
    let hi = this.range?.hi ?? -Infinity;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v > 0 && v < Infinity) {
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        // bin k holds log10 v in [HIST_MIN + k·HIST_STEP, HIST_MIN + (k+1)·HIST_STEP)
        const k = Math.floor((Math.log10(v) - HIST_MIN) / HIST_STEP);
        this.hist[k < 0 ? 0 : k >= HIST_BINS ? HIST_BINS - 1 : k]++;
        this.histTotal++;
      }
    }
    if (lo <= hi) this.range = { lo, hi };
  }

  /**
   * A colour range that outliers do not stretch: the p-th and (100−p)-th percentiles of every
   * effective step seen, to HIST_STEP decades (within [range.lo, range.hi]); null before any.
   */
  robustRange(p = 1): { lo: number; hi: number } | null {
    if (!this.range || this.histTotal === 0) return null;
    const at = (q: number): number => {
      const target = q * this.histTotal;
      let seen = 0;
      for (let k = 0; k < HIST_BINS; k++) {
        seen += this.hist[k];
        if (seen >= target) return 10 ** (HIST_MIN + (k + 0.5) * HIST_STEP);
      }
      return this.range!.hi;
    };
    const lo = Math.max(this.range.lo, at(p / 100));
    const hi = Math.min(this.range.hi, at(1 - p / 100));
    return hi > lo ? { lo, hi } : { ...this.range };
  }

  /** Steps with effective-step snapshots, ascending. */
  steps(): number[] {
    this.sortedSteps ??= [...this.stepSet].sort((a, b) => a - b);
    return this.sortedSteps;
  }

  /** Layers in name order ("layers.0" before "layers.1", numerically). */
  layers(): LayerInfo[] {
    return [...this.layerMap.values()].sort((a, b) => a.layer.localeCompare(b.layer, undefined, { numeric: true }));
  }

  private get(step: number, name: string | null, kinds: string[]): Float32Array | undefined {
    if (!name) return undefined;
    for (const k of kinds) {
      const s = this.byKey.get(this.key(step, name, k));
      if (s?.data) return s.data;
    }
    return undefined;
  }

  /**
   * A bias of the tensor's R rows on the r rows of its downsampled weight: block means over the
   * same row blocks as the weight's (core/train/downsample.ts); as it is when it already fits.
   */
  private fitBias(bias: Float32Array | undefined, rows: number): Float32Array | undefined {
    if (!bias || bias.length === rows) return bias;
    if (bias.length < rows) return undefined;
    let out = this.fitted.get(bias);
    if (!out) {
      out = new Float32Array(rows);
      const R = bias.length;
      for (let i = 0; i < rows; i++) {
        const a = Math.floor((i * R) / rows);
        const b = Math.floor(((i + 1) * R) / rows);
        let sum = 0;
        for (let k = a; k < b; k++) sum += bias[k];
        out[i] = sum / (b - a);
      }
      this.fitted.set(bias, out);
    }
    return out;
  }

  private readonly fitted = new WeakMap<Float32Array, Float32Array>();

  /** What the heatmap of `layer` shows at `step` (undefined when that step has no snapshot of it). */
  frame(layer: LayerInfo, step: number): HeatmapFrame | undefined {
    const values = this.get(step, layer.matrix, [EFFECTIVE_KIND]);
    if (!values || values.length !== layer.rows * layer.cols) return undefined;
    const biasValues = this.fitBias(this.get(step, layer.bias, [EFFECTIVE_KIND]), layer.rows);
    const paramValues = this.get(step, layer.matrix, VALUE_KINDS);
    const biasParamValues = this.fitBias(this.get(step, layer.bias, VALUE_KINDS), layer.rows);
    return {
      step,
      values,
      paramValues: paramValues?.length === values.length ? paramValues : undefined,
      biasValues: biasValues?.length === layer.rows ? biasValues : undefined,
      biasParamValues: biasValues && biasParamValues?.length === layer.rows ? biasParamValues : undefined,
    };
  }

  /**
   * The frame of `layer` at `step`, or else at the latest earlier step that has it (a step's
   * snapshots of several layers may arrive in separate batches while a run trains).
   */
  frameAtOrBefore(layer: LayerInfo, step: number): HeatmapFrame | undefined {
    const steps = this.steps();
    let k = steps.length - 1;
    while (k >= 0 && steps[k] > step) k--;
    for (; k >= 0; k--) {
      const f = this.frame(layer, steps[k]);
      if (f) return f;
    }
    return undefined;
  }

  /** Per step, every effective step size of the layer (weight and bias together), for the percentile bands. */
  distribution(layer: LayerInfo): { step: number; values: Float32Array }[] {
    const out: { step: number; values: Float32Array }[] = [];
    for (const step of this.steps()) {
      const w = this.get(step, layer.matrix, [EFFECTIVE_KIND]);
      if (!w) continue;
      const b = this.get(step, layer.bias, [EFFECTIVE_KIND]);
      if (!b) {
        out.push({ step, values: w });
        continue;
      }
      const key = `${layer.layer}\u0000${step}`;
      let all = this.joined.get(key);
      if (!all || all.length !== w.length + b.length) {
        all = new Float32Array(w.length + b.length);
        all.set(w);
        all.set(b, w.length);
        this.joined.set(key, all);
      }
      out.push({ step, values: all });
    }
    return out;
  }

  /** The step of `steps()` nearest to `step`. */
  nearestStep(step: number): number | undefined {
    const s = this.steps();
    if (s.length === 0) return undefined;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (s[mid] < step) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && step - s[lo - 1] <= s[lo] - step ? s[lo - 1] : s[lo];
  }
}
