// Where the pool's worker script is, both ways the app runs:
// - from the sources (tsx, vitest, the CLI in a checkout): runner/worker.ts, which the worker
//   loads through tsx, registered by `--import <file URL of runner/tsx-register.mjs>`;
// - from the electron-vite bundle: out/main/worker.js (a second `main` input in
//   electron.vite.config.ts), beside the bundle's entry or one folder up from a chunk.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export interface WorkerEntry {
  /** The worker's script. */
  file: string;
  /** execArgv for the Worker; undefined: inherit the process's. */
  execArgv: string[] | undefined;
}

/** A .ts worker gets tsx registered; a built .js one runs as it is. */
export function entryFor(file: string): WorkerEntry {
  if (!file.endsWith('.ts')) return { file, execArgv: undefined };
  const register = join(dirname(fileURLToPath(import.meta.url)), 'tsx-register.mjs');
  return { file, execArgv: ['--import', pathToFileURL(register).href] };
}

/** The worker script next to this module: built worker.js first, else the worker.ts source. */
export function resolveWorkerEntry(fromDir: string = dirname(fileURLToPath(import.meta.url))): WorkerEntry {
  const candidates = [join(fromDir, 'worker.js'), join(fromDir, '..', 'worker.js'), join(fromDir, 'worker.ts')];
  const found = candidates.find((f) => existsSync(f));
  if (!found) throw new Error(`the runner's worker script is missing: none of ${candidates.join(', ')} exists`);
  return entryFor(found);
}
