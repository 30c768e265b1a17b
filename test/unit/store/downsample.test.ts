import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type MetricPoint, type RunStore, type Series } from '../../../src-main/store/index.ts';
import { LEVEL_SIZES } from '../../../src-main/store/rollup.ts';
import { levelFor } from '../../../src-main/store/series.ts';
import { config, useTempDir } from './helpers.ts';

/**
 * The definition, computed naively from all points: nb = floor((N - 3) / 2) buckets over the
 * point ordinals (whole rollup blocks of the chosen level), each bucket's first minimum and
 * first maximum, plus the first, the last and the first NaN point, ordered by step.
 */
function reference(points: MetricPoint[], maxPoints: number): MetricPoint[] {
  if (points.length <= maxPoints) return points;
  const nb = Math.floor((maxPoints - 3) / 2);
  const level = levelFor(points.length, nb);
  const size = level === 0 ? 1 : LEVEL_SIZES[level - 1];
  const units = Math.ceil(points.length / size);
  const min: (MetricPoint | undefined)[] = [];
  const max: (MetricPoint | undefined)[] = [];
  points.forEach((p, ordinal) => {
    if (Number.isNaN(p.value)) return;
    const b = Math.floor((Math.floor(ordinal / size) * nb) / units);
    if (!min[b] || p.value < min[b]!.value) min[b] = p;
    if (!max[b] || p.value > max[b]!.value) max[b] = p;
  });
  const firstNan = points.find((p) => Number.isNaN(p.value));
  const chosen = new Map<number, MetricPoint>();
  for (const p of [...min, ...max, points[0], points[points.length - 1], firstNan]) if (p) chosen.set(p.step, p);
  return [...chosen.values()].sort((a, b) => a.step - b.step);
}

const asPoints = (s: Series): MetricPoint[] => s.step.map((step, i) => ({ step, epoch: s.epoch[i], wallTime: s.wallTime[i], value: s.value[i] }));

/** A noisy, trending loss with ties, spikes, a stretch of NaN and some infinities; sparse steps. */
function lossCurve(n: number, seed: number): MetricPoint[] {
  let x = seed;
  const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, (_, i) => {
    let value = Math.round((3 * Math.exp(-i / (n / 4)) + rand() * 0.5) * 64) / 64; // rounded: many ties
    if (i % 997 === 500) value = 10 + rand();
    if (i > n * 0.6 && i < n * 0.6 + 40) value = NaN;
    if (i === Math.floor(n * 0.3)) value = -Infinity;
    return { step: 7 + 3 * i, epoch: Math.floor(i / 45), wallTime: i * 0.01 + rand() * 1e-3, value };
  });
}

function storeWith(file: string, series: Record<string, MetricPoint[]>[]): { store: RunStore; ids: number[] } {
  const store = openStore(file);
  const ids = series.map((byKey) => {
    const id = store.createRun({ config: config() });
    store.startRun(id);
    for (const [key, points] of Object.entries(byKey)) for (const p of points) store.log(id, p, { [key]: p.value });
    return id;
  });
  store.writer.flush();
  return { store, ids };
}

describe('downsampled series', () => {
  const tempDir = useTempDir();

  it.each([
    [4, 1000],
    [1000, 1000],
    [1001, 1000],
    [3000, 1000], // under 8 blocks per bucket: raw points
    [5000, 1000], // level 1
    [41000, 1000], // level 2
    [41000, 5], // the smallest budget: one bucket, from level 5
    [41000, 300],
  ])('of %i points to at most %i equal the min-max definition exactly', (n, maxPoints) => {
    const points = lossCurve(n, n + maxPoints);
    const { store, ids } = storeWith(join(tempDir(), 'ds.sqlite'), [{ loss: points }]);
    const [s] = store.series({ runIds: ids, keys: ['loss'], maxPoints });
    const got = asPoints(s);
    expect(got).toEqual(reference(points, maxPoints));
    expect(s).toMatchObject({ runId: ids[0], key: 'loss', count: n, downsampled: n > maxPoints });
    // Whatever the level: within budget, first and last kept, global extremes kept.
    expect(got.length).toBeLessThanOrEqual(maxPoints);
    expect(got[0]).toEqual(points[0]);
    expect(got[got.length - 1]).toEqual(points[n - 1]);
    const finite = points.filter((p) => !Number.isNaN(p.value));
    const lo = finite.reduce((a, b) => (b.value < a.value ? b : a));
    const hi = finite.reduce((a, b) => (b.value > a.value ? b : a));
    expect(got).toContainEqual(lo);
    expect(got).toContainEqual(hi);
    if (n > maxPoints && n > 100) expect(got.length).toBeGreaterThan(maxPoints / 2);
    store.close();
  });

  it('serves several runs x keys in query order, a key a run never logged as an empty series', () => {
    const { store, ids } = storeWith(join(tempDir(), 'many.sqlite'), [
      { train_loss: lossCurve(2000, 1), val_loss: lossCurve(40, 2) },
      { train_loss: lossCurve(700, 3) },
    ]);
    const out = store.series({ runIds: [ids[1], ids[0]], keys: ['val_loss', 'train_loss'], maxPoints: 500 });
    expect(out.map((s) => [s.runId, s.key, s.count, s.step.length <= 500, s.downsampled])).toEqual([
      [ids[1], 'val_loss', 0, true, false],
      [ids[1], 'train_loss', 700, true, true],
      [ids[0], 'val_loss', 40, true, false],
      [ids[0], 'train_loss', 2000, true, true],
    ]);
    expect(store.series({ runIds: [ids[0]], keys: ['never_logged'], maxPoints: 10 })[0].step).toEqual([]);
    expect(() => store.series({ runIds: [ids[0], 99], keys: ['train_loss'], maxPoints: 10 })).toThrow('run 99 not found');
    expect(() => store.series({ runIds: [ids[0]], keys: ['train_loss'], maxPoints: 4 })).toThrow('maxPoints must be a whole number >= 5');
    store.close();
  });

  it('exports every point: per key, and as one row per step with a column per key', () => {
    const train = lossCurve(12000, 5).map((p, i) => ({ ...p, step: i }));
    const val = train.filter((p) => p.step % 45 === 44).map((p) => ({ ...p, wallTime: p.wallTime + 0.5, value: p.value / 2 }));
    const lr = train.filter((p) => p.step < 100);
    const { store, ids } = storeWith(join(tempDir(), 'export.sqlite'), [{ train_loss: train, val_loss: val, lr }]);
    const full = store.exportSeries(ids[0]);
    expect(full.map((s) => [s.key, s.count])).toEqual([
      ['lr', 100],
      ['train_loss', 12000],
      ['val_loss', val.length],
    ]);
    expect(asPoints(full[1])).toEqual(train);

    const table = store.exportTable(ids[0]);
    expect(table.keys).toEqual(['lr', 'train_loss', 'val_loss']);
    const rows = [...table.rows()];
    expect(rows).toHaveLength(12000);
    expect(rows.map((r) => r.step)).toEqual(train.map((p) => p.step));
    const byStep = (list: MetricPoint[]) => new Map(list.map((p) => [p.step, p.value]));
    const [lrAt, valAt] = [byStep(lr), byStep(val)];
    expect(rows).toEqual(
      // epoch of the step, its earliest wall time, then a value per key (undefined: not logged then)
      train.map((p) => ({ step: p.step, epoch: p.epoch, wallTime: p.wallTime, values: [lrAt.get(p.step), p.value, valAt.get(p.step)] })),
    );
    store.close();
  });
});
