// Display decimation for long line series. The full series is always kept; only what is handed to
// chart.js is thinned.
//
// Why not chart.js's own decimation plugin (checked in the browser tests, chart.js 4.6.1):
// - its 'min-max' mode flushes a pixel column's min/max/last only when the next column starts,
//   so the final column keeps just its first point: when the last column holds more than one
//   point (e.g. a resumed run logging its last step twice) the newest point — and a spike in
//   it — is dropped. It also moves min/max points to the column's mean x.
// - its 'lttb' mode keeps the last point but averages buckets, which can hide a divergence spike;
// - both re-decimate the whole dataset on every chart update (O(n) per frame for 2M points).
// So we decimate ourselves, before chart.js sees the data, incrementally: min, max, first and last
// point of each chunk of consecutive points (the "M4" scheme), which always keeps the first and
// the last point of the series and every chunk's extremes at their true x.

/**
 * Incremental min/max decimation by chunks of consecutive indices. Points are pushed in order;
 * chunks have a power-of-two length that doubles (merging neighbours pairwise, O(chunks)) when
 * the chunk budget is full, so appending is O(1) amortized and output is at most 4 · maxChunks
 * points. NaN values never become a chunk's min or max but stay visible as first/last points.
 */
export class MinMaxDecimator {
  private chunkSize = 1;
  private chunks = 0;
  private count = 0;
  private readonly minIdx: Int32Array;
  private readonly maxIdx: Int32Array;
  private readonly minVal: Float64Array;
  private readonly maxVal: Float64Array;

  constructor(readonly maxChunks = 512) {
    if (!(maxChunks >= 2) || (maxChunks & 1) !== 0) throw new RangeError(`maxChunks must be even and >= 2, got ${maxChunks}`);
    this.minIdx = new Int32Array(maxChunks);
    this.maxIdx = new Int32Array(maxChunks);
    this.minVal = new Float64Array(maxChunks);
    this.maxVal = new Float64Array(maxChunks);
  }

  get length(): number {
    return this.count;
  }

  reset(): void {
    this.chunkSize = 1;
    this.chunks = 0;
    this.count = 0;
  }

  /** Adds the point at index `length` with value y. */
  push(y: number): void {
    const i = this.count;
    if (i === this.chunkSize * this.maxChunks) this.mergePairs();
    const c = Math.floor(i / this.chunkSize);
    if (c === this.chunks) {
      this.chunks++;
      this.minIdx[c] = this.maxIdx[c] = -1;
    }
    if (y === y) {
      if (this.minIdx[c] < 0 || y < this.minVal[c]) {
        this.minIdx[c] = i;
        this.minVal[c] = y;
      }
      if (this.maxIdx[c] < 0 || y > this.maxVal[c]) {
        this.maxIdx[c] = i;
        this.maxVal[c] = y;
      }
    }
    this.count++;
  }

  /** Adds values[length..end) (the same as push for each, with the chunk's state in locals). */
  pushRange(values: ArrayLike<number>, end: number): void {
    let i = this.count;
    while (i < end) {
      if (i === this.chunkSize * this.maxChunks) this.mergePairs();
      const c = Math.floor(i / this.chunkSize);
      if (c === this.chunks) {
        this.chunks++;
        this.minIdx[c] = this.maxIdx[c] = -1;
      }
      // The points of chunk c in this range: up to its end or the range's.
      const stop = Math.min(end, (c + 1) * this.chunkSize);
      let minI = this.minIdx[c];
      let maxI = this.maxIdx[c];
      let minV = this.minVal[c];
      let maxV = this.maxVal[c];
      for (; i < stop; i++) {
        const y = values[i];
        if (y !== y) continue;
        if (minI < 0 || y < minV) {
          minI = i;
          minV = y;
        }
        if (maxI < 0 || y > maxV) {
          maxI = i;
          maxV = y;
        }
      }
      this.minIdx[c] = minI;
      this.maxIdx[c] = maxI;
      this.minVal[c] = minV;
      this.maxVal[c] = maxV;
      this.count = i;
    }
  }

  /** Doubles the chunk size: chunk k becomes the union of old chunks 2k and 2k+1. */
  private mergePairs(): void {
    const half = this.maxChunks / 2;
    for (let k = 0; k < half; k++) {
      const a = 2 * k;
      const b = a + 1;
      const [minI, minV] = pick(this.minIdx[a], this.minVal[a], this.minIdx[b], this.minVal[b], (p, q) => q < p);
      const [maxI, maxV] = pick(this.maxIdx[a], this.maxVal[a], this.maxIdx[b], this.maxVal[b], (p, q) => q > p);
      this.minIdx[k] = minI;
      this.minVal[k] = minV;
      this.maxIdx[k] = maxI;
      this.maxVal[k] = maxV;
    }
    this.chunkSize *= 2;
    this.chunks = half;
  }

  /**
   * The kept indices in increasing order: per chunk its first, min, max and last index. Writes
   * them into `out` (grown if needed) and returns how many there are.
   */
  indices(out: { buffer: Int32Array }): number {
    const need = this.chunks * 4;
    if (out.buffer.length < need) out.buffer = new Int32Array(Math.max(need, out.buffer.length * 2));
    const buf = out.buffer;
    let n = 0;
    for (let c = 0; c < this.chunks; c++) {
      const first = c * this.chunkSize;
      const last = Math.min(first + this.chunkSize, this.count) - 1;
      const lo = this.minIdx[c];
      const hi = this.maxIdx[c];
      const a = lo < hi ? lo : hi;
      const b = lo < hi ? hi : lo;
      buf[n++] = first;
      if (a > first && a < last) buf[n++] = a;
      if (b > first && b < last && b !== a) buf[n++] = b;
      if (last > first) buf[n++] = last;
    }
    return n;
  }
}

function pick(i: number, v: number, j: number, w: number, better: (p: number, q: number) => boolean): [number, number] {
  if (i < 0) return [j, w];
  if (j < 0) return [i, v];
  return better(v, w) ? [j, w] : [i, v];
}

/** One-shot decimation of a whole series to at most ~maxPoints indices (see MinMaxDecimator). */
export function decimateIndices(values: ArrayLike<number>, maxPoints: number): Int32Array {
  const maxChunks = Math.max(2, Math.floor(maxPoints / 8) * 2);
  const dec = new MinMaxDecimator(maxChunks);
  for (let i = 0; i < values.length; i++) dec.push(values[i]);
  const out = { buffer: new Int32Array(0) };
  const n = dec.indices(out);
  return out.buffer.slice(0, n);
}
