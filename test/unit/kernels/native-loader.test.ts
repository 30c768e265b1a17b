// The native loader: it finds the addon from the source tree, the bundle and a packaged app;
// falls back to TypeScript in one stderr line (missing or broken addon, PRECOND_NATIVE=0);
// honours PRECOND_NATIVE_PATH; and the addon works in several worker threads at once.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { tsKernels } from '../../../src-main/core/kernels/ts.ts';
import { STEP_LAYOUTS } from '../../../src-main/core/kernels/step-layout.ts';
import {
  ADDON_RELATIVE_PATH,
  addonCandidates,
  loadAddon,
  loadAddonFrom,
  NATIVE_ABI_VERSION,
  nativeKernels,
  typeScriptMethods,
} from '../../../src-main/runner/native-kernels.ts';
import { addon, nativeSkipReason } from './gemm-harness.ts';

const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
const PROJECT_ADDON = join(ROOT, ADDON_RELATIVE_PATH);
const CHILD = fileURLToPath(new URL('./fixtures/install-child.ts', import.meta.url));
const WORKER = fileURLToPath(new URL('./fixtures/gemm-worker.mjs', import.meta.url));
const skipNote = nativeSkipReason ? ` (skipped: ${nativeSkipReason})` : '';

interface ChildResult {
  status: number | null;
  out: { name: string; c: number[]; active: string | null; reason: string | null };
  stderrLines: string[];
}

/** Runs fixtures/install-child.ts with `env` added (PRECOND_* variables of this process removed). */
function child(env: Record<string, string>): ChildResult {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('PRECOND_NATIVE')));
  const r = spawnSync(process.execPath, ['--import', 'tsx', CHILD], { cwd: ROOT, encoding: 'utf8', env: { ...base, ...env } });
  if (r.status !== 0) throw new Error(`child exited ${r.status}: ${r.stderr}`);
  return { status: r.status, out: JSON.parse(r.stdout), stderrLines: r.stderr.split('\n').filter((l) => l !== '') };
}

describe('native addon presence', () => {
  it.runIf(process.env.PRECOND_REQUIRE_NATIVE === '1')('is built, loads, and provides every kernel (PRECOND_REQUIRE_NATIVE=1)', () => {
    const load = loadAddon();
    expect(load.ok ? 'loaded' : load.reason).toBe('loaded');
    if (load.ok) expect(typeScriptMethods(nativeKernels(load.addon))).toEqual([]);
  });

  it('is found at the project path when built, and otherwise reported as missing (never broken)', () => {
    const load = loadAddon();
    if (load.ok) expect(load.path).toBe(PROJECT_ADDON);
    else expect(load).toMatchObject({ missing: true });
  });
});

describe('addon candidates', () => {
  it('from the source tree (tsx) and from the electron-vite bundle, the project root comes first', () => {
    for (const dir of [join(ROOT, 'src-main', 'runner'), join(ROOT, 'out', 'main'), join(ROOT, 'out', 'main', 'chunks')]) {
      const list = addonCandidates(dir);
      expect(list).toContain(PROJECT_ADDON);
      // Only folders inside the project (the module's own and its parents) are tried before it.
      for (const p of list.slice(0, list.indexOf(PROJECT_ADDON))) expect(p.startsWith(join(ROOT, 'src-main')) || p.startsWith(join(ROOT, 'out'))).toBe(true);
    }
  });

  it('inside a packaged app, asar paths map to app.asar.unpacked', () => {
    const appDir = join(sep, 'opt', 'Precond Lab', 'resources', 'app.asar');
    const list = addonCandidates(join(appDir, 'out', 'main'));
    expect(list).toContain(join(sep, 'opt', 'Precond Lab', 'resources', 'app.asar.unpacked', ADDON_RELATIVE_PATH));
    expect(list.filter((p) => p.includes(`${sep}app.asar${sep}`))).toEqual([]);
  });
});

describe('an addon that does not match the loader is refused, never used', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'precond-fake-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const fake = (name: string, body: string) => {
    const file = join(tmp, `${name}.cjs`);
    writeFileSync(file, `const f = () => {};\nmodule.exports = { gemm: f, cpuFeatures: f, selectPath: f, abiVersion: ${NATIVE_ABI_VERSION}, ${body} };\n`);
    return loadAddonFrom(file);
  };
  const kernels = [...Object.keys(STEP_LAYOUTS), 'addRowVector', 'columnSums', 'activationForward', 'activationBackward', 'softmaxCrossEntropy', 'sigmoidCrossEntropy', 'squaredError'];
  const layouts = JSON.stringify(Object.fromEntries(Object.entries(STEP_LAYOUTS).map(([k, l]) => [k, l.scalars])));

  it('a complete fake passes the checks (so the refusals below are about their one defect)', () => {
    expect(fake('complete', `${kernels.map((k) => `${k}: f`).join(', ')}, scalarLayouts: ${layouts}`)).toMatchObject({ ok: true });
  });

  it('refuses one that lacks a kernel', () => {
    const r = fake('no-rprop', `${kernels.filter((k) => k !== 'rpropStep').map((k) => `${k}: f`).join(', ')}, scalarLayouts: ${layouts}`);
    expect(r).toMatchObject({ ok: false, missing: false });
    expect(!r.ok && r.reason).toMatch(/does not match this loader \(it has no rpropStep kernel\); run npm run build:native$/);
  });

  it('refuses one that packs scalars in another order', () => {
    const swapped = layouts.replace('"beta1","beta2"', '"beta2","beta1"');
    const r = fake('swapped', `${kernels.map((k) => `${k}: f`).join(', ')}, scalarLayouts: ${swapped}`);
    expect(!r.ok && r.reason).toMatch(/its adamStep packs scalars as \[maximize,l2,decay,lr,beta2,beta1,/);
  });
});

describe('installKernels in a fresh process', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'precond-native-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('falls back to TypeScript in one stderr line when the addon is missing, and computes right', () => {
    const r = child({ PRECOND_NATIVE_ADDON: join(tmp, 'missing.node') });
    expect(r.out).toMatchObject({ name: 'ts', c: [19, 22, 43, 50] });
    expect(r.stderrLines).toEqual([`precond: using the TypeScript kernels (native kernels unavailable: PRECOND_NATIVE_ADDON=${join(tmp, 'missing.node')} does not exist)`]);
  });

  it('falls back the same way when the addon file is broken', () => {
    const broken = join(tmp, 'broken.node');
    writeFileSync(broken, 'not a shared object');
    const r = child({ PRECOND_NATIVE_ADDON: broken });
    expect(r.out).toMatchObject({ name: 'ts', c: [19, 22, 43, 50] });
    expect(r.stderrLines).toHaveLength(1);
    expect(r.stderrLines[0]).toMatch(/^precond: using the TypeScript kernels \(native kernels unavailable: .*broken\.node failed to load: /);
  });

  it('PRECOND_NATIVE=0 forces TypeScript, in one line', () => {
    const r = child({ PRECOND_NATIVE: '0' });
    expect(r.out).toMatchObject({ name: 'ts', c: [19, 22, 43, 50] });
    expect(r.stderrLines).toEqual(['precond: using the TypeScript kernels (PRECOND_NATIVE=0)']);
  });

  it.skipIf(!addon)(`installs the native kernels silently when built${skipNote}`, () => {
    const r = child({});
    expect(r.out).toMatchObject({ name: 'native', c: [19, 22, 43, 50], active: addon!.cpuFeatures().auto, reason: null });
    expect(r.stderrLines).toEqual([]);
  });

  it.skipIf(!addon)(`PRECOND_NATIVE_PATH selects a CPU path; a bad one is reported and ignored${skipNote}`, () => {
    expect(child({ PRECOND_NATIVE_PATH: 'generic' }).out).toMatchObject({ name: 'native', active: 'generic', c: [19, 22, 43, 50] });
    const r = child({ PRECOND_NATIVE_PATH: 'sse9' });
    expect(r.out).toMatchObject({ name: 'native', active: addon!.cpuFeatures().auto });
    expect(r.stderrLines).toEqual([expect.stringMatching(/^precond: ignoring PRECOND_NATIVE_PATH=sse9 \(selectPath: unknown kernel path "sse9" .*\); the native kernels use the \w+ path$/)]);
  });
});

describe.skipIf(!addon)(`native addon API${skipNote}`, () => {
  it('cpuFeatures: the automatic path is the best one this CPU supports', () => {
    const cpu = addon!.cpuFeatures();
    const names = cpu.paths.map((p) => p.name);
    expect(names).toContain('generic');
    expect(cpu.paths.find((p) => p.name === 'generic')!.supported).toBe(true);
    const best = cpu.paths.find((p) => p.supported && !p.testOnly)!;
    expect(cpu.auto).toBe(best.name);
    if (cpu.arch === 'x86_64') {
      expect(names).toEqual(['avx512f', 'avx2', 'generic', 'avx512f-layout']);
      expect(cpu.paths.find((p) => p.name === 'avx2')!.supported).toBe(cpu.features.avx2 && cpu.features.fma);
      expect(cpu.paths.find((p) => p.name === 'avx512f')!.supported).toBe(cpu.features.avx512f);
    }
  });

  it('selectPath: switches, rejects unknown and unsupported paths', () => {
    const a = addon!;
    expect(a.selectPath('generic')).toBe('generic');
    expect(a.cpuFeatures().active).toBe('generic');
    expect(() => a.selectPath('sse9')).toThrow(/unknown kernel path "sse9"/);
    const unsupported = a.cpuFeatures().paths.find((p) => !p.supported);
    if (unsupported) expect(() => a.selectPath(unsupported.name)).toThrow(/this CPU cannot run/);
    expect(a.selectPath('auto')).toBe(a.cpuFeatures().auto);
  });

  it('the native set takes every kernel from the addon, none from TypeScript', () => {
    const k = nativeKernels(addon!);
    expect(k.name).toBe('native');
    expect(k.gemm).toBe(addon!.gemm);
    expect(k.addRowVector).toBe(addon!.addRowVector);
    expect(Object.keys(k).sort()).toEqual(Object.keys(tsKernels).sort());
    expect(typeScriptMethods(k)).toEqual([]);
    expect(typeScriptMethods(tsKernels)).toEqual(Object.keys(tsKernels).filter((name) => name !== 'name'));
  });

  it('packs the optimizer scalars in the order the addon expects', () => {
    for (const [name, layout] of Object.entries(STEP_LAYOUTS)) expect(addon!.scalarLayouts[name]).toEqual(layout.scalars);
  });

  it('cpuFeatures names the elementwise path of every CPU path, and selectPath switches both', () => {
    const cpu = addon!.cpuFeatures();
    for (const p of cpu.paths) expect(p.elementwise).toBe(p.testOnly ? 'generic' : p.name);
    expect(cpu.activeElementwise).toBe(cpu.active);
    addon!.selectPath('generic');
    expect(addon!.cpuFeatures().activeElementwise).toBe('generic');
    addon!.selectPath('auto');
    expect(addon!.cpuFeatures().activeElementwise).toBe(cpu.auto);
  });

  it('works in several worker threads at once, each with its own path and buffers', async () => {
    const paths = ['generic', addon!.cpuFeatures().auto, 'avx512f-layout'];
    const results = await Promise.all(
      paths.map(
        (path, seed) =>
          new Promise<{ worst: number; adamDiffs: number; active: string }>((done, fail) => {
            const w = new Worker(WORKER, { workerData: { addonPath: PROJECT_ADDON, path, seed, rounds: 60 } });
            w.once('message', done);
            w.once('error', fail);
          }),
      ),
    );
    expect(results.map((r) => r.active)).toEqual(paths);
    for (const r of results) {
      expect(r.worst).toBeLessThan(1e-12);
      expect(r.adamDiffs).toBe(0);
    }
    // The main thread's choice is its own.
    expect(addon!.cpuFeatures().active).toBe(addon!.cpuFeatures().auto);
  });
});
