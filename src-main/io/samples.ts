// The sample datasets (resources/datasets/*.csv), usable by name: `--data iris`.
// The folder defaults to the checkout's resources/datasets; the packaged app points it at its
// resources folder with setSamplesDir(), or $PRECOND_DATASETS_DIR does it for any process
// (worker threads included, which do not share module state).
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** resources/datasets relative to the repository root (this file is src-main/io/samples.ts). */
export const DEFAULT_SAMPLES_DIR = fileURLToPath(new URL('../../resources/datasets/', import.meta.url));

let override: string | undefined;

/** Points every later lookup in this process at `dir` (undefined restores the default). */
export function setSamplesDir(dir: string | undefined): void {
  override = dir;
}

/** The folder in use: an explicit argument, else setSamplesDir(), else $PRECOND_DATASETS_DIR, else the checkout's. */
export function samplesDir(explicit?: string): string {
  return explicit ?? override ?? process.env.PRECOND_DATASETS_DIR ?? DEFAULT_SAMPLES_DIR;
}

/** Names of the sample datasets, sorted (file names without `.csv`). */
export function listSamples(dir?: string): string[] {
  const folder = samplesDir(dir);
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.toLowerCase().endsWith('.csv'))
    .map((f) => f.slice(0, -4))
    .sort();
}

const SAMPLE_NAME = /^[A-Za-z0-9_-]+$/;

/** The path of the sample `name` (`iris` or `iris.csv`), or undefined when there is none. */
export function resolveSample(name: string, dir?: string): string | undefined {
  const base = name.toLowerCase().endsWith('.csv') ? name.slice(0, -4) : name;
  if (!SAMPLE_NAME.test(base)) return undefined;
  const match = listSamples(dir).find((s) => s === base) ?? listSamples(dir).find((s) => s.toLowerCase() === base.toLowerCase());
  return match === undefined ? undefined : join(samplesDir(dir), `${match}.csv`);
}
