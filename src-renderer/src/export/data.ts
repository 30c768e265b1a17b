// Plotted data at full resolution (every stored point, never the decimated display) as CSV and
// JSON, raw and smoothed.

export interface ExportSeries {
  id: string;
  label: string;
  /** The x values: steps, or what `xName` says they are. */
  step: ArrayLike<number>;
  /** The name of the x column when it is not the step (e.g. 'lr' on the Goldilocks chart); the first series' name heads the CSV. */
  xName?: string;
  value: ArrayLike<number>;
  epoch?: ArrayLike<number>;
  time?: ArrayLike<number>;
  /** The TensorBoard-smoothed values, when smoothing was on. */
  smoothed?: ArrayLike<number>;
  smoothingWeight?: number;
}

/** A number as CSV/JSON text: shortest round-trip form; NaN and ±Infinity spelled out (Python's float() reads them). */
export function numberText(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  return String(v);
}

/** RFC 4180 quoting: a field with a comma, quote, CR or LF is quoted, quotes doubled. */
export function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Long-format CSV, one row per point: series,label,step[,epoch][,time],value[,smoothed].
 * Columns appear when any series has them; a series without that field leaves the cell empty.
 */
export function seriesToCsv(series: readonly ExportSeries[]): string {
  const hasEpoch = series.some((s) => s.epoch);
  const hasTime = series.some((s) => s.time);
  const hasSmoothed = series.some((s) => s.smoothed);
  const header = ['series', 'label', series[0]?.xName ?? 'step', ...(hasEpoch ? ['epoch'] : []), ...(hasTime ? ['time'] : []), 'value', ...(hasSmoothed ? ['smoothed'] : [])];
  const lines = [header.join(',')];
  for (const s of series) {
    const id = csvField(s.id);
    const label = csvField(s.label);
    for (let i = 0; i < s.value.length; i++) {
      const row = [id, label, numberText(s.step[i])];
      if (hasEpoch) row.push(s.epoch ? numberText(s.epoch[i]) : '');
      if (hasTime) row.push(s.time ? numberText(s.time[i]) : '');
      row.push(numberText(s.value[i]));
      if (hasSmoothed) row.push(s.smoothed ? numberText(s.smoothed[i]) : '');
      lines.push(row.join(','));
    }
  }
  return lines.join('\n') + '\n';
}

type JsonNumber = number | 'NaN' | 'Infinity' | '-Infinity';

function jsonNumbers(a: ArrayLike<number>): JsonNumber[] {
  const out = new Array<JsonNumber>(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Number.isFinite(a[i]) ? a[i] : (numberText(a[i]) as JsonNumber);
  return out;
}

/**
 * JSON, one object per series with its columns as arrays:
 * {"format":"precond-lab/series","version":1,"series":[{"id","label","smoothingWeight","step":[…],"value":[…],"smoothed":[…]}]}.
 * Non-finite numbers become the strings "NaN", "Infinity", "-Infinity" (JSON has no literal for them).
 */
export function seriesToJson(series: readonly ExportSeries[]): string {
  return JSON.stringify({
    format: 'precond-lab/series',
    version: 1,
    series: series.map((s) => ({
      id: s.id,
      label: s.label,
      smoothingWeight: s.smoothed ? (s.smoothingWeight ?? null) : 0,
      [s.xName ?? 'step']: jsonNumbers(s.step),
      ...(s.epoch ? { epoch: jsonNumbers(s.epoch) } : {}),
      ...(s.time ? { time: jsonNumbers(s.time) } : {}),
      value: jsonNumbers(s.value),
      ...(s.smoothed ? { smoothed: jsonNumbers(s.smoothed) } : {}),
    })),
  });
}
