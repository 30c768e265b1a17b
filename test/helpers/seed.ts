// Stored runs for tests of what reads them (API, views): written through the real store, with
// metric curves and effective-step snapshots shaped like a training run's (a two-layer MLP on a
// 4-feature, 3-class problem), computed from closed formulas so tests can check exact values.
import type { RunConfig, RunStore } from '../../src-main/store/index.ts';

export const SEED_LAYERS = [
  { name: 'layers.0.weight', shape: [8, 4] },
  { name: 'layers.0.bias', shape: [8] },
  { name: 'layers.1.weight', shape: [3, 8] },
  { name: 'layers.1.bias', shape: [3] },
] as const;

export function seedConfig(over: Partial<{ lr: number; optimizer: string; source: string; seed: number }> = {}): RunConfig {
  return {
    model: { kind: 'mlp', hidden: [8], activation: 'relu' },
    optimizer: { name: over.optimizer ?? 'adam', preset: 'torch', hyperparams: { lr: over.lr ?? 0.01, betas: [0.9, 0.999], eps: 1e-8 } },
    schedule: null,
    data: { source: over.source ?? 'iris', missing: 'drop', valSplit: 0.2 },
    training: { epochs: 10, batchSize: 16, seed: over.seed ?? 0 },
  };
}

/** train_loss at step t: 1.1·e^(−t/40) + 0.05. */
export const seedLoss = (t: number) => 1.1 * Math.exp(-t / 40) + 0.05;
/** effective step of element i of a layer at step t: lr·10^(−1 − (i mod 7)/3)·(1 + t/100). */
export const seedEffective = (lr: number, i: number, t: number) => lr * 10 ** (-1 - (i % 7) / 3) * (1 + t / 100);
/** parameter value of element i at step t. */
export const seedParam = (i: number, t: number) => Math.sin(i + 1) * (1 + t / 200);

export interface SeedOptions {
  name?: string;
  steps?: number;
  evalEvery?: number;
  snapshotEvery?: number;
  /** 'finished' (default), 'stopped', 'diverged', or leave it running (an active run of this process). */
  end?: 'finished' | 'running' | 'diverged' | 'stopped';
  /** Record a preprocessing with this many training rows (as the runner does), so the run has a plan of epochs · ⌈rows / 16⌉ steps. */
  trainRows?: number;
  lr?: number;
  source?: string;
  optimizer?: string;
  /** training.seed of the config (the curves do not depend on it). */
  seed?: number;
  tags?: string[];
  /** train_loss at step t; default seedLoss. */
  loss?: (t: number) => number;
}

/** A run with steps 0..steps-1 of train_loss, lr; every evalEvery steps val_loss, val_accuracy, grad_norm; snapshots every snapshotEvery. */
export function seedRun(store: RunStore, o: SeedOptions = {}): number {
  const steps = o.steps ?? 120;
  const evalEvery = o.evalEvery ?? 10;
  const snapEvery = o.snapshotEvery ?? 20;
  const lr = o.lr ?? 0.01;
  const loss = o.loss ?? seedLoss;
  const config = seedConfig({ lr, source: o.source, optimizer: o.optimizer, seed: o.seed });
  if (o.trainRows !== undefined) config.preprocessing = { split: { seed: 0, valSplit: 0.2, stratified: true, train: o.trainRows, validation: 0 } };
  const id = store.createRun({ config, name: o.name ?? 'seeded adam run', tags: o.tags ?? ['seed'] });
  store.startRun(id);
  for (let t = 0; t < steps; t++) {
    const at = { step: t, epoch: t / 8, wallTime: t * 0.01 };
    store.log(id, at, { train_loss: loss(t), lr });
    if (t % evalEvery === 0 || t === steps - 1) store.log(id, at, { val_loss: loss(t) + 0.03, val_accuracy: Math.min(1, 0.3 + t / steps), grad_norm: 2 * Math.exp(-t / 60) });
    if (t % snapEvery === 0 || t === steps - 1) {
      for (const layer of SEED_LAYERS) {
        const n = layer.shape.reduce((a: number, b: number) => a * b, 1);
        const shape = [...layer.shape];
        store.logSnapshot(id, { step: t, layer: layer.name, kind: 'effective_lr', shape, data: Float32Array.from({ length: n }, (_, i) => seedEffective(lr, i, t)) });
        store.logSnapshot(id, { step: t, layer: layer.name, kind: 'param', shape, data: Float32Array.from({ length: n }, (_, i) => seedParam(i, t)) });
      }
    }
  }
  if (o.end === 'running') {
    store.writer.flush();
    return id;
  }
  store.endRun(id, o.end ?? 'finished', o.end === 'diverged' ? { divergedStep: steps - 1, error: 'the loss became NaN' } : { final: { train_loss: loss(steps - 1) } });
  return id;
}
