// Node-side loader of the native kernels (native/, a Node-API addon built by `npm install`).
// core cannot load an addon, so this module finds and loads it, checks it, and installs it with
// core's useKernels(). Whatever goes wrong (not built, wrong platform, stale build), the
// TypeScript kernels stay in use and one line says so; nothing throws.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkStepScalars } from '../core/kernels/arg-checks.ts';
import { kernels, useKernels } from '../core/kernels/index.ts';
import { STEP_KERNEL_NAMES, STEP_LAYOUTS, type StepKernelName } from '../core/kernels/step-layout.ts';
import { tsKernels } from '../core/kernels/ts.ts';
import type { Kernels, MatrixKernels, ModelKernels, OptimizerKernels } from '../core/kernels/types.ts';

/** The kernel ABI this loader speaks (native/src/addon.cc kAbiVersion). */
export const NATIVE_ABI_VERSION = 2;

/** The model kernels, which the addon exports with the signatures of ModelKernels. */
export const MODEL_KERNEL_NAMES = [
  'addRowVector',
  'columnSums',
  'activationForward',
  'activationBackward',
  'softmaxCrossEntropy',
  'sigmoidCrossEntropy',
  'squaredError',
] as const satisfies readonly (keyof ModelKernels)[];

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
  /** The optimizer/model kernels that run with this path (generic for a test-only gemm path). */
  readonly elementwise: string;
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
  /** The path the optimizer and model kernels run now (in this thread). */
  readonly activeElementwise: string;
}

/**
 * An optimizer kernel as the addon exports it: the buffers of OptimizerKernels[name] in the same
 * order, then its scalars packed into a Float64Array in the order of `scalarLayouts[name]`.
 */
export type PackedStepKernel = (...args: [...buffers: (ArrayBufferView | null)[], scalars: Float64Array]) => void;

/** The addon's exports. */
export interface NativeAddonBase {
  readonly abiVersion: number;
  readonly napiVersion: number;
  readonly gemm: MatrixKernels['gemm'];
  /** Per optimizer kernel, the names of its scalars in packing order (must equal STEP_LAYOUTS). */
  readonly scalarLayouts: Readonly<Record<string, readonly string[]>>;
  cpuFeatures(): CpuFeatures;
  /** "auto" or a path name from cpuFeatures().paths; returns the active path. Throws if unknown/unsupported. */
  selectPath(name: string): string;
}

/** The addon's kernels beyond gemm (checked by isAddon). */
export type NativeAddon = NativeAddonBase & Readonly<Record<StepKernelName, PackedStepKernel>> & Pick<ModelKernels, (typeof MODEL_KERNEL_NAMES)[number]>;

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

function isAddon(x: unknown): x is NativeAddonBase {
  const o = x as Partial<NativeAddonBase> | null;
  return !!o && typeof o.gemm === 'function' && typeof o.cpuFeatures === 'function' && typeof o.selectPath === 'function';
}

/** Why the addon's optimizer/model kernels do not match this loader (null when they do). */
function kernelMismatch(addon: NativeAddonBase): string | null {
  const o = addon as unknown as Record<string, unknown>;
  for (const name of [...STEP_KERNEL_NAMES, ...MODEL_KERNEL_NAMES]) if (typeof o[name] !== 'function') return `it has no ${name} kernel`;
  for (const name of STEP_KERNEL_NAMES) {
    const got = addon.scalarLayouts?.[name];
    const want = STEP_LAYOUTS[name].scalars;
    if (!Array.isArray(got) || got.join() !== want.join())
      return `its ${name} packs scalars as [${String(got)}], this loader as [${want.join()}]`;
  }
  return null;
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
  const mismatch = kernelMismatch(loaded);
  if (mismatch) return { ok: false, missing: false, reason: `${file} does not match this loader (${mismatch}); run npm run build:native` };
  return { ok: true, addon: loaded as NativeAddon, path: file };
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

/**
 * OptimizerKernels[name] over the addon's packed form: checks `s` as the TypeScript set does
 * (same message), copies its scalars into one Float64Array in layout order (reused: one per
 * kernel and thread, nothing allocated per call), then calls the addon, which checks the buffers.
 */
function packedStep<K extends StepKernelName>(name: K, raw: PackedStepKernel): OptimizerKernels[K] {
  const names = STEP_LAYOUTS[name].scalars;
  const packed = new Float64Array(names.length);
  const pack = (s: unknown): Float64Array => {
    if (typeof s !== 'object' || s === null) checkStepScalars(name, s);
    const record = s as Record<string, unknown>;
    for (let i = 0; i < names.length; i++) {
      const v = record[names[i]];
      if (typeof v !== 'number') checkStepScalars(name, s); // throws, naming the scalar
      packed[i] = v as number;
    }
    return packed;
  };
  type B = ArrayBufferView | null;
  const call = raw as (...args: unknown[]) => void;
  // One wrapper per arity, so the call forwards plain positional arguments (no rest array).
  switch (STEP_LAYOUTS[name].buffers.length) {
    case 4:
      return ((a: B, b: B, c: B, d: B, s: unknown) => call(a, b, c, d, pack(s))) as unknown as OptimizerKernels[K];
    case 5:
      return ((a: B, b: B, c: B, d: B, e: B, s: unknown) => call(a, b, c, d, e, pack(s))) as unknown as OptimizerKernels[K];
    default:
      return ((a: B, b: B, c: B, d: B, e: B, f: B, s: unknown) => call(a, b, c, d, e, f, pack(s))) as unknown as OptimizerKernels[K];
  }
}

/** The native kernel set: every kernel from the addon (loadAddonFrom checked that it has them all). */
export function nativeKernels(addon: NativeAddon): Kernels {
  const optim = Object.fromEntries(STEP_KERNEL_NAMES.map((k) => [k, packedStep(k, addon[k])])) as unknown as OptimizerKernels;
  const model = Object.fromEntries(MODEL_KERNEL_NAMES.map((k) => [k, addon[k]])) as unknown as ModelKernels;
  return { ...tsKernels, name: 'native', gemm: addon.gemm, ...optim, ...model };
}

/** The methods of `k` that are the TypeScript reference's own (none for a complete native set). */
export function typeScriptMethods(k: Kernels): string[] {
  const ts = tsKernels as unknown as Record<string, unknown>;
  return Object.entries(k).flatMap(([name, f]) => (typeof f === 'function' && f === ts[name] ? [name] : []));
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
