// Shared chart.js options: theme colours on axes, grid, legend, title and tooltip.
import type { ChartOptions } from 'chart.js';
import { formatNumber } from './format.ts';
import type { ChartTheme } from './theme.ts';

/**
 * Log-axis tick label: 1, 2 and 5 × 10^k are labelled (compactly), other ticks only get a grid
 * line; on an axis spanning more than two decades only the powers of ten are (the 2s and 5s
 * would crowd each other).
 */
export function logTickLabel(value: number | string, _index?: number, ticks?: readonly { value: number }[]): string {
  const v = Number(value);
  if (!(v > 0)) return '';
  const mantissa = v / 10 ** Math.floor(Math.log10(v) + 1e-9);
  const positive = ticks?.map((t) => t.value).filter((x) => x > 0) ?? [];
  const decades = positive.length > 1 ? Math.log10(Math.max(...positive) / Math.min(...positive)) : 0;
  const labelled = decades > 2 ? [1] : [1, 2, 5];
  return labelled.some((m) => Math.abs(mantissa - m) < 1e-6) ? formatNumber(v) : '';
}

export interface AxisTexts {
  title?: string;
  xLabel?: string;
  yLabel?: string;
}

/** Line-chart options for a theme; `logY` picks a log10 y axis. No animation: live data must not lag. */
export function baseLineOptions(theme: ChartTheme, texts: AxisTexts, logY: boolean): ChartOptions<'line'> {
  const axisTitle = (text: string | undefined) => ({ display: !!text, text: text ?? '', color: theme.fg });
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    parsing: false,
    normalized: true,
    spanGaps: false,
    color: theme.fg,
    elements: { point: { radius: 0, hoverRadius: 3 }, line: { borderWidth: 1.5, tension: 0 } },
    interaction: { mode: 'nearest', intersect: false, axis: 'xy' },
    scales: {
      x: {
        type: 'linear',
        title: axisTitle(texts.xLabel),
        ticks: { color: theme.muted, maxRotation: 0 },
        grid: { color: theme.grid },
        border: { color: theme.grid },
      },
      y: {
        type: logY ? 'logarithmic' : 'linear',
        title: axisTitle(texts.yLabel),
        ticks: logY ? { color: theme.muted, callback: logTickLabel } : { color: theme.muted },
        grid: { color: theme.grid },
        border: { color: theme.grid },
      },
    },
    plugins: {
      title: { display: !!texts.title, text: texts.title ?? '', color: theme.fg, font: { size: 14, weight: 'bold' } },
      legend: { labels: { color: theme.fg, boxWidth: 14, boxHeight: 2 } },
      tooltip: { backgroundColor: theme.dark ? '#1f2937' : '#ffffff', titleColor: theme.fg, bodyColor: theme.fg, borderColor: theme.grid, borderWidth: 1 },
      decimation: { enabled: false },
    },
  };
}
