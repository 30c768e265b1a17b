// A chart.js line chart that is redrawn (without animation or re-creation) whenever its
// configuration getter changes: for charts whose data arrives as whole props, not appended points.
import { onBeforeUnmount, onMounted, watch, type Ref } from 'vue';
import type { Chart, ChartDataset, ChartOptions } from 'chart.js';
import { createChart } from './chartjs.ts';

export type XY = { x: number; y: number };
export interface StaticChartConfig {
  datasets: ChartDataset<'line', XY[]>[];
  options: ChartOptions<'line'>;
}

export function useStaticChart(canvas: Ref<HTMLCanvasElement | null>, config: () => StaticChartConfig): { chart: () => Chart<'line', XY[]> | null } {
  let chart: Chart<'line', XY[]> | null = null;
  onMounted(() => {
    if (!canvas.value) return;
    const c = config();
    chart = createChart<'line', XY[]>(canvas.value, { type: 'line', data: { datasets: c.datasets }, options: c.options });
  });
  watch(config, (c) => {
    if (!chart) return;
    chart.data.datasets = c.datasets;
    chart.options = c.options;
    chart.update('none');
  });
  onBeforeUnmount(() => {
    chart?.destroy();
    chart = null;
  });
  return { chart: () => chart };
}
