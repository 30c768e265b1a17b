import { describe, expect, test } from 'vitest';
import { formatNumber, formatPowerOfTen } from '../../src-renderer/src/charts/format.ts';
import { linearTicks, logTicks } from '../../src-renderer/src/charts/ticks.ts';

describe('number formatting', () => {
  test('4 significant digits, exponents for tiny and huge magnitudes', () => {
    expect(formatNumber(0.012345)).toBe('0.01235');
    expect(formatNumber(1.2e-4)).toBe('1.2e-4');
    expect(formatNumber(-3)).toBe('-3');
    expect(formatNumber(123456)).toBe('1.235e5');
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(NaN)).toBe('NaN');
    expect(formatNumber(Infinity)).toBe('∞');
    expect(formatPowerOfTen(-4)).toBe('1e-4');
    expect(formatPowerOfTen(-2)).toBe('0.01');
    expect(formatPowerOfTen(3)).toBe('1e3');
  });

  test('linear ticks are multiples of 1, 2 or 5 × 10^k inside the range', () => {
    expect(linearTicks(-6, 6, 6)).toEqual([-6, -4, -2, 0, 2, 4, 6]);
    expect(linearTicks(0, 1, 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(linearTicks(0.13, 0.47, 4)).toEqual([0.2, 0.3, 0.4]);
  });

  test('log ticks are decades, with 2 and 5 on short ranges', () => {
    expect(logTicks(1e-5, 1e2)).toEqual([1e-5, 1e-4, 1e-3, 0.01, 0.1, 1, 10, 100]);
    expect(logTicks(0.15, 3)).toEqual([0.2, 0.5, 1, 2]);
    expect(logTicks(0, 10)).toEqual([]);
  });
});

describe('log-axis tick labels', () => {
  test('1, 2, 5 × 10^k on short axes; only powers of ten on axes over two decades', async () => {
    const { logTickLabel } = await import('../../src-renderer/src/charts/chartOptions.ts');
    const axis = (lo: number, hi: number) => [{ value: lo }, { value: hi }];
    expect([0.1, 0.2, 0.3, 0.5, 1].map((v) => logTickLabel(v, 0, axis(0.1, 1)))).toEqual(['0.1', '0.2', '', '0.5', '1']);
    expect([1e-5, 5e-5, 1e-4, 0.5, 1].map((v) => logTickLabel(v, 0, axis(1e-5, 1)))).toEqual(['1e-5', '', '1e-4', '', '1']);
    expect(logTickLabel(0)).toBe('');
  });

  test('a narrow axis without a 1, 2 or 5 on it (losses 1.09–1.3) labels its ticks rather than none', async () => {
    const { logTickLabel } = await import('../../src-renderer/src/charts/chartOptions.ts');
    const labels = (values: number[]) => values.map((v) => logTickLabel(v, 0, values.map((value) => ({ value }))));
    // the data's min 1.09 (an end tick chart.js adds) would overlap 1.1
    expect(labels([1.09, 1.1, 1.2, 1.3])).toEqual(['', '1.1', '1.2', '1.3']);
    expect(labels([1.1, 1.2, 1.3])).toEqual(['1.1', '1.2', '1.3']);
    expect(labels([1.15, 1.22])).toEqual(['1.15', '1.22']);
  });
});
