// Shared chart.js options: theme colours on axes, grid, legend, title and tooltip.
import type { ChartOptions, ScriptableContext } from 'chart.js';
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
  const positive = ticks?.map((t) => t.value).filter((x) => x > 0) ?? [];
  const decades = positive.length > 1 ? Math.log10(Math.max(...positive) / Math.min(...positive)) : 0;
  const labelled = decades > 2 ? [1] : [1, 2, 5];
  const isLabelled = (x: number) => labelled.some((m) => Math.abs(x / 10 ** Math.floor(Math.log10(x) + 1e-9) - m) < 1e-6);
  // A narrow axis (e.g. losses 1.09–1.3) has no 1, 2 or 5 on it: then every tick is labelled,
  // except an end tick (chart.js adds the data's min and max) crowding its neighbour.
  if (positive.length > 0 && !positive.some(isLabelled)) return crowdedEnd(v, positive) ? '' : formatNumber(v);
  return isLabelled(v) ? formatNumber(v) : '';
}

/** An end tick closer (in log10) to its neighbour than half the widest gap between ticks. */
function crowdedEnd(v: number, ticks: number[]): boolean {
  if (ticks.length < 3) return false;
  const logs = ticks.map(Math.log10);
  const gaps = logs.slice(1).map((x, i) => Math.abs(x - logs[i]));
  const widest = Math.max(...gaps);
  const i = ticks.indexOf(v);
  if (i === 0) return gaps[0] < widest / 2;
  if (i === ticks.length - 1) return gaps[gaps.length - 1] < widest / 2;
  return false;
}

const drawable = (p: unknown): boolean => typeof p === 'object' && p !== null && Number.isFinite((p as { y: number }).y) && Number.isFinite((p as { x: number }).x);

/**
 * Point radius of a line's point: 0 (the line shows it) unless neither neighbour can be drawn —
 * a series of one point, or a finite point between NaNs — which would otherwise be invisible.
 */
export function isolatedPointRadius(radius: number): (ctx: ScriptableContext<'line'>) => number {
  return (ctx) => {
    const data = ctx.dataset?.data as unknown[] | undefined;
    const i = ctx.dataIndex;
    if (!data || i === undefined || !drawable(data[i])) return 0;
    return drawable(data[i - 1]) || drawable(data[i + 1]) ? 0 : radius;
  };
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
    // Points are drawn only where no line segment shows them (isolated finite points).
    elements: { point: { radius: isolatedPointRadius(3), hoverRadius: 3 }, line: { borderWidth: 1.5, tension: 0 } },
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
