// A chart component's image exports (what ChartExport calls): PNG and SVG of its chart.js chart,
// refused with one message while the chart is not drawn yet.
import type { Chart } from 'chart.js';
import { chartToPng, type PngOptions } from './png.ts';
import { chartToSvg, type SvgOptions } from './svg.ts';

const NOT_DRAWN = 'the chart is not drawn';

/** `toPng` and `toSvg` for the chart `chart()` returns at the time of the call. */
export function chartImageExports(chart: () => Chart | null | undefined) {
  return {
    toPng: (opts?: PngOptions): Promise<Blob> => {
      const c = chart();
      return c ? chartToPng(c, opts) : Promise.reject(new Error(NOT_DRAWN));
    },
    toSvg: (opts?: SvgOptions): string => {
      const c = chart();
      if (!c) throw new Error(NOT_DRAWN);
      return chartToSvg(c, opts);
    },
  };
}
