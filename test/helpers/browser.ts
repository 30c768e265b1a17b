// Real-Chromium harness for the browser tests: Debian's /usr/bin/chromium driven by
// playwright-core (which never downloads a browser of its own).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.PRECOND_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** Why browser tests cannot run here, or null when they can. On CI a missing browser is an error, not a skip. */
export function browserUnavailableReason(): string | null {
  if (existsSync(CHROMIUM_PATH)) return null;
  const reason = `${CHROMIUM_PATH} is missing (install it with: apt-get install -y chromium)`;
  if (process.env.CI) throw new Error(`browser tests must run on CI: ${reason}`);
  return reason;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS });
}

export interface PageOptions {
  colorScheme?: 'light' | 'dark';
  width?: number;
  height?: number;
  deviceScaleFactor?: number;
}

/** A page in a fresh context; console errors and page errors are collected in `errors`. */
export async function newPage(browser: Browser, o: PageOptions = {}): Promise<{ page: Page; errors: string[] }> {
  const ctx: BrowserContextOptions = {
    viewport: { width: o.width ?? 1280, height: o.height ?? 900 },
    deviceScaleFactor: o.deviceScaleFactor ?? 1,
    colorScheme: o.colorScheme ?? 'light',
  };
  const context = await browser.newContext(ctx);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  return { page, errors };
}

/** Where screenshots go: $PRECOND_SCREENSHOTS if set, else a folder under the OS temp dir. */
export function screenshotDir(): string {
  const dir = process.env.PRECOND_SCREENSHOTS ?? join(tmpdir(), 'precond-screenshots');
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Saves a PNG screenshot of the page (or of one element) and returns its path. */
export async function screenshot(page: Page, name: string, o: { selector?: string; fullPage?: boolean } = {}): Promise<string> {
  const path = join(screenshotDir(), `${name}.png`);
  const buf = o.selector ? await page.locator(o.selector).first().screenshot() : await page.screenshot({ fullPage: o.fullPage ?? true });
  writeFileSync(path, buf);
  return path;
}

/** Width and height from a PNG's IHDR chunk; throws when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) throw new Error('not a PNG: bad signature');
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk !== 'IHDR') throw new Error(`not a PNG: first chunk is ${chunk}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}
