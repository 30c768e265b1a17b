// Shared by the optimizer/model kernel tests: the native kernel set on every elementwise CPU path
// this machine can run (each compared with the TypeScript reference), seeded value generators
// with the edge values (±0, denormals, huge, ±Inf, NaN), and exact comparison of whole buffers.
import type { Kernels } from '../../../src-main/core/kernels/types.ts';
import { Rng } from '../../../src-main/core/rng.ts';
import type { FloatArray } from '../../../src-main/core/tensor.ts';
import { nativeKernels } from '../../../src-main/runner/native-kernels.ts';
import { addon } from './gemm-harness.ts';

export { addon, nativeSkipReason } from './gemm-harness.ts';

export type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;
export const DTYPES: readonly FloatCtor[] = [Float32Array, Float64Array];

export interface NativeUnderTest {
  /** "native/avx2", … */
  readonly name: string;
  readonly kernels: Kernels;
  /** Selects the CPU path (call before using `kernels`). */
  readonly select: () => void;
}

/** The native set on each distinct elementwise path this CPU supports (none when not built). */
export function nativeSets(): NativeUnderTest[] {
  const a = addon;
  if (!a) return [];
  const k = nativeKernels(a);
  const seen = new Set<string>();
  const out: NativeUnderTest[] = [];
  for (const p of a.cpuFeatures().paths) {
    if (!p.supported || seen.has(p.elementwise)) continue;
    seen.add(p.elementwise);
    out.push({ name: `native/${p.elementwise}`, kernels: k, select: () => void a.selectPath(p.name) });
  }
  return out;
}

/** Back to the automatic CPU path. */
export function selectAuto(): void {
  addon?.selectPath('auto');
}

/** Edge values in the dtype: signed zeros, the smallest denormal, tiny and huge normals, ±Inf, NaN. */
export function edgeValues(F: FloatCtor): number[] {
  const f32 = F === Float32Array;
  const denormal = f32 ? 2 ** -149 : Number.MIN_VALUE;
  const tiny = f32 ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
  const huge = f32 ? 3.4028234663852886e38 : Number.MAX_VALUE;
  return [0, -0, denormal, -denormal, 3 * denormal, tiny, -tiny, huge, -huge, huge / 7, 1e-20, -1e15, Infinity, -Infinity, NaN];
}

export type ValueKind = 'normal' | 'positive' | 'edge';

/**
 * n values: 'normal' ~ N(0, scale²) at a random scale per array; 'positive' its absolute value
 * (moments); 'edge' the same with about a third replaced by edge values.
 */
export function values(rng: Rng, F: FloatCtor, n: number, kind: ValueKind): FloatArray {
  const out = new F(n);
  const scale = 10 ** (5 * rng.uniform() - 4);
  const edges = edgeValues(F);
  for (let i = 0; i < n; i++) {
    let v = rng.normal() * scale;
    if (kind === 'positive') v = Math.abs(v);
    if (kind === 'edge' && rng.uniform() < 0.35) v = edges[rng.int(0, edges.length - 1)];
    out[i] = v;
  }
  return out;
}

/** Lengths that cover empty, scalar tails and vector bodies of every width (2, 4, 8 doubles). */
export function lengths(rng: Rng): number[] {
  return [0, 1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 33, rng.int(40, 300), rng.int(1000, 3000)];
}

/** First differing element of two buffers, compared exactly (Object.is: ±0 distinct, NaN = NaN); null if equal. */
export function firstDifference(got: ArrayLike<number>, want: ArrayLike<number>): string | null {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) return `[${i}] = ${got[i]}, expected ${want[i]}`;
  return null;
}

/**
 * First element of `got` farther from `want` than the tolerance: relative `rel` of the larger
 * magnitude plus `abs`, and the same NaN/±Inf class. null if all are within.
 */
export function firstOutside(got: ArrayLike<number>, want: ArrayLike<number>, rel: number, abs: number): string | null {
  if (got.length !== want.length) return `length ${got.length}, expected ${want.length}`;
  for (let i = 0; i < want.length; i++) {
    const a = got[i], b = want[i];
    if (Object.is(a, b)) continue;
    if (Number.isNaN(a) || Number.isNaN(b) || !Number.isFinite(a) || !Number.isFinite(b) || !(Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + abs))
      return `[${i}] = ${a}, expected ${b} (±${rel} relative + ${abs})`;
  }
  return null;
}

export function seeded(seed: number): Rng {
  return new Rng(seed);
}
