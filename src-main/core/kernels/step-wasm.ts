// The WebAssembly (128-bit SIMD) path of the optimizers' plain steps (plain-loops.ts: Adam,
// RMSprop, AdaGrad without weight decay, effective-lr output or the other options), updating two
// lanes at a time in the same float64 arithmetic as the scalar loops (wasm/step-module.ts). The
// square root and the division bound the scalar loops (~125–175 M params/s here, as plain C
// without vectorization); two lanes at a time they cost half.
//
// Two ways in:
// - in place, when the buffers live in one group arena (core/arena.ts: a parameter group and its
//   optimizer state in one WebAssembly memory): the module runs on that memory directly, at any
//   size (every step);
// - through copies otherwise (Adam only, for the buffers tests and callers make themselves): the
//   buffers go through this driver's own memory in chunks that stay in the L1/L2 caches
//   (same-dtype copies, memcpy speed), are updated there and copied back.
//
// Plain TypeScript: no Node import; without WebAssembly SIMD every entry returns false and
// optim-ts.ts keeps its scalar loops.
import { sharedArenaMemory } from '../arena.ts';
import type { FloatArray } from '../tensor.ts';
import { adagradScalar, adamScalar, rmspropScalar } from './plain-loops.ts';
import { stepModuleBytes } from './wasm/step-module.ts';
import { compileWasm, createFixedMemory, instantiateModule, type WasmMemory, type WasmModule } from './wasm/instantiate.ts';

/** Elements per chunk of the copying path: four float64 buffers of 4096 take 128 KiB, in L2. */
const CHUNK = 4096;

type AdamFn = (p: number, g: number, m: number, v: number, count: number, beta1: number, c1: number, beta2: number, c2: number, st: number, e: number) => void;
type RmspropFn = (p: number, g: number, v: number, count: number, alpha: number, beta: number, lr: number, eps: number) => void;
type AdagradFn = (p: number, g: number, s: number, count: number, clr: number, eps: number) => void;

interface Exports {
  adam32: AdamFn;
  adam64: AdamFn;
  rmsprop32: RmspropFn;
  rmsprop64: RmspropFn;
  adagrad32: AdagradFn;
  adagrad64: AdagradFn;
}

let compiled: WasmModule | null | undefined;
/** The module's instance over each arena's memory, made on the arena's first step. */
const arenaInstances = new WeakMap<WasmMemory, Exports | null>();

function stepModule(): WasmModule | null {
  if (compiled === undefined) compiled = compileWasm(stepModuleBytes());
  return compiled;
}

/** The module over the arena holding all of `buffers`, or null (not all in one arena, or no WebAssembly). */
function inArena(buffers: readonly FloatArray[]): Exports | null {
  const memory = sharedArenaMemory(buffers);
  if (memory === null) return null;
  let ex = arenaInstances.get(memory);
  if (ex === undefined) {
    const module = stepModule();
    ex = module && instantiateModule<Exports>(module, memory);
    arenaInstances.set(memory, ex);
  }
  return ex;
}

/**
 * adamScalar over the first n elements (the contract of optim-ts.ts's adamPlain), in the
 * buffers' arena. False (having done nothing) when they aren't all in one arena or there is no WebAssembly.
 */
export function adamInArena(
  n: number, p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
  beta1: number, c1: number, beta2: number, c2: number, st: number, e: number,
): boolean {
  const ex = inArena([p, g, m, v]);
  if (ex === null) return false;
  const even = n - (n & 1);
  (p instanceof Float32Array ? ex.adam32 : ex.adam64)(p.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, even, beta1, c1, beta2, c2, st, e);
  adamScalar(even, n, p, g, m, v, beta1, c1, beta2, c2, st, e); // the odd last element, if any
  return true;
}

/** rmspropScalar over the first n elements, in the buffers' arena; false as adamInArena. */
export function rmspropInArena(n: number, p: FloatArray, g: FloatArray, v: FloatArray, alpha: number, beta: number, lr: number, eps: number): boolean {
  const ex = inArena([p, g, v]);
  if (ex === null) return false;
  const even = n - (n & 1);
  (p instanceof Float32Array ? ex.rmsprop32 : ex.rmsprop64)(p.byteOffset, g.byteOffset, v.byteOffset, even, alpha, beta, lr, eps);
  rmspropScalar(even, n, p, g, v, alpha, beta, lr, eps);
  return true;
}

/** adagradScalar over the first n elements, in the buffers' arena; false as adamInArena. */
export function adagradInArena(n: number, p: FloatArray, g: FloatArray, sum: FloatArray, clr: number, eps: number): boolean {
  const ex = inArena([p, g, sum]);
  if (ex === null) return false;
  const even = n - (n & 1);
  (p instanceof Float32Array ? ex.adagrad32 : ex.adagrad64)(p.byteOffset, g.byteOffset, sum.byteOffset, even, clr, eps);
  adagradScalar(even, n, p, g, sum, clr, eps);
  return true;
}

type Copying = (n: number, p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray, beta1: number, c1: number, beta2: number, c2: number, st: number, e: number) => void;
let copying: Copying | null | undefined;

/** adamInArena's step for buffers anywhere, through chunk copies. False when there is no WebAssembly. */
export function adamThroughCopies(
  n: number, p: FloatArray, g: FloatArray, m: FloatArray, v: FloatArray,
  beta1: number, c1: number, beta2: number, c2: number, st: number, e: number,
): boolean {
  if (copying === undefined) copying = makeCopying();
  if (copying === null) return false;
  copying(n, p, g, m, v, beta1, c1, beta2, c2, st, e);
  return true;
}

function makeCopying(): Copying | null {
  const module = stepModule();
  // Four regions of CHUNK float64 (float32 buffers use the first half of each).
  const memory = module && createFixedMemory(Math.ceil((4 * CHUNK * 8) / 65536));
  const ex = memory && instantiateModule<Exports>(module, memory);
  if (!ex) return null;
  const heap64 = new Float64Array(memory.buffer, 0, 4 * CHUNK);
  const heap32 = new Float32Array(memory.buffer, 0, 8 * CHUNK);
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
      adamScalar(off + even, off + len, p, g, m, v, beta1, c1, beta2, c2, st, e); // the odd last element, if any
    }
  };
}
