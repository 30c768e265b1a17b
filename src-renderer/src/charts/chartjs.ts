// The one place chart.js is set up: only the pieces these charts use are registered (tree-shaken
// build), and every chart is created through createChart so tests can substitute it.
import {
  Chart,
  Filler,
  Legend,
  LineController,
  LineElement,
  LinearScale,
  LogarithmicScale,
  PointElement,
  Title,
  Tooltip,
  type ChartConfiguration,
  type ChartType,
  type DefaultDataPoint,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, LogarithmicScale, Filler, Legend, Title, Tooltip);

export { Chart };

/** Creates a chart on a canvas; null when the canvas has no 2-D context (e.g. a DOM without canvas support). */
export function createChart<T extends ChartType = 'line', D = DefaultDataPoint<T>>(
  canvas: HTMLCanvasElement,
  config: ChartConfiguration<T, D>,
): Chart<T, D> | null {
  if (!canvas.getContext('2d')) return null;
  return new Chart(canvas, config);
}
