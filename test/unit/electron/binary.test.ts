// npm start's decision: desktop window or browser mode. Node itself stands in for Electron run
// as Node (ELECTRON_RUN_AS_NODE), which is how the probe loads better-sqlite3.
import { describe, expect, it } from 'vitest';
import { desktopPlan, electronSqlitePath, electronVersion, sqliteLoadError } from '../../../src-main/electron/binary.ts';

describe('npm start: desktop or browser mode', () => {
  it('falls back to browser mode, saying why, without an Electron binary', () => {
    expect(desktopPlan(() => {}, null)).toEqual({ kind: 'browser', reason: "Electron's desktop binary is not installed here" });
  });

  it('opens the desktop app with node_modules\' better-sqlite3 when it loads in the runtime', () => {
    const log: string[] = [];
    expect(desktopPlan((l) => log.push(l), process.execPath)).toEqual({ kind: 'desktop', binary: process.execPath, env: {} });
    expect(log).toEqual([]); // nothing to build
  });

  it('reports in one line why a better-sqlite3 binding does not load', () => {
    expect(sqliteLoadError(process.execPath)).toBeNull();
    const why = sqliteLoadError(process.execPath, '/nonexistent/better_sqlite3.node');
    expect(why).toMatch(/Error/);
    expect(why).not.toContain('\n');
  });

  it('keeps the Electron-ABI copy out of node_modules, per Electron version and platform', () => {
    const path = electronSqlitePath('41.7.1');
    expect(path).toContain(`out/electron-sqlite/41.7.1-${process.platform}-${process.arch}/better_sqlite3.node`);
    expect(path).not.toContain('node_modules');
    expect(electronVersion()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
