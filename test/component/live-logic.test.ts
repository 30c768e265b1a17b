// The live view's bookkeeping: which chart a metric goes to, dedup of store and live points,
// progress text; and the snapshot index behind the heatmaps.
import { describe, expect, test, vi } from 'vitest';
import { chartOf, metricLabel, PointFilter, progressFraction, progressText, RefreshTimer } from '../../src-renderer/src/logic/live.ts';
import { SnapshotIndex, splitParamName } from '../../src-renderer/src/logic/snapshots.ts';
import { formatBytes, formatDuration } from '../../src-renderer/src/logic/format.ts';

describe('metrics', () => {
  test('charts and labels', () => {
    expect(['train_loss', 'val_loss', 'val_accuracy', 'val_r2', 'val_rmse', 'lr', 'grad_norm', 'update_ratio/layers.0.weight'].map(chartOf)).toEqual(['loss', 'loss', 'quality', 'quality', 'other', 'lr', 'other', 'other']);
    expect(metricLabel('val_loss')).toBe('validation loss');
    expect(metricLabel('val_r2')).toBe('validation R²');
    expect(metricLabel('update_ratio/layers.0.weight')).toBe('update ratio · layers.0.weight');
  });

  test('points up to what was read are dropped, later ones kept once', () => {
    const f = new PointFilter();
    f.seen('loss', 10);
    expect([9, 10, 11, 11, 12].map((s) => f.accept('loss', s))).toEqual([false, false, true, false, true]);
    expect(f.accept('other', 0)).toBe(true);
    expect(f.lastStep('loss')).toBe(12);
  });

  test('progress', () => {
    const p = { type: 'progress' as const, runId: 1, step: 450, totalSteps: 900, epoch: 10, epochs: 20, samplesPerSecond: 12_300.4, etaSeconds: 12 };
    expect(progressText(p)).toBe('step 450 / 900 · epoch 10 / 20 · 12,300 samples/s · 0:12 left');
    expect(progressText({ ...p, etaSeconds: null, samplesPerSecond: 0, epoch: 2.5 })).toBe('step 450 / 900 · epoch 2.5 / 20');
    expect(progressText(p, true)).toBe('step 450 / 900 · epoch 10 / 20 · paused'); // no rate or time left while it does not move
    expect(progressFraction(p)).toBe(0.5);
    expect(progressFraction(null)).toBe(0);
    expect(formatDuration(3723)).toBe('1:02:03');
    expect(formatDuration(null)).toBe('—');
    expect(formatBytes(3879)).toBe('3.8 KB');
  });
});

describe('SnapshotIndex', () => {
  const snap = (step: number, layer: string, shape: number[], fill: (i: number) => number, kind = 'effective_lr') => {
    const n = shape.reduce((a, b) => a * b, 1);
    return { step, layer, kind, shape, originalShape: shape, data: Float32Array.from({ length: n }, (_, i) => fill(i)) };
  };

  test('layers pair a weight with its bias; frames carry parameter values; one range over all', () => {
    const ix = new SnapshotIndex();
    for (const step of [0, 10]) {
      ix.add(snap(step, 'layers.1.weight', [2, 3], (i) => (i + 1) * 1e-3 * (step + 1)));
      ix.add(snap(step, 'layers.0.bias', [3], () => 0.2));
      ix.add(snap(step, 'layers.0.weight', [3, 4], (i) => (i === 0 ? 0 : 0.01)));
      ix.add(snap(step, 'layers.0.weight', [3, 4], (i) => i - 6, 'param'));
    }
    const layers = ix.layers();
    expect(layers.map((l) => [l.layer, l.matrix, l.bias, l.rows, l.cols])).toEqual([
      ['layers.0', 'layers.0.weight', 'layers.0.bias', 3, 4],
      ['layers.1', 'layers.1.weight', null, 2, 3],
    ]);
    expect(ix.steps()).toEqual([0, 10]);
    const f = ix.frame(layers[0], 10)!;
    expect(f.values).toHaveLength(12);
    expect(f.paramValues![7]).toBe(1);
    expect(f.biasValues).toHaveLength(3);
    expect(ix.frame(layers[1], 10)!.paramValues).toBeUndefined();
    expect(ix.frame(layers[0], 5)).toBeUndefined();
    // zero has no log: the range is over positive values
    expect(ix.range!.lo).toBeCloseTo(1e-3, 9);
    expect(ix.range!.hi).toBeCloseTo(0.2, 6);
    const dist = ix.distribution(layers[0]);
    expect(dist.map((d) => d.values.length)).toEqual([15, 15]);
    expect(ix.distribution(layers[0])[1].values).toBe(dist[1].values); // joined once (the band chart caches by identity)
    expect(ix.nearestStep(4)).toBe(0);
    expect(ix.nearestStep(6)).toBe(10);
  });

  test('a downsampled tensor says so; names without weight/bias are their own layer', () => {
    const ix = new SnapshotIndex();
    ix.add({ step: 0, layer: 'layers.0.weight', kind: 'effective_lr', shape: [16, 16], originalShape: [256, 784], data: new Float32Array(256).fill(1) });
    expect(ix.layers()[0]).toMatchObject({ downsampled: true, originalShape: [256, 784], rows: 16, cols: 16 });
    expect(splitParamName('embedding')).toEqual({ layer: 'embedding', part: 'other' });
  });
});

describe('SnapshotIndex with a step limit (a live run adds steps for as long as it trains)', () => {
  const add = (ix: SnapshotIndex, step: number) => {
    for (const [layer, kind, shape] of [['a.weight', 'effective_lr', [2, 1]], ['a.bias', 'effective_lr', [2]], ['a.weight', 'param', [2, 1]]] as const) {
      ix.add({ step, layer, kind, shape: [...shape], originalShape: [...shape], data: new Float32Array([step + 1, 1]) });
    }
  };

  test('thins out evenly, keeping the first and the newest step, within the limit', () => {
    const ix = new SnapshotIndex(10);
    for (let k = 0; k < 100; k++) add(ix, 5 * k);
    const steps = ix.steps();
    expect(steps.length).toBeLessThanOrEqual(10);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(495);
    // evenly: every kept step but the newest is a multiple of one stride (in arrival order)
    const gaps = new Set(steps.slice(1, -1).map((s, i) => s - steps[i]));
    expect(gaps.size).toBe(1);
    expect(ix.dropped).toBe(100 - steps.length);
    // a dropped step's snapshots are gone with it; a kept step keeps all of its kinds
    const layer = ix.layers()[0];
    expect(ix.frame(layer, 5)).toBeUndefined();
    const f = ix.frame(layer, 495)!;
    expect([f.values[0], f.biasValues![0], f.paramValues![0]]).toEqual([496, 496, 496]);
    expect(ix.distribution(layer).map((d) => d.step)).toEqual(steps);
    // the colour range still covers every step seen
    expect(ix.range).toEqual({ lo: 1, hi: 496 });
  });

  test('without a limit nothing is dropped; a limit below 2 is refused', () => {
    const ix = new SnapshotIndex();
    for (let k = 0; k < 50; k++) add(ix, k);
    expect(ix.steps()).toHaveLength(50);
    expect(() => new SnapshotIndex(1)).toThrow(RangeError);
  });

  test('clear forgets every step, layer and range (the stored snapshots replace the live ones at a run’s end) and starts thinning afresh', () => {
    const ix = new SnapshotIndex(10);
    for (let k = 0; k < 100; k++) add(ix, 5 * k);
    const before = ix.version;
    ix.clear();
    expect(ix.version).toBeGreaterThan(before);
    expect([ix.steps(), ix.layers(), ix.range, ix.dropped]).toEqual([[], [], null, 0]);
    for (let k = 0; k < 8; k++) add(ix, k);
    expect(ix.steps()).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(ix.range).toEqual({ lo: 1, hi: 8 });
    expect(ix.distribution(ix.layers()[0]).map((d) => d.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });
});

describe('RefreshTimer', () => {
  test('at most one run per period however often requested; an immediate request does not wait', () => {
    vi.useFakeTimers();
    try {
      let runs = 0;
      const t = new RefreshTimer(500, () => runs++);
      for (let i = 0; i < 10; i++) t.request();
      vi.advanceTimersByTime(499);
      expect(runs).toBe(0);
      vi.advanceTimersByTime(1);
      expect(runs).toBe(1);
      t.request();
      t.request(true);
      vi.advanceTimersByTime(0);
      expect(runs).toBe(2);
      t.request();
      t.cancel();
      vi.advanceTimersByTime(1000);
      expect(runs).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('downsampled layers and colour ranges', () => {
  test('a bias of the full rows is block-averaged onto the downsampled rows, as core/train averages the weight', () => {
    const ix = new SnapshotIndex();
    ix.add({ step: 1, layer: 'layers.0.weight', kind: 'effective_lr', shape: [3, 2], originalShape: [7, 4], data: new Float32Array(6).fill(1) });
    ix.add({ step: 1, layer: 'layers.0.bias', kind: 'effective_lr', shape: [7], originalShape: [7], data: Float32Array.from([1, 2, 3, 4, 5, 6, 7]) });
    const f = ix.frame(ix.layers()[0], 1)!;
    // rows ⌊i·7/3⌋ … ⌊(i+1)·7/3⌋ − 1: [0, 1], [2, 3], [4, 5, 6]
    expect([...f.biasValues!]).toEqual([1.5, 3.5, 6]);
  });

  test('the robust range leaves outliers out; full is min–max', () => {
    const ix = new SnapshotIndex();
    const data = new Float32Array(1000).fill(1e-3);
    for (let i = 0; i < 1000; i++) data[i] = 10 ** (-4 + (2 * i) / 999); // 1e-4 … 1e-2, log-uniform
    data[0] = 1e-9; // a parameter that barely moves
    data[1] = 1e5; // a dead unit: lr / ε
    ix.add({ step: 1, layer: 'w', kind: 'effective_lr', shape: [1000], originalShape: [1000], data });
    expect(ix.range!.lo).toBeCloseTo(1e-9, 15);
    expect(ix.range!.hi).toBeCloseTo(1e5, 0);
    const r = ix.robustRange(1)!;
    expect(Math.log10(r.lo)).toBeCloseTo(-3.98, 1);
    expect(Math.log10(r.hi)).toBeCloseTo(-2.02, 1);
  });
});

describe('a step whose snapshots are still arriving', () => {
  test('a layer without a snapshot at the selected step shows its latest earlier one', () => {
    const ix = new SnapshotIndex();
    const add = (step: number, layer: string) => ix.add({ step, layer, kind: 'effective_lr', shape: [2, 2], originalShape: [2, 2], data: new Float32Array(4).fill(step) });
    add(10, 'a.weight');
    add(10, 'b.weight');
    add(20, 'a.weight'); // b's snapshot of step 20 not here yet
    const [a, b] = ix.layers();
    expect(ix.frameAtOrBefore(a, 20)!.step).toBe(20);
    expect(ix.frameAtOrBefore(b, 20)!.step).toBe(10);
    expect(ix.frameAtOrBefore(b, 5)).toBeUndefined();
  });
});
