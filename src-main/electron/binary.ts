// Whether this checkout can open the desktop window: Electron's binary must be installed, and
// better-sqlite3 (a native module built for one runtime's ABI) must load in it. node_modules is
// built for Node (what the tests and the CLI use), so in a plain checkout it does not; the
// packaged app rebuilds it for Electron (README: Packaging). No electron import here: this runs
// in plain Node (npm start, the tests).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

/** The Electron executable, or null where the npm package was installed without its binary. */
export function electronBinary(): string | null {
  try {
    // In plain Node, the electron package exports the path of its binary, and throws when the
    // binary was never downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD, or no network at install).
    return createRequire(import.meta.url)('electron') as string;
  } catch {
    return null;
  }
}

/** Why the desktop app cannot start from this checkout, or null when it can. */
export function desktopUnavailableReason(binary: string | null = electronBinary()): string | null {
  if (!binary) return "Electron's desktop binary is not installed here";
  // Electron as plain Node (ELECTRON_RUN_AS_NODE) loading the module the main process needs.
  const sqlite = createRequire(import.meta.url).resolve('better-sqlite3');
  const probe = spawnSync(binary, ['-e', `new (require(${JSON.stringify(sqlite)}))(':memory:').close()`], {
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (probe.status === 0) return null;
  const why = (probe.stderr || probe.error?.message || `exit ${probe.status}`).split('\n').find((l) => /NODE_MODULE_VERSION|Error/.test(l)) ?? 'it does not load';
  return `better-sqlite3 in node_modules is built for Node, not for Electron (${why.trim()}); npm run package builds the desktop app, or npx @electron/rebuild -w better-sqlite3 rebuilds it for Electron (then npm rebuild better-sqlite3 for the tests)`;
}
