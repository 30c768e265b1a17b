// native/build.mjs (the install script) never fails the install: a copy of native/ whose build
// cannot succeed (no compiler) still exits 0, says the TypeScript kernels will be used, and
// leaves no addon behind. The real build is exercised by `npm install` itself.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const NATIVE = fileURLToPath(new URL('../../../native', import.meta.url));

describe('native/build.mjs', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'precond-build-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  function copyNative(name: string): string {
    const dir = join(tmp, name);
    mkdirSync(dir);
    for (const f of ['build.mjs', 'binding.gyp', 'src']) cpSync(join(NATIVE, f), join(dir, f), { recursive: true });
    return dir;
  }

  function run(dir: string, env: Record<string, string>) {
    const r = spawnSync(process.execPath, [join(dir, 'build.mjs')], { cwd: dir, encoding: 'utf8', env: { ...process.env, ...env } });
    return { status: r.status, lines: r.stderr.split('\n').filter((l) => l.startsWith('precond: ')) };
  }

  it('exits 0 and reports the fallback when the build fails, leaving no addon behind', () => {
    const dir = copyNative('no-compiler');
    // A stale binary from an earlier build must not survive a failed rebuild.
    mkdirSync(join(dir, 'build', 'Release'), { recursive: true });
    writeFileSync(join(dir, 'build', 'Release', 'precond_native.node'), 'stale');
    const r = run(dir, { CXX: '/bin/false', CC: '/bin/false' });
    expect(r.status).toBe(0);
    expect(r.lines.at(-1)).toMatch(/^precond: the native kernels were not built \(.+\); the TypeScript kernels will be used\. Retry with: npm run build:native$/);
    expect(existsSync(join(dir, 'build', 'Release', 'precond_native.node'))).toBe(false);
  });

  it('PRECOND_NATIVE_BUILD=0 skips the build', () => {
    const dir = copyNative('skipped');
    const r = run(dir, { PRECOND_NATIVE_BUILD: '0' });
    expect(r).toEqual({ status: 0, lines: ['precond: PRECOND_NATIVE_BUILD=0: skipping the native kernels; the TypeScript kernels will be used'] });
    expect(existsSync(join(dir, 'build'))).toBe(false);
  });
});
