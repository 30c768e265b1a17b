// Sweeps end to end in a real Chromium against browser mode (`precond serve` in a child process,
// its own database, the real worker pool): set up a 5-value learning-rate sweep of SGD on iris
// from the New run form, see its values before launch, launch it, and see the Goldilocks chart
// mark the lr that diverged and the best one; a bad sweep names its field and launches nothing.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { browserUnavailableReason, newPage, pngSize, screenshot } from '../helpers/browser.ts';
import { closeSession, openSession, type BrowserMode } from '../helpers/dashboard.ts';
import { httpApi } from '../helpers/http-api.ts';

const unavailable = browserUnavailableReason();
if (unavailable) console.warn(`skipping the sweep browser tests: ${unavailable}`);
const SHOTS = !!process.env.PRECOND_SCREENSHOTS;

// Run in Chromium; this file is compiled without the DOM library.
interface CanvasEl {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}
declare const document: { querySelector(sel: string): CanvasEl | null; documentElement: unknown };
declare function getComputedStyle(el: unknown): { getPropertyValue(name: string): string };

let server: BrowserMode;
let browser: Browser;
let dir: string;

/** The API over HTTP, as a script would use it. */
const api = httpApi(() => server);

async function openIrisInNewRun(page: Page): Promise<void> {
  await page.goto(`${server.url}#/datasets`);
  await page.click('[data-test=sample-iris]');
  await page.waitForSelector('[data-test=report]');
  await page.click('[data-test=use-dataset]');
  await page.waitForSelector('[data-test=optimizer-adam].selected');
}

/** How many pixels of the canvas are within `tolerance` of the CSS colour variable `name` (on every channel). */
function pixelsNear(page: Page, selector: string, name: string, tolerance = 40): Promise<number> {
  return page.evaluate(
    ([sel, variable, tol]) => {
      const c = document.querySelector(sel)!;
      const hex = getComputedStyle(document.documentElement).getPropertyValue(variable).trim();
      const n = parseInt(hex.slice(1), 16);
      const [r, g, b] = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let count = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i + 3] > 200 && Math.abs(d[i] - r) < tol && Math.abs(d[i + 1] - g) < tol && Math.abs(d[i + 2] - b) < tol) count++;
      }
      return count;
    },
    [selector, name, tolerance] as const,
  );
}

describe.skipIf(!!unavailable)('sweeps in Chromium (browser mode)', () => {
  beforeAll(async () => {
    ({ dir, server, browser } = await openSession({ prefix: 'precond-e2e-sweeps-', args: ['--workers', '2'] }));
  });
  afterAll(() => closeSession({ dir, server, browser }));

  test('a 5-value lr sweep of SGD on iris: values shown before launch, the Goldilocks chart marks the diverged lr and the best', async () => {
    const { page, errors } = await newPage(browser, { width: 1400, height: 1100 });
    await openIrisInNewRun(page);
    await page.click('[data-test=optimizer-sgd]');
    await page.fill('[data-test=hidden]', '32');
    await page.fill('[data-test=epochs]', '10');
    // SGD on this MLP: lr 10 blows up within the first epochs (checked with `precond sweep`), lr 1 is best.
    await page.fill('[data-test=sweep-lr-from]', '1e-3');
    await page.fill('[data-test=sweep-lr-to]', '10');
    await page.fill('[data-test=sweep-lr-count]', '5');
    // The plan is the server's (debounced while typing): wait for the values of what was typed.
    await page.waitForFunction(
      (want) => Array.from((document as unknown as { querySelectorAll(s: string): ArrayLike<{ textContent: string }> }).querySelectorAll('[data-test=sweep-lr-value]'), (e) => e.textContent).join(' ') === want,
      '0.001 0.01 0.1 1 10',
    );
    expect(await page.textContent('[data-test=sweep-run-count]')).toBe('5 runs');
    expect(await page.textContent('[data-test=start-sweep]')).toContain('Start sweep (5 runs)');
    // Planning launched nothing.
    expect(await api('runs.list', {})).toEqual([]);
    if (SHOTS) await screenshot(page, 'sweeps-form', { selector: '[data-test=sweep-card]' });

    await page.click('[data-test=start-sweep]');
    await page.waitForURL(/#\/sweeps\/\d+$/);
    const sweepId = Number(/#\/sweeps\/(\d+)$/.exec(page.url())![1]);
    // Live: the view fills in as the members end, without a reload.
    await page.waitForSelector('[data-test=goldilocks-diverged]', { timeout: 60_000 });
    await page.waitForFunction(() => !(document as unknown as { querySelector(s: string): unknown }).querySelector('[data-test=goldilocks-active]'), undefined, { timeout: 60_000 });

    const detail = await api('sweeps.get', { id: sweepId });
    expect(detail.runs.map((r) => r.hyperparams.lr)).toEqual([0.001, 0.01, 0.1, 1, 10]);
    const byLr = new Map(detail.runs.map((r) => [r.hyperparams.lr as number, r]));
    expect(byLr.get(10)!.status).toBe('diverged');
    const finished = detail.runs.filter((r) => r.status === 'finished');
    expect(finished).toHaveLength(4);
    // The best is the finished member with the lowest final validation loss, whatever it is.
    const best = finished.reduce((a, b) => (b.summary.val_loss < a.summary.val_loss ? b : a));
    expect(await page.textContent('[data-test=goldilocks-best]')).toMatch(new RegExp(`^\\s*Best: lr ${best.hyperparams.lr} — final val_loss`));
    expect(await page.textContent('[data-test=goldilocks-diverged]')).toMatch(new RegExp(`Diverged \\(1\\): lr 10 at step ${byLr.get(10)!.divergedStep}`));
    expect(await page.textContent('[data-test=count-finished]')).toContain('4');
    expect(await page.textContent('[data-test=count-diverged]')).toContain('1');
    expect(await page.locator(`[data-test=member-${best.id}]`).getAttribute('class')).toContain('best');
    // The chart draws both marks: the red ✕ of the diverged lr and the green ring of the best.
    expect(await pixelsNear(page, '[data-test=goldilocks-canvas]', '--pl-danger')).toBeGreaterThan(40);
    expect(await pixelsNear(page, '[data-test=goldilocks-canvas]', '--pl-success')).toBeGreaterThan(40);
    // "Open as comparison": Compare with the members, grouped by learning rate.
    expect(await page.getAttribute('[data-test=open-compare]', 'href')).toBe(`#/compare?runs=${detail.runIds.join(',')}&group=optimizer.hyperparams.lr`);
    if (SHOTS) await screenshot(page, 'sweeps-goldilocks', { fullPage: true });

    // The shared export menu on the Goldilocks chart: a PNG at 2× the canvas, and the plotted data as CSV.
    const exported = async (format: 'png' | 'csv') => {
      await page.click('[data-test=goldilocks] [data-test=export-toggle]');
      const [download] = await Promise.all([page.waitForEvent('download'), page.click(`[data-test=goldilocks] [data-test=export-${format}]`)]);
      return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
    };
    const box = (await page.locator('[data-test=goldilocks-canvas]').boundingBox())!;
    const png = await exported('png');
    expect(png.name).toBe(`sweep-${sweepId}-goldilocks-val_loss.png`);
    expect(pngSize(png.bytes)).toEqual({ width: Math.round(box.width) * 2, height: Math.round(box.height) * 2 });
    const csv = (await exported('csv')).bytes.toString('utf8').trim().split('\n');
    expect(csv[0]).toBe('series,label,lr,value');
    const memberRows = csv.filter((line) => line.startsWith('sgd members,')).map((line) => line.split(',').slice(-2).map(Number));
    expect(memberRows).toEqual(detail.runs.map((r) => [r.hyperparams.lr, Number.isFinite(r.summary.val_loss) ? r.summary.val_loss : NaN]));
    expect(csv.find((line) => line.startsWith('best,'))).toBe(`best,best lr (sgd),${best.hyperparams.lr},${best.summary.val_loss}`);

    await page.click('[data-test=open-compare]');
    await page.waitForSelector('[data-test=diff-table]');
    for (const id of detail.runIds) await page.waitForSelector(`[data-test=diff-row-${id}]`);
    expect(await page.getAttribute('[data-test=diff-column].grouped button', 'data-path')).toBe('optimizer.hyperparams.lr');
    await page.goBack();
    await page.waitForSelector('[data-test=goldilocks-best]');

    // A member opens in the run view, which links back to its sweep.
    await page.click(`[data-test=member-${best.id}]`);
    await page.waitForURL(new RegExp(`#/runs/${best.id}$`));
    await page.click('[data-test=run-sweep]');
    await page.waitForURL(new RegExp(`#/sweeps/${sweepId}$`));
    await page.waitForSelector('[data-test=goldilocks-best]');

    // It is found again: in the sweep list, and by the runs filter.
    await page.click('[data-test=nav-Sweeps]');
    await page.waitForSelector(`[data-test=sweep-row-${sweepId}]`);
    expect(await page.textContent(`[data-test=sweep-row-${sweepId}]`)).toContain('sgd lr 0.001…10 ×5 · mlp · iris');
    expect((await api('runs.list', { sweep: sweepId })).length).toBe(5);
    // In the Runs table: the Sweep column's filter keeps its members, and its link opens the sweep.
    await page.click('[data-test=nav-Runs]');
    await page.fill('[data-test=filter-sweep]', `=${sweepId}`);
    await page.waitForFunction((n) => (document as unknown as { querySelectorAll(s: string): ArrayLike<unknown> }).querySelectorAll('[data-test=cell-sweep] a').length === n, 5);
    expect(await page.locator('[data-test=cell-sweep]').allTextContents()).toEqual(Array(5).fill(`#${sweepId}`));
    await page.locator('[data-test=cell-sweep] a').first().click();
    await page.waitForURL(new RegExp(`#/sweeps/${sweepId}$`));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('the Sweep view follows its members live: a run still training, one diverging, then the training one stopped', async () => {
    const { page, errors } = await newPage(browser, { width: 1400, height: 1000 });
    // One member that cannot finish on its own (10^5 epochs) and one that blows up at once.
    // digits with a wide MLP: a few hundred steps a second, not iris's tens of thousands, whose
    // points alone keep the server's main thread busy on a loaded 2-core machine.
    const base = { model: { kind: 'mlp', hidden: [256, 128] }, optimizer: { name: 'sgd', hyperparams: {} }, data: { source: 'digits' }, training: { epochs: 100_000 } };
    const { sweepId, runIds } = await api('sweeps.start', { base, lr: { kind: 'list', values: [0.05, 1e6] } });
    await page.goto(`${server.url}#/sweeps/${sweepId}`);
    await page.waitForSelector('[data-test=goldilocks-active]:text("1 still training")', { timeout: 60_000 });
    await page.waitForSelector('[data-test=goldilocks-diverged]:text("lr 1e6")', { timeout: 60_000 });
    expect(await page.textContent('[data-test=goldilocks-best]')).toBe('No run has finished yet.');
    expect((await api('runs.get', { id: runIds[0] })).status).toBe('running');
    // Progress refreshes the training member's latest validation loss in its row (and its hollow dot).
    await page.waitForFunction(
      (id) => /^\d/.test((document as unknown as { querySelector(s: string): { textContent: string } | null }).querySelector(`[data-test=member-${id}] [data-test=member-metric]`)?.textContent?.trim() ?? ''),
      runIds[0],
      { timeout: 30_000 },
    );
    if (SHOTS) await screenshot(page, 'sweeps-live', { selector: '[data-test=goldilocks]' });
    await api('runner.stop', { runId: runIds[0] });
    // Without a reload: the stopped member leaves "still training", its status badge changes.
    await page.waitForSelector('[data-test=goldilocks-active]', { state: 'detached', timeout: 30_000 });
    await page.waitForSelector('[data-test=count-stopped]');
    expect(await page.textContent(`[data-test=member-${runIds[0]}] [data-test=status]`)).toBe('stopped');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test.skipIf(!SHOTS)('screenshots: 7 learning rates × 3 seeds of SGD and Adam on iris (the means, the seeds, both marks), dark', async () => {
    const base = { model: { kind: 'mlp', hidden: [32] }, optimizer: { name: 'sgd', hyperparams: {} }, data: { source: 'iris' }, training: { epochs: 10 } };
    const { sweepId, runIds } = await api('sweeps.start', { base, lr: { kind: 'log', from: 1e-3, to: 10, count: 7 }, seed: { kind: 'range', from: 0, count: 3 }, optimizers: [{ name: 'sgd' }, { name: 'adam' }] });
    const { page } = await newPage(browser, { width: 1400, height: 1000, colorScheme: 'dark' });
    await page.goto(`${server.url}#/sweeps/${sweepId}`);
    await page.waitForSelector(`[data-test=count-finished]`);
    await page.waitForFunction(() => !(document as unknown as { querySelector(s: string): unknown }).querySelector('[data-test=goldilocks-active]'), undefined, { timeout: 120_000 });
    expect((await api('sweeps.get', { id: sweepId })).runs.every((r) => ['finished', 'diverged'].includes(r.status))).toBe(true);
    expect(runIds).toHaveLength(42);
    await page.check('[data-test=goldilocks-log-y]');
    await screenshot(page, 'sweeps-goldilocks-seeds-dark', { selector: '[data-test=goldilocks]' });
    await page.context().close();
  });

  test('a bad sweep names its field in the form, and launches nothing', async () => {
    const { page, errors } = await newPage(browser, { width: 1400, height: 1100 });
    const before = (await api('runs.list', {})).length;
    await openIrisInNewRun(page);
    await page.fill('[data-test=sweep-lr-from]', '0');
    await page.waitForSelector('[data-test="sweep-error-lr.from"]');
    expect(await page.textContent('[data-test="sweep-error-lr.from"]')).toMatch(/lr\.from: .*learning rate > 0/);
    expect(await page.isDisabled('[data-test=start-sweep]')).toBe(true);
    await page.fill('[data-test=sweep-lr-from]', 'abc');
    await page.waitForSelector('[data-test="sweep-error-lr.from"]:text("a number, e.g. 1e-4")');
    // Through the API: the member configs are checked before anything is launched.
    const bad = await api('sweeps.start', { base: { model: { kind: 'mlp' }, optimizer: { name: 'sgd', hyperparams: {} }, data: { source: 'iris' }, training: { epochs: 0 } }, lr: { kind: 'list', values: [0.1, 1] } }).catch((e: { info: { field: string; message: string } }) => e.info);
    expect(bad).toMatchObject({ field: 'base.training.epochs', message: expect.stringMatching(/training\.epochs: expected a whole number ≥ 1, found 0/) });
    expect((await api('runs.list', {})).length).toBe(before);
    expect(errors.filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
    await page.context().close();
  });
});
