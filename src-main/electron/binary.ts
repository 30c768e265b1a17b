// What `npm start` needs to open the desktop window: Electron's binary, and better-sqlite3 (a
// native module built for one runtime's ABI) loadable in it. node_modules stays built for Node
// (what the tests and the CLI use) and is never rebuilt for Electron; instead a second copy of
// better-sqlite3's binary, built for Electron's ABI, is kept under out/electron-sqlite/ and handed
// to the desktop app (PRECOND_SQLITE_BINDING -> better-sqlite3's nativeBinding option). No
// electron import here: this runs in plain Node (npm start, the tests).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The Electron executable, or null where the npm package was installed without its binary. */
export function electronBinary(): string | null {
  try {
    // In plain Node, the electron package exports the path of its binary, and throws when the
    // binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network at install).
    return require('electron') as string;
  } catch {
    return null;
  }
}

export function electronVersion(): string {
  return (JSON.parse(readFileSync(require.resolve('electron/package.json'), 'utf8')) as { version: string }).version;
}

/** null when better-sqlite3 opens a database inside `binary` (run as Node), else why not, in one line. */
export function sqliteLoadError(binary: string, nativeBinding?: string): string | null {
  const sqlite = require.resolve('better-sqlite3');
  const options = nativeBinding ? `, { nativeBinding: ${JSON.stringify(nativeBinding)} }` : '';
  const probe = spawnSync(binary, ['-e', `new (require(${JSON.stringify(sqlite)}))(':memory:'${options}).close()`], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (probe.status === 0) return null;
  const lines = (probe.stderr || probe.error?.message || `exit status ${probe.status}`).split('\n');
  return (lines.find((l) => /NODE_MODULE_VERSION|Error/.test(l)) ?? lines[0] ?? 'it does not load').trim();
}

/** Where the Electron-ABI copy of better-sqlite3's binary lives for this Electron version. */
export function electronSqlitePath(version: string = electronVersion()): string {
  return join(projectRoot, 'out', 'electron-sqlite', `${version}-${process.platform}-${process.arch}`, 'better_sqlite3.node');
}

function nodeGypScript(): string | null {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(projectRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

/**
 * Builds better-sqlite3's binary for Electron `version` in a scratch copy of the package (never in
 * node_modules): prebuild-install fetches the published Electron build when there is one, else
 * node-gyp compiles it against Electron's headers. Returns the binary's path, or why it failed.
 */
export function buildElectronSqlite(version: string, log: (line: string) => void): { binding: string } | { error: string } {
  const target = electronSqlitePath(version);
  const pkgDir = dirname(require.resolve('better-sqlite3/package.json'));
  const scratch = mkdtempSync(join(tmpdir(), 'precond-electron-sqlite-'));
  // npm's nodedir/target settings (npm_config_*) would point node-gyp at Node's headers: drop them.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_config_(nodedir|target|runtime|disturl|dist_url)$/i.test(k)));
  try {
    for (const part of ['package.json', 'binding.gyp', 'src', 'deps', 'lib']) {
      if (existsSync(join(pkgDir, part))) cpSync(join(pkgDir, part), join(scratch, part), { recursive: true });
    }
    const built = join(scratch, 'build', 'Release', 'better_sqlite3.node');
    const failures: string[] = [];
    const attempts: [string, string[]][] = [];
    const prebuild = join(dirname(require.resolve('prebuild-install/package.json')), 'bin.js');
    attempts.push(['prebuild-install', [prebuild, '--runtime=electron', `--target=${version}`, `--arch=${process.arch}`, `--platform=${process.platform}`]]);
    const gyp = nodeGypScript();
    if (gyp) {
      attempts.push(['node-gyp', [gyp, 'rebuild', '--release', '--runtime=electron', `--target=${version}`, '--dist-url=https://electronjs.org/headers', `--arch=${process.arch}`]]);
    }
    for (const [name, args] of attempts) {
      log(`precond: building better-sqlite3 for Electron ${version} (${name})...`);
      const r = spawnSync(process.execPath, args, { cwd: scratch, env, encoding: 'utf8', timeout: 15 * 60_000 });
      if (r.status === 0 && existsSync(built)) {
        mkdirSync(dirname(target), { recursive: true });
        cpSync(built, target);
        return { binding: target };
      }
      const out = `${r.stderr ?? ''}\n${r.stdout ?? ''}`.split('\n').map((l) => l.trim()).filter(Boolean);
      failures.push(`${name}: ${r.error?.message ?? out.find((l) => /err/i.test(l)) ?? out.at(-1) ?? `exit status ${r.status}`}`);
    }
    if (!gyp) failures.push('node-gyp: not found');
    return { error: failures.join('; ') };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

export type DesktopPlan =
  | { kind: 'desktop'; binary: string; env: Record<string, string> }
  | { kind: 'browser'; reason: string };

/**
 * How `npm start` can open the app: the desktop window when Electron's binary is installed and
 * better-sqlite3 loads in it (node_modules' build, or the Electron-ABI copy, built on first use),
 * else browser mode with the reason.
 */
export function desktopPlan(log: (line: string) => void, binary: string | null = electronBinary()): DesktopPlan {
  if (!binary) return { kind: 'browser', reason: "Electron's desktop binary is not installed here" };
  if (sqliteLoadError(binary) === null) return { kind: 'desktop', binary, env: {} };
  const version = electronVersion();
  let binding = electronSqlitePath(version);
  if (!existsSync(binding) || sqliteLoadError(binary, binding) !== null) {
    const built = buildElectronSqlite(version, log);
    if ('error' in built) {
      return { kind: 'browser', reason: `better-sqlite3 could not be built for Electron ${version} (${built.error})` };
    }
    binding = built.binding;
  }
  const still = sqliteLoadError(binary, binding);
  if (still !== null) return { kind: 'browser', reason: `better-sqlite3 built for Electron ${version} does not load in it (${still})` };
  return { kind: 'desktop', binary, env: { PRECOND_SQLITE_BINDING: binding } };
}
