// The one export path every chart's menu uses: what a chart can give (PNG, SVG, its plotted data)
// turned into a Blob and a file name, handed to the host (Electron's save dialog, or a download).
import { seriesToCsv, seriesToJson, type ExportSeries } from './data.ts';
import { textBlob } from './download.ts';

export type ExportBackground = 'light' | 'theme' | 'transparent';
export type ChartExportFormat = 'png' | 'svg' | 'csv' | 'json';
export const CHART_EXPORT_FORMATS: readonly ChartExportFormat[] = ['png', 'svg', 'csv', 'json'];

/** What a chart component exposes for export (LiveLineChart has all three; Heatmap only toPng). */
export interface ExportableChart {
  toPng?: (opts?: { background?: ExportBackground; title?: string }) => Promise<Blob>;
  toSvg?: (opts?: { background?: ExportBackground; title?: string }) => string;
  /** Every plotted point at full resolution, raw and (when smoothing) smoothed. */
  exportData?: () => ExportSeries[];
}

/** The formats a chart can be exported as, in menu order. */
export function formatsOf(chart: ExportableChart | null | undefined): ChartExportFormat[] {
  if (!chart) return [];
  return CHART_EXPORT_FORMATS.filter((f) => (f === 'png' ? !!chart.toPng : f === 'svg' ? !!chart.toSvg : !!chart.exportData));
}

/** "Loss · run 3/adam" -> "loss-run-3-adam": letters, digits, '.', '_' and '-' only, at most 80. */
export function exportBaseName(name: string): string {
  const slug = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .toLowerCase();
  return slug || 'chart';
}

/** A chart as the Blob of one format, with its file name `<base>.<format>`. */
export async function chartExportFile(
  chart: ExportableChart,
  format: ChartExportFormat,
  o: { baseName: string; background?: ExportBackground; /** The image's title when the chart has none of its own on screen. */ title?: string },
): Promise<{ blob: Blob; filename: string }> {
  const filename = `${exportBaseName(o.baseName)}.${format}`;
  const background = o.background ?? 'theme';
  const missing = () => new Error(`this chart cannot be exported as ${format.toUpperCase()}`);
  if (format === 'png') {
    if (!chart.toPng) throw missing();
    return { blob: await chart.toPng({ background, title: o.title }), filename };
  }
  if (format === 'svg') {
    if (!chart.toSvg) throw missing();
    return { blob: textBlob(chart.toSvg({ background, title: o.title }), 'image/svg+xml'), filename };
  }
  if (!chart.exportData) throw missing();
  const series = chart.exportData();
  if (series.every((s) => s.value.length === 0)) throw new Error('this chart has no points to export yet');
  return { blob: textBlob(format === 'csv' ? seriesToCsv(series) : seriesToJson(series), format === 'csv' ? 'text/csv' : 'application/json'), filename };
}
