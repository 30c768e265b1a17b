// `precond serve` ends on SIGINT, SIGTERM and SIGHUP alike: it says so, ends the runs still
// training `stopped` (points kept), and exits with the shell's code for that signal.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from '../../../src-main/api/protocol.ts';
import { openStore } from '../../../src-main/store/index.ts';
import { precondChild } from '../../helpers/cli.ts';
import { seedConfig } from '../../helpers/seed.ts';
import { useTempDir } from '../../unit/store/helpers.ts';

/** One API call over HTTP, as the dashboard's client makes it. */
async function call(url: string, method: string, params?: unknown): Promise<unknown> {
  const r = await fetch(`${url}api`, { method: 'POST', body: encodeWire({ id: 1, method, params }) });
  const reply = decodeWire(await r.text()) as { result?: unknown; error?: unknown };
  if (reply.error) throw new Error(JSON.stringify(reply.error));
  return reply.result;
}

async function until<T>(get: () => T | undefined | null | false, what: string, ms = 30_000): Promise<T> {
  const t0 = performance.now();
  for (;;) {
    const v = get();
    if (v) return v;
    if (performance.now() - t0 > ms) throw new Error(`${what}: not after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('precond serve', () => {
  const tempDir = useTempDir();

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s ends a training run stopped and exits %i', async (signal, code) => {
    const dir = tempDir();
    const db = join(dir, 'runs.sqlite');
    const serve = precondChild(['serve', '--port', '0', '--workers', '1', '--db', db, '--renderer', dir]);
    const url = await until(() => /^(http:\/\/\S+\/)$/m.exec(serve.stdout())?.[1] ?? (serve.child.exitCode !== null ? 'exited' : null), 'the URL');
    expect(url, serve.stderr()).not.toBe('exited');
    const config = { ...seedConfig({ source: 'digits' }), training: { epochs: 100_000, batchSize: 16, seed: 0 } };
    const { runId } = (await call(url, 'runner.start', { config })) as { runId: number };
    await until(() => {
      const store = openStore(db);
      try {
        return (store.getRun(runId).lastStep ?? 0) > 50;
      } finally {
        store.close();
      }
    }, 'steps stored');
    serve.child.kill(signal);
    const r = await serve.result;
    expect([r.status, serve.child.signalCode]).toEqual([code, null]);
    expect(r.stderr).toMatch(new RegExp(`precond: ${signal}: stopping \\(runs still training end as stopped\\)\\n$`));
    const store = openStore(db);
    const run = store.getRun(runId);
    expect([run.status, store.recovered]).toEqual(['stopped', []]);
    expect(run.lastStep).toBeGreaterThan(50);
    store.close();
  });

  it('--host with no such local address is a bad flag value (exit 2)', async () => {
    const dir = tempDir();
    const r = await precondChild(['serve', '--host', '203.0.113.7', '--db', join(dir, 'runs.sqlite'), '--renderer', dir]).result;
    expect([r.status, r.stdout]).toEqual([2, '']);
    expect(r.stderr).toBe('precond: --host 203.0.113.7: cannot listen there: no such local address\nrun "precond serve --help" for the flags\n');
  });
});
