// The README's screenshots of the live view: a digits run (MLP 128×64, Adam, cosine) photographed
// while it trains, at 80 % of its steps, and once finished in the dark theme with the slider at
// 30 % of the stored steps. Browser mode and Chromium as in the end-to-end tests.
//   node --import tsx test/tools/live-screenshots.ts DIR
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launchBrowser, newPage } from '../helpers/browser.ts';
import { rendererForTests, startBrowserMode } from '../helpers/dashboard.ts';
import { httpApi } from '../helpers/http-api.ts';

const out = resolve(process.argv[2] ?? 'docs');
const server = await startBrowserMode({ db: join(mkdtempSync(join(tmpdir(), 'precond-shots-')), 'precond.sqlite'), renderer: await rendererForTests() });
const api = httpApi(() => server);
const browser = await launchBrowser();
const STEPS = 54_000; // 1,200 epochs of 45 batches
try {
  const { runId } = await api('runner.start', {
    config: {
      model: { kind: 'mlp', hidden: [128, 64], activation: 'relu' },
      optimizer: { name: 'adam', hyperparams: { lr: 0.001 } },
      schedule: { name: 'cosine', T_max: STEPS },
      data: { source: 'digits' },
      training: { epochs: 1200, batchSize: 32, seed: 0 },
    },
  });
  const run = () => api('runs.get', { id: runId });
  const until = async (done: (r: Awaited<ReturnType<typeof run>>) => boolean) => {
    while (!done(await run())) await new Promise((r) => setTimeout(r, 200));
  };
  const live = await newPage(browser, { width: 1200, height: 1900 });
  await live.page.goto(`${server.url}#/runs/${runId}`);
  await live.page.waitForSelector('[data-test=layer-layers\\.1] canvas', { timeout: 60_000 });
  await until((r) => (r.lastStep ?? 0) > 0.8 * STEPS || r.status !== 'running');
  await live.page.waitForTimeout(1200); // the next refresh of the view
  await live.page.screenshot({ path: join(out, 'dashboard-live.png'), fullPage: true });
  await until((r) => r.status !== 'running');
  await live.page.context().close();

  const dark = await newPage(browser, { width: 1200, height: 1900, colorScheme: 'dark' });
  await dark.page.goto(`${server.url}#/runs/${runId}`);
  await dark.page.waitForSelector('[data-test=layer-layers\\.1] canvas', { timeout: 60_000 });
  const slider = dark.page.locator('[data-test=step-slider]');
  await slider.fill(String(Math.round(Number(await slider.getAttribute('max')) * 0.3)));
  await slider.blur(); // no focus ring in the picture
  await dark.page.waitForTimeout(800);
  await dark.page.screenshot({ path: join(out, 'dashboard-run-dark.png'), fullPage: true });
  const errors = [...live.errors, ...dark.errors];
  if (errors.length) throw new Error(`the page reported errors:\n${errors.join('\n')}`);
  console.log(`wrote dashboard-live.png and dashboard-run-dark.png in ${out}`);
} finally {
  await browser.close();
  await server.stop();
}
