// Node-side loader of the native kernels (native/, a Node-API addon built by `npm install`).
// core cannot load an addon, so this module finds and loads it, checks it, and installs it with
// core's useKernels(). Whatever goes wrong (not built, wrong platform, stale build), the
// TypeScript kernels stay in use and one line says so; nothing throws.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { kernels, useKernels } from '../core/kernels/index.ts';
import { tsKernels } from '../core/kernels/ts.ts';
import type { Kernels, MatrixKernels } from '../core/kernels/types.ts';

/** The kernel ABI this loader speaks (native/src/addon.cc kAbiVersion). */
export const NATIVE_ABI_VERSION = 1;

/** Where node-gyp puts the addon, relative to the project (or packaged app) root. */
export const ADDON_RELATIVE_PATH = join('native', 'build', 'Release', 'precond_native.node');

export interface CpuPath {
  readonly name: string;
  /** Can this CPU run it? */
  readonly supported: boolean;
  /** Selectable for tests, never chosen automatically. */
  readonly testOnly: boolean;
  readonly float32Tile: string;
  readonly float64Tile: string;
}

export interface CpuFeatures {
  readonly arch: string;
  readonly features: Readonly<Record<'sse2' | 'avx' | 'avx2' | 'fma' | 'avx512f', boolean>>;
  /** Every kernel path compiled into the addon. */
  readonly paths: readonly CpuPath[];
  /** The path "auto" picks on this CPU. */
  readonly auto: string;
  /** The path gemm runs now (in this thread). */
  readonly active: string;
}

/** The addon's exports. */
export interface NativeAddon {
  readonly abiVersion: number;
  readonly napiVersion: number;
  readonly gemm: MatrixKernels['gemm'];
  cpuFeatures(): CpuFeatures;
  /** "auto" or a path name from cpuFeatures().paths; returns the active path. Throws if unknown/unsupported. */
  selectPath(name: string): string;
}

export type AddonLoad =
  | { readonly ok: true; readonly addon: NativeAddon; readonly path: string }
  /** `missing`: no addon file was found (not built); otherwise one was found but is unusable. */
  | { readonly ok: false; readonly missing: boolean; readonly reason: string };

/** Inside a packaged Electron app, .node files are unpacked beside the asar archive. */
function unpacked(path: string): string {
  return path.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
}

/**
 * Where the addon may be, most specific first: every ancestor of `fromDir` (this module's folder:
 * src-main/runner under tsx, out/main or a chunk folder in the electron-vite bundle, inside
 * app.asar in a packaged app) joined with native/build/Release/precond_native.node, asar paths
 * mapped to app.asar.unpacked, then Electron's resources folder.
 */
export function addonCandidates(fromDir: string = moduleDir()): string[] {
  const out: string[] = [];
  for (let dir = fromDir; ; dir = dirname(dir)) {
    out.push(unpacked(join(dir, ADDON_RELATIVE_PATH)));
    if (dirname(dir) === dir) break;
  }
  const resources = (process as { resourcesPath?: string }).resourcesPath;
  if (resources) out.push(join(resources, 'app.asar.unpacked', ADDON_RELATIVE_PATH));
  return [...new Set(out)];
}

function moduleDir(): string {
  return dirname(fileURLToPath(import.meta.url));
}

function firstLine(err: unknown): string {
  return (err instanceof Error ? err.message : String(err)).split('\n')[0];
}

function isAddon(x: unknown): x is NativeAddon {
  const o = x as Partial<NativeAddon> | null;
  return !!o && typeof o.gemm === 'function' && typeof o.cpuFeatures === 'function' && typeof o.selectPath === 'function';
}

/** Loads the addon from `file`, checking its shape and ABI version. */
export function loadAddonFrom(file: string): AddonLoad {
  let loaded: unknown;
  try {
    loaded = createRequire(import.meta.url)(file);
  } catch (err) {
    return { ok: false, missing: false, reason: `${file} failed to load: ${firstLine(err)}` };
  }
  if (!isAddon(loaded)) return { ok: false, missing: false, reason: `${file} is not the precond addon` };
  if (loaded.abiVersion !== NATIVE_ABI_VERSION)
    return { ok: false, missing: false, reason: `${file} is a stale build (ABI ${loaded.abiVersion}, expected ${NATIVE_ABI_VERSION}); run npm run build:native` };
  return { ok: true, addon: loaded, path: file };
}

let cached: AddonLoad | undefined;

/**
 * Finds and loads the addon (once per thread): `$PRECOND_NATIVE_ADDON` if set (that file only),
 * else the first of addonCandidates() that exists. Never throws.
 */
export function loadAddon(): AddonLoad {
  if (cached) return cached;
  const explicit = process.env.PRECOND_NATIVE_ADDON;
  if (explicit)
    return (cached = existsSync(explicit) ? loadAddonFrom(explicit) : { ok: false, missing: true, reason: `PRECOND_NATIVE_ADDON=${explicit} does not exist` });
  const found = addonCandidates().find((p) => existsSync(p));
  cached = found
    ? loadAddonFrom(found)
    : { ok: false, missing: true, reason: `the addon is not built (no ${ADDON_RELATIVE_PATH} above ${moduleDir()}); npm run build:native builds it` };
  return cached;
}

/** The native kernel set: the addon's kernels, TypeScript for whatever the addon lacks. */
export function nativeKernels(addon: NativeAddon): Kernels {
  return { ...tsKernels, name: 'native', gemm: addon.gemm };
}

export interface KernelSelection {
  /** The kernels now installed in core. */
  readonly kernels: Kernels;
  /** The addon, when the native kernels are in use. */
  readonly addon: NativeAddon | null;
  readonly addonPath: string | null;
  /** Why the TypeScript kernels are in use (null when native). */
  readonly reason: string | null;
}

export interface InstallOptions {
  /** Where the one fallback line goes (default: stderr). */
  readonly report?: (line: string) => void;
}

/**
 * Installs the native kernels in core (useKernels) unless `PRECOND_NATIVE=0` or the addon
 * cannot be loaded; then says in one line that the TypeScript kernels are in use.
 * `PRECOND_NATIVE_PATH=<name>` forces a CPU path (e.g. generic; an unknown or unsupported one is
 * reported and ignored). Never throws. Call it once per thread that computes (core's active
 * kernels are per thread); pool workers may pass `report: () => {}` and leave the one line to
 * the main thread.
 */
export function installKernels(options: InstallOptions = {}): KernelSelection {
  const report = options.report ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const fallback = (reason: string): KernelSelection => {
    useKernels(tsKernels);
    report(`precond: using the TypeScript kernels (${reason})`);
    return { kernels: kernels(), addon: null, addonPath: null, reason };
  };
  if (process.env.PRECOND_NATIVE === '0') return fallback('PRECOND_NATIVE=0');
  const load = loadAddon();
  if (!load.ok) return fallback(`native kernels unavailable: ${load.reason}`);
  const path = process.env.PRECOND_NATIVE_PATH;
  if (path) {
    try {
      load.addon.selectPath(path);
    } catch (err) {
      report(`precond: ignoring PRECOND_NATIVE_PATH=${path} (${firstLine(err)}); the native kernels use the ${load.addon.selectPath('auto')} path`);
    }
  }
  useKernels(nativeKernels(load.addon));
  return { kernels: kernels(), addon: load.addon, addonPath: load.path, reason: null };
}
