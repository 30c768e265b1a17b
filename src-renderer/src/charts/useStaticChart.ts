// A chart.js line chart that is redrawn (without animation or re-creation) whenever its
// configuration getter changes: for charts whose data arrives as whole props, not appended points.
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import type { Chart, ChartDataset, ChartOptions } from 'chart.js';
import { pointRadiusFor } from './chartOptions.ts';
import { createChart } from './chartjs.ts';

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

export function useStaticChart(canvas: Ref<HTMLCanvasElement | null>, config: () => StaticChartConfig): { chart: () => Chart<'line', XY[]> | null } {
  let chart: Chart<'line', XY[]> | null = null;
  onMounted(() => {
    if (!canvas.value) return;
    const c = config();
    chart = createChart<'line', XY[]>(canvas.value, { type: 'line', data: { datasets: withPointRadius(c.datasets) }, options: c.options });
  });
  watch(config, (c) => {
    if (!chart) return;
    chart.data.datasets = withPointRadius(c.datasets);
    chart.options = c.options;
    chart.update('none');
  });
  onBeforeUnmount(() => {
    chart?.destroy();
    chart = null;
  });
  return { chart: () => chart };
}
