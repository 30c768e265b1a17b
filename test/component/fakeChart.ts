// A stand-in for chart.js in happy-dom (which has no canvas): records the configuration it is
// given and every update, so tests can check what the components hand to chart.js and how often.
import type { ChartConfiguration } from 'chart.js';

export class FakeChart {
  static instances: FakeChart[] = [];
  data: { datasets: { label?: string; data: { x: number; y: number }[]; hidden?: boolean; borderColor?: unknown; borderWidth?: unknown; fill?: unknown }[] };
  options: Record<string, unknown> & { plugins?: Record<string, Record<string, unknown> & { labels?: Record<string, unknown> }>; onHover?: (...a: unknown[]) => void };
  updates: (string | undefined)[] = [];
  destroyed = false;
  width = 600;
  height = 300;
  canvas: HTMLCanvasElement;

  constructor(canvas: HTMLCanvasElement, config: ChartConfiguration) {
    this.canvas = canvas;
    this.data = config.data as FakeChart['data'];
    this.options = config.options as FakeChart['options'];
    FakeChart.instances.push(this);
  }
  update(mode?: string): void {
    this.updates.push(mode);
  }
  destroy(): void {
    this.destroyed = true;
  }
  isDatasetVisible(i: number): boolean {
    return !this.data.datasets[i].hidden;
  }
}

/** A manual requestAnimationFrame: callbacks run only when runFrames() is called. */
export function manualFrames(): { raf: (cb: FrameRequestCallback) => number; caf: (id: number) => void; runFrames: () => number; pending: () => number } {
  let queue = new Map<number, FrameRequestCallback>();
  let next = 1;
  return {
    raf: (cb) => {
      queue.set(next, cb);
      return next++;
    },
    caf: (id) => {
      queue.delete(id);
    },
    runFrames: () => {
      const q = queue;
      queue = new Map();
      for (const cb of q.values()) cb(performance.now());
      return q.size;
    },
    pending: () => queue.size,
  };
}
