// The live view's bookkeeping: which chart a metric goes to, points deduplicated between what
// was read from the store and what arrives live, and the progress line.
import type { ApiEvent } from '../api/protocol.ts';
import { formatCount, formatDuration } from './format.ts';

export type ChartId = 'loss' | 'quality' | 'lr' | 'other';

/** train_loss, val_loss -> loss; accuracy, R² -> quality; lr -> lr; the rest (RMSE, grad norm, update ratios) -> other. */
export function chartOf(key: string): ChartId {
  if (/(^|_)loss$/.test(key)) return 'loss';
  if (/(accuracy|r2)$/.test(key)) return 'quality';
  if (key === 'lr' || /^lr[/_]/.test(key)) return 'lr';
  return 'other';
}

/** A readable label: "val_loss" -> "validation loss", "update_ratio/layers.0.weight" -> "update ratio · layers.0.weight". */
export function metricLabel(key: string): string {
  const [head, ...rest] = key.split('/');
  const words = head
    .replace(/^val_/, 'validation_')
    .replace(/^train_/, 'training_')
    .replace(/_r2$/, '_R²')
    .replace(/_rmse$/, '_RMSE')
    .replace(/_/g, ' ');
  return rest.length ? `${words} · ${rest.join('/')}` : words;
}

/** Keeps, per key, only points past the last step already drawn (a store read and live events overlap). */
export class PointFilter {
  private readonly last = new Map<string, number>();

  /** Marks everything up to `step` as drawn for `key`. */
  seen(key: string, step: number): void {
    const prev = this.last.get(key);
    if (prev === undefined || step > prev) this.last.set(key, step);
  }

  accept(key: string, step: number): boolean {
    const prev = this.last.get(key);
    if (prev !== undefined && step <= prev) return false;
    this.last.set(key, step);
    return true;
  }

  lastStep(key: string): number | undefined {
    return this.last.get(key);
  }
}

export type ProgressEvent = Extract<ApiEvent, { type: 'progress' }>;

/** "step 450 / 900 · epoch 10 / 20 · 12,300 samples/s · 0:12 left" */
export function progressText(p: ProgressEvent): string {
  const epoch = Number.isInteger(p.epoch) ? String(p.epoch) : p.epoch.toFixed(1);
  const parts = [`step ${formatCount(p.step)} / ${formatCount(p.totalSteps)}`, `epoch ${epoch} / ${p.epochs}`];
  if (p.samplesPerSecond > 0) parts.push(`${formatCount(p.samplesPerSecond)} samples/s`);
  if (p.etaSeconds !== null) parts.push(`${formatDuration(p.etaSeconds)} left`);
  return parts.join(' · ');
}

export function progressFraction(p: ProgressEvent | null): number {
  if (!p || p.totalSteps <= 0) return 0;
  return Math.min(1, Math.max(0, p.step / p.totalSteps));
}
