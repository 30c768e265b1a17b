// The Goldilocks reading of a sweep (core/sweep/analysis.ts): which lr is best, which members
// diverged, means over seeds, what is left out while members still train.
import { describe, expect, test } from 'vitest';
import { analyzeSweep, defaultSweepMetric, type SweepMemberOutcome } from '../../../src-main/core/sweep/index.ts';

let nextId = 1;
const member = (o: Partial<SweepMemberOutcome> & { lr: number | null; status: string; summary: Record<string, number> }): SweepMemberOutcome => ({
  runId: nextId++,
  optimizer: 'sgd',
  seed: 0,
  divergedStep: null,
  ...o,
});

describe('analyzeSweep', () => {
  test('the best lr is the lowest final loss among finished members; diverged and NaN ones marked, active ones left out', () => {
    const members = [
      member({ lr: 0.001, status: 'finished', summary: { val_loss: 1.2, train_loss: 1.1 } }),
      member({ lr: 0.1, status: 'finished', summary: { val_loss: 0.38, train_loss: 0.3 } }),
      member({ lr: 1, status: 'running', summary: { val_loss: 0.01, train_loss: 0.01 } }),
      member({ lr: 3, status: 'finished', summary: { val_loss: NaN, train_loss: 0.2 } }),
      member({ lr: 10, status: 'diverged', summary: { val_loss: 1e5, train_loss: 7e6 }, divergedStep: 11 }),
      member({ lr: 20, status: 'stopped', summary: { val_loss: 0.001 } }),
    ];
    const a = analyzeSweep(members);
    expect(a.metric).toBe('val_loss');
    expect(a.best).toMatchObject({ lr: 0.1, mean: 0.38, optimizer: 'sgd', count: 1 });
    expect(a.diverged.map((p) => [p.lr, p.divergedStep, p.value])).toEqual([
      [3, null, null],
      [10, 11, 1e5],
    ]);
    expect(a.counts).toEqual({ finished: 2, diverged: 2, active: 1, ended: 1 });
    expect(a.means.map((m) => [m.lr, m.mean])).toEqual([
      [0.001, 1.2],
      [0.1, 0.38],
    ]);
    // Once the running member finishes lower, it is the best.
    members[2] = { ...members[2], status: 'finished' };
    expect(analyzeSweep(members).best?.lr).toBe(1);
  });

  test('with seeds the best lr has the lowest mean, not the luckiest seed; per optimizer; accuracy is maximized', () => {
    const members = [
      member({ lr: 0.01, seed: 0, status: 'finished', summary: { val_loss: 0.5, val_accuracy: 0.8 } }),
      member({ lr: 0.01, seed: 1, status: 'finished', summary: { val_loss: 0.05, val_accuracy: 0.9 } }),
      member({ lr: 0.1, seed: 0, status: 'finished', summary: { val_loss: 0.25, val_accuracy: 0.95 } }),
      member({ lr: 0.1, seed: 1, status: 'finished', summary: { val_loss: 0.25, val_accuracy: 0.97 } }),
      member({ optimizer: 'adam', lr: 0.01, status: 'finished', summary: { val_loss: 0.26, val_accuracy: 0.5 } }),
    ];
    const a = analyzeSweep(members, 'val_loss');
    expect(a.means.map((m) => [m.optimizer, m.lr, m.mean, m.count])).toEqual([
      ['sgd', 0.01, 0.275, 2],
      ['sgd', 0.1, 0.25, 2],
      ['adam', 0.01, 0.26, 1],
    ]);
    expect(a.best).toMatchObject({ optimizer: 'sgd', lr: 0.1, runIds: [members[2].runId, members[3].runId] });
    const acc = analyzeSweep(members, 'val_accuracy');
    expect(acc.higherIsBetter).toBe(true);
    expect(acc.best).toMatchObject({ lr: 0.1, mean: 0.96 });
  });

  test('nothing finished: no best; the training loss without a validation loss; members without an lr left out', () => {
    const members = [member({ lr: 0.1, status: 'queued', summary: {} }), member({ lr: 1, status: 'running', summary: { train_loss: 2 } }), member({ lr: null, status: 'finished', summary: { train_loss: 1 } })];
    expect(defaultSweepMetric(members)).toBe('train_loss');
    const a = analyzeSweep(members);
    expect(a.best).toBeNull();
    expect(a.members.map((m) => m.lr)).toEqual([0.1, 1]);
  });
});
