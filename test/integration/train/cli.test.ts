// `precond train` for real, in child processes, on temp database files: the JSON result on the
// samples, load and flag errors, Ctrl-C, and a training process killed with SIGKILL mid-run.
import Database from 'better-sqlite3';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ResolvedRunConfig } from '../../../src-main/core/train/index.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { precondChild } from '../../helpers/cli.ts';
import { useTempDir } from '../../unit/store/helpers.ts';

interface TrainJson {
  runId: number;
  name: string;
  status: string;
  epochs: number;
  steps: number;
  trainLoss: number;
  valLoss: number;
  valAccuracy?: number;
  valR2?: number;
  valRmse?: number;
  seconds: number;
  samplesPerSecond: number;
  divergedStep: number | null;
  db: string;
  dataset: {
    rowsUsed: number;
    rowsDropped: number;
    excluded: { column: string; reason: string }[];
    task: string;
    sample?: string;
    targetScaling: { method: string; mean: number; std: number } | null;
  };
}

const train = (args: string[]) => precondChild(['train', ...args]).result;
const HINT = 'run "precond train --help" for the flags\n';

/** Steps of a run's train_loss committed so far, read without taking any lock. */
function committedSteps(db: string, runId: number): number[] {
  if (!existsSync(db)) return [];
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return conn
      .prepare("SELECT m.step FROM metrics m JOIN metric_keys k ON k.id = m.key_id WHERE m.run_id = ? AND k.name = 'train_loss' ORDER BY m.step")
      .pluck()
      .all(runId) as number[];
  } catch {
    return []; // the schema is not there yet
  } finally {
    conn.close();
  }
}

async function until(ready: () => boolean, what: string, ms = 30_000): Promise<void> {
  const t0 = performance.now();
  while (!ready()) {
    if (performance.now() - t0 > ms) throw new Error(`${what}: not after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('precond train', () => {
  const tempDir = useTempDir();

  it('--json on the samples: one object with the run, its metrics and the dataset summary', async () => {
    const db = join(tempDir(), 'runs.sqlite');
    const [iris, diabetes, digits] = await Promise.all([
      train(['--data', 'iris', '--model', 'linear', '--epochs', '30', '--lr', '0.01', '--db', db, '--json', '--name', 'iris-linear', '--tag', 'smoke']),
      train(['--data', 'diabetes', '--hidden', '16', '--epochs', '5', '--optimizer', 'rmsprop', '--lr', '0.01', '--db', db, '--json']),
      train(['--data', 'digits', '--hidden', '32,16', '--activation', 'tanh', '--steps', '60', '--eval-every', '20', '--schedule', 'cosine', '--schedule-opts', 'T_max=60', '--db', db, '--json']),
    ]);
    for (const r of [iris, diabetes, digits]) expect(r.status, r.stderr).toBe(0);
    const a = JSON.parse(iris.stdout) as TrainJson;
    expect(a).toMatchObject({ name: 'iris-linear', status: 'finished', epochs: 30, steps: 30 * 4, db });
    expect(a.valAccuracy).toBeGreaterThan(0.8);
    expect(a.trainLoss).toBeGreaterThan(0);
    expect(a.valLoss).toBeGreaterThan(0);
    expect(a.seconds).toBeGreaterThan(0);
    expect(a.samplesPerSecond).toBeGreaterThan(0);
    expect(a.dataset).toMatchObject({ sample: 'iris', rowsUsed: 150, rowsDropped: 0, task: 'classification', excluded: [] });
    expect(a).not.toHaveProperty('valR2');

    const b = JSON.parse(diabetes.stdout) as TrainJson;
    expect(b).toMatchObject({ status: 'finished', epochs: 5, dataset: { task: 'regression' } });
    expect(typeof b.valR2).toBe('number');
    expect(b.valRmse).toBeGreaterThan(0);
    expect(b).not.toHaveProperty('valAccuracy');

    const c = JSON.parse(digits.stdout) as TrainJson;
    expect(c).toMatchObject({ status: 'finished', steps: 60 });
    expect(c.dataset.excluded.map((e) => e.column)).toEqual(['pixel_0_0', 'pixel_4_0', 'pixel_4_7']);
    expect(c.dataset.excluded[0].reason).toMatch(/constant/);

    const store = openStore(db);
    const run = store.getRun(c.runId);
    expect(run.status).toBe('finished');
    expect(run.config).toMatchObject({ model: { kind: 'mlp', hidden: [32, 16], activation: 'tanh' }, schedule: { name: 'cosine', T_max: 60, eta_min: 0 }, training: { steps: 60, evalEvery: 20 } });
    const lr = store.exportSeries(c.runId).find((s) => s.key === 'lr')!;
    expect(lr.step).toEqual([20, 40, 60]);
    // cosine: lr_t = ½·lr·(1 + cos(π·t/T_max)) for the step after t completed ones
    expect(lr.value[0]).toBeCloseTo(0.0005 * (1 + Math.cos((Math.PI * 19) / 60)), 12);
    expect(store.getRun(a.runId).tags).toEqual(['smoke']);
    store.close();
  });

  it('standardizes a regression target by default (diabetes trains with the defaults); --target-scaling none trains on it as is', async () => {
    const db = join(tempDir(), 'runs.sqlite');
    const [defaults, none, text, bad] = await Promise.all([
      train(['--data', 'diabetes', '--db', db, '--json']),
      train(['--data', 'diabetes', '--target-scaling', 'none', '--epochs', '3', '--db', db, '--json']),
      train(['--data', 'diabetes', '--model', 'linear', '--epochs', '2', '--db', db]),
      train(['--data', 'diabetes', '--target-scaling', 'log', '--db', db]),
    ]);
    for (const r of [defaults, none, text]) expect(r.status, r.stderr).toBe(0);
    const a = JSON.parse(defaults.stdout) as TrainJson;
    expect(a).toMatchObject({ status: 'finished', epochs: 20 });
    expect(a.valR2).toBeGreaterThan(0.3); // −3.29 before target scaling
    expect(a.dataset.targetScaling).toMatchObject({ method: 'standardize' });
    const { mean, std } = a.dataset.targetScaling!;
    expect([mean, std].map(Math.round)).toEqual([152, 77]); // diabetes' training target, seed 0
    // valLoss is the MSE of the standardized target; valRmse is in the target's units.
    expect(a.valRmse).toBeCloseTo(Math.sqrt(a.valLoss) * std, 6);
    const b = JSON.parse(none.stdout) as TrainJson;
    expect(b.dataset.targetScaling).toEqual({ method: 'none', mean: 0, std: 1 });
    expect(b.valRmse).toBeCloseTo(Math.sqrt(b.valLoss), 6);
    expect(text.stdout).toMatch(/^ {2}target progression: standardized with the training mean 151\.56 and std 76\.831 /m);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--target-scaling <method>' argument 'log' is invalid\. Allowed choices are standardize, none/);
    const store = openStore(db);
    const stored = (id: number) => store.getRun(id).config as unknown as ResolvedRunConfig;
    expect(stored(a.runId).data.targetScaling).toBe('standardize');
    expect(stored(a.runId).preprocessing!.target.scaling).toEqual(a.dataset.targetScaling);
    expect(stored(b.runId).data.targetScaling).toBe('none');
    store.close();
  });

  it('a diverging run is reported with its step; text output without --json', async () => {
    const db = join(tempDir(), 'runs.sqlite');
    const [diverged, text] = await Promise.all([
      train(['--data', 'diabetes', '--model', 'linear', '--optimizer', 'sgd', '--lr', '10', '--db', db, '--json']),
      train(['--data', 'wine', '--epochs', '3', '--db', db]),
    ]);
    expect(diverged.status).toBe(0);
    const d = JSON.parse(diverged.stdout) as TrainJson;
    expect(d.status).toBe('diverged');
    expect(d.divergedStep).toBe(d.steps);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^run \d+ finished: finished 15 steps\n {2}15 steps, 3 epochs in /);
    expect(text.stdout).toMatch(/val accuracy 0?\.\d+/);
    expect(text.stderr).toMatch(/^run \d+: wine, adam on mlp \(178 rows, 13 features\)$/m);
  });

  it('a load error exits 1 with its message and writes no run; bad flags exit 2', async () => {
    const dir = tempDir();
    const db = join(dir, 'runs.sqlite');
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, 'a,b,y\n1,2,0\n3,4,1\n5,6,7,1\n');
    // 100 rows, 100 distinct values of a continuous target.
    const continuous = join(dir, 'continuous.csv');
    writeFileSync(continuous, 'x,y\n' + Array.from({ length: 100 }, (_, i) => `${i % 7},${Math.sqrt(i + 0.5)}`).join('\n') + '\n');
    const results = await Promise.all([
      train(['--data', ragged, '--db', db]),
      train(['--data', 'nope', '--db', db]),
      train(['--data', 'iris', '--batch-size', '0', '--db', db]),
      train(['--data', 'iris', '--momentum', '0.9', '--db', db]),
      train(['--data', 'iris', '--model', 'linear', '--hidden', '8', '--db', db]),
      train(['--data', 'iris', '--schedule', 'step', '--db', db]),
      train(['--data', 'iris', '--name', '', '--db', db]),
      train(['--data', 'iris', '--tag', 'a,b', '--db', db]),
      train(['--data', 'iris', '--target', 'nope', '--db', db]),
      train(['--data', continuous, '--task', 'classification', '--db', db]),
    ]);
    const [raggedR, nope, batch, momentum, hidden, schedule, name, tag, target, classes] = results;
    expect([raggedR.status, raggedR.stdout]).toEqual([1, '']);
    expect(raggedR.stderr).toBe('precond: ragged.csv line 4, column 4: expected 3 fields, found 4\n');
    expect(nope.status).toBe(1);
    expect(nope.stderr).toMatch(/^precond: no such file or sample dataset: "nope"; the sample datasets are: breast_cancer, diabetes, digits, iris, wine$/m);
    expect(batch.status).toBe(2);
    expect(batch.stderr).toMatch(/--batch-size takes a whole number ≥ 1, not "0"/);
    expect(momentum.status).toBe(2);
    expect(momentum.stderr).toMatch(/^precond: --momentum does not apply to adam/);
    expect(hidden).toMatchObject({ status: 2, stderr: `precond: --hidden needs --model mlp\n${HINT}` });
    expect(schedule).toMatchObject({ status: 2 });
    expect(schedule.stderr).toMatch(/^precond: --schedule-opts step_size is required for schedule step/);
    expect(name).toMatchObject({ status: 2, stderr: `precond: error: option '--name <name>' argument '' is invalid. a run name must be 1-200 characters\n${HINT}` });
    expect(tag).toMatchObject({ status: 2, stderr: `precond: error: option '--tag <tag>' argument 'a,b' is invalid. tag "a,b" must be 1-64 characters without commas (repeat --tag for several tags)\n${HINT}` });
    expect(target.status).toBe(2);
    expect(target.stderr).toMatch(/^precond: iris\.csv: unknown target column "nope"; the columns are: sepal_length_cm, .*, species\n/);
    expect([classes.status, classes.stdout]).toEqual([1, '']);
    expect(classes.stderr).toBe(
      'precond: continuous.csv: the target column "y" has 100 distinct values in 100 rows used: as classes, 100 of them would have a single row ' +
        '(classification needs most classes to have 2 rows or more); if it is a quantity, choose the regression task (--task regression)\n',
    );
    for (const r of results) expect(r.stderr).not.toMatch(/internal error|\bat .*\.ts:\d+/);
    const store = openStore(db);
    expect(store.listRuns({ archived: 'include' })).toEqual([]);
    store.close();
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s stops the run cleanly: status stopped, every point kept, exit %i', async (signal, code) => {
    const db = join(tempDir(), 'runs.sqlite');
    const { child, result } = precondChild(['train', '--data', 'digits', '--epochs', '100000', '--db', db, '--json']);
    await until(() => committedSteps(db, 1).length > 200, 'points committed');
    child.kill(signal);
    const r = await result;
    expect([r.status, child.signalCode]).toEqual([code, null]); // it exited by itself, after stopping the run
    expect(r.stderr).toMatch(signal === 'SIGINT' ? /precond: stopping the run \(Ctrl-C again/ : new RegExp(`precond: ${signal}: stopping the run`));
    const out = JSON.parse(r.stdout) as TrainJson;
    expect(out.status).toBe('stopped');
    const store = openStore(db);
    const run = store.getRun(out.runId);
    expect(run.status).toBe('stopped');
    const steps = store.exportSeries(out.runId).find((s) => s.key === 'train_loss')!.step;
    expect(steps).toEqual(Array.from({ length: out.steps }, (_, i) => i + 1));
    store.close();
  });

  it('a training process killed with SIGKILL mid-run leaves its run interrupted with every committed point', async () => {
    const db = join(tempDir(), 'runs.sqlite');
    const { child, result } = precondChild(['train', '--data', 'digits', '--epochs', '100000', '--db', db]);
    await until(() => committedSteps(db, 1).length > 300, 'points committed');
    const seen = committedSteps(db, 1);
    child.kill('SIGKILL');
    const r = await result;
    expect(r.status).toBeNull();
    expect(child.signalCode).toBe('SIGKILL');

    const store = openStore(db);
    expect(store.recovered.map((x) => [x.id, x.was, x.owner?.pid])).toEqual([[1, 'running', child.pid]]);
    const run = store.getRun(1);
    expect(run.status).toBe('interrupted');
    expect(run.error).toMatch(/^interrupted: process \d+ on .* ended while the run was running; metrics up to step \d+ are kept$/);
    const kept = store.exportSeries(1).find((s) => s.key === 'train_loss')!;
    // Everything committed before the kill is there, gap-free from step 1.
    expect(kept.step.length).toBeGreaterThanOrEqual(seen.length);
    expect(kept.step).toEqual(Array.from({ length: kept.step.length }, (_, i) => i + 1));
    expect(kept.value.slice(0, seen.length).every(Number.isFinite)).toBe(true);
    expect(store.snapshots(1, { withData: false }).length).toBeGreaterThan(0);
    store.close();
  });
});
