// Browser mode for the end-to-end tests: builds the renderer (the same vite settings as
// electron.vite.config.ts's renderer) into a folder, and starts the real `precond serve` in a
// child process on a random port with its own database, reading the URL it prints.
//   node --import tsx test/helpers/dashboard.ts [DB]   builds, serves and prints the URL
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import vue from '@vitejs/plugin-vue';
import { build } from 'vite';
import type { Browser } from 'playwright-core';
import { launchBrowser } from './browser.ts';
import { BIN } from './cli.ts';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));

/**
 * vite build of one page of src-renderer (`index`: the app, `gallery`: the dev-only component
 * gallery) into `outDir`, with the renderer's settings (relative asset URLs, the Vue plugin).
 */
export async function buildPage(outDir: string, page: 'index' | 'gallery' = 'index'): Promise<void> {
  await build({
    configFile: false,
    root: join(repo, 'src-renderer'),
    base: './',
    plugins: [vue()],
    logLevel: 'warn',
    build: {
      outDir,
      emptyOutDir: true,
      reportCompressedSize: false,
      chunkSizeWarningLimit: 4096,
      rolldownOptions: { input: { [page]: join(repo, `src-renderer/${page}.html`) } },
    },
  });
}

function newestMtime(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

let built: Promise<string> | null = null;

/**
 * A renderer build for this test process: a fresh build into a temp folder (a clean clone has no
 * out/renderer, and a stale one would test old code), done once per process.
 */
export function rendererForTests(): Promise<string> {
  built ??= (async () => {
    const out = mkdtempSync(join(tmpdir(), 'precond-renderer-'));
    await buildPage(out);
    return out;
  })();
  return built;
}

/** True when out/renderer exists and is newer than every renderer source (for scripts). */
export function outRendererFresh(): boolean {
  const out = join(repo, 'out/renderer/index.html');
  return existsSync(out) && statSync(out).mtimeMs >= newestMtime(join(repo, 'src-renderer'));
}

export interface BrowserMode {
  url: string;
  origin: string;
  port: number;
  token: string;
  child: ChildProcess;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  stop(): Promise<void>;
}

/** Starts `precond serve --port 0 --db DB --renderer DIR` and resolves once it prints its URL. */
export function startBrowserMode(o: { db: string; renderer: string; env?: NodeJS.ProcessEnv; args?: string[] }): Promise<BrowserMode> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', o.db, '--renderer', o.renderer, ...(o.args ?? [])], {
    env: { ...process.env, ...o.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`precond serve printed no URL in 30 s; stderr:\n${err}`)), 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`precond serve exited with ${code}; stderr:\n${err}`));
    });
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /^(http:\/\/[^\s/]+:(\d+))\/([^/\s]+)\/$/m.exec(out);
      if (!m) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      ok({
        url: m[0],
        origin: m[1],
        port: Number(m[2]),
        token: m[3],
        child,
        stderr: () => err,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      });
    });
  });
}

/** What an end-to-end test file drives: browser mode on a database in its own temp folder, and Chromium. */
export interface BrowserModeSession {
  dir: string;
  server: BrowserMode;
  browser: Browser;
}

/**
 * A test file's session: a temp folder named from `prefix`, `precond serve` with `args` on
 * `precond.sqlite` in it (filled by `seed` first, when given), and Chromium.
 */
export async function openSession(o: { prefix: string; args?: string[]; seed?: (db: string) => void }): Promise<BrowserModeSession> {
  const dir = mkdtempSync(join(tmpdir(), o.prefix));
  const db = join(dir, 'precond.sqlite');
  o.seed?.(db);
  const server = await startBrowserMode({ db, renderer: await rendererForTests(), args: o.args });
  return { dir, server, browser: await launchBrowser() };
}

/** Closes what openSession opened (as far as it got) and removes the folder. */
export async function closeSession(s: Partial<BrowserModeSession>): Promise<void> {
  await s.browser?.close();
  await s.server?.stop();
  if (s.dir) rmSync(s.dir, { recursive: true, force: true });
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const renderer = await rendererForTests();
  const db = process.argv[2] ?? join(mkdtempSync(join(tmpdir(), 'precond-db-')), 'precond.sqlite');
  const s = await startBrowserMode({ db, renderer });
  process.stdout.write(`${s.url}\n(db ${db}; Ctrl-C to stop)\n`);
  process.on('SIGINT', () => void s.stop().then(() => process.exit(0)));
}
