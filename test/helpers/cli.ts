// Runs the real `precond` command in a child process, as a user would from a checkout.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../src-main/cli/bin.mjs', import.meta.url));

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function precond(args: string[], env: NodeJS.ProcessEnv = {}, input?: string): CliResult {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The same as precond(), without blocking: the child, and its result once it exits. */
export function precondChild(args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; result: Promise<CliResult>; stdout: () => string; stderr: () => string } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  return { child, result, stdout: () => stdout, stderr: () => stderr };
}

/**
 * The same as precond(), as a user that file permissions apply to: root ignores them, so a test
 * running as root runs the command as `nobody` (uid 65534), who must be able to read the files
 * the test hands it (chmod them). Undefined where there are no POSIX users (Windows).
 */
export const precondWithoutRoot: ((args: string[], env?: NodeJS.ProcessEnv) => CliResult) | undefined =
  process.platform === 'win32'
    ? undefined
    : (args, env = {}) => {
        const ids = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
        // nobody's HOME is not writable: tsx and the user-data folder get a temp one.
        const r = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', env: { ...process.env, HOME: '/tmp', ...env }, ...ids });
        return { status: r.status, stdout: r.stdout, stderr: r.stderr };
      };
