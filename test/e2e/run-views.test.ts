// The run views end to end in Chromium against `precond serve` (its own database, the real worker
// pool): a change of run in the URL shows that run; a run that diverged right away still shows
// the points it logged; a file dropped anywhere opens in Datasets; a stopped run's progress and
// learning-rate chart are the same live and after a reload.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Result, RunConfig } from '../../src-main/api/protocol.ts';
import { browserUnavailableReason, newPage, screenshot } from '../helpers/browser.ts';
import { closeSession, openSession, type BrowserMode } from '../helpers/dashboard.ts';
import { httpApi } from '../helpers/http-api.ts';

const unavailable = browserUnavailableReason();
if (unavailable) console.warn(`skipping the run-view browser tests: ${unavailable}`);

const IRIS_BAD = fileURLToPath(new URL('../fixtures/csv/iris_bad.csv', import.meta.url));
const SHOTS = !!process.env.PRECOND_SCREENSHOTS;

// page.evaluate callbacks run in Chromium; this file is compiled without the DOM library.
interface CanvasEl {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
interface PageDocument {
  querySelector(sel: string): (CanvasEl & { textContent: string; dispatchEvent(e: unknown): boolean; getAttribute(n: string): string | null }) | null;
}
declare const document: PageDocument;
declare const location: { hash: string; href: string };

let server: BrowserMode;
let browser: Browser;
let dir: string;

/** The API over HTTP, as a script would use it. */
const api = httpApi(() => server);

async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const irisConfig = (hyperparams: Record<string, unknown>, epochs = 20): RunConfig => ({
  model: { kind: 'mlp' }, // the default MLP 64, as `precond train --data iris`
  optimizer: { name: 'adam', hyperparams },
  schedule: null,
  data: { source: 'iris' },
  training: { epochs },
});

async function trainToEnd(config: RunConfig, name: string): Promise<Result<'runs.get'>> {
  const { runId } = await api('runner.start', { config, name });
  return waitFor(`run ${name}`, async () => {
    const r = await api('runs.get', { id: runId });
    return r.status === 'queued' || r.status === 'running' ? null : r;
  });
}

/** Pixels of the canvas under `selector` within `tolerance` of the colour #rrggbb, in an optional x band. */
function colourPixels(page: Page, selector: string, hex: string, band?: { x0: number; x1: number }): Promise<number> {
  return page.evaluate(
    ({ selector, hex, band }) => {
      const c = document.querySelector(selector)!;
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
      let n = 0;
      for (let y = 0; y < c.height; y++) {
        for (let x = band?.x0 ?? 0; x < (band?.x1 ?? c.width); x++) {
          const i = 4 * (y * c.width + x);
          if (d[i + 3] > 200 && Math.abs(d[i] - r) < 40 && Math.abs(d[i + 1] - g) < 40 && Math.abs(d[i + 2] - b) < 40) n++;
        }
      }
      return n;
    },
    { selector, hex, band },
  );
}

describe.skipIf(!!unavailable)('the run views in Chromium (browser mode)', () => {
  beforeAll(async () => {
    ({ dir, server, browser } = await openSession({ prefix: 'precond-e2e-runs-', args: ['--workers', '2'] }));
  });
  afterAll(() => closeSession({ dir, server, browser }));

  test('a new run id in the hash shows that run: title and curves change without a reload', async () => {
    const a = await trainToEnd(irisConfig({ lr: 0.01 }), 'e2e hash run a');
    const b = await trainToEnd(irisConfig({ lr: 0.001 }, 5), 'e2e hash run b');
    const { page, errors } = await newPage(browser, { width: 1400, height: 1000 });
    await page.goto(`${server.url}#/runs/${a.id}`);
    await page.waitForSelector('[data-test=run-name]:text("e2e hash run a")');
    const latestA = await page.textContent('[data-test=loss-latest]');
    expect(latestA).toContain(`training loss ${Number(a.summary.train_loss.toPrecision(4))}`);

    await page.evaluate((id) => (location.hash = `#/runs/${id}`), b.id);
    await page.waitForSelector('[data-test=run-name]:text("e2e hash run b")');
    await page.waitForFunction((want) => document.querySelector('[data-test=loss-latest]')?.textContent.includes(want), `training loss ${Number(b.summary.train_loss.toPrecision(4))}`);
    expect(await page.textContent('[data-test=progress]')).toContain(`finished at step ${b.lastStep}`);
    await page.goBack();
    await page.waitForSelector('[data-test=run-name]:text("e2e hash run a")');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('a run that diverged at step 2 shows its first points, with y labels; its empty charts say nothing was logged', async () => {
    const run = await trainToEnd(irisConfig({ lr: 0.001, eps: 0 }), 'e2e eps 0');
    expect(run.status).toBe('diverged');
    expect(run.divergedStep).toBe(2);
    const { page, errors } = await newPage(browser, { width: 1400, height: 1000 });
    await page.goto(`${server.url}#/runs/${run.id}`);
    await page.waitForSelector('[data-test=run-name]:text("e2e eps 0")');
    await page.waitForTimeout(800); // the charts draw at most 4 times a second
    const loss = '[data-test=loss-chart] canvas';
    // the training loss at step 1 (series colour 0) and the validation loss at step 0 (colour 1) are drawn as points
    expect(await colourPixels(page, loss, '#1f77b4')).toBeGreaterThan(15);
    expect(await colourPixels(page, loss, '#ff7f0e')).toBeGreaterThan(15);
    // the y axis is labelled (tick text in the muted colour left of the plot)
    expect(await colourPixels(page, loss, '#59636e', { x0: 0, x1: 45 })).toBeGreaterThan(20);
    expect(await page.textContent('[data-test=other-empty]')).toBe('nothing was logged');
    if (SHOTS) await screenshot(page, 'run-diverged-at-step-2');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('a CSV dropped on the Runs page opens in Datasets, and the page does not navigate to the file', async () => {
    const { page, errors } = await newPage(browser, { width: 1400, height: 1000 });
    await page.goto(`${server.url}#/runs`);
    await page.waitForSelector('[data-test=runs-table]');
    const prevented = await page.evaluate(
      ({ text, name }) => {
        const dt = new (globalThis as unknown as { DataTransfer: new () => { items: { add(f: unknown): void } } }).DataTransfer();
        dt.items.add(new (globalThis as unknown as { File: new (parts: string[], name: string) => unknown }).File([text], name));
        const DragEventCtor = (globalThis as unknown as { DragEvent: new (type: string, init: unknown) => { defaultPrevented: boolean } }).DragEvent;
        const target = document.querySelector('[data-test=runs-table]')!;
        const over = new DragEventCtor('dragover', { dataTransfer: dt, bubbles: true, cancelable: true });
        target.dispatchEvent(over);
        const drop = new DragEventCtor('drop', { dataTransfer: dt, bubbles: true, cancelable: true });
        target.dispatchEvent(drop);
        return [over.defaultPrevented, drop.defaultPrevented];
      },
      { text: readFileSync(IRIS_BAD, 'utf8'), name: 'iris_bad.csv' },
    );
    expect(prevented).toEqual([true, true]);
    await page.waitForURL(/#\/datasets$/);
    await page.waitForSelector('[data-test=load-error]');
    expect(await page.textContent('[data-test=load-error]')).toContain('Cannot load iris_bad.csv — line 59, column 6');
    expect(page.url().startsWith(server.url)).toBe(true);
    expect(errors.filter((e) => !/status of 422/.test(e))).toEqual([]);
    await page.context().close();
  });

  test('a stopped run: progress and the learning-rate chart are the same live and after a reload', async () => {
    const config: RunConfig = {
      model: { kind: 'mlp', hidden: [64], activation: 'relu' },
      optimizer: { name: 'adam', hyperparams: { lr: 0.001 } },
      schedule: { name: 'cosine', T_max: 135_000 },
      data: { source: 'digits' },
      training: { epochs: 3000, snapshotEvery: 50 },
    };
    const { runId } = await api('runner.start', { config, name: 'e2e stopped digits' });
    const { page, errors } = await newPage(browser, { width: 1400, height: 1000 });
    await page.goto(`${server.url}#/runs/${runId}`);
    await page.waitForSelector('[data-test=progress-text]', { timeout: 30_000 });
    const planned = (await api('runs.get', { id: runId })).plannedSteps!;
    expect(planned).toBe(3000 * Math.ceil(1437 / 32)); // digits: 1797 rows, 1437 for training
    const lastStepShown = () => page.getAttribute('[data-test=lr-chart]', 'data-last-step');
    const live = await waitFor('the live schedule chart', lastStepShown);
    await waitFor('some steps', async () => ((await api('runs.get', { id: runId })).lastStep ?? 0) > 2000, 30_000);
    await api('runner.stop', { runId });
    await page.waitForSelector('[data-test=status]:text("stopped")');
    const stopped = await api('runs.get', { id: runId });
    await page.reload();
    await page.waitForSelector('[data-test=status]:text("stopped")');
    const stored = await waitFor('the stored schedule chart', lastStepShown);
    expect(stored).toBe(live);
    expect(Number(stored)).toBeGreaterThan(0.99 * planned);
    const width = await page.getAttribute('[data-test=progress-bar]', 'style');
    expect(Number(/width: ([\d.]+)%/.exec(width ?? '')?.[1])).toBeCloseTo((100 * stopped.lastStep!) / planned, 3);
    expect(await page.textContent('[data-test=progress]')).toContain(`stopped at step ${stopped.lastStep!.toLocaleString('en-US')} of ${planned.toLocaleString('en-US')}`);
    if (SHOTS) await screenshot(page, 'run-stopped-stored');
    expect(errors).toEqual([]);
    await page.context().close();
  });
});
