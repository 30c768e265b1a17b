// The WebAssembly (128-bit SIMD) path of the TypeScript gemm: the operands are copied into the
// module's memory as float64 (TypedArray.set converts float32 exactly, at memcpy-like speed),
// packed into panels and multiplied there by wasm/gemm-module.ts, and C is copied back (for a
// float32 caller rounded to nearest even in the module first, as a Float32Array store rounds).
// Each element of C is the same float64 sum in the same order as the scalar kernel's, so both
// paths give bit-identical results for k ≤ 128, one pass of the scalar loops (for longer k the
// passes differ: here C stays float64 between passes, which only removes roundings).
//
// Plain TypeScript: no Node import; `WebAssembly` is the engine's global, and without it (or
// without SIMD support) `wasmGemm()` returns null and ts.ts keeps its scalar loops.
import type { FloatArray } from '../tensor.ts';
import { gemmModuleBytes, MR, NR, TILE_BYTES } from './wasm/gemm-module.ts';
import { instantiateWasm, type WasmMemory } from './wasm/instantiate.ts';

/** Depth of one pass over k: an A panel (MR×KC) and a B panel (KC×NR) of float64 stay in L1. */
const KC = 256;
/** Rows of op(A) per packed block (MC×KC float64 = 256 KiB, in L2). */
const MC = 128;
/** Columns of op(B) per packed block. */
const NC = 1024;
/** Largest memory the path may use; larger problems take the scalar path. */
const MAX_BYTES = 512 * 2 ** 20;
const PAGE = 65536;

interface Exports {
  memory: WasmMemory;
  pack(src: number, rs: number, ps: number, count: number, kc: number, w: number, dst: number): void;
  tiles(pa: number, pb: number, kc: number, mc: number, nc: number, c: number, ci: number, cj: number, alpha: number, beta: number): void;
  demote(src: number, dst: number, count: number): void;
}

/**
 * C = alpha·op(A)·op(B) + beta·C with op(A)[i, p] = a[i·ai + p·ap], op(B)[p, j] = b[p·bp + j·bj],
 * C[i, j] = c[i·ldc + j]; m, n, k > 0, alpha ≠ 0, arguments already checked. Returns false
 * (having done nothing) when the problem does not fit the memory cap or the memory cannot grow.
 */
export type WasmGemm = (
  m: number, n: number, k: number, alpha: number,
  a: FloatArray, ai: number, ap: number, spanA: number,
  b: FloatArray, bp: number, bj: number, spanB: number,
  beta: number, c: FloatArray, ldc: number,
) => boolean;

let cached: WasmGemm | null | undefined;

/** The wasm gemm, or null when this engine has no WebAssembly with SIMD. Instantiated once. */
export function wasmGemm(): WasmGemm | null {
  if (cached === undefined) cached = instantiate();
  return cached;
}

function instantiate(): WasmGemm | null {
  const ex = instantiateWasm<Exports>(gemmModuleBytes());
  if (!ex) return null;
  let heap = new Float64Array(ex.memory.buffer);
  let heap32 = new Float32Array(ex.memory.buffer);

  /**
   * Makes the memory at least `bytes` long (views are recreated: growing detaches them); false
   * when the engine refuses to grow it (out of memory), and the caller takes the scalar path.
   */
  const reserve = (bytes: number): boolean => {
    const have = ex.memory.buffer.byteLength;
    if (bytes <= have) return true;
    try {
      ex.memory.grow(Math.ceil((bytes - have) / PAGE));
    } catch {
      return false;
    }
    heap = new Float64Array(ex.memory.buffer);
    heap32 = new Float32Array(ex.memory.buffer);
    return true;
  };

  return (m, n, k, alpha, a, ai, ap, spanA, b, bp, bj, spanB, beta, c, ldc) => {
    const spanC = (m - 1) * ldc + n;
    const kc0 = Math.min(KC, k);
    const mcPad = Math.ceil(Math.min(MC, m) / MR) * MR;
    const ncPad = Math.ceil(Math.min(NC, n) / NR) * NR;
    // Layout (in float64 elements): the spilled tile, raw A, raw B, raw C, packed A, packed B,
    // and C as float32 on its way out to a float32 caller.
    const aOff = TILE_BYTES / 8;
    const bOff = align2(aOff + spanA);
    const cOff = align2(bOff + spanB);
    const paOff = align2(cOff + spanC);
    const pbOff = paOff + mcPad * kc0;
    const c32Off = pbOff + kc0 * ncPad;
    const bytes = (c32Off + (c instanceof Float32Array ? Math.ceil(spanC / 2) : 0)) * 8;
    if (bytes > MAX_BYTES || !reserve(bytes)) return false;
    heap.set(a.length === spanA ? a : a.subarray(0, spanA), aOff);
    heap.set(b.length === spanB ? b : b.subarray(0, spanB), bOff);
    // C comes in when its old values matter: beta ≠ 0, or row padding (ldc > n) that the copy
    // back must leave as it was.
    if (beta !== 0 || ldc > n) heap.set(c.length === spanC ? c : c.subarray(0, spanC), cOff);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = Math.min(NC, n - j0);
      for (let p0 = 0; p0 < k; p0 += KC) {
        const kc = Math.min(KC, k - p0);
        // The first pass applies beta, later ones accumulate.
        const be = p0 === 0 ? beta : 1;
        // B's columns j are the packed rows: X[j, p] = op(B)[p, j].
        ex.pack((bOff + p0 * bp + j0 * bj) * 8, bj, bp, nc, kc, NR, pbOff * 8);
        for (let i0 = 0; i0 < m; i0 += MC) {
          const mc = Math.min(MC, m - i0);
          ex.pack((aOff + i0 * ai + p0 * ap) * 8, ai, ap, mc, kc, MR, paOff * 8);
          ex.tiles(paOff * 8, pbOff * 8, kc, mc, nc, (cOff + i0 * ldc + j0) * 8, ldc, 1, alpha, be);
        }
      }
    }
    if (c instanceof Float32Array) {
      ex.demote(cOff * 8, c32Off * 8, spanC);
      c.set(heap32.subarray(2 * c32Off, 2 * c32Off + spanC));
    } else c.set(heap.subarray(cOff, cOff + spanC));
    return true;
  };
}

/** Rounds an element offset up to even (16-byte alignment for the vector loads). */
function align2(x: number): number {
  return x + (x & 1);
}
