// The WebAssembly (128-bit SIMD) path of Adam's plain step (no weight decay, no effective-lr
// output, no AMSGrad): the buffers go through the module's memory in chunks that stay in the
// L1/L2 caches (same-dtype copies, memcpy speed), are updated two lanes at a time by
// wasm/adam-module.ts in the same float64 arithmetic as the scalar loop, and are copied back.
// The square root and the division bound the scalar loop (~175 M params/s here, as plain C
// without vectorization); two lanes at a time they cost half.
//
// Plain TypeScript: no Node import; without WebAssembly SIMD `wasmAdam()` returns null and
// optim-ts.ts keeps its scalar loop.
import type { FloatArray } from '../tensor.ts';
import { adamModuleBytes } from './wasm/adam-module.ts';
import { instantiateWasm, type WasmMemory } from './wasm/instantiate.ts';

/** Elements per chunk: four float64 buffers of 4096 take 128 KiB, in L2. */
const CHUNK = 4096;

interface Exports {
  memory: WasmMemory;
  adam32(p: number, g: number, m: number, v: number, count: number, beta1: number, c1: number, beta2: number, c2: number, st: number, e: number): void;
  adam64(p: number, g: number, m: number, v: number, count: number, beta1: number, c1: number, beta2: number, c2: number, st: number, e: number): void;
}

/**
 * m ← beta1·m + c1·g;  v ← beta2·v + (c2·g)·g;  θ ← θ − (st·m)/(√v + e) over the first n
 * elements of four buffers of one dtype (the contract of optim-ts.ts's adamPlain).
 */
export type WasmAdam = (
  n: number, p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
  beta1: number, c1: number, beta2: number, c2: number, st: number, e: number,
) => void;

let cached: WasmAdam | null | undefined;

/** The wasm Adam step, or null when this engine has no WebAssembly with SIMD. Instantiated once. */
export function wasmAdam(): WasmAdam | null {
  if (cached === undefined) cached = instantiate();
  return cached;
}

function instantiate(): WasmAdam | null {
  const ex = instantiateWasm<Exports>(adamModuleBytes());
  if (!ex) return null;
  // Four regions of CHUNK float64 (float32 buffers use the first half of each).
  const have = ex.memory.buffer.byteLength, need = 4 * CHUNK * 8;
  try {
    if (need > have) ex.memory.grow(Math.ceil((need - have) / 65536));
  } catch {
    return null; // out of memory: the scalar loop it is
  }
  const heap64 = new Float64Array(ex.memory.buffer, 0, 4 * CHUNK);
  const heap32 = new Float32Array(ex.memory.buffer, 0, 8 * CHUNK);
  return (n, p, g, m, v, beta1, c1, beta2, c2, st, e) => {
    const f32 = p instanceof Float32Array;
    const heap: FloatArray = f32 ? heap32 : heap64;
    const bytes = f32 ? 4 : 8;
    // Region r starts at element r·stride of `heap` (byte r·CHUNK·8 either way).
    const stride = f32 ? 2 * CHUNK : CHUNK;
    const step = f32 ? ex.adam32 : ex.adam64;
    for (let off = 0; off < n; off += CHUNK) {
      const len = Math.min(CHUNK, n - off);
      const whole = off === 0 && len === p.length;
      heap.set(whole ? p : p.subarray(off, off + len), 0);
      heap.set(whole ? g : g.subarray(off, off + len), stride);
      heap.set(whole ? m : m.subarray(off, off + len), 2 * stride);
      heap.set(whole ? v : v.subarray(off, off + len), 3 * stride);
      const even = len - (len & 1);
      step(0, stride * bytes, 2 * stride * bytes, 3 * stride * bytes, even, beta1, c1, beta2, c2, st, e);
      p.set(heap.subarray(0, even), off);
      m.set(heap.subarray(2 * stride, 2 * stride + even), off);
      v.set(heap.subarray(3 * stride, 3 * stride + even), off);
      if (even < len) {
        // The odd last element, by the scalar formula (the same arithmetic as one lane).
        const i = off + even;
        const gi = g[i];
        const mi = beta1 * m[i] + c1 * gi;
        const vi = beta2 * v[i] + c2 * gi * gi;
        m[i] = mi;
        v[i] = vi;
        p[i] -= (st * mi) / (Math.sqrt(vi) + e);
      }
    }
  };
}
