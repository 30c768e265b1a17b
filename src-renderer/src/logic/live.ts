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

/**
 * Runs `fn` at most once per `ms` however often it is requested: a request waits for the end of
 * the current period (an `immediate` one runs at the next turn of the event loop instead).
 */
export class RefreshTimer {
  private timer: ReturnType<typeof setTimeout> | null = null;
  private soon = false;

  constructor(
    readonly ms: number,
    private readonly fn: () => void,
  ) {}

  request(immediate = false): void {
    if (this.timer && (this.soon || !immediate)) return;
    if (this.timer) clearTimeout(this.timer);
    this.soon = immediate;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.fn();
    }, immediate ? 0 : this.ms);
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** "step 450 / 900 · epoch 10 / 20 · 12,300 samples/s · 0:12 left"; paused, "… · paused" (a run that does not move has no rate or time left). */
export function progressText(p: ProgressEvent, paused = false): string {
  const epoch = Number.isInteger(p.epoch) ? String(p.epoch) : p.epoch.toFixed(1);
  const parts = [`step ${formatCount(p.step)} / ${formatCount(p.totalSteps)}`, `epoch ${epoch} / ${p.epochs}`];
  if (paused) return [...parts, 'paused'].join(' · ');
  if (p.samplesPerSecond > 0) parts.push(`${formatCount(p.samplesPerSecond)} samples/s`);
  if (p.etaSeconds !== null) parts.push(`${formatDuration(p.etaSeconds)} left`);
  return parts.join(' · ');
}

export function progressFraction(p: ProgressEvent | null): number {
  if (!p || p.totalSteps <= 0) return 0;
  return Math.min(1, Math.max(0, p.step / p.totalSteps));
}

// --- one order and one colour per metric key ----------------------------------------------
// The live view adds series in the order points arrive, the stored view in the store's order;
// both sort them by metricOrder and colour them by metricColorIndex, so a key looks the same in
// either (and after a reload).

/** Known keys in display order; each chart's keys take palette colours 0, 1, … in this order. */
const KNOWN_KEYS = ['train_loss', 'val_loss', 'val_accuracy', 'val_r2', 'lr', 'grad_norm', 'val_rmse'];
const KNOWN_COLOR: Record<string, number> = { train_loss: 0, val_loss: 1, val_accuracy: 0, val_r2: 0, lr: 0, grad_norm: 0, val_rmse: 1 };

/** layers.K.weight -> 2K, layers.K.bias -> 2K + 1 (the model's parameter order); null for other names. */
function layerSlot(param: string): number | null {
  const m = /(?:^|\.)(\d+)\.(weight|bias)$/.exec(param);
  return m ? 2 * Number(m[1]) + (m[2] === 'bias' ? 1 : 0) : param === 'weight' ? 0 : param === 'bias' ? 1 : null;
}

/** A sort key: known keys first (KNOWN_KEYS order), then update ratios by parameter, then the rest by name. */
export function metricOrder(a: string, b: string): number {
  const rank = (k: string): [number, number, string] => {
    const known = KNOWN_KEYS.indexOf(k);
    if (known >= 0) return [0, known, ''];
    if (k.startsWith('update_ratio/')) return [1, layerSlot(k.slice('update_ratio/'.length)) ?? Number.MAX_SAFE_INTEGER, k];
    return [2, 0, k];
  };
  const [x, y] = [rank(a), rank(b)];
  return x[0] - y[0] || x[1] - y[1] || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0);
}

/** A stable palette index for a key: fixed for known keys, by parameter for update ratios, else a hash of the name. */
export function metricColorIndex(key: string): number {
  if (key in KNOWN_COLOR) return KNOWN_COLOR[key];
  if (key.startsWith('update_ratio/')) {
    const slot = layerSlot(key.slice('update_ratio/'.length));
    if (slot !== null) return 2 + slot; // grad_norm and val_rmse take 0 and 1 in the same chart
  }
  let h = 0;
  for (let i = 0; i < key.length; i++) h = (h * 31 + key.charCodeAt(i)) >>> 0; // h = h·31 + c mod 2^32
  return h;
}

/** How far a run that ended got: lastStep / plannedSteps (1 when the plan is unknown). */
export function endedFraction(lastStep: number | null, plannedSteps: number | null): number {
  if (plannedSteps === null || plannedSteps <= 0) return 1;
  return Math.min(1, Math.max(0, (lastStep ?? 0) / plannedSteps));
}
