// Every migration, from every earlier schema version: a database is built at version k with the
// schema and data of that version, opened with the current code, and checked to have lost
// nothing. A new migration needs a new `seed` case here (the test refuses to run without it).
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, SCHEMA_VERSION, type MetricPoint } from '../../../src-main/store/index.ts';
import { migrate } from '../../../src-main/store/migrations.ts';
import { config, useTempDir } from './helpers.ts';

interface Fixture {
  points: Record<string, Record<string, MetricPoint[]>>; // run id -> key -> points
}

function trainLoss(n: number, phase: number): MetricPoint[] {
  return Array.from({ length: n }, (_, s) => ({
    step: s,
    epoch: Math.floor(s / 45),
    wallTime: s * 0.013,
    value: 2 * Math.exp(-s / 1500) + 0.1 * Math.sin(s * 0.37 + phase) + (s === 2500 ? -5 : 0),
  }));
}

const RUNS = [
  // id, name, status, optimizer, source, started, ended, error, diverged step, notes, archived
  [1, 'baseline adam', 'finished', 'adam', '/data/digits.csv', 1_001, 2_000, null, null, 'lr from the paper', 0],
  [2, 'crashed sgd', 'running', 'sgd', 'digits', 3_001, null, null, null, '', 0],
  [3, 'waiting rmsprop', 'queued', 'rmsprop', 'iris', null, null, null, null, '', 0],
  [4, 'too hot', 'diverged', 'sgd', 'digits', 5_001, 5_500, 'loss is NaN', 77, '', 1],
] as const;

/** Data as a version-1 (and version-2: same tables) database held it, written with raw SQL. */
function seedV1(db: Database.Database): Fixture {
  db.prepare(
    `INSERT INTO datasets (id, path, content_hash, size_bytes, row_count, column_count, schema, created_at)
     VALUES (1, '/data/digits.csv', 'sha256:abc', 123456, 1797, 65, '{"columns":65}', 900)`,
  ).run();
  const insertRun = db.prepare(
    `INSERT INTO runs (id, name, status, config, optimizer, model_kind, data_source, dataset_name, dataset_id,
       created_at, started_at, ended_at, error, diverged_step, notes, archived)
     VALUES (?, ?, ?, ?, ?, 'mlp', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const [id, name, status, optimizer, source, started, ended, error, diverged, notes, archived] of RUNS) {
    const c = config({ optimizer, source, lr: 0.001 * id });
    const datasetName = source.includes('/') ? 'digits' : source;
    insertRun.run(id, name, status, JSON.stringify(c), optimizer, source, datasetName, id === 1 ? 1 : null, id * 1000, started, ended, error, diverged, notes, archived);
  }
  db.exec(`INSERT INTO run_tags VALUES (1, 'baseline'), (1, 'sweep'), (4, 'sweep');
           INSERT INTO metric_keys (id, name) VALUES (1, 'train_loss'), (2, 'val_loss'), (3, 'val_accuracy');`);
  const valLoss = Array.from({ length: 112 }, (_, e) => ({
    step: 44 + 45 * e,
    epoch: e,
    wallTime: (44 + 45 * e) * 0.013 + 0.002,
    value: e === 50 ? NaN : 1 / (e + 1),
  }));
  const diverging = trainLoss(78, 2).map((p, i) => ({ ...p, value: i === 76 ? Infinity : i === 77 ? NaN : p.value }));
  const points: Fixture['points'] = {
    '1': { train_loss: trainLoss(5000, 0), val_loss: valLoss },
    '2': { train_loss: trainLoss(300, 1) },
    '4': { train_loss: diverging },
  };
  const keyIds: Record<string, number> = { train_loss: 1, val_loss: 2 };
  const insertPoint = db.prepare('INSERT INTO metrics VALUES (?, ?, ?, ?, ?, ?)');
  for (const [run, byKey] of Object.entries(points)) {
    for (const [key, list] of Object.entries(byKey)) {
      for (const p of list) insertPoint.run(Number(run), keyIds[key], p.step, p.epoch, p.wallTime, p.value);
    }
  }
  db.exec('INSERT INTO run_final VALUES (1, 3, 0.953)');
  db.prepare(
    `INSERT INTO snapshots (run_id, step, layer, kind, shape, original_shape, data) VALUES (1, 45, 'layers.0.weight', 'effective_lr', '[2,2]', '[64,32]', ?)`,
  ).run(Buffer.from(new Float32Array([0.5, 0.25, 1e-3, 3]).buffer));
  return { points };
}

/** Builds `file` at schema version k with that version's data. */
function seed(file: string, k: number): Fixture | null {
  const db = new Database(file);
  try {
    if (k === 0) {
      db.pragma('user_version = 0');
      db.exec('VACUUM'); // a valid SQLite file with no tables yet
      return null;
    }
    if (k >= 1 && k <= 3) {
      // Versions 2 and 3 added tables and columns derived from (or empty for) version 1's data.
      migrate(db, 0, 1);
      const fixture = db.transaction(() => seedV1(db))();
      if (k > 1) db.transaction(() => migrate(db, 1, k))();
      expect(db.pragma('user_version', { simple: true })).toBe(k);
      return fixture;
    }
    throw new Error(`no fixture for schema version ${k}: add one to migrations.test.ts`);
  } finally {
    db.close();
  }
}

/** The same points logged through the current writer into a fresh store. */
function loggedFresh(file: string, byKey: Record<string, MetricPoint[]>) {
  const store = openStore(file);
  const id = store.createRun({ config: config() });
  store.startRun(id);
  // Step by step, every key logged at that step, as a training loop would.
  const atStep = new Map<number, [string, MetricPoint][]>();
  for (const [key, list] of Object.entries(byKey)) for (const p of list) atStep.set(p.step, [...(atStep.get(p.step) ?? []), [key, p]]);
  for (const step of [...atStep.keys()].sort((a, b) => a - b)) {
    for (const [key, p] of atStep.get(step)!) store.log(id, p, { [key]: p.value });
  }
  store.writer.flush();
  return { store, id };
}

const columns = (list: MetricPoint[]) => ({
  step: list.map((p) => p.step),
  epoch: list.map((p) => p.epoch),
  wallTime: list.map((p) => p.wallTime),
  value: list.map((p) => p.value),
});

describe('migrations', () => {
  const tempDir = useTempDir();

  it('leave a zero-byte file (what a fresh SQLite file is) at the current version', () => {
    const file = join(tempDir(), 'empty.sqlite');
    writeFileSync(file, '');
    const store = openStore(file);
    expect(store.listRuns()).toEqual([]);
    store.close();
    const db = new Database(file, { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    db.close();
  });

  it.each(Array.from({ length: SCHEMA_VERSION }, (_, k) => k))('bring a version-%i database to the current version, losing nothing', (k) => {
    const dir = tempDir();
    const file = join(dir, `v${k}.sqlite`);
    const fixture = seed(file, k);
    const store = openStore(file);
    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    raw.close();
    if (!fixture) {
      expect(store.listRuns({ archived: 'include' })).toEqual([]);
      store.close();
      return;
    }
    // Runs: every field as stored. Runs left running/queued by the old version have no owner
    // process recorded, so they count as abandoned: interrupted, their points kept.
    const runs = store.listRuns({ archived: 'include', sort: { key: 'id' } });
    expect(runs.map((r) => [r.id, r.name, r.status])).toEqual([
      [1, 'baseline adam', 'finished'],
      [2, 'crashed sgd', 'interrupted'],
      [3, 'waiting rmsprop', 'interrupted'],
      [4, 'too hot', 'diverged'],
    ]);
    expect(store.recovered.map((r) => [r.id, r.was, r.lastStep])).toEqual([
      [2, 'running', 299],
      [3, 'queued', null],
    ]);
    const [r1, r2, , r4] = runs;
    expect(r1).toMatchObject({
      optimizer: 'adam',
      dataSource: '/data/digits.csv',
      dataset: 'digits',
      datasetId: 1,
      createdAt: new Date(1000).toISOString(),
      startedAt: new Date(1001).toISOString(),
      endedAt: new Date(2000).toISOString(),
      notes: 'lr from the paper',
      tags: ['baseline', 'sweep'],
      archived: false,
      hyperparams: { lr: 0.001, betas: [0.9, 0.999], eps: 1e-8 },
    });
    // Runs from before sweeps (version 4) belong to none.
    expect(runs.map((r) => r.sweepId)).toEqual([null, null, null, null]);
    expect(store.listSweeps()).toEqual([]);
    expect(r2.error).toMatch(/interrupted: .* ended while the run was running; metrics up to step 299 are kept/);
    expect(r4).toMatchObject({ error: 'loss is NaN', divergedStep: 77, archived: true, tags: ['sweep'] });
    expect(store.getRun(1).config).toEqual(config({ optimizer: 'adam', source: '/data/digits.csv', lr: 0.001 }));
    expect(store.getDataset(1)).toMatchObject({ path: '/data/digits.csv', contentHash: 'sha256:abc', rows: 1797, columns: 65, schema: { columns: 65 } });

    // Every point, at full resolution, NaN and Infinity included.
    for (const [run, byKey] of Object.entries(fixture.points)) {
      const exported = store.exportSeries(Number(run));
      expect(exported.map((s) => s.key)).toEqual(Object.keys(byKey).sort());
      for (const s of exported) expect({ step: s.step, epoch: s.epoch, wallTime: s.wallTime, value: s.value }).toEqual(columns(byKey[s.key]));
    }

    // Summaries (latest values, finals) and series statistics.
    expect(r1.summary).toEqual({ train_loss: fixture.points['1'].train_loss[4999].value, val_loss: 1 / 112, val_accuracy: 0.953 });
    expect(r4.summary.train_loss).toBeNaN();
    const loss = store.getRun(1).series.find((s) => s.key === 'train_loss')!;
    expect(loss).toMatchObject({ count: 5000, first: fixture.points['1'].train_loss[0], min: { step: 2500 }, firstNanStep: null });
    expect(store.getRun(1).series.find((s) => s.key === 'val_loss')!.firstNanStep).toBe(44 + 45 * 50);
    expect(store.getRun(4).series[0]).toMatchObject({ firstNanStep: 77, max: { step: 76, value: Infinity } });

    // Downsampled series equal those of the same points logged by today's writer.
    const fresh = loggedFresh(join(dir, 'fresh.sqlite'), fixture.points['1']);
    const query = (id: number) => ({ runIds: [id], keys: ['train_loss', 'val_loss'], maxPoints: 1000 });
    const migrated = store.series(query(1));
    expect(migrated[0].downsampled).toBe(true);
    expect(migrated.map((s) => ({ ...s, runId: 0 }))).toEqual(fresh.store.series(query(fresh.id)).map((s) => ({ ...s, runId: 0 })));
    fresh.store.close();

    const [snap] = store.snapshots(1);
    expect(snap).toMatchObject({ step: 45, layer: 'layers.0.weight', kind: 'effective_lr', shape: [2, 2], originalShape: [64, 32] });
    expect(Array.from(snap.data!)).toEqual(Array.from(new Float32Array([0.5, 0.25, 1e-3, 3])));

    // And the migrated file takes new runs and points as any other.
    const id = store.createRun({ config: config() });
    expect(id).toBe(5);
    store.startRun(id);
    store.log(id, { step: 1, epoch: 0, wallTime: 0 }, { train_loss: 1 });
    store.endRun(id, 'finished');
    expect(store.getRun(id).summary).toEqual({ train_loss: 1 });
    // ... and sweeps: a sweep row, a member run pointing at it, found by the sweep filter.
    const sweepId = store.createSweep({ name: 'lr sweep', spec: { lr: { kind: 'list', values: [0.1] } } });
    const member = store.createRun({ config: config({ lr: 0.1 }), sweepId });
    expect(store.listRuns({ sweep: sweepId }).map((r) => [r.id, r.sweepId])).toEqual([[member, sweepId]]);
    expect(store.getSweep(sweepId)).toMatchObject({ name: 'lr sweep', runIds: [member], statusCounts: { queued: 1 } });
    store.close();
  });
});
