// `precond sweep` as a user runs it: the real CLI in a child process, the worker pool, a temp store.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { openStore } from '../../../src-main/store/index.ts';
import { precond, precondChild } from '../../helpers/cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'precond-sweep-cli-'));
const db = join(dir, 'precond.sqlite');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface SweepJson {
  sweepId: number;
  name: string;
  members: { runId: number; lr: number; seed: number; status: string; valLoss: number | null; divergedStep: number | null }[];
  metric: string;
  best: { optimizer: string; lr: number; value: number; count: number; runIds: number[] } | null;
  diverged: { runId: number; optimizer: string; lr: number; seed: number; divergedStep: number | null }[];
}

describe('precond sweep', () => {
  test('SGD over three learning rates and two seeds on iris: one stored sweep, the best lr and the diverged one', () => {
    const r = precond(['sweep', '--data', 'iris', '--optimizer', 'sgd', '--hidden', '16', '--epochs', '5', '--lrs', '0.01,1,100', '--seeds', '2', '--seed', '3', '--workers', '2', '--db', db, '--json']);
    expect(r.stderr).not.toMatch(/Error|at .*\.ts/);
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as SweepJson;
    expect(out.members.map((m) => [m.lr, m.seed])).toEqual([
      [0.01, 3],
      [0.01, 4],
      [1, 3],
      [1, 4],
      [100, 3],
      [100, 4],
    ]);
    expect(out.members.filter((m) => m.lr === 100).map((m) => m.status)).toEqual(['diverged', 'diverged']);
    expect(out.diverged.map((d) => d.lr)).toEqual([100, 100]);
    expect(out.diverged.map((d) => d.seed)).toEqual([3, 4]);
    // The best lr has the lowest mean final validation loss over its seeds.
    const finished = out.members.filter((m) => m.status === 'finished');
    expect(finished).toHaveLength(4);
    const meanAt = (lr: number) => finished.filter((m) => m.lr === lr).reduce((s, m) => s + m.valLoss!, 0) / 2;
    const bestLr = meanAt(0.01) < meanAt(1) ? 0.01 : 1;
    expect(out.metric).toBe('val_loss');
    expect(out.best).toMatchObject({ optimizer: 'sgd', lr: bestLr, count: 2, runIds: finished.filter((m) => m.lr === bestLr).map((m) => m.runId) });
    expect(out.best!.value).toBeCloseTo(meanAt(bestLr), 12);

    const store = openStore(db);
    try {
      const sweep = store.getSweep(out.sweepId);
      expect(sweep.name).toBe('sgd lr 0.01…100 ×3, 2 seeds · mlp · iris');
      expect(sweep.runIds).toEqual(out.members.map((m) => m.runId));
      expect(sweep.members.map((m) => [m.lr, m.seed])).toEqual(out.members.map((m) => [m.lr, m.seed]));
      expect(store.getRun(out.members[0].runId).config.training).toMatchObject({ epochs: 5, seed: 3 });
    } finally {
      store.close();
    }
  });

  test.each([
    [['--lrs', '0:1:5'], /^precond: --lrs: lr\.from: expected a learning rate > 0, found 0$/m],
    [['--lrs', '1e-4:1:40', '--seeds', '3'], /^precond: --seeds: this sweep is 40 learning rates × 3 seeds = 120 runs; at most 100/m],
    [['--optimizers', 'sgd,adamm'], /^precond: --optimizers: run 2 of 2 \(optimizer adamm\): .*unknown optimizer "adamm"/m],
    [['--lrs', '0.1,1', '--batch-size', '0'], /--batch-size takes a whole number ≥ 1/],
    [['--lrs', '1e-4:x'], /--lrs takes FROM:TO:COUNT\[:log\|linear\]/],
    [[], /needs --lrs, --seeds or --optimizers/],
  ])('a bad sweep %j exits 2 naming the flag and launches nothing', (args, message) => {
    const before = openStore(db);
    const count = before.listRuns().length;
    before.close();
    const r = precond(['sweep', '--data', 'iris', '--db', db, ...args]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    const after = openStore(db);
    expect(after.listRuns().length).toBe(count);
    after.close();
  });

  test('--plan prints the members and launches nothing', () => {
    const r = precond(['sweep', '--data', 'iris', '--optimizer', 'sgd', '--lrs', '1e-4:1:5', '--plan', '--json', '--db', join(dir, 'plan.sqlite')]);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as { lrs: number[]; members: { name: string; lr: number }[] };
    expect(plan.lrs).toEqual([1e-4, 1e-3, 1e-2, 0.1, 1]);
    expect(plan.members.map((m) => m.name)).toEqual(['sgd(lr=1e-4) · mlp · iris', 'sgd(lr=0.001) · mlp · iris', 'sgd(lr=0.01) · mlp · iris', 'sgd(lr=0.1) · mlp · iris', 'sgd(lr=1) · mlp · iris']);
  });

  test('SIGTERM stops every member cleanly: each run stopped with its points, exit 143', async () => {
    const own = join(dir, 'signal.sqlite');
    const { child, result } = precondChild(['sweep', '--data', 'digits', '--epochs', '100000', '--lrs', '0.001,0.01', '--workers', '2', '--db', own, '--json']);
    const running = () => {
      try {
        const s = openStore(own);
        try {
          return s.listRuns({ archived: 'include' }).filter((r) => r.status === 'running' && (r.lastStep ?? 0) > 50).length;
        } finally {
          s.close();
        }
      } catch {
        return 0; // not created yet
      }
    };
    const t0 = performance.now();
    while (running() < 2) {
      if (performance.now() - t0 > 60_000) throw new Error('the two members did not start training');
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGTERM');
    const r = await result;
    expect([r.status, child.signalCode]).toEqual([143, null]);
    expect(r.stderr).toMatch(/precond: SIGTERM: stopping the sweep/);
    const out = JSON.parse(r.stdout) as SweepJson;
    expect(out.members.map((m) => m.status)).toEqual(['stopped', 'stopped']);
    const store = openStore(own);
    for (const m of out.members) expect(store.getRun(m.runId).status).toBe('stopped');
    store.close();
  });
});
