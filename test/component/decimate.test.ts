import { describe, expect, test } from 'vitest';
import { MinMaxDecimator, decimateIndices } from '../../src-renderer/src/charts/decimate.ts';
import { SeriesData } from '../../src-renderer/src/charts/series.ts';
import { emaSmooth } from '../../src-renderer/src/charts/smoothing.ts';
import { prng } from '../../src-renderer/src/gallery/synthetic.ts';

function noisy(n: number, seed: number): Float64Array {
  const rand = prng(seed);
  return Float64Array.from({ length: n }, (_, i) => Math.exp(-i / 20000) + (rand() - 0.5) * 0.3 + (i === 77_777 ? 5 : 0));
}

function argExtremes(v: ArrayLike<number>, from: number, to: number): [number, number] {
  let lo = -1;
  let hi = -1;
  for (let i = from; i < to; i++) {
    if (v[i] !== v[i]) continue;
    if (lo < 0 || v[i] < v[lo]) lo = i;
    if (hi < 0 || v[i] > v[hi]) hi = i;
  }
  return [lo, hi];
}

describe('min/max decimation', () => {
  test('keeps the first and last point, the global extremes, and every chunk’s min and max', () => {
    const v = noisy(100_000, 1);
    const maxChunks = 512;
    const dec = new MinMaxDecimator(maxChunks);
    for (const y of v) dec.push(y);
    const out = { buffer: new Int32Array(0) };
    const n = dec.indices(out);
    const kept = Array.from(out.buffer.subarray(0, n));
    expect(n).toBeLessThanOrEqual(4 * maxChunks);
    expect(n).toBeGreaterThan(maxChunks); // at least half the chunks in use, 2+ points each
    expect(kept[0]).toBe(0);
    expect(kept.at(-1)).toBe(v.length - 1);
    for (let k = 1; k < kept.length; k++) expect(kept[k]).toBeGreaterThan(kept[k - 1]);
    const set = new Set(kept);
    const [gmin, gmax] = argExtremes(v, 0, v.length);
    expect(set.has(gmin) && set.has(gmax)).toBe(true);
    expect(gmax).toBe(77_777);
    let chunk = 1;
    while (chunk * maxChunks < v.length) chunk *= 2;
    for (let start = 0; start < v.length; start += chunk) {
      const [lo, hi] = argExtremes(v, start, Math.min(v.length, start + chunk));
      expect(set.has(lo), `chunk at ${start}: min index ${lo}`).toBe(true);
      expect(set.has(hi), `chunk at ${start}: max index ${hi}`).toBe(true);
    }
  });

  test('keeps the newest point after every single append (a live series)', () => {
    const v = noisy(5000, 2);
    const dec = new MinMaxDecimator(16);
    const out = { buffer: new Int32Array(0) };
    for (let i = 0; i < v.length; i++) {
      dec.push(v[i]);
      const n = dec.indices(out);
      expect(out.buffer[n - 1]).toBe(i);
      expect(out.buffer[0]).toBe(0);
      expect(n).toBeLessThanOrEqual(64);
    }
  });

  test('short series come back whole; incremental equals one-shot', () => {
    expect(Array.from(decimateIndices([3, 1, 2], 100))).toEqual([0, 1, 2]);
    const v = noisy(20_000, 3);
    const oneShot = decimateIndices(v, 2048);
    const dec = new MinMaxDecimator(512);
    for (const y of v) dec.push(y);
    const out = { buffer: new Int32Array(0) };
    const n = dec.indices(out);
    expect(Array.from(out.buffer.subarray(0, n))).toEqual(Array.from(oneShot));
  });

  test('NaN is never a chunk’s extreme but stays visible at the ends (a diverged run)', () => {
    const v = [...Array.from({ length: 1000 }, (_, i) => 1 / (i + 1)), ...new Array(1000).fill(NaN)];
    const kept = Array.from(decimateIndices(v, 64));
    expect(kept.at(-1)).toBe(1999);
    expect(kept).toContain(0); // the max
    expect(kept).toContain(999); // the min, last finite value
  });
});

describe('SeriesData', () => {
  test('stores every point; display points end at the last appended point, raw and smoothed', () => {
    const s = new SeriesData(0.9, 64);
    const v = noisy(50_000, 4);
    const step = Float64Array.from(v, (_, i) => i * 2);
    s.appendColumns({ step: step.subarray(0, 30_000), value: v.subarray(0, 30_000) });
    for (let i = 30_000; i < v.length; i++) s.appendPoint({ step: step[i], value: v[i], epoch: i / 100 });
    expect(s.length).toBe(50_000);
    expect(Array.from(s.value.view())).toEqual(Array.from(v));
    const scratch = { buffer: new Int32Array(0) };
    const raw = s.displayPoints('step', 'raw', false, scratch);
    expect(raw.length).toBeLessThanOrEqual(256);
    expect(raw.at(-1)).toEqual({ x: step.at(-1), y: v.at(-1) });
    const sm = s.displayPoints('step', 'smoothed', false, scratch);
    const full = emaSmooth(v, 0.9);
    expect(sm.at(-1)!.y).toBe(full.at(-1));
    expect(Array.from(s.smoothed.view())).toEqual(Array.from(full));
    // epoch only arrived with the later points: the earlier ones are NaN, not made up.
    const ep = s.x('epoch');
    expect(ep[0]).toBeNaN();
    expect(ep[49_999]).toBe(499.99);
  });

  test('changing the smoothing weight recomputes the smoothed column', () => {
    const s = new SeriesData(0, 64);
    const v = [1, 2, 3, 4, 10];
    s.appendColumns({ step: [0, 1, 2, 3, 4], value: v });
    s.setSmoothingWeight(0.5);
    expect(Array.from(s.smoothed.view())).toEqual(Array.from(emaSmooth(v, 0.5)));
  });

  test('on a log axis non-positive and non-finite values become gaps (NaN)', () => {
    const s = new SeriesData(0, 64);
    s.appendColumns({ step: [0, 1, 2, 3], value: [1, 0, -1, Infinity] });
    const pts = s.displayPoints('step', 'raw', true, { buffer: new Int32Array(0) });
    expect(pts.map((p) => p.y)).toEqual([1, NaN, NaN, NaN]);
  });

  test('rejects columns of different lengths', () => {
    expect(() => new SeriesData().appendColumns({ step: [0, 1], value: [1] })).toThrow(/step has 2 entries, value has 1/);
  });
});

describe('MinMaxDecimator.pushRange', () => {
  test('keeps the same indices as pushing point by point, however the points are cut into ranges', async () => {
    const { MinMaxDecimator: D } = await import('../../src-renderer/src/charts/decimate.ts');
    let seed = 3;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const values = Array.from({ length: 20_000 }, (_, i) => (i % 997 === 5 ? NaN : Math.sin(i / 50) + rand()));
    const one = new D(64);
    for (const v of values) one.push(v);
    const want = { buffer: new Int32Array(0) };
    const n = one.indices(want);
    for (const cuts of [[20_000], [1, 2, 3, 128, 129, 5000, 20_000], [64, 8192, 8193, 20_000]]) {
      const ranged = new D(64);
      for (const end of cuts) ranged.pushRange(values, end);
      const got = { buffer: new Int32Array(0) };
      expect(ranged.indices(got)).toBe(n);
      expect(Array.from(got.buffer.subarray(0, n))).toEqual(Array.from(want.buffer.subarray(0, n)));
      expect(ranged.length).toBe(20_000);
    }
  });
});
