// `precond runs ...` run for real, in child processes, on temp database files.
import { parse } from 'csv-parse/sync';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, type MetricPoint } from '../../../src-main/store/index.ts';
import { spawn } from 'node:child_process';
import { BIN, precond, type CliResult } from '../../helpers/cli.ts';
import { config, useTempDir } from '../../unit/store/helpers.ts';

const train: MetricPoint[] = Array.from({ length: 2000 }, (_, s) => ({
  step: s,
  epoch: Math.floor(s / 45),
  wallTime: s * 0.0123 + 1e-9 * s * s,
  value: s === 1500 ? Infinity : s === 1999 ? NaN : 2 * Math.exp(-s / 700) + 1e-17 * s,
}));
const val = train.filter((p) => p.step % 45 === 44).map((p) => ({ ...p, wallTime: p.wallTime + 0.004, value: 1 / (p.epoch + 1) }));

/** Run 1: adam on digits, finished, tagged; run 2: sgd on iris, failed; run 3: archived. */
function fixture(file: string): void {
  const store = openStore(file);
  const a = store.createRun({ config: config({ optimizer: 'adam', lr: 0.001, source: 'digits' }), name: 'adam, "quoted"', tags: ['baseline'] });
  const b = store.createRun({ config: config({ optimizer: 'sgd', lr: 0.1, source: '/data/iris.csv' }), notes: 'too hot' });
  const c = store.createRun({ config: config({ optimizer: 'rmsprop', lr: 0.01 }), name: 'old one' });
  for (const id of [a, b, c]) store.startRun(id);
  for (const p of train) {
    const values: Record<string, number> = { train_loss: p.value, 'update_ratio/layers.0.weight': p.step / 1e4 };
    if (p.step < 10) values.lr = 0.001 * (p.step + 1);
    store.log(a, p, values);
  }
  for (const p of val) store.log(a, p, { val_loss: p.value });
  store.log(b, { step: 0, epoch: 0, wallTime: 0 }, { train_loss: 3 });
  store.endRun(a, 'finished', { final: { val_accuracy: 0.962 } });
  store.endRun(b, 'failed', { error: 'worker threw' });
  store.endRun(c, 'stopped');
  store.archiveRun(c);
  store.close();
}

/** The same as precond(), without blocking: independent commands run side by side (2 cores). */
function precondAsync(args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const json = <T>(stdout: string) => JSON.parse(stdout) as T;
const num = (cell: string) => (cell === '' ? undefined : Number(cell));

describe('precond runs', () => {
  const tempDir = useTempDir();

  it('lists runs with filters, sorting and JSON output', async () => {
    const db = join(tempDir(), 'runs.sqlite');
    fixture(db);
    const [table, filtered, sorted, byMetric] = await Promise.all(
      [
        [],
        ['--json', '--status', 'failed,finished', '--optimizer', 'adam', '--tag', 'baseline', '--dataset', 'digits', '--search', 'QUOTED'],
        ['--json', '--all', '--sort', 'hp.lr', '--desc', '--where', 'hp.lr>=0.01', '--limit', '5'],
        ['--archived', '--sort', 'val_accuracy', '--desc'],
      ].map((args) => precondAsync(['runs', 'list', '--db', db, ...args])),
    );
    for (const r of [table, filtered, sorted, byMetric]) expect([r.status, r.stderr]).toEqual([0, '']);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+STATUS\s+NAME\s+OPTIMIZER\s+DATASET\s+STEPS\s+CREATED\s+TAGS$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 2))).toEqual([
      ['2', 'failed'],
      ['1', 'finished'],
    ]);
    expect(lines[2]).toMatch(/adam, "quoted"\s+adam\s+digits\s+1999\s.*baseline$/); // STEPS: the last step logged
    const [only, ...others] = json<Record<string, unknown>[]>(filtered.stdout);
    expect(others).toEqual([]);
    expect(only).toMatchObject({ id: 1, status: 'finished', dataset: 'digits', hyperparams: { lr: 0.001 }, summary: { val_accuracy: 0.962 } });
    expect(json<{ id: number }[]>(sorted.stdout).map((r) => r.id)).toEqual([2, 3]);
    expect(byMetric.stdout.split('\n')[0]).toMatch(/CREATED\s+VAL_ACCURACY\s+TAGS/);
    expect(byMetric.stdout.split('\n')[1]).toMatch(/^3\s+stopped \(archived\)\s+old one\s.*\s-$/);
  });

  it('shows one run, as text and as JSON where NaN and Infinity survive', async () => {
    const db = join(tempDir(), 'show.sqlite');
    fixture(db);
    const [text, asJson] = await Promise.all([[], ['--json']].map((args) => precondAsync(['runs', 'show', '1', '--db', db, ...args])));
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^status\s+finished$/m);
    expect(text.stdout).toMatch(/^tags\s+baseline$/m);
    expect(text.stdout).toMatch(/^train_loss\s+2000\s+0\.\.1999\s+NaN\s+/m);
    expect(text.stdout).toMatch(/^val_accuracy\s+0\s+-\s+-\s+-\s+-\s+0\.962$/m);
    expect(text.stdout).toMatch(/^config \{\n {2}"model"/m);
    const run = json<{ summary: Record<string, unknown>; series: { key: string; max: { value: unknown } }[] }>(asJson.stdout);
    expect(run.summary).toMatchObject({ train_loss: 'NaN', val_accuracy: 0.962 });
    expect(run.series.find((s) => s.key === 'train_loss')!.max.value).toBe('Infinity');
  });

  it('exports every point as CSV (one row per step, a column per key) and JSON, round trip exact', async () => {
    const dir = tempDir();
    const db = join(dir, 'export.sqlite');
    fixture(db);
    const out = join(dir, 'run1.csv');
    const [r, viaJson] = await Promise.all([
      precondAsync(['runs', 'export', '1', '--db', db, '--out', out]),
      precondAsync(['runs', 'export', '1', '--db', db, '--format', 'json']),
    ]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wrote run 1 (2000 rows) to ${out}\n`);
    const [header, ...rows] = parse(readFileSync(out, 'utf8')) as string[][];
    expect(header).toEqual(['step', 'epoch', 'wall_time', 'lr', 'train_loss', 'update_ratio/layers.0.weight', 'val_loss']);
    expect(rows).toHaveLength(2000);
    const valAt = new Map(val.map((p) => [p.step, p]));
    expect(rows.map((row) => row.map(num))).toEqual(
      train.map((p) => [p.step, p.epoch, p.wallTime, p.step < 10 ? 0.001 * (p.step + 1) : undefined, p.value, p.step / 1e4, valAt.get(p.step)?.value]),
    );

    expect(viaJson.status).toBe(0);
    const doc = json<{ run: { id: number }; series: { key: string; step: number[]; epoch: number[]; wallTime: number[]; value: (number | string)[] }[] }>(viaJson.stdout);
    expect(doc.run.id).toBe(1);
    const loss = doc.series.find((s) => s.key === 'train_loss')!;
    expect(loss.value.map(Number)).toEqual(train.map((p) => p.value));
    expect(loss.wallTime).toEqual(train.map((p) => p.wallTime));
    expect(doc.series.find((s) => s.key === 'val_loss')!.wallTime).toEqual(val.map((p) => p.wallTime)); // per-key wall times kept
  });

  it('tags, renames, archives, unarchives and deletes', async () => {
    const db = join(tempDir(), 'edit.sqlite');
    fixture(db);
    // Separate processes on one file at the same time, as a user with two terminals would.
    const outputs = await Promise.all(
      [
        ['tag', '2', 'retry'],
        ['tag', '1', 'baseline', '--remove'],
        ['rename', '2', 'sgd hot'],
        ['archive', '2'],
        ['unarchive', '3'],
      ].map((args) => precondAsync(['runs', ...args, '--db', db])),
    );
    expect(outputs.map((r) => [r.status, r.stdout, r.stderr])).toEqual([
      [0, 'run 2: tagged retry\n', ''],
      [0, 'run 1: removed tag baseline\n', ''],
      [0, 'run 2 renamed to sgd hot\n', ''],
      [0, 'run 2 archived\n', ''],
      [0, 'run 3 unarchived\n', ''],
    ]);
    expect(precond(['runs', 'delete', '1', '--db', db]).stdout).toBe('deleted run 1 (adam, "quoted")\n');
    const store = openStore(db);
    expect(store.listRuns({ archived: 'include', sort: { key: 'id' } }).map((r) => [r.id, r.name, r.tags, r.archived])).toEqual([
      [2, 'sgd hot', ['retry'], true],
      [3, 'old one', [], false],
    ]);
    expect(() => store.getRun(1)).toThrow('run 1 not found');
    store.close();
  });

  it('every bad flag or argument value is a usage error (exit 2) naming what was expected, and changes nothing', async () => {
    const db = join(tempDir(), 'flags.sqlite');
    fixture(db);
    const cases: [string[], RegExp][] = [
      [['list', '--where', 'hp.lr>>1'], /^precond: --where 'hp\.lr>>1': expected KEY OP VALUE with OP one of .*, e\.g\. hp\.lr<=0\.01; after > came '>1', not a value$/],
      [['list', '--where', 'hp.lr<'], /^precond: --where 'hp\.lr<': expected KEY OP VALUE .*; after < came nothing, not a value$/],
      [['list', '--where', 'bogus>1'], /^precond: --where 'bogus>1': unknown key "bogus": use one of id, name, .*, or a metric \(.*val_loss\)$/],
      [['list', '--sort', 'nope'], /^precond: --sort 'nope': unknown key "nope"/],
      [['list', '--where', 'hp.lr'], /^precond: --where 'hp\.lr': expected KEY OP VALUE/],
      [['list', '--limit', 'x'], /^precond: error: option '--limit <n>' argument 'x' is invalid/],
      [['tag', '1', 'a,b'], /^precond: error: .*'a,b' is invalid for argument 'tag'\. tag "a,b" must be 1-64 characters without commas \(one tag per command\)$/],
      [['rename', '1', ' '], /^precond: error: .*' ' is invalid for argument 'name'\. a run name must be 1-200 characters$/],
    ];
    const results = await Promise.all(cases.map(([args]) => precondAsync(['runs', ...args, '--db', db])));
    results.forEach((r, k) => {
      const lines = r.stderr.split('\n');
      expect([cases[k][0], r.status, r.stdout, lines.length]).toEqual([cases[k][0], 2, '', 3]);
      expect(lines[0]).toMatch(cases[k][1]);
      expect(lines[1]).toMatch(/^run "precond runs (list|tag|rename) --help" for the flags$/);
    });
    const store = openStore(db);
    expect(store.getRun(1)).toMatchObject({ name: 'adam, "quoted"', tags: ['baseline'] });
    store.close();
  });

  it('fails clearly: unknown run (exit 1), bad arguments (exit 2), missing or corrupt file (exit 1)', async () => {
    const dir = tempDir();
    const db = join(dir, 'err.sqlite');
    fixture(db);
    const missing = join(dir, 'never.sqlite');
    const corrupt = join(dir, 'corrupt.sqlite');
    writeFileSync(corrupt, 'step,loss\n0,1\n'.repeat(100));
    const [unknown, badId, badStatus, badSort, listMissing, showMissing, listCorrupt] = await Promise.all(
      [
        ['delete', '99', '--db', db],
        ['show', 'abc', '--db', db],
        ['list', '--status', 'done', '--db', db],
        ['list', '--sort', 'val_los', '--db', db],
        ['list', '--json', '--db', missing],
        ['show', '1', '--db', missing],
        ['list', '--db', corrupt],
      ].map((args) => precondAsync(['runs', ...args])),
    );
    expect([unknown.status, unknown.stdout, unknown.stderr]).toEqual([1, '', `precond: run 99 not found in ${db}\n`]);
    expect(badId.status).toBe(2);
    expect(badId.stderr).toMatch(/^precond: error: command-argument value 'abc' is invalid for argument 'id'\. a run id is a whole number >= 1/);
    expect([badStatus.status, badStatus.stderr.split('\n')[0]]).toEqual([
      2,
      "precond: unknown status 'done': use one of queued, running, paused, finished, stopped, diverged, failed, interrupted",
    ]);
    expect(badSort.status).toBe(2);
    expect(badSort.stderr).toMatch(/^precond: --sort 'val_los': unknown key "val_los": use one of id, name.*\nrun "precond runs list --help" for the flags\n$/);
    expect(listMissing).toMatchObject({ status: 0, stdout: '[]\n' });
    expect(showMissing).toMatchObject({ status: 1, stderr: `precond: ${missing} does not exist: no runs have been stored there\n` });
    expect([listCorrupt.status, listCorrupt.stdout]).toEqual([1, '']);
    expect(listCorrupt.stderr).toBe(`precond: ${corrupt} is not a SQLite database (it does not start with the "SQLite format 3" header)\n`);
  });
});
