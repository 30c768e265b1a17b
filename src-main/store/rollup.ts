// Per-series summaries kept in step with the raw points, so that the run list and downsampled
// charts never have to scan every point:
//  - SeriesStats (table `series`): count, first and last point, min, max, first NaN step.
//  - Rollup blocks (table `metric_rollups`): at level L, block b summarizes the points with
//    ordinal (0-based position in the series) in [b * size_L, (b + 1) * size_L), size_L = 8^L:
//    their count and the step/epoch/wallTime/value of their minimum and maximum value.
//    Blocks are packed 32 to a Float64Array "chunk" (one BLOB row), BLOCK_FIELDS numbers each.
// The writer feeds every appended point through SeriesRollup.add; migration 2 built the same
// structures from existing points with the same code.
import type { MetricPoint } from './types.ts';

/** Points per block at levels 1..5 (index 0 is level 1). */
export const LEVEL_SIZES = [8, 64, 512, 4096, 32768] as const;
export const BLOCKS_PER_CHUNK = 32;
/** Layout of one block record inside a chunk. */
export const BLOCK_FIELDS = 9;
export const F_COUNT = 0;
export const F_MIN = 1; // step, epoch, wallTime, value at offsets F_MIN..F_MIN+3
export const F_MAX = 5; // step, epoch, wallTime, value at offsets F_MAX..F_MAX+3

export interface SeriesStats {
  count: number;
  first: MetricPoint | null;
  last: MetricPoint | null;
  /** Smallest / largest non-NaN value; NaN when there is none. */
  minStep: number;
  minValue: number;
  maxStep: number;
  maxValue: number;
  firstNanStep: number | null;
}

export function emptyStats(): SeriesStats {
  return { count: 0, first: null, last: null, minStep: NaN, minValue: NaN, maxStep: NaN, maxValue: NaN, firstNanStep: null };
}

export class Chunk {
  /** Blocks in use: the BLOB stores only data[0 .. used * BLOCK_FIELDS). */
  used = 0;
  /** Changed since the last commit. */
  dirty = false;
  constructor(
    readonly level: number,
    readonly index: number,
    readonly data = new Float64Array(BLOCKS_PER_CHUNK * BLOCK_FIELDS),
  ) {}

  static fromBlob(level: number, index: number, blob: Uint8Array): Chunk {
    const chunk = new Chunk(level, index);
    new Uint8Array(chunk.data.buffer).set(blob);
    chunk.used = blob.byteLength / (BLOCK_FIELDS * 8);
    return chunk;
  }

  blob(): Buffer {
    return Buffer.from(this.data.buffer, 0, this.used * BLOCK_FIELDS * 8);
  }
}

/** The chunk of `level` (1-based) that the point with ordinal `count` will go into. */
export function chunkOf(level: number, count: number): number {
  return Math.floor(Math.floor(count / LEVEL_SIZES[level - 1]) / BLOCKS_PER_CHUNK);
}

/** Whether that chunk already holds blocks (so resuming a series must load it first). */
export function chunkHasData(level: number, count: number): boolean {
  return count % (LEVEL_SIZES[level - 1] * BLOCKS_PER_CHUNK) !== 0;
}

/** Running summary of one (run, key) series plus the rollup chunks changed since the last commit. */
export class SeriesRollup {
  private readonly current: (Chunk | null)[];
  private dirty: Chunk[] = [];
  statsDirty = false;

  /** `open[L-1]` is the chunk chunkOf(L, stats.count) when chunkHasData says it has data. */
  constructor(
    readonly stats: SeriesStats = emptyStats(),
    open: (Chunk | null)[] = [],
  ) {
    this.current = LEVEL_SIZES.map((_, i) => open[i] ?? null);
  }

  add(p: MetricPoint): void {
    const s = this.stats;
    const ordinal = s.count;
    for (let i = 0; i < LEVEL_SIZES.length; i++) {
      const size = LEVEL_SIZES[i];
      const block = Math.floor(ordinal / size);
      const index = Math.floor(block / BLOCKS_PER_CHUNK);
      let chunk = this.current[i];
      if (!chunk || chunk.index !== index) this.current[i] = chunk = new Chunk(i + 1, index);
      const slot = block % BLOCKS_PER_CHUNK;
      const o = slot * BLOCK_FIELDS;
      const d = chunk.data;
      if (ordinal % size === 0) {
        d.fill(NaN, o, o + BLOCK_FIELDS);
        d[o + F_COUNT] = 0;
        chunk.used = slot + 1;
      }
      d[o + F_COUNT] += 1;
      if (!Number.isNaN(p.value)) {
        if (Number.isNaN(d[o + F_MIN + 3]) || p.value < d[o + F_MIN + 3]) setPoint(d, o + F_MIN, p);
        if (Number.isNaN(d[o + F_MAX + 3]) || p.value > d[o + F_MAX + 3]) setPoint(d, o + F_MAX, p);
      }
      if (!chunk.dirty) {
        chunk.dirty = true;
        this.dirty.push(chunk);
      }
    }
    s.count += 1;
    s.first ??= p;
    s.last = p;
    if (Number.isNaN(p.value)) s.firstNanStep ??= p.step;
    else {
      if (Number.isNaN(s.minValue) || p.value < s.minValue) [s.minStep, s.minValue] = [p.step, p.value];
      if (Number.isNaN(s.maxValue) || p.value > s.maxValue) [s.maxStep, s.maxValue] = [p.step, p.value];
    }
    this.statsDirty = true;
  }

  dirtyChunks(): readonly Chunk[] {
    return this.dirty;
  }

  /** After a commit: nothing is pending any more. */
  markClean(): void {
    for (const chunk of this.dirty) chunk.dirty = false;
    this.dirty = [];
    this.statsDirty = false;
  }
}

function setPoint(d: Float64Array, o: number, p: MetricPoint): void {
  d[o] = p.step;
  d[o + 1] = p.epoch;
  d[o + 2] = p.wallTime;
  d[o + 3] = p.value;
}
