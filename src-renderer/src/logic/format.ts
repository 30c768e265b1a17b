// Text for the views: sizes, durations, times, parameter values.
import { formatNumber } from '../charts/format.ts';

export { formatNumber };

/** 3879 -> "3.8 KB", 267156 -> "261 KB", 2.5e6 -> "2.4 MB". */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Seconds as "0:07", "4:05", "1:02:03"; null or non-finite as "—". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds) || seconds < 0) return '—';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

/** An ISO time as "14:03" today, "3 Dec 14:03" otherwise. */
export function formatWhen(iso: string | null, now: Date = new Date()): string {
  if (!iso) return '—';
  const d = new Date(iso);
  const time = d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  if (d.toDateString() === now.toDateString()) return time;
  return `${d.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
}

/** 12345.6 -> "12,346". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** A hyperparameter value for tables: numbers compact, pairs "0.9, 0.999". */
export function formatParam(v: unknown): string {
  if (typeof v === 'number') return formatNumber(v);
  if (Array.isArray(v)) return v.map(formatParam).join(', ');
  if (typeof v === 'boolean') return v ? 'yes' : 'no';
  return v === null || v === undefined ? '—' : String(v);
}
