// Everything a process that serves the dashboard opens, in one place: the store, the kernels,
// the runner, and the backend over them. Electron's main process and `precond serve` both
// start here, so the two transports always sit on the same API.
import { createRunner } from '../runner/index.ts';
import { installKernels } from '../runner/native-kernels.ts';
import type { Runner } from '../runner/types.ts';
import { openStore, resolveDbPath, type RunStore } from '../store/index.ts';
import { Backend } from './backend.ts';
import { uploadsDirFor, type FileAccess } from './files.ts';

export interface RuntimeOptions {
  /** The database file (default: resolveDbPath(), i.e. $PRECOND_DB or the user-data folder). */
  dbPath?: string;
  /** 'any' (Electron) or 'uploads' (browser mode: the samples and uploads only). */
  fileAccess: 'any' | 'uploads';
  /** A runner to use instead of the worker pool (tests); null: none (training unavailable). */
  runner?: Runner | null;
  /** Worker threads of the pool (default: cores − 1, at least 1). */
  poolSize?: number;
  /** better-sqlite3 binding built for this runtime's ABI, when node_modules' one is not (see store OpenOptions). */
  sqliteBinding?: string;
  /** One-line notes for the user (recovered runs, kernels): stderr by default. */
  report?: (line: string) => void;
}

export interface Runtime {
  store: RunStore;
  runner: Runner | null;
  backend: Backend;
  uploadsDir: string;
  /** Stops every run (ending them `stopped`), then closes the store. */
  close(): Promise<void>;
}

/** Why a process opened without a runner cannot train. */
export const NO_RUNNER = 'training is not available in this process (it was opened without a runner)';

export async function openRuntime(options: RuntimeOptions): Promise<Runtime> {
  const report = options.report ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const dbPath = resolveDbPath(options.dbPath);
  const store = openStore(dbPath, { nativeBinding: options.sqliteBinding });
  for (const r of store.recovered) report(`precond: run ${r.id} was left ${r.was} by a process that is gone: marked interrupted`);
  const kernels = installKernels({ report });
  const runner = options.runner === undefined ? createRunner({ store, poolSize: options.poolSize }) : options.runner;
  const uploadsDir = uploadsDirFor(store.file);
  const fileAccess: FileAccess = options.fileAccess === 'any' ? { kind: 'any' } : { kind: 'roots', roots: [uploadsDir] };
  const backend = new Backend({ store, runner, trainingUnavailable: runner ? undefined : NO_RUNNER, fileAccess, uploadsDir, kernels: kernels.kernels.name });
  let closed = false;
  return {
    store,
    runner,
    backend,
    uploadsDir,
    async close() {
      if (closed) return;
      closed = true;
      backend.close();
      try {
        await runner?.close();
      } finally {
        store.close();
      }
    },
  };
}
