// The live feed: a run's events coalesced to a display rate for the UI's connections — at most
// one batch per interval with every point (or, past the budget, each chunk's first, min, max and
// last, and every non-finite value), the newest snapshot step at most every snapshot interval,
// the latest progress; status at once, after what was pending; events nobody wants dropped.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { decimatePoints, LiveFeed } from '../../../src-main/api/live.ts';
import type { LivePoint, RunEvent } from '../../../src-main/runner/types.ts';

const point = (step: number, value: number, key = 'train_loss'): LivePoint => ({ key, step, epoch: step / 10, wallTime: step / 100, value });
const snapshot = (step: number, layer: string, kind = 'effective_lr'): RunEvent => ({ type: 'snapshot', runId: 1, step, layer, kind, shape: [2], originalShape: [2], data: new Float32Array([step, 1]) });
const progress = (step: number): RunEvent => ({ type: 'progress', runId: 1, step, totalSteps: 100, epoch: 0, epochs: 1, samplesPerSecond: 1, etaSeconds: null });
const metrics = (points: LivePoint[], runId = 1): RunEvent => ({ type: 'metrics', runId, points });

describe('decimatePoints', () => {
  test('a batch within the budget passes whole, in order', () => {
    const pts = [3, 1, 2].map((v, i) => point(i, v));
    expect(decimatePoints(pts, 4)).toBe(pts);
  });

  test('past the budget: each chunk keeps its first, min, max and last point; the series its first and last', () => {
    // 100 points, budget 8: 2 chunks of 50
    const values = Array.from({ length: 100 }, (_, i) => Math.sin(i));
    values[17] = -5; // chunk 0's min
    values[33] = 9; // chunk 0's max
    values[70] = -7; // chunk 1's min
    values[81] = 8; // chunk 1's max
    const out = decimatePoints(values.map((v, i) => point(i, v)), 8);
    expect(out.map((p) => p.step)).toEqual([0, 17, 33, 49, 50, 70, 81, 99]);
  });

  test('every non-finite value stays (a divergence must show), never taken as a min or max', () => {
    const values = Array.from({ length: 60 }, (_, i) => i);
    values[10] = NaN;
    values[20] = Infinity;
    values[30] = -Infinity;
    const out = decimatePoints(values.map((v, i) => point(i, v)), 4);
    expect(out.map((p) => p.step)).toEqual([0, 10, 20, 30, 59]);
  });
});

describe('LiveFeed', () => {
  let out: RunEvent[];
  let wanted: (e: RunEvent) => boolean;
  let feed: LiveFeed;
  beforeEach(() => {
    vi.useFakeTimers();
    out = [];
    wanted = () => true;
    feed = new LiveFeed((e) => out.push(e), (e) => wanted(e), { intervalMs: 100, snapshotIntervalMs: 500, pointsPerKey: 8 });
  });
  afterEach(() => {
    feed.close();
    vi.useRealTimers();
  });
  const types = () => out.map((e) => e.type);

  test('one batch per interval per run: the points of every event since the last, the latest progress', () => {
    for (let step = 1; step <= 5; step++) {
      feed.push(metrics([point(step, 1 / step)]));
      feed.push(progress(step));
    }
    expect(out).toEqual([]);
    vi.advanceTimersByTime(0);
    expect(types()).toEqual(['metrics', 'progress']);
    expect((out[0] as Extract<RunEvent, { type: 'metrics' }>).points.map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
    expect((out[1] as Extract<RunEvent, { type: 'progress' }>).step).toBe(5);
    out = [];
    feed.push(metrics([point(6, 0.1)]));
    vi.advanceTimersByTime(99);
    expect(out).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(types()).toEqual(['metrics']);
  });

  test('a key past the budget is decimated in its batch, another key of the same batch is not', () => {
    const pts = Array.from({ length: 100 }, (_, i) => point(i, Math.cos(i)));
    feed.push(metrics([...pts, point(99, 0.5, 'val_loss')]));
    vi.advanceTimersByTime(0);
    const sent = (out[0] as Extract<RunEvent, { type: 'metrics' }>).points;
    const loss = sent.filter((p) => p.key === 'train_loss');
    expect(loss.length).toBeLessThanOrEqual(8);
    expect(loss[0].step).toBe(0);
    expect(loss.at(-1)!.step).toBe(99);
    expect(sent.filter((p) => p.key === 'val_loss')).toEqual([point(99, 0.5, 'val_loss')]);
  });

  test('snapshots: the newest step only (all its layers), at most one step per snapshot interval', () => {
    feed.push(snapshot(10, 'a'));
    feed.push(snapshot(10, 'b'));
    vi.advanceTimersByTime(0);
    expect(out.map((e) => (e.type === 'snapshot' ? `${e.step}${e.layer}` : e.type))).toEqual(['10a', '10b']);
    out = [];
    for (const step of [20, 30, 40]) {
      feed.push(snapshot(step, 'a'));
      feed.push(snapshot(step, 'b'));
      feed.push(metrics([point(step, 1)]));
      vi.advanceTimersByTime(100);
    }
    // metrics went out every interval; no snapshot before 500 ms since the last
    expect(types()).toEqual(['metrics', 'metrics', 'metrics']);
    out = [];
    vi.advanceTimersByTime(300);
    expect(out.map((e) => (e.type === 'snapshot' ? `${e.step}${e.layer}` : e.type))).toEqual(['40a', '40b']);
  });

  test('a status goes out at once, after everything pending (the last snapshot too); an ended run is forgotten', () => {
    feed.push(snapshot(1, 'a'));
    vi.advanceTimersByTime(0);
    out = [];
    feed.push(metrics([point(7, 0.2)]));
    feed.push(snapshot(7, 'a'));
    feed.push(progress(7));
    feed.push({ type: 'status', runId: 1, status: 'finished' });
    expect(types()).toEqual(['metrics', 'snapshot', 'progress', 'status']);
    out = [];
    vi.advanceTimersByTime(1000);
    expect(out).toEqual([]);
    // a pause flushes too, and the run goes on afterwards
    feed.push(metrics([point(8, 0.2)], 2));
    feed.push({ type: 'status', runId: 2, status: 'paused' });
    expect(types()).toEqual(['metrics', 'status']);
  });

  test('events no connection wants are not kept; runs are coalesced separately', () => {
    wanted = (e) => e.runId !== 3 || e.type === 'status';
    feed.push(metrics([point(1, 1)], 3));
    feed.push(metrics([point(1, 1)], 4));
    feed.push({ type: 'status', runId: 3, status: 'running' });
    vi.advanceTimersByTime(0);
    expect(out.map((e) => `${e.type}${e.runId}`)).toEqual(['status3', 'metrics4']);
  });

  test('interval 0: every wanted event at once, as it came', () => {
    const direct: RunEvent[] = [];
    const passthrough = new LiveFeed((e) => direct.push(e), () => true, { intervalMs: 0 });
    const events = [metrics([point(1, 1)]), progress(1), snapshot(1, 'a'), snapshot(1, 'a')];
    for (const e of events) passthrough.push(e);
    expect(direct).toEqual(events);
  });
});
