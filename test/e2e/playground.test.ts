// The playground end to end in a real Chromium, against browser mode (`precond serve` in a child
// process, the renderer built for this run): open the presets and see three drawn paths with
// their learning rates in the legend (one marked diverged), animate, change the surface, click
// the plot to move the start; light and dark screenshots with PRECOND_SCREENSHOTS set.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { findPreset } from '../../src-main/core/surfaces/playground.ts';
import { SURFACES } from '../../src-main/core/surfaces/index.ts';
import { browserUnavailableReason, launchBrowser, newPage, screenshot } from '../helpers/browser.ts';
import { rendererForTests, startBrowserMode, type BrowserMode } from '../helpers/dashboard.ts';

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

describe.skipIf(!!unavailable)('the playground in Chromium (browser mode)', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'precond-e2e-playground-'));
    const renderer = await rendererForTests();
    server = await startBrowserMode({ db: join(dir, 'precond.sqlite'), renderer });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

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
