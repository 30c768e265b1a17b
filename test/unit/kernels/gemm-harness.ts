// Shared by the kernel tests: the kernel sets under test (the TS reference on each of its paths:
// as selected by size, scalar loops only, WebAssembly for every size; the native addon on every
// CPU path this machine can run), strided operands inside guarded buffers, and a
// float64 reference with the standard error bound of a dot product.
import type { MatrixKernels } from '../../../src-main/core/kernels/types.ts';
import { setWasmPath, tsKernels, type WasmPath } from '../../../src-main/core/kernels/ts.ts';
import type { FloatArray } from '../../../src-main/core/tensor.ts';
import { loadAddon, type NativeAddon } from '../../../src-main/runner/native-kernels.ts';

export type Gemm = MatrixKernels['gemm'];
export type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;

export interface KernelUnderTest {
  readonly name: string;
  readonly gemm: Gemm;
  /** Call before using `gemm` (selects the CPU path of a native set). */
  readonly select: () => void;
}

const load = loadAddon();

/** The addon, or null when it is not built. A built addon that fails to load is an error, never a skip. */
export const addon: NativeAddon | null = load.ok ? load.addon : null;
if (!load.ok && !load.missing) throw new Error(`the native addon is built but unusable: ${load.reason}`);
/** Why native tests are skipped (null when they run). */
export const nativeSkipReason: string | null = load.ok ? null : load.reason;

/** Whether this engine runs the TS gemm's WebAssembly path (Node 20 always does). */
export const tsHasWasm: boolean = setWasmPath('auto');

/** The TS reference on each of its paths, then the native addon on each CPU path it can run here. */
export function kernelSets(): KernelUnderTest[] {
  const ts = (name: string, path: WasmPath): KernelUnderTest => ({ name, gemm: tsKernels.gemm, select: () => void setWasmPath(path) });
  const sets: KernelUnderTest[] = [ts('ts', 'auto'), ts('ts/scalar', 'scalar')];
  if (tsHasWasm) sets.push(ts('ts/wasm', 'wasm'));
  const native = addon;
  if (native)
    for (const p of native.cpuFeatures().paths.filter((x) => x.supported))
      sets.push({ name: `native/${p.name}`, gemm: native.gemm, select: () => void native.selectPath(p.name) });
  return sets;
}

/** A stored rows×cols matrix with row stride ld, `offset` elements into its array (a view), NaN-filled padding. */
export interface Stored {
  /** The view passed to gemm (byteOffset ≠ 0 when offset > 0). */
  readonly view: FloatArray;
  /** The whole allocation, including guard elements before and after the view. */
  readonly whole: FloatArray;
  readonly rows: number;
  readonly cols: number;
  readonly ld: number;
}

/**
 * Lays out `values` (row-major rows×cols) with row stride ld inside a view that starts `offset`
 * elements into a larger buffer; every element that is not part of the matrix (row padding,
 * elements before and after the view) holds `guard`, so reading one shows up in the result
 * (NaN) and writing one shows up in the buffer.
 */
export function store(F: FloatCtor, values: ArrayLike<number>, rows: number, cols: number, ld: number, offset: number, guard: number): Stored {
  const span = rows > 0 && cols > 0 ? (rows - 1) * ld + cols : 0;
  const whole = new F(offset + span + 3).fill(guard);
  const view = whole.subarray(offset, offset + span);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) view[i * ld + j] = values[i * cols + j];
  return { view, whole, rows, cols, ld };
}

/** Element (i, j) of op(X) for a stored X. */
function at(x: Stored, trans: boolean, i: number, j: number): number {
  return trans ? x.view[j * x.ld + i] : x.view[i * x.ld + j];
}

export interface Reference {
  /** alpha·Σ op(A)·op(B) + beta·C in float64 (C's old value ignored when beta = 0). */
  readonly value: Float64Array;
  /** |alpha|·Σ|op(A)|·|op(B)| + |beta·C|: the scale of the rounding error of any summation order. */
  readonly magnitude: Float64Array;
}

export function reference(tA: boolean, tB: boolean, m: number, n: number, k: number, alpha: number, a: Stored, b: Stored, beta: number, c: Stored): Reference {
  const value = new Float64Array(m * n), magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      const c0 = beta === 0 ? 0 : beta * c.view[i * c.ld + j];
      let s = 0, mag = 0;
      if (alpha !== 0)
        for (let p = 0; p < k; p++) {
          const t = at(a, tA, i, p) * at(b, tB, p, j);
          s += t;
          mag += Math.abs(t);
        }
      value[i * n + j] = alpha === 0 ? c0 : alpha * s + c0;
      magnitude[i * n + j] = Math.abs(alpha) * mag + Math.abs(c0);
    }
  return { value, magnitude };
}

/** Unit roundoff of the dtype. */
export function unitRoundoff(F: FloatCtor): number {
  return F === Float32Array ? 2 ** -24 : 2 ** -53;
}

/**
 * Bound on |computed − exact| for one element: (k + 4)·u·magnitude (k fused or separate
 * multiply-adds in any order, alpha·A rounded once, beta·C, the final add: Higham's γ bound)
 * plus (k + 4) half-ulps of the subnormal range, since gradual underflow has an absolute error.
 */
export function errorBound(F: FloatCtor, k: number, magnitude: number): number {
  const tiny = F === Float32Array ? 2 ** -149 : Number.MIN_VALUE;
  return (k + 4) * (unitRoundoff(F) * magnitude + tiny);
}

/** The exact value's class in the dtype: NaN, ±Infinity (overflow included), or finite. */
function classOf(F: FloatCtor, v: number): string {
  const r = F === Float32Array ? Math.fround(v) : v;
  return Number.isNaN(r) ? 'NaN' : r === Infinity ? '+Inf' : r === -Infinity ? '-Inf' : 'finite';
}

/**
 * Compares C (m×n inside `c`) with the reference: same NaN/Inf class, finite values within the
 * error bound, and every guard element of `c` unchanged. Returns readable mismatches (empty = pass).
 */
export function mismatches(F: FloatCtor, k: number, c: Stored, ref: Reference, cGuard: number, max = 5): string[] {
  const out: string[] = [];
  const n = c.cols;
  for (let i = 0; i < c.rows && out.length < max; i++)
    for (let j = 0; j < n && out.length < max; j++) {
      const got = c.view[i * c.ld + j], want = ref.value[i * n + j];
      const wantClass = classOf(F, want), gotClass = classOf(F, got);
      if (wantClass !== gotClass) out.push(`C[${i},${j}] = ${got}, expected ${want} (${wantClass})`);
      else if (wantClass === 'finite' && !(Math.abs(got - want) <= errorBound(F, k, ref.magnitude[i * n + j])))
        out.push(`C[${i},${j}] = ${got}, expected ${want} ± ${errorBound(F, k, ref.magnitude[i * n + j])}`);
    }
  // Guards: everything in the allocation outside the m×n elements of C.
  const inC = new Set<number>();
  const base = c.view.byteOffset / c.view.BYTES_PER_ELEMENT - c.whole.byteOffset / c.whole.BYTES_PER_ELEMENT;
  for (let i = 0; i < c.rows; i++) for (let j = 0; j < n; j++) inC.add(base + i * c.ld + j);
  for (let x = 0; x < c.whole.length && out.length < max; x++)
    if (!inC.has(x) && !Object.is(c.whole[x], F === Float32Array ? Math.fround(cGuard) : cGuard))
      out.push(`wrote outside C: element ${x - base} of the view is ${c.whole[x]}`);
  return out;
}
