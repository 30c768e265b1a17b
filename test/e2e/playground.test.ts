// The playground end to end in a real Chromium, against browser mode (`precond serve` in a child
// process, the renderer built for this run): open the presets and see three drawn paths with
// their learning rates in the legend (one marked diverged), animate, change the surface, click
// the plot to move the start, export the plot; light and dark screenshots with PRECOND_SCREENSHOTS set.
import { readFileSync } from 'node:fs';
import type { Browser, Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findPreset, playgroundPath } from '../../src-main/core/surfaces/playground.ts';
import { SURFACES } from '../../src-main/core/surfaces/index.ts';
import { browserUnavailableReason, newPage, pngSize, screenshot } from '../helpers/browser.ts';
import { closeSession, openSession, type BrowserMode } from '../helpers/dashboard.ts';

const unavailable = browserUnavailableReason();
if (unavailable) console.warn(`skipping the playground browser tests: ${unavailable}`);
const SHOTS = !!process.env.PRECOND_SCREENSHOTS;

// The functions handed to page.evaluate run in Chromium; this file is compiled without the DOM
// library, so the few DOM members they use are declared here.
interface El {
  getAttribute(name: string): string | null;
  textContent: string | null;
  getBoundingClientRect(): { left: number; top: number; width: number; height: number };
  querySelector(sel: string): El | null;
}
declare const document: { querySelectorAll(sel: string): ArrayLike<El>; querySelector(sel: string): El | null };
interface Ctx2d {
  drawImage(img: unknown, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}
declare function createImageBitmap(blob: unknown): Promise<{ width: number; height: number }>;
declare function atob(b64: string): string;
declare class Blob {
  constructor(parts: unknown[], o: { type: string });
}
declare class OffscreenCanvas {
  constructor(w: number, h: number);
  getContext(kind: '2d'): Ctx2d | null;
}
declare class DOMParser {
  parseFromString(text: string, type: string): { querySelector(sel: string): El | null; querySelectorAll(sel: string): ArrayLike<El> };
}

let server: BrowserMode;
let browser: Browser;
let dir: string;

interface DrawnPlot {
  /** Line commands (points after the first) of each drawn path. */
  pathPoints: number[];
  firstPoints: [number, number][];
  legend: string[];
  diverged: number;
  levels: number;
  stepLabel: string;
  title: string;
}

function drawnPlot(page: Page): Promise<DrawnPlot> {
  return page.evaluate(() => {
    const paths = Array.from(document.querySelectorAll('[data-test=playground-plot] .pl-contour-path > path:not(.pl-contour-diverged)'));
    return {
      pathPoints: paths.map((p) => (p.getAttribute('d') ?? '').split('L').length - 1),
      firstPoints: paths.map((p) => {
        const m = /^M(-?[\d.]+) (-?[\d.]+)/.exec(p.getAttribute('d') ?? '');
        return (m ? [Number(m[1]), Number(m[2])] : [NaN, NaN]) as [number, number];
      }),
      legend: Array.from(document.querySelectorAll('[data-test=playground-plot] .legend text'), (t) => t.textContent ?? ''),
      diverged: document.querySelectorAll('[data-test=playground-plot] .pl-contour-diverged').length,
      levels: document.querySelectorAll('[data-test=playground-plot] .pl-contour-levels path').length,
      stepLabel: document.querySelector('[data-test=playground-plot] .pl-steps-label')?.textContent ?? '',
      title: document.querySelector('[data-test=playground-plot] svg text[font-weight=bold]')?.textContent ?? '',
    };
  });
}

/** Client (page) coordinates of data point (x, y): through the plot area (the clip rect, in viewBox units) and the SVG's drawn size. */
function clientPoint(page: Page, box: { x: readonly [number, number]; y: readonly [number, number] }, x: number, y: number): Promise<{ cx: number; cy: number; svgX: number; svgY: number }> {
  return page.evaluate(
    ({ box, x, y }) => {
      const svg = document.querySelector('[data-test=playground-plot] svg')!;
      const clip = svg.querySelector('clipPath rect')!;
      const [vbW, vbH] = (svg.getAttribute('viewBox') ?? '').split(' ').slice(2).map(Number);
      const r = svg.getBoundingClientRect();
      const left = Number(clip.getAttribute('x'));
      const top = Number(clip.getAttribute('y'));
      const w = Number(clip.getAttribute('width'));
      const h = Number(clip.getAttribute('height'));
      const svgX = left + ((x - box.x[0]) / (box.x[1] - box.x[0])) * w;
      const svgY = top + h - ((y - box.y[0]) / (box.y[1] - box.y[0])) * h;
      return { cx: r.left + (svgX * r.width) / vbW, cy: r.top + (svgY * r.height) / vbH, svgX, svgY };
    },
    { box, x, y },
  );
}

/** The file a click downloads (browser mode saves exports as downloads). */
async function downloaded(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Buffer }> {
  const [download] = (await Promise.all([page.waitForEvent('download'), click()])) as [Download, void];
  return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
}

/** Opens the export menu inside `scope` and clicks one format. */
function exportAs(page: Page, scope: string, format: 'png' | 'svg' | 'csv' | 'json', light = false): Promise<{ name: string; bytes: Buffer }> {
  return downloaded(page, async () => {
    await page.click(`${scope} [data-test=export-toggle]`);
    if (light) await page.check(`${scope} [data-test=export-light]`);
    await page.click(`${scope} [data-test=export-${format}]`);
  });
}

describe.skipIf(!!unavailable)('the playground in Chromium (browser mode)', () => {
  beforeAll(async () => {
    ({ dir, server, browser } = await openSession({ prefix: 'precond-e2e-playground-' }));
  });
  afterAll(() => closeSession({ dir, server, browser }));

  test('the presets: three paths of many points each, every lr in the legend, the diverged one marked', async () => {
    const { page, errors } = await newPage(browser, { width: 1440, height: 1100 });
    await page.goto(`${server.url}#/datasets`);
    await page.click('[data-test="nav-Playground"]');
    await page.waitForSelector('[data-test=playground-plot] .pl-contour-path > path');

    await page.selectOption('[data-test=preset]', 'valley-adaptive');
    await page.waitForURL(/preset=valley-adaptive/);
    const adaptive = findPreset('valley-adaptive')!;
    await page.waitForFunction(() => document.querySelector('[data-test=playground-plot] .legend text')?.textContent?.startsWith('SGD'));
    let drawn = await drawnPlot(page);
    expect(drawn.pathPoints).toHaveLength(3);
    for (const n of drawn.pathPoints) expect(n).toBe(adaptive.steps); // every step drawn: iterates 0…steps
    expect(drawn.legend).toEqual(['SGD  lr=0.0198', 'Adam  lr=0.1', 'RMSprop  lr=0.02']);
    expect(drawn.legend.map((l) => Number(/lr=([\d.e-]+)/.exec(l)![1]))).toEqual(adaptive.runs.map((r) => r.lr));
    expect(drawn.diverged).toBe(0);
    expect(drawn.levels).toBeGreaterThan(10);
    const outcomes = await page.locator('[data-test=outcome]').allTextContents();
    expect(outcomes[0]).toMatch(/from the minimum after 100 steps/);
    expect(outcomes[1]).toMatch(/^within 0\.05 of the minimum from step \d+$/);
    expect(outcomes[2]).toMatch(/^within 0\.05 of the minimum from step \d+$/);
    expect(await page.locator('[data-test=effective-lr] canvas').count()).toBe(3);

    await page.selectOption('[data-test=preset]', 'sgd-three-lrs');
    await page.waitForURL(/preset=sgd-three-lrs/);
    await page.waitForFunction(() => document.querySelectorAll('[data-test=playground-plot] .pl-contour-diverged').length === 1);
    drawn = await drawnPlot(page);
    expect(drawn.pathPoints).toHaveLength(3);
    const divergedAt = Number(/diverged at step (\d+)/.exec(drawn.legend[0])![1]);
    expect(drawn.pathPoints).toEqual([divergedAt, 300, 300]);
    expect(divergedAt).toBeGreaterThan(10);
    expect(drawn.legend[0]).toBe(`SGD  lr=0.021 (diverged at step ${divergedAt})`);
    expect(drawn.legend.slice(1)).toEqual(['SGD  lr=0.001', 'SGD  lr=0.0198']);
    expect((await page.locator('[data-test=outcome]').allTextContents())[0]).toBe(`diverged at step ${divergedAt}`);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('play, pause and step animate the paths; a new surface; a click on the plot moves the start', async () => {
    const { page, errors } = await newPage(browser, { width: 1440, height: 1100 });
    await page.goto(`${server.url}#/playground?preset=valley-adaptive`);
    await page.waitForSelector('[data-test=playground-plot] .pl-contour-path > path');
    const plot = page.locator('[data-test=playground-plot]');

    await plot.locator('button.pl-reset').click();
    expect((await drawnPlot(page)).stepLabel).toBe('step 0 / 100');
    await plot.locator('button.pl-step').click();
    await plot.locator('button.pl-step').click();
    let drawn = await drawnPlot(page);
    expect(drawn.stepLabel).toBe('step 2 / 100');
    expect(drawn.pathPoints).toEqual([2, 2, 2]);
    await page.selectOption('[data-test=speed]', '250');
    await plot.locator('button.pl-play').click();
    await page.waitForFunction(() => Number(/step (\d+)/.exec(document.querySelector('[data-test=playground-plot] .pl-steps-label')?.textContent ?? '')?.[1]) >= 10);
    await plot.locator('button.pl-play').click(); // now "Pause"
    const paused = (await drawnPlot(page)).stepLabel;
    const pausedStep = Number(/step (\d+)/.exec(paused)![1]);
    expect(pausedStep).toBeGreaterThanOrEqual(10);
    await page.waitForTimeout(300);
    drawn = await drawnPlot(page);
    expect(drawn.stepLabel).toBe(paused);
    expect(drawn.pathPoints).toEqual([pausedStep, pausedStep, pausedStep]);

    await page.selectOption('[data-test=surface]', 'himmelblau');
    await page.waitForFunction(() => document.querySelector('[data-test=playground-plot] svg text[font-weight=bold]')?.textContent === 'Himmelblau');
    expect(await page.inputValue('[data-test=start-x]')).toBe(String(SURFACES.himmelblau.start[0]));
    expect(await page.inputValue('[data-test=start-y]')).toBe(String(SURFACES.himmelblau.start[1]));
    expect(await page.inputValue('[data-test=preset]')).toBe('');
    drawn = await drawnPlot(page);
    expect(drawn.pathPoints).toHaveLength(3);
    expect(drawn.levels).toBeGreaterThan(10);
    expect(await page.locator('[data-test=playground-plot] .pl-contour-minimum').count()).toBe(4);

    const target = await clientPoint(page, SURFACES.himmelblau.domain, -3, 3.5);
    await page.mouse.click(target.cx, target.cy);
    await page.waitForFunction(() => (document.querySelector('[data-test=start-x]') as unknown as { value: string }).value !== '0');
    // The start fields show the clicked point (3 significant digits: within a pixel of it).
    const pixel = (SURFACES.himmelblau.domain.x[1] - SURFACES.himmelblau.domain.x[0]) / 700;
    expect(Math.abs(Number(await page.inputValue('[data-test=start-x]')) + 3)).toBeLessThan(2 * pixel + 0.01);
    expect(Math.abs(Number(await page.inputValue('[data-test=start-y]')) - 3.5)).toBeLessThan(2 * pixel + 0.01);
    // Every path now starts there, and the start marker moved with them.
    await plot.locator('button.pl-play').waitFor();
    await page.waitForFunction(() => Number(/step (\d+)/.exec(document.querySelector('[data-test=playground-plot] .pl-steps-label')?.textContent ?? '')?.[1]) > 0);
    drawn = await drawnPlot(page);
    for (const [x, y] of drawn.firstPoints) {
      expect(Math.abs(x - target.svgX)).toBeLessThan(1.5);
      expect(Math.abs(y - target.svgY)).toBeLessThan(1.5);
    }
    const ring = page.locator('[data-test=playground-plot] .pl-contour-start');
    expect(Math.abs(Number(await ring.getAttribute('cx')) - target.svgX)).toBeLessThan(1.5);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test('the plot exports as a 2× PNG, an SVG with the three paths, and CSV of every iterate', async () => {
    const { page, errors } = await newPage(browser, { width: 1440, height: 1100, colorScheme: 'dark' });
    await page.goto(`${server.url}#/playground?preset=valley-adaptive`);
    await page.waitForSelector('[data-test=playground-plot] .pl-contour-path > path');
    const card = 'section.card:has([data-test=playground-plot])';
    const png = await exportAs(page, card, 'png', true);
    expect(png.name).toBe('playground-valley-valley-adaptive.png');
    const [w, h] = await page.evaluate(() => (document.querySelector('[data-test=playground-plot] svg')!.getAttribute('viewBox') ?? '').split(' ').slice(2).map(Number));
    expect(pngSize(png.bytes)).toEqual({ width: 2 * w, height: 2 * h });
    // Decoded in the page: on the light background, with dark text (title, axes, legend) and the three path colours drawn.
    const pixels = await page.evaluate(async (b64) => {
      // (not fetch() of a data: URL: the page's CSP allows connections to its own origin only)
      const img = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
      const c = new OffscreenCanvas(img.width, img.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const d = ctx.getImageData(0, 0, img.width, img.height).data;
      let white = 0;
      let dark = 0;
      const colours = new Set<number>();
      for (let i = 0; i < d.length; i += 4) {
        const [r, g, b] = [d[i], d[i + 1], d[i + 2]];
        if (r > 250 && g > 250 && b > 250) white++;
        else if (r < 80 && g < 80 && b < 80) dark++;
        else colours.add(((r >> 4) << 8) | ((g >> 4) << 4) | (b >> 4));
      }
      return { white: white / (d.length / 4), dark, colours: colours.size };
    }, png.bytes.toString('base64'));
    expect(pixels.white).toBeGreaterThan(0.5);
    expect(pixels.dark).toBeGreaterThan(2000);
    expect(pixels.colours).toBeGreaterThan(20);

    const svg = (await exportAs(page, card, 'svg')).bytes.toString('utf8');
    const parsed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
      return {
        error: doc.querySelector('parsererror')?.textContent ?? null,
        paths: Array.from(doc.querySelectorAll('.pl-contour-path > path'), (p) => (p.getAttribute('d') ?? '').split('L').length - 1),
        legend: Array.from(doc.querySelectorAll('.legend text'), (t) => t.textContent),
      };
    }, svg);
    expect(parsed).toEqual({ error: null, paths: [100, 100, 100], legend: ['SGD  lr=0.0198', 'Adam  lr=0.1', 'RMSprop  lr=0.02'] });

    const csv = (await exportAs(page, card, 'csv')).bytes.toString('utf8').trim().split('\n');
    expect(csv[0]).toBe('series,label,step,value');
    expect(csv).toHaveLength(1 + 3 * 2 * 101); // 3 paths × (x, y) × (start + 100 steps)
    const adamPath = playgroundPath('valley', findPreset('valley-adaptive')!.runs[1], [2, 1], 100);
    const adamX = csv.filter((l) => l.startsWith('path-1.x,')).map((l) => Number(l.split(',').at(-1)));
    // The same core code as here, but not bit for bit: Chromium's V8 rounds some powers (Adam's
    // bias correction β^t) differently in the last bit from Node 20's (0.999 ** 16 differs by one
    // ulp), so the two paths drift apart by a few 1e-16.
    const close = (got: number, want: number) => Math.abs(got - want) <= 1e-12 * Math.max(1, Math.abs(want));
    const want = [2, ...adamPath.points.map((p) => p[0])];
    expect(adamX).toHaveLength(want.length);
    adamX.forEach((v, i) => expect(close(v, want[i]), `x at step ${i}: ${v} vs ${want[i]}`).toBe(true));

    const eff = await exportAs(page, '[data-test=effective-lr-1]', 'csv');
    const effRows = eff.bytes.toString('utf8').trim().split('\n');
    expect(effRows).toHaveLength(1 + 2 * 100);
    const effY = effRows.filter((l) => l.startsWith('effective_lr.y,')).map((l) => Number(l.split(',').at(-1)));
    expect(effY).toHaveLength(100);
    effY.forEach((v, i) => expect(close(v, adamPath.effectiveLr[i][1]), `effective lr y at step ${i + 1}`).toBe(true));
    expect(errors).toEqual([]);
    await page.context().close();
  });

  test.runIf(SHOTS)('screenshots, light and dark', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, errors } = await newPage(browser, { colorScheme, width: 1440, height: 1000 });
      for (const preset of ['valley-adaptive', 'sgd-three-lrs']) {
        await page.goto(`${server.url}#/playground?preset=${preset}`);
        await page.waitForSelector('[data-test=playground-plot] .pl-contour-path > path');
        await page.waitForTimeout(400);
        await screenshot(page, `playground-${preset}-${colorScheme}`);
      }
      expect(errors).toEqual([]);
      await page.context().close();
    }
  });
});
