// The Runs table, Compare and the chart exports end to end in a real Chromium, against browser mode
// (`precond serve` in a child process with its own database, seeded through the real store before
// it starts): compare two runs and read the difference table; sort, filter, rename, tag and delete
// in a table of 1,000+ runs (times printed, not asserted); group seeds by learning rate; export a
// PNG, an SVG and the CSV of a chart and check them against the stored points; the time to draw
// 20 runs × 100k steps (printed, not asserted).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { parse } from 'csv-parse/sync';
import { openStore, type RunStore } from '../../src-main/store/index.ts';
import { browserUnavailableReason, newPage, pngSize, screenshot, screenshotDir } from '../helpers/browser.ts';
import { closeSession, openSession, type BrowserMode } from '../helpers/dashboard.ts';
import { httpApi } from '../helpers/http-api.ts';
import { seedConfig, seedLoss, seedRun } from '../helpers/seed.ts';

const unavailable = browserUnavailableReason();
if (unavailable) console.warn(`skipping the runs/compare browser tests: ${unavailable}`);
const SHOTS = !!process.env.PRECOND_SCREENSHOTS;

// Page-side DOM members used in page.evaluate (this file is compiled without the DOM library).
interface El {
  textContent: string | null;
  scrollTop: number;
  scrollHeight: number;
  clientWidth: number;
  clientHeight: number;
  getBoundingClientRect(): { width: number; height: number };
}
declare const document: { querySelector(sel: string): El | null; querySelectorAll(sel: string): ArrayLike<El> };

/** The loss of the seeded group runs: a larger lr falls faster, each seed scales it and adds its own wiggle. */
const groupLoss = (lr: number, seed: number) => (t: number) => seedLoss(t * (1 + 40 * lr)) * (1 + seed / 10) * (1 + 0.12 * Math.sin(t * 1.3 + 2 * seed));

interface Seeded {
  adam: number;
  sgd: number;
  groups: { lr: number; seed: number; id: number }[];
  big: number[];
  table: number;
}

/** Every run the tests use, written through the real store before the server opens the file. */
function seedAll(store: RunStore): Seeded {
  const adam = seedRun(store, { name: 'compare adam', lr: 0.01, steps: 200, tags: ['pair'] });
  const sgd = seedRun(store, { name: 'compare sgd', lr: 0.1, optimizer: 'sgd', steps: 200, tags: ['pair'], loss: (t) => seedLoss(t) * 1.5 });
  const groups: Seeded['groups'] = [];
  for (const lr of [0.001, 0.01])
    for (const seed of [0, 1, 2]) groups.push({ lr, seed, id: seedRun(store, { name: `group lr=${lr} seed=${seed}`, lr, seed, steps: 150, snapshotEvery: 1000, tags: ['group'], loss: groupLoss(lr, seed) }) });
  // 20 runs × 100k steps of train_loss only (the draw-time measurement).
  const big: number[] = [];
  for (let r = 0; r < 20; r++) {
    const id = store.createRun({ config: seedConfig({ lr: 1e-3 * (r + 1), seed: r }), name: `big run ${r}`, tags: ['big'] });
    store.startRun(id);
    for (let t = 0; t < 100_000; t++) store.log(id, { step: t, epoch: t / 1000, wallTime: t * 0.002 }, { train_loss: (0.1 + 2 * Math.exp(-t / (5000 + 1000 * r))) * (1 + 0.1 * Math.sin(t * 0.37 + r)) });
    store.endRun(id, 'finished', {});
    big.push(id);
  }
  // 1,000 small runs for the table.
  const optimizers = ['adam', 'sgd', 'rmsprop', 'adagrad'];
  const lrs = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1];
  for (let i = 0; i < 1000; i++) {
    seedRun(store, { name: `table run ${String(i).padStart(4, '0')}`, optimizer: optimizers[i % 4], lr: lrs[i % 7], steps: 4, snapshotEvery: 1000, tags: ['table'], loss: (t) => seedLoss(t) + i / 1000 });
  }
  store.writer.flush();
  return { adam, sgd, groups, big, table: 1000 };
}

let server: BrowserMode;
let browser: Browser;
let dir: string;
let seeded: Seeded;

/** The API over HTTP, as a script would use it. */
const api = httpApi(() => server);

async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  const path = await download.path();
  return { name: download.suggestedFilename(), bytes: readFileSync(path!) };
}

async function exportFrom(page: Page, menu: string, format: 'png' | 'svg' | 'csv' | 'json', light = false) {
  await page.click(`${menu} [data-test=export-toggle]`);
  if (light) await page.check(`${menu} [data-test=export-light]`);
  return downloaded(page, () => page.click(`${menu} [data-test=export-${format}]`));
}

const cellTexts = (page: Page, sel: string) => page.$$eval(sel, (els) => els.map((e) => (e as unknown as El).textContent?.trim() ?? ''));

describe.skipIf(!!unavailable)('Runs table, Compare and export in Chromium (browser mode)', () => {
  beforeAll(async () => {
    const seed = (db: string) => {
      const t0 = performance.now();
      const store = openStore(db);
      seeded = seedAll(store);
      store.close();
      console.log(`seeded ${seeded.table + 28} runs (${20 * 100_000 + 1000 * 4} + points) in ${Math.round(performance.now() - t0)} ms`);
    };
    ({ dir, server, browser } = await openSession({ prefix: 'precond-e2e-compare-', args: ['--workers', '1'], seed }));
  });

  afterAll(() => closeSession({ dir, server, browser }));

  test('compare two runs: the difference table shows exactly the differing hyperparameters', async () => {
    const { page, errors } = await newPage(browser, { width: 1400, height: 1000 });
    await page.goto(`${server.url}#/compare?runs=${seeded.adam},${seeded.sgd}`);
    await page.waitForSelector('[data-test=diff-table]');
    expect(await page.$$eval('[data-test=diff-column] button', (els) => els.map((e) => (e as unknown as { dataset: { path: string } }).dataset.path))).toEqual(['optimizer.name', 'optimizer.hyperparams.lr']);
    expect(await cellTexts(page, `[data-test=diff-row-${seeded.adam}] [data-test=diff-cell]`)).toEqual(['adam', '0.01']);
    expect(await cellTexts(page, `[data-test=diff-row-${seeded.sgd}] [data-test=diff-cell]`)).toEqual(['sgd', '0.1']);
    // final metrics: the value written at the end (train_loss at the last step)
    const final = await page.textContent(`[data-test=final-row-${seeded.sgd}]`);
    expect(final).toContain(String(Number((seedLoss(199) * 1.5).toPrecision(4))));
    // Steps as the Runs table counts them: the last step logged (steps 0..199 here)
    const sgdRun = await api('runs.get', { id: seeded.sgd });
    expect(await page.textContent(`[data-test=final-row-${seeded.sgd}] [data-test=final-steps]`)).toBe(String(sgdRun.lastStep));
    expect(sgdRun.lastStep).toBe(199);
    // both curves drawn, every stored point loaded
    await page.waitForSelector('[data-test=draw-stats]');
    expect(await page.getAttribute('[data-test=draw-stats]', 'data-points')).toBe('400');
    if (SHOTS) await screenshot(page, 'compare-two-light');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('a bad or stale compare URL says what is wrong', async () => {
    const { page } = await newPage(browser);
    await page.goto(`${server.url}#/compare?runs=1,x`);
    expect(await page.textContent('[data-test=query-error]')).toContain('“x” is not a run id');
    await page.goto(`${server.url}#/compare?runs=${seeded.adam},999999`);
    expect(await (await page.waitForSelector('[data-test=missing-runs]')).textContent()).toContain('No run 999999');
    await page.context().close();
  });

  test('group by learning rate: one mean and min–max band per lr, the CSV holds the mean across seeds', async () => {
    const { page, errors } = await newPage(browser, { width: 1400, height: 1000 });
    const ids = seeded.groups.map((g) => g.id).join(',');
    await page.goto(`${server.url}#/compare?runs=${ids}&group=optimizer.hyperparams.lr`);
    await page.waitForSelector('[data-test=band-chart] canvas');
    expect(await page.inputValue('[data-test=group]')).toBe('optimizer.hyperparams.lr');
    // diff table: lr, training.seed (and nothing else)
    expect(await page.$$eval('[data-test=diff-column] button', (els) => els.map((e) => (e as unknown as { dataset: { path: string } }).dataset.path))).toEqual(['optimizer.hyperparams.lr', 'training.seed']);
    await page.locator('[data-test=smoothing]').fill('0');
    const csv = await exportFrom(page, '.compare', 'csv');
    const rows = parse(csv.bytes.toString(), { columns: true }) as { series: string; step: string; value: string }[];
    expect([...new Set(rows.map((r) => r.series))]).toEqual(['lr=0.001/mean', 'lr=0.001/min', 'lr=0.001/max', 'lr=0.01/mean', 'lr=0.01/min', 'lr=0.01/max']);
    for (const lr of [0.001, 0.01]) {
      const mean = rows.filter((r) => r.series === `lr=${lr}/mean`);
      expect(mean).toHaveLength(150);
      for (const t of [0, 75, 149]) {
        const want = [0, 1, 2].reduce((a, s) => a + groupLoss(lr, s)(t), 0) / 3;
        expect(Number(mean[t].value)).toBeCloseTo(want, 12);
      }
      const max = rows.filter((r) => r.series === `lr=${lr}/max`);
      const min = rows.filter((r) => r.series === `lr=${lr}/min`);
      for (const t of [10, 99]) {
        const seeds = [0, 1, 2].map((s) => groupLoss(lr, s)(t));
        expect(Number(max[t].value)).toBe(Math.max(...seeds));
        expect(Number(min[t].value)).toBe(Math.min(...seeds));
      }
    }
    if (SHOTS) {
      await page.locator('[data-test=smoothing]').fill('0.6');
      await page.waitForTimeout(200);
      await screenshot(page, 'compare-grouped-light');
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('export a chart as PNG (2× its CSS size), SVG (its CSS size) and CSV (the stored points)', async () => {
    const { page, errors } = await newPage(browser, { width: 1400, height: 1000 });
    await page.goto(`${server.url}#/compare?runs=${seeded.adam},${seeded.sgd}`);
    await page.waitForSelector('[data-test=draw-stats]');
    await page.locator('[data-test=smoothing]').fill('0.9');
    const css = await page.evaluate(() => document.querySelector('[data-test=compare-chart] canvas')!.getBoundingClientRect());

    const png = await exportFrom(page, '.compare', 'png', true);
    expect(png.name).toBe(`compare-train_loss-runs-${seeded.adam}-${seeded.sgd}.png`);
    expect(pngSize(png.bytes)).toEqual({ width: 2 * Math.round(css.width), height: 2 * Math.round(css.height) });
    expect(png.bytes.length).toBeGreaterThan(5000);
    if (SHOTS) writeFileSync(join(screenshotDir(), 'export-compare-light.png'), png.bytes);

    const svg = (await exportFrom(page, '.compare', 'svg')).bytes.toString();
    expect(svg).toMatch(new RegExp(`^<svg [^>]*width="${Math.round(css.width)}" height="${Math.round(css.height)}"`));
    // four lines (raw and smoothed per run), the legend names both runs
    expect(svg.match(/<path class="line"/g)).toHaveLength(4);
    expect(svg).toContain('#1 compare adam'.replace('1', String(seeded.adam)));

    const csv = await exportFrom(page, '.compare', 'csv');
    const rows = parse(csv.bytes.toString(), { columns: true }) as { series: string; step: string; value: string; smoothed: string }[];
    const stored = await api('runs.series', { runIds: [seeded.adam, seeded.sgd], keys: ['train_loss'], maxPoints: 200_000 });
    for (const s of stored) {
      const mine = rows.filter((r) => r.series === `run-${s.runId}`);
      expect(mine.map((r) => Number(r.step))).toEqual(s.step);
      expect(mine.map((r) => Number(r.value))).toEqual(s.value);
      expect(mine.every((r) => r.smoothed !== '')).toBe(true);
    }
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('the live run view: a chart as PNG, a heatmap frame as PNG, the run’s metrics as CSV', async () => {
    const { page, errors } = await newPage(browser, { width: 1400, height: 1000 });
    await page.goto(`${server.url}#/runs/${seeded.adam}`);
    await page.waitForSelector('[data-test=layer-layers\\.0] canvas');
    const loss = await exportFrom(page, '.card:has([data-test=loss-chart])', 'png');
    const lossCss = await page.evaluate(() => document.querySelector('[data-test=loss-chart] canvas')!.getBoundingClientRect());
    expect(pngSize(loss.bytes)).toEqual({ width: 2 * Math.round(lossCss.width), height: 2 * Math.round(lossCss.height) });
    // the card header is the chart's title on screen; the exported image carries it
    const svg = (await exportFrom(page, '.card:has([data-test=loss-chart])', 'svg')).bytes.toString();
    expect(svg).toContain('>Loss · compare adam</text>');
    expect(svg).toContain('>step</text>');
    const heat = await exportFrom(page, '[data-test=layer-layers\\.0] .layer-title', 'png');
    expect(heat.name).toBe(`run-${seeded.adam}-layers.0-step-199.png`);
    const size = pngSize(heat.bytes);
    expect(size.width).toBeGreaterThan(200);
    expect(size.height).toBeGreaterThan(50);
    const metrics = await downloaded(page, () => page.click('[data-test=export-csv]'));
    const table = parse(metrics.bytes.toString(), { columns: true }) as Record<string, string>[];
    expect(table).toHaveLength(200);
    expect(Number(table[50].train_loss)).toBe(seedLoss(50));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('the Runs table with 1,000+ runs: virtual rows, sort, filter, rename, tag, delete (times printed)', async () => {
    const { page, errors } = await newPage(browser, { width: 1500, height: 1000 });
    const total = seeded.table + 28;
    const t0 = performance.now();
    await page.goto(`${server.url}#/runs`);
    await page.waitForFunction((n) => document.querySelector('[data-test=row-count]')?.textContent?.startsWith(`${n} of ${n}`), total);
    const openMs = performance.now() - t0;
    const rendered = await page.$$eval('[data-test=runs-table] tbody tr[data-test^=run-row-]', (els) => els.length);
    expect(rendered).toBeLessThan(80); // only the rows in view (and a few either side)

    // sort by lr, ascending: the smallest first
    let t = performance.now();
    await page.click('[data-test=sort-lr]');
    await page.waitForFunction(() => document.querySelector('[data-test=runs-table] tbody tr[data-test^=run-row-] [data-test=cell-lr]')?.textContent === '1e-4');
    const sortMs = performance.now() - t;
    await page.click('[data-test=sort-lr]'); // descending
    await page.waitForFunction(() => document.querySelector('[data-test=runs-table] tbody tr[data-test^=run-row-] [data-test=cell-lr]')?.textContent === '0.1');

    // scroll to the end: the last rows are rendered
    t = performance.now();
    await page.evaluate(() => {
      const s = document.querySelector('[data-test=runs-scroller]')!;
      s.scrollTop = s.scrollHeight;
    });
    await page.waitForFunction(() => {
      const cells = document.querySelectorAll('[data-test=runs-table] tbody tr[data-test^=run-row-] [data-test=cell-lr]');
      return cells.length > 0 && cells[cells.length - 1].textContent === '1e-4';
    });
    const scrollMs = performance.now() - t;

    // filter: optimizer sgd and lr < 1e-3 -> i % 4 == 1 and i % 7 in {0, 1}
    t = performance.now();
    await page.fill('[data-test=filter-optimizer]', '=sgd');
    await page.fill('[data-test=filter-lr]', '<1e-3');
    let want = 0;
    for (let i = 0; i < 1000; i++) if (i % 4 === 1 && i % 7 < 2) want++;
    await page.waitForFunction((n) => document.querySelector('[data-test=row-count]')?.textContent?.startsWith(`${n} of`), want);
    const filterMs = performance.now() - t;
    const shown = await cellTexts(page, '[data-test=runs-table] tbody [data-test=cell-optimizer]');
    expect(shown.length).toBeGreaterThan(5);
    expect(new Set(shown)).toEqual(new Set(['sgd']));
    for (const lr of await cellTexts(page, '[data-test=runs-table] tbody [data-test=cell-lr]')) expect(['1e-4', '3e-4']).toContain(lr);
    // a filter that is not a number says so, and is ignored
    await page.fill('[data-test=filter-lr]', '<abc');
    expect(await page.textContent('[data-test=filter-error]')).toContain('lr: “<abc” is not a number');
    await page.fill('[data-test=filter-lr]', '');
    await page.fill('[data-test=filter-optimizer]', '');
    console.log(`runs table, ${total} runs: open ${Math.round(openMs)} ms, sort ${Math.round(sortMs)} ms, scroll to the end ${Math.round(scrollMs)} ms, filter ${Math.round(filterMs)} ms (${rendered} rows rendered)`);

    // rename and tag one run through the editor
    await page.fill('[data-test=filter-name]', 'table run 0007');
    await page.waitForFunction(() => document.querySelector('[data-test=row-count]')?.textContent?.startsWith('1 of'));
    const id = Number((await page.getAttribute('[data-test=runs-table] tbody tr[data-test^=run-row-]', 'data-test'))!.replace('run-row-', ''));
    await page.click(`[data-test=edit-${id}]`);
    await page.fill('[data-test=editor-name]', 'renamed in e2e');
    await page.click('[data-test=editor-rename]');
    await page.fill('[data-test=editor-tag]', 'keeper');
    await page.click('[data-test=editor-add-tag]');
    await page.waitForSelector('[data-test=tag-keeper]');
    const after = await api('runs.get', { id });
    expect(after.name).toBe('renamed in e2e');
    expect(after.tags).toEqual(['keeper', 'table']);
    await page.fill('[data-test=filter-name]', '');
    await page.fill('[data-test=filter-tags]', 'keeper');
    await page.waitForFunction(() => document.querySelector('[data-test=row-count]')?.textContent?.startsWith('1 of'));
    expect(await page.textContent(`[data-test=run-row-${id}] [data-test=cell-name]`)).toBe('renamed in e2e');

    // delete it: asked first, cancel keeps it, confirm removes it
    await page.click('[data-test=editor-delete]');
    await page.click('[data-test=confirm-delete-no]');
    expect((await api('runs.get', { id })).id).toBe(id);
    await page.click('[data-test=editor-delete]');
    expect(await page.textContent('[data-test=confirm-delete]')).toContain(`Delete run ${id} “renamed in e2e”`);
    await page.click('[data-test=confirm-delete-yes]');
    await page.waitForFunction(() => document.querySelector('[data-test=row-count]')?.textContent?.startsWith('0 of'));
    await expect(api('runs.get', { id })).rejects.toThrow(/not found/);
    await page.fill('[data-test=filter-tags]', '');

    // select two runs -> Compare opens them
    await page.fill('[data-test=filter-tags]', 'pair');
    await page.check(`[data-test=select-${seeded.adam}]`);
    await page.check(`[data-test=select-${seeded.sgd}]`);
    await page.click('[data-test=compare]');
    await page.waitForURL(new RegExp(`#/compare\\?runs=${seeded.adam}(%2C|,)${seeded.sgd}$`));
    await page.waitForSelector('[data-test=diff-table]');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('20 runs × 100k steps: loaded and drawn (time printed)', async () => {
    const { page, errors } = await newPage(browser, { width: 1400, height: 1000 });
    const t0 = performance.now();
    await page.goto(`${server.url}#/compare?runs=${seeded.big.join(',')}`);
    await page.waitForSelector('[data-test=draw-stats]', { timeout: 120_000 });
    const total = performance.now() - t0;
    const stats = await page.evaluate(() => {
      const el = document.querySelector('[data-test=draw-stats]') as unknown as { dataset: Record<string, string> };
      return { drawMs: Number(el.dataset.drawMs), fetchMs: Number(el.dataset.fetchMs), points: Number(el.dataset.points) };
    });
    expect(stats.points).toBe(2_000_000);
    // redraws of the same loaded points, x by epoch, wall time and step (each: smoothing, decimation, chart.js)
    const redraws: { drawMs: number; chartMs: number }[] = [];
    for (const x of ['epoch', 'time', 'step', 'epoch', 'step']) {
      const before = await page.getAttribute('[data-test=draw-stats]', 'data-draw-ms');
      await page.click(`[data-test=x-${x}]`);
      await page.waitForFunction((b) => document.querySelector('[data-test=draw-stats]') && (document.querySelector('[data-test=draw-stats]') as unknown as { dataset: Record<string, string> }).dataset.drawMs !== b, before);
      const el = await page.$eval('[data-test=draw-stats]', (e) => ({ ...(e as unknown as { dataset: Record<string, string> }).dataset }));
      redraws.push({ drawMs: Number(el.drawMs), chartMs: Number(el.chartMs) });
    }
    const sorted = redraws.map((r) => r.drawMs).sort((a, b) => a - b);
    console.log(
      `compare 20 runs × 100k steps (smoothing 0.6): first draw ${stats.drawMs} ms; redraws ${JSON.stringify(redraws)} (median ${sorted[2]} ms, min ${sorted[0]} ms; chartMs = chart.js's part); ` +
        `series fetched in ${Math.round(stats.fetchMs)} ms; page open to drawn ${Math.round(total)} ms`,
    );
    if (SHOTS) await screenshot(page, 'compare-20-runs-light');
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('screenshots of the Runs table and Compare, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, errors } = await newPage(browser, { colorScheme, width: 1500, height: 900 });
      await page.goto(`${server.url}#/runs`);
      await page.waitForSelector('[data-test=runs-table] tbody tr[data-test^=run-row-]');
      await page.fill('[data-test=filter-tags]', '!table');
      await page.check(`[data-test=select-${seeded.groups[0].id}]`);
      await page.check(`[data-test=select-${seeded.groups[3].id}]`);
      await page.click('[data-test=sort-val_loss]');
      // The click scrolled the wide table to its header; the picture starts at the table's left edge.
      await page.evaluate(() => {
        for (const el of Array.from((document as unknown as { querySelectorAll(s: string): ArrayLike<{ scrollLeft: number }> }).querySelectorAll('*'))) if (el.scrollLeft > 0) el.scrollLeft = 0;
      });
      await page.waitForTimeout(200);
      if (SHOTS) await screenshot(page, `runs-table-${colorScheme}`, { fullPage: false });
      await page.goto(`${server.url}#/compare?runs=${seeded.adam},${seeded.sgd},${seeded.groups.map((g) => g.id).join(',')}`);
      await page.waitForSelector('[data-test=draw-stats]');
      await page.check('[data-test=log-y]');
      await page.waitForTimeout(300);
      if (SHOTS) await screenshot(page, `compare-${colorScheme}`);
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });
});
