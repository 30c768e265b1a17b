// A chart.js line chart that is redrawn (without animation or re-creation) whenever its
// configuration getter changes: for charts whose data arrives as whole props, not appended points.
// Off screen (or in a hidden page) it is not redrawn until it comes into view.
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import type { Chart, ChartDataset, ChartOptions } from 'chart.js';
import { pointRadiusFor } from './chartOptions.ts';
import { createChart } from './chartjs.ts';
import { useOnScreen } from './onScreen.ts';

export type XY = { x: number; y: number };
export interface StaticChartConfig {
  datasets: ChartDataset<'line', XY[]>[];
  options: ChartOptions<'line'>;
}

/** Datasets that leave the point radius to the options get the one their data needs (pointRadiusFor). */
function withPointRadius(datasets: ChartDataset<'line', XY[]>[]): ChartDataset<'line', XY[]>[] {
  for (const ds of datasets) if (ds.pointRadius === undefined) ds.pointRadius = pointRadiusFor(ds.data);
  return datasets;
}

export function useStaticChart(
  canvas: Ref<HTMLCanvasElement | null>,
  config: () => StaticChartConfig,
): { chart: () => Chart<'line', XY[]> | null; drawnChart: () => Chart<'line', XY[]> | null } {
  let chart: Chart<'line', XY[]> | null = null;
  /** The configuration on the canvas. */
  let drawn: StaticChartConfig | null = null;
  const onScreen = useOnScreen(canvas);
  function draw(c: StaticChartConfig): void {
    if (!chart || c === drawn) return;
    chart.data.datasets = withPointRadius(c.datasets);
    chart.options = c.options;
    chart.update('none');
    drawn = c;
  }
  onMounted(() => {
    if (!canvas.value) return;
    const c = config();
    chart = createChart<'line', XY[]>(canvas.value, { type: 'line', data: { datasets: withPointRadius(c.datasets) }, options: c.options });
    drawn = c;
  });
  // Off screen the configuration is not even worked out: the source stays what is drawn, and
  // catches up when the chart comes into view.
  watch(
    () => (onScreen.value ? config() : drawn),
    (c) => {
      if (c) draw(c);
    },
  );
  onBeforeUnmount(() => {
    chart?.destroy();
    chart = null;
  });
  return {
    /** The chart, brought up to date (an export of a chart off screen shows what it would show). */
    chart: () => {
      if (chart) draw(config());
      return chart;
    },
    /** The chart as it is on the canvas (for reading its scales while working out a configuration). */
    drawnChart: () => chart,
  };
}
