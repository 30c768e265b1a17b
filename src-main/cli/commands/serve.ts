// `precond serve`: the dashboard in a browser (browser mode), on loopback by default.
import { spawn } from 'node:child_process';
import { isIP } from 'node:net';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, type Command } from 'commander';
import { openRuntime } from '../../api/runtime.ts';
import { startServer } from '../../server/server.ts';
import { StoreError } from '../../store/index.ts';
import { UserError } from '../errors.ts';
import { onStopSignals, SIGNAL_EXIT_CODES, type StopSignal } from '../signals.ts';
import { log, printLine } from '../output.ts';

/** out/renderer of this checkout (what `npm run build` writes). */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer/', import.meta.url));

function parsePort(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535 (0: any free port)');
  return n;
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** Opens `url` in the user's browser; says so when it cannot. */
function openInBrowser(url: string): void {
  const [cmd, args] = process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
  child.on('error', () => log(`precond: could not open a browser (${cmd}); open the URL above yourself`));
  child.unref();
}

export interface ServeOptions {
  port: number;
  host: string;
  db?: string;
  open?: boolean;
  renderer?: string;
  /** Worker threads training runs (default: cores − 1, at least 1). */
  workers?: number;
}

function parseWorkers(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 256) throw new InvalidArgumentError('a whole number of worker threads from 1 to 256');
  return n;
}

/** Starts browser mode and resolves once it listens; stops on SIGINT / SIGTERM / SIGHUP (exit 130 / 143 / 129). */
export async function serve(opts: ServeOptions): Promise<void> {
  let runtime;
  try {
    runtime = await openRuntime({ dbPath: opts.db, fileAccess: 'uploads', poolSize: opts.workers });
  } catch (err) {
    if (err instanceof StoreError) throw new UserError(err.message);
    throw err;
  }
  const rendererDir = opts.renderer ?? process.env.PRECOND_RENDERER_DIR ?? DEFAULT_RENDERER_DIR;
  let server;
  try {
    server = await startServer({ backend: runtime.backend, host: opts.host, port: opts.port, rendererDir, uploadsDir: runtime.uploadsDir });
  } catch (err) {
    await runtime.close();
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new UserError(`port ${opts.port} on ${opts.host} is in use; choose another with --port, or --port 0 for any free one`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') throw new UserError(`--host ${opts.host}: cannot listen there: no such local address`, 2);
    throw err;
  }
  printLine(server.url);
  log(`Precond Lab in the browser: open ${server.url}`);
  log(`runs are stored in ${runtime.store.file}; dropped CSV files in ${runtime.uploadsDir}`);
  if (!server.rendererBuilt) log(`precond: the dashboard is not built in ${rendererDir}: run npm run build first (the API is served anyway)`);
  if (!isLoopback(opts.host)) log(`precond: listening on ${opts.host}: other machines can reach this server; anyone with the URL can use it`);
  if (!runtime.runner) log(`precond: ${runtime.backend.options.trainingUnavailable}`);
  log('Ctrl-C to stop');
  if (opts.open) openInBrowser(server.url);
  let stopping = false;
  const stop = async (signal: StopSignal) => {
    if (stopping) return;
    stopping = true;
    log(`precond: ${signal}: stopping (runs still training end as stopped)`);
    await server.close();
    await runtime.close();
    process.exit(SIGNAL_EXIT_CODES[signal]);
  };
  onStopSignals((signal) => void stop(signal));
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve the dashboard to a browser on this machine (browser mode); prints the URL, with its one-time token')
    .option('--port <n>', 'port to listen on (0: any free port)', parsePort, 0)
    .option('--host <address>', 'interface to listen on; anything but loopback lets other machines in', '127.0.0.1')
    .option('--db <file>', 'SQLite file to use instead of the default location')
    .option('--open', 'open the URL in the default browser')
    .option('--renderer <dir>', 'the built dashboard to serve (default: out/renderer, written by npm run build)')
    .option('--workers <n>', 'worker threads training runs at once (default: cores − 1, at least 1); more runs queue', parseWorkers)
    .action(async (opts: ServeOptions) => {
      await serve(opts);
      // Keep running: the server holds the event loop open until a signal stops it.
      await new Promise(() => {});
    });
}
