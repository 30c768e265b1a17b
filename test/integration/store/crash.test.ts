// Crash safety for real: training-like child processes are killed with SIGKILL mid-run, and the
// store, reopened, must mark only their runs interrupted and keep every point they committed.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, StoreError } from '../../../src-main/store/index.ts';
import { useTempDir } from '../../unit/store/helpers.ts';

const CHILD = fileURLToPath(new URL('./child-writer.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Child {
  proc: ChildProcess;
  run: number;
  flushes: number;
  lastFlushed: number;
  locked: boolean;
  /** Resolves once `ready()` holds, rejects if the child exits first or after `ms`. */
  until: (ready: (c: Child) => boolean, ms?: number) => Promise<void>;
  /** Resolves when the process has exited (and been reaped). */
  exited: Promise<NodeJS.Signals | null>;
}

const children: ChildProcess[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
});

function start(...args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(proc);
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr += d));
  const waiters = new Set<() => void>();
  const child: Child = {
    proc,
    run: -1,
    flushes: 0,
    lastFlushed: -1,
    locked: false,
    exited: new Promise((resolve) => proc.on('exit', (_code, signal) => resolve(signal))),
    until: (ready, ms = 20_000) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (ready(child)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => reject(new Error(`child ${args.join(' ')} not ready after ${ms} ms; stderr: ${stderr}`)), ms);
        proc.on('exit', () => reject(new Error(`child ${args.join(' ')} exited early; stderr: ${stderr}`)));
        waiters.add(check);
        check();
      }),
  };
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const msg = JSON.parse(line) as { run?: number; flushed?: number; locked?: boolean };
    if (msg.run !== undefined) child.run = msg.run;
    if (msg.flushed !== undefined) {
      child.flushes++;
      child.lastFlushed = msg.flushed;
    }
    if (msg.locked) child.locked = true;
    for (const w of [...waiters]) w();
  });
  return child;
}

async function kill9(child: Child): Promise<number> {
  const flushed = child.lastFlushed; // every commit reported so far is durable
  child.proc.kill('SIGKILL');
  expect(await child.exited).toBe('SIGKILL');
  return flushed;
}

describe('crash safety', () => {
  const tempDir = useTempDir();

  it('a run killed with SIGKILL becomes interrupted with every committed point; a live one is left running', async () => {
    const file = join(tempDir(), 'crash.sqlite');
    const survivor = start(file, 'write', 'survivor');
    const victim = start(file, 'write', 'victim');
    await Promise.all([survivor.until((c) => c.flushes >= 5), victim.until((c) => c.flushes >= 5)]);
    const flushed = await kill9(victim);

    const store = openStore(file);
    expect(store.recovered.map((r) => [r.id, r.was, r.owner?.pid])).toEqual([[victim.run, 'running', victim.proc.pid]]);
    const crashed = store.getRun(victim.run);
    expect(crashed.status).toBe('interrupted');
    expect(crashed.error).toMatch(new RegExp(`^interrupted: process ${victim.proc.pid} on .* ended while the run was running; metrics up to step \\d+ are kept$`));
    const [lr, loss] = store.exportSeries(victim.run);
    expect(loss.key).toBe('train_loss');
    // Every step from 0 to at least the last reported commit, no gaps, values as written.
    expect(loss.step.length).toBeGreaterThan(flushed);
    expect(loss.step).toEqual(Array.from({ length: loss.step.length }, (_, s) => s));
    expect(loss.value).toEqual(loss.step.map((s) => 1 / (s + 1)));
    expect(lr.step).toEqual(loss.step);
    expect(crashed.lastStep).toBe(loss.step.length - 1);
    const snaps = store.snapshots(victim.run);
    expect(snaps.length).toBeGreaterThan(0);
    for (const s of snaps) expect(Array.from(s.data!)).toEqual([s.step, -s.step]);

    // The live process's run is untouched and keeps committing while we watch.
    expect(store.getRun(survivor.run).status).toBe('running');
    // (Its reports may lag behind what it committed: wait for one past what we saw.)
    const before = store.getRun(survivor.run).lastStep!;
    await survivor.until((c) => c.lastFlushed > before);
    expect(store.getRun(survivor.run).lastStep!).toBeGreaterThanOrEqual(survivor.lastFlushed);
    store.close();

    // Now it dies too; the next open recovers it the same way.
    const survivorFlushed = await kill9(survivor);
    const again = openStore(file);
    expect(again.recovered.map((r) => r.id)).toEqual([survivor.run]);
    const run = again.getRun(survivor.run);
    expect(run.status).toBe('interrupted');
    expect(run.lastStep!).toBeGreaterThanOrEqual(survivorFlushed);
    expect(again.exportSeries(survivor.run)[1].step).toEqual(Array.from({ length: run.lastStep! + 1 }, (_, s) => s));
    again.close();
  });

  it('a file whose write lock another process holds is refused, untouched, and opens once it is released', async () => {
    const file = join(tempDir(), 'locked.sqlite');
    openStore(file).close();
    const holder = start(file, 'lock');
    await holder.until((c) => c.locked);
    const before = readFileSync(file);
    let error: unknown;
    try {
      openStore(file, { busyTimeoutMs: 200 }).close();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect(error).toMatchObject({ code: 'locked', file });
    expect((error as Error).message).toMatch(/locked by another process writing to it \(waited 200 ms\)/);
    expect(readFileSync(file).equals(before)).toBe(true);
    await kill9(holder);
    const store = openStore(file, { busyTimeoutMs: 200 });
    expect(store.listRuns()).toEqual([]);
    store.close();
  });
});
