import { describe, expect, test } from 'vitest';
import { IncrementalEma, clampSmoothingWeight, emaSmooth } from '../../src-renderer/src/charts/smoothing.ts';
import { prng } from '../../src-renderer/src/gallery/synthetic.ts';
import { SeriesData } from '../../src-renderer/src/charts/series.ts';

describe('TensorBoard debiased EMA', () => {
  test('matches a hand-computed series', () => {
    // w = 0.5: last_1 = 0.5, /(1-0.5) = 1; last_2 = 0.25+1 = 1.25, /0.75 = 5/3; last_3 = 0.625+1.5 = 2.125, /0.875 = 17/7.
    const s = emaSmooth([1, 2, 3], 0.5);
    expect(s[0]).toBeCloseTo(1, 15);
    expect(s[1]).toBeCloseTo(5 / 3, 15);
    expect(s[2]).toBeCloseTo(17 / 7, 15);
    // w = 0.9 on [10, 0, 0]: 1/0.1·1 = 10; (0.9)/(0.19) = 4.7368…; (0.81)/(0.271) = 2.98893…
    const t = emaSmooth([10, 0, 0], 0.9);
    expect(t[1]).toBeCloseTo(0.9 / 0.19 * 1, 12);
    expect(t[2]).toBeCloseTo(0.81 / 0.271, 12);
  });

  test('leaves a constant series exactly as it is, even at weight 0.999', () => {
    const c = new Array(5000).fill(0.1);
    expect(Array.from(emaSmooth(c, 0.999))).toEqual(c);
  });

  test('passes non-finite values through without letting them into the average', () => {
    const s = emaSmooth([1, NaN, 3, Infinity], 0.5);
    expect(s[0]).toBe(1);
    expect(s[1]).toBeNaN();
    // the second finite value is the 2nd accumulated one: (0.25 + 1.5) / 0.75
    expect(s[2]).toBeCloseTo(1.75 / 0.75, 15);
    expect(s[3]).toBe(Infinity);
  });

  test('weight 0 is the identity and weights are clamped to [0, 0.999]', () => {
    const v = [3, 1, 4, 1, 5];
    expect(Array.from(emaSmooth(v, 0))).toEqual(v);
    expect(clampSmoothingWeight(1)).toBe(0.999);
    expect(clampSmoothingWeight(-2)).toBe(0);
    expect(clampSmoothingWeight(NaN)).toBe(0);
    expect(Array.from(emaSmooth(v, 5))).toEqual(Array.from(emaSmooth(v, 0.999)));
  });

  test('the incremental form equals the whole-series form bit for bit', () => {
    const rand = prng(7);
    const cases = [
      Array.from({ length: 3000 }, () => rand() * 10),
      [...new Array(100).fill(2), 3, 1, ...Array.from({ length: 50 }, () => rand())],
      [NaN, 1, 2, NaN, 3],
      [5, 5, 5],
    ];
    for (const values of cases) {
      for (const w of [0, 0.3, 0.9, 0.999]) {
        const out = new Float64Array(values.length);
        const ema = new IncrementalEma(w);
        for (let i = 0; i < values.length; i++) ema.push(values, out);
        expect(Array.from(out)).toEqual(Array.from(emaSmooth(values, w)));
      }
    }
  });

  test('points taken in ranges (pushRange, appendColumns) give the same smoothed series as one by one', () => {
    const rand = prng(11);
    const values = [...new Array(40).fill(2), ...Array.from({ length: 500 }, () => rand() * 3), NaN, 1];
    for (const w of [0, 0.6, 0.999]) {
      const want = Array.from(emaSmooth(values, w));
      for (const cut of [1, 7, 40, 41, 300]) {
        const out = new Float64Array(values.length);
        const ema = new IncrementalEma(w);
        // the first range ends inside the constant prefix or just after it: the rewrite is reported as index 0
        expect(ema.pushRange(values, cut, out)).toBe(0);
        expect(ema.pushRange(values, values.length, out)).toBe(cut <= 40 ? 0 : cut);
        expect(Array.from(out)).toEqual(want);
      }
      const bulk = new SeriesData(w);
      bulk.appendColumns({ step: values.map((_, i) => i).slice(0, 100), value: values.slice(0, 100), epoch: values.map((_, i) => i / 10).slice(0, 100) });
      bulk.appendColumns({ step: values.map((_, i) => i).slice(100), value: values.slice(100) });
      const single = new SeriesData(w);
      values.forEach((v, i) => single.appendPoint({ step: i, value: v, epoch: i < 100 ? i / 10 : undefined }));
      expect(Array.from(bulk.smoothed.view())).toEqual(want);
      expect(Array.from(bulk.x('epoch'))).toEqual(Array.from(single.x('epoch')));
      const scratch = { buffer: new Int32Array(0) };
      expect(bulk.displayPoints('step', 'smoothed', false, scratch)).toEqual(single.displayPoints('step', 'smoothed', false, { buffer: new Int32Array(0) }));
    }
  });

  test('bit for bit TensorBoard’s formula with Math.pow at every point, long after the debiasing term reaches 1', () => {
    const rand = prng(5);
    const values = Array.from({ length: 50_000 }, (_, i) => Math.exp(-i / 9000) + rand() * 0.1);
    for (const w of [0.3, 0.6, 0.99, 0.999]) {
      let last = 0;
      const reference = values.map((y, i) => {
        last = last * w + (1 - w) * y;
        return last / (1 - Math.pow(w, i + 1));
      });
      expect(Array.from(emaSmooth(values, w))).toEqual(reference);
      const out = new Float64Array(values.length);
      new IncrementalEma(w).pushRange(values, values.length, out);
      expect(Array.from(out)).toEqual(reference);
    }
  });
});
