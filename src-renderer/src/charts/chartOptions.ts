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
  const axis = ticks ? logAxisOf(ticks) : { positive: [], isLabelled: labelledBy([1, 2, 5]), noneLabelled: false };
  // A narrow axis (e.g. losses 1.09–1.3) has no 1, 2 or 5 on it: then every tick is labelled,
  // except an end tick (chart.js adds the data's min and max) crowding its neighbour.
  if (axis.noneLabelled) return crowdedEnd(v, axis.positive) ? '' : formatNumber(v);
  return axis.isLabelled(v) ? formatNumber(v) : '';
}

const labelledBy = (mantissas: number[]) => (x: number) => mantissas.some((m) => Math.abs(x / 10 ** Math.floor(Math.log10(x) + 1e-9) - m) < 1e-6);

interface LogAxis {
  positive: number[];
  isLabelled: (x: number) => boolean;
  noneLabelled: boolean;
}

/** What logTickLabel needs of an axis' ticks, worked out once per ticks array (chart.js asks per tick). */
const logAxes = new WeakMap<readonly { value: number }[], LogAxis>();
function logAxisOf(ticks: readonly { value: number }[]): LogAxis {
  let axis = logAxes.get(ticks);
  if (!axis) {
    const positive = ticks.map((t) => t.value).filter((x) => x > 0);
    const decades = positive.length > 1 ? Math.log10(Math.max(...positive) / Math.min(...positive)) : 0;
    const isLabelled = labelledBy(decades > 2 ? [1] : [1, 2, 5]);
    axis = { positive, isLabelled, noneLabelled: positive.length > 0 && !positive.some(isLabelled) };
    logAxes.set(ticks, axis);
  }
  return axis;
}

/**
 * A log axis keeps only the ticks logTickLabel labels. chart.js makes one at every 1…9 × 10^k
 * (over ten decades, a hundred), measures each label and then skips most of them to fit: the
 * measuring was a third of a live chart's update. The labelled ones are what stays in view.
 */
export function keepLabelledLogTicks(scale: { ticks: { value: number }[] }): void {
  const all = scale.ticks;
  const kept = all.filter((t) => logTickLabel(t.value, 0, all) !== '');
  if (kept.length >= 2) scale.ticks = kept;
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

/** Whether some point of a line can be drawn while neither neighbour can (it needs a dot to be seen). */
export function hasIsolatedPoint(data: readonly unknown[]): boolean {
  for (let i = 0; i < data.length; i++) if (drawable(data[i]) && !drawable(data[i - 1]) && !drawable(data[i + 1])) return true;
  return false;
}

/**
 * A line dataset's point radius for its data: 0 when no point is isolated, else isolatedPointRadius.
 * A plain number lets chart.js resolve one options object for all the line's points; the
 * scriptable radius is called per point on every update (it was most of a live chart's redraw).
 */
export function pointRadiusFor(data: readonly unknown[], radius = 3): number | ((ctx: ScriptableContext<'line'>) => number) {
  return hasIsolatedPoint(data) ? isolatedPointRadius(radius) : 0;
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
        ...(logY ? { afterBuildTicks: keepLabelledLogTicks } : {}),
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
