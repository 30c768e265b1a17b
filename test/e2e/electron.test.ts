// The real desktop app through Playwright's Electron support: the window's secure defaults, the
// preload bridge, the API over IPC. Where Electron's binary is not installed (or native modules are
// not built for it) the test is skipped and says why.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { desktopPlan } from '../../src-main/electron/binary.ts';

const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
const plan = desktopPlan((line) => console.warn(line));
const unavailable = plan.kind === 'browser' ? plan.reason : null;
if (unavailable) console.warn(`skipping the Electron test: ${unavailable}`);

declare const window: { precond?: { transport: string; invoke(m: unknown): Promise<{ ok: boolean; result: { name: string }[] }> }; location: { href: string } };
declare const require: unknown;

describe.skipIf(!!unavailable)('the desktop app (Electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  let dir: string;

  beforeAll(async () => {
    // The app runs from the electron-vite bundle (out/), built here so a clean clone works.
    const { build } = await import('electron-vite');
    await build({ configFile: join(repo, 'electron.vite.config.ts'), logLevel: 'warn' });
    dir = mkdtempSync(join(tmpdir(), 'precond-electron-'));
    if (plan.kind !== 'desktop') throw new Error('unreachable: skipped above');
    app = await _electron.launch({ executablePath: plan.binary, args: [repo], env: { ...process.env, ...plan.env, PRECOND_DB: join(dir, 'precond.sqlite') } });
    page = await app.firstWindow();
    await page.waitForSelector('[data-test=sample-iris]');
  });

  afterAll(async () => {
    await app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('the window is sandboxed, isolated and without Node; the API comes through the preload', async () => {
    expect(await page.title()).toBe('Precond Lab');
    expect(page.url()).toMatch(/^app:\/\/precond\/index\.html/);
    expect(await page.evaluate(() => typeof require)).toBe('undefined');
    expect(await page.evaluate(() => window.precond?.transport)).toBe('electron');
    const samples = await page.evaluate(() => window.precond!.invoke({ id: 1, method: 'datasets.samples' }));
    expect(samples.ok).toBe(true);
    expect(samples.result.map((s) => s.name)).toContain('iris');
    const prefs = await app.evaluate(({ BrowserWindow }) => {
      const wc = BrowserWindow.getAllWindows()[0].webContents;
      const p = (wc as unknown as { getLastWebPreferences(): Record<string, unknown> }).getLastWebPreferences();
      return { contextIsolation: p.contextIsolation, sandbox: p.sandbox, nodeIntegration: p.nodeIntegration };
    });
    expect(prefs).toEqual({ contextIsolation: true, sandbox: true, nodeIntegration: false });
  });

  test('navigating away and opening windows are blocked', async () => {
    await page.evaluate(() => {
      window.location.href = 'https://example.com/';
    });
    await page.waitForTimeout(500);
    expect(page.url()).toMatch(/^app:\/\/precond\//);
    expect(app.windows()).toHaveLength(1);
  });

  test('a sample opens in Datasets over IPC', async () => {
    await page.click('[data-test=sample-iris]');
    await page.waitForSelector('[data-test=report]');
    expect(await page.textContent('[data-test=rows]')).toBe('150 used of 150 read');
  });
});
