import { describe, expect, test } from 'vitest';
import { seriesToCsv, seriesToJson, type ExportSeries } from '../../src-renderer/src/export/data.ts';
import { polylinePath, renderLineSvg, type SvgLineChart } from '../../src-renderer/src/export/svg.ts';

const series: ExportSeries[] = [
  { id: 'adam', label: 'Adam, lr=1e-3', step: [0, 1, 2], value: [2.5, NaN, 0.1 + 0.2], smoothed: [2.5, NaN, 0.3], smoothingWeight: 0.6, epoch: [0, 0.5, 1] },
  { id: 'sgd "fast"', label: 'SGD', step: [0], value: [Infinity] },
];

describe('data export', () => {
  test('CSV: one row per stored point, full precision, quoted fields, non-finite spelled out', () => {
    const csv = seriesToCsv(series).split('\n');
    expect(csv[0]).toBe('series,label,step,epoch,value,smoothed');
    expect(csv[1]).toBe('adam,"Adam, lr=1e-3",0,0,2.5,2.5');
    expect(csv[2]).toBe('adam,"Adam, lr=1e-3",1,0.5,NaN,NaN');
    expect(csv[3]).toBe('adam,"Adam, lr=1e-3",2,1,0.30000000000000004,0.3');
    expect(csv[4]).toBe('"sgd ""fast""",SGD,0,,Infinity,');
    expect(csv).toHaveLength(6); // trailing newline
  });

  test('JSON: columns per series, round-trips every finite number exactly', () => {
    const j = JSON.parse(seriesToJson(series));
    expect(j.format).toBe('precond-lab/series');
    expect(j.series[0]).toEqual({ id: 'adam', label: 'Adam, lr=1e-3', smoothingWeight: 0.6, step: [0, 1, 2], epoch: [0, 0.5, 1], value: [2.5, 'NaN', 0.30000000000000004], smoothed: [2.5, 'NaN', 0.3] });
    expect(j.series[1]).toEqual({ id: 'sgd "fast"', label: 'SGD', smoothingWeight: 0, step: [0], value: ['Infinity'] });
  });
});

describe('line-chart SVG', () => {
  const spec: SvgLineChart = {
    width: 640,
    height: 320,
    background: '#ffffff',
    fg: '#000',
    muted: '#555',
    grid: '#ddd',
    title: 'Loss <train>',
    xLabel: 'step',
    yLabel: 'loss',
    area: { left: 50, top: 40, right: 630, bottom: 290 },
    xTicks: [{ pos: 50, label: '0' }, { pos: 630, label: '100' }],
    yTicks: [{ pos: 290, label: '0.1' }, { pos: 40, label: '' }],
    lines: [
      { label: 'lo', color: '#f00', width: 1, points: [[50, 200], [100, 210]] },
      { label: 'hi', color: '#f00', width: 1, points: [[50, 100], [100, 120]], fillTo: 0, fillColor: 'rgba(255,0,0,0.2)' },
      { label: 'run A', color: '#00f', width: 2, points: [[50, 100], [60, NaN], [70, 120], [80, 130]] },
    ],
    legend: [{ label: 'run A', color: '#00f' }],
  };

  test('a gap (NaN) starts a new sub-path', () => {
    expect(polylinePath([[1, 2], [3, NaN], [5, 6], [7, 8]])).toBe('M1 2M5 6L7 8');
  });

  test('parses as SVG with the chart’s viewBox, escapes text, draws bands and lines', () => {
    const svg = renderLineSvg(spec);
    const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
    expect(doc.documentElement.getAttribute('viewBox')).toBe('0 0 640 320');
    expect(doc.querySelectorAll('path.line')).toHaveLength(3);
    expect(doc.querySelectorAll('path.band')).toHaveLength(1);
    expect(doc.querySelector('.title')!.textContent).toBe('Loss <train>');
    expect(svg).toContain('Loss &lt;train&gt;');
    expect(doc.querySelectorAll('.ticks text')).toHaveLength(3); // the empty label is not drawn
  });
});
