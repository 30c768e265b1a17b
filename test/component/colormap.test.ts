import { describe, expect, test } from 'vitest';
import { colorOf, colormap, fillRgba, logPosition, parseRgb, positiveExtent } from '../../src-renderer/src/charts/colormap.ts';

describe('log colour scale', () => {
  const range = { lo: 1e-4, hi: 1e2 };

  test('maps log10 linearly onto [0, 1] and clamps outside the range', () => {
    expect(logPosition(1e-4, range)).toBe(0);
    expect(logPosition(1e2, range)).toBe(1);
    expect(logPosition(1e-1, range)).toBeCloseTo(0.5, 12); // −1 is half way from −4 to 2
    expect(logPosition(1e-7, range)).toBe(0);
    expect(logPosition(1e9, range)).toBe(1);
    expect(logPosition(5, { lo: 5, hi: 5 })).toBe(0.5);
  });

  test('non-finite and ≤ 0 values get the distinct invalid colour', () => {
    const cm = colormap('viridis');
    for (const v of [0, -1, NaN, Infinity, -Infinity]) {
      expect(Number.isNaN(logPosition(v, range))).toBe(true);
      expect(colorOf(v, range, cm)).toEqual(cm.invalid);
    }
    // ...which is not a colour of the map itself
    for (let k = 0; k < 256; k++) expect(Array.from(cm.lut.subarray(3 * k, 3 * k + 3))).not.toEqual(cm.invalid);
  });

  test('uses matplotlib’s viridis and magma end points', () => {
    expect(Array.from(colormap('viridis').lut.subarray(0, 3))).toEqual(parseRgb('#440154'));
    expect(Array.from(colormap('viridis').lut.subarray(765, 768))).toEqual(parseRgb('#fde725'));
    expect(Array.from(colormap('magma').lut.subarray(0, 3))).toEqual(parseRgb('#000004'));
    expect(Array.from(colormap('magma').lut.subarray(765, 768))).toEqual(parseRgb('#fcfdbf'));
  });

  test('fillRgba writes the same colour as colorOf for every value, alpha 255', () => {
    const cm = colormap('magma');
    const values = Float32Array.from([1e-4, 3e-3, 0.1, 7, 1e2, 1e5, 0, -2, NaN, Infinity, 1e-9]);
    const out = new Uint8ClampedArray(values.length * 4);
    fillRgba(values, range, cm, out);
    values.forEach((v, i) => {
      expect(Array.from(out.subarray(4 * i, 4 * i + 3))).toEqual(colorOf(v, range, cm));
      expect(out[4 * i + 3]).toBe(255);
    });
    expect(() => fillRgba(values, range, cm, new Uint8ClampedArray(8))).toThrow(/holds 2 pixels, need 11/);
  });

  test('the auto range is the finite positive extent over matrix and bias', () => {
    expect(positiveExtent(Float32Array.from([0, -1, NaN, 3, 0.5]), Float32Array.from([Infinity, 9]))).toEqual({ lo: 0.5, hi: 9 });
    expect(positiveExtent(Float32Array.from([0, NaN]))).toBeNull();
  });
});
