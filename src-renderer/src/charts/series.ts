// Full-resolution storage of one plotted series (every point ever appended), its smoothed copy,
// and the incremental display decimation of both. Nothing here touches the DOM or chart.js.
import { IncrementalEma, clampSmoothingWeight } from './smoothing.ts';
import { MinMaxDecimator } from './decimate.ts';

/** One logged point. `epoch` may be fractional; `time` is wall-clock seconds (the caller picks the origin). */
export interface LivePoint {
  step: number;
  value: number;
  epoch?: number;
  time?: number;
}

/** Many points at once, column by column (all columns the same length). */
export interface PointColumns {
  step: ArrayLike<number>;
  value: ArrayLike<number>;
  epoch?: ArrayLike<number>;
  time?: ArrayLike<number>;
}

export type XKey = 'step' | 'epoch' | 'time';

/** A growable Float64Array. */
class Column {
  data: Float64Array;
  length = 0;
  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = v;
  }
  /** Makes room for `n` values; returns the backing array (valid until the next grow). */
  grow(n: number): Float64Array {
    if (n > this.data.length) {
      const next = new Float64Array(Math.max(n, this.data.length * 2));
      next.set(this.data.subarray(0, this.length));
      this.data = next;
    }
    return this.data;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export class SeriesData {
  readonly step = new Column();
  readonly value = new Column();
  readonly smoothed = new Column();
  /** Allocated only once a point carries that field; missing entries are NaN. */
  epoch: Column | null = null;
  time: Column | null = null;
  private ema: IncrementalEma;
  private readonly rawDecimator: MinMaxDecimator;
  private readonly smoothDecimator: MinMaxDecimator;

  /** rawChunks: the raw line's own budget (it is drawn faint behind the smoothed one, so may be coarser). */
  constructor(smoothingWeight = 0, maxChunks = 512, rawChunks = maxChunks) {
    this.ema = new IncrementalEma(smoothingWeight);
    this.rawDecimator = new MinMaxDecimator(rawChunks);
    this.smoothDecimator = new MinMaxDecimator(maxChunks);
  }

  get length(): number {
    return this.value.length;
  }

  get smoothingWeight(): number {
    return this.ema.weight;
  }

  appendPoint(p: LivePoint): void {
    this.append(p.step, p.value, p.epoch, p.time);
  }

  private append(step: number, value: number, epoch: number | undefined, time: number | undefined): void {
    const i = this.value.length;
    this.step.push(step);
    this.value.push(value);
    if (epoch !== undefined) (this.epoch ??= this.nanColumn(i)).push(epoch);
    else this.epoch?.push(NaN);
    if (time !== undefined) (this.time ??= this.nanColumn(i)).push(time);
    else this.time?.push(NaN);
    this.afterAppend(i);
  }

  appendColumns(cols: PointColumns): void {
    const n = cols.value.length;
    if (cols.step.length !== n) throw new RangeError(`step has ${cols.step.length} entries, value has ${n}`);
    for (const key of ['epoch', 'time'] as const) {
      const c = cols[key];
      if (c && c.length !== n) throw new RangeError(`${key} has ${c.length} entries, value has ${n}`);
    }
    // Copied column by column; a column this series has but `cols` lacks gets NaN there.
    const start = this.value.length;
    const end = start + n;
    this.step.grow(end).set(cols.step, start);
    this.value.grow(end).set(cols.value, start);
    this.step.length = this.value.length = end;
    for (const key of ['epoch', 'time'] as const) {
      const given = cols[key];
      if (!given && !this[key]) continue;
      const col = (this[key] ??= this.nanColumn(start));
      const data = col.grow(end);
      if (given) data.set(given, start);
      else data.fill(NaN, start, end);
      col.length = end;
    }
    this.afterAppendRange(start, end);
  }

  private nanColumn(length: number): Column {
    const c = new Column(Math.max(1024, this.step.data.length));
    c.grow(length).fill(NaN, 0, length);
    c.length = length;
    return c;
  }

  private afterAppend(i: number): void {
    this.afterAppendRange(i, i + 1);
  }

  /** Feeds the points [start, end) to the raw decimator, the EMA and the smoothed decimator. */
  private afterAppendRange(start: number, end: number): void {
    const values = this.value.data;
    this.rawDecimator.pushRange(values, end);
    this.smoothed.grow(end);
    this.smoothed.length = end;
    const smoothed = this.smoothed.data;
    const from = this.ema.pushRange(values, end, smoothed);
    if (from < start) this.smoothDecimator.reset();
    this.smoothDecimator.pushRange(smoothed, end);
  }

  /** Recomputes the smoothed column for a new weight (O(n), once per change). */
  setSmoothingWeight(weight: number): void {
    const w = clampSmoothingWeight(weight);
    if (w === this.ema.weight) return;
    this.ema = new IncrementalEma(w);
    this.smoothDecimator.reset();
    const n = this.value.length;
    this.ema.pushRange(this.value.data, n, this.smoothed.data);
    this.smoothDecimator.pushRange(this.smoothed.data, n);
  }

  clear(): void {
    this.step.length = this.value.length = this.smoothed.length = 0;
    this.epoch = this.time = null;
    this.ema = new IncrementalEma(this.ema.weight);
    this.rawDecimator.reset();
    this.smoothDecimator.reset();
  }

  /** The x column for an axis choice (NaN where the point did not carry that field). */
  x(key: XKey): Float64Array {
    if (key === 'step') return this.step.view();
    const col = key === 'epoch' ? this.epoch : this.time;
    return col ? col.view() : new Float64Array(this.length).fill(NaN);
  }

  /** The decimated points for display: {x, y} objects, at most 4 · maxChunks of them. */
  displayPoints(key: XKey, which: 'raw' | 'smoothed', logY: boolean, scratch: { buffer: Int32Array }): { x: number; y: number }[] {
    const dec = which === 'raw' ? this.rawDecimator : this.smoothDecimator;
    const ys = which === 'raw' ? this.value.data : this.smoothed.data;
    const col = key === 'step' ? this.step : key === 'epoch' ? this.epoch : this.time;
    const xs = col ? col.data : null; // a missing column: every x is NaN (nothing to draw on that axis)
    const n = dec.indices(scratch);
    const idx = scratch.buffer;
    const out = new Array<{ x: number; y: number }>(n);
    for (let k = 0; k < n; k++) {
      const i = idx[k];
      const y = ys[i];
      // chart.js draws NaN as a gap; ±Infinity (and ≤0 on a log axis) cannot be drawn either.
      out[k] = { x: xs ? xs[i] : NaN, y: Number.isFinite(y) && (!logY || y > 0) ? y : NaN };
    }
    return out;
  }
}
