// Group arenas: a parameter group's values, gradients and optimizer state side by side in one
// contiguous buffer. From ARENA_MIN_LENGTH elements the buffer is a WebAssembly memory, so the
// WebAssembly kernels step them where they are (kernels/step-wasm.ts) instead of copying them in
// and out: Adam over 1M float32 parameters, M params/s measured in one process: scalar loop
// 121–134, copies through a cache-sized buffer 110, in the arena 366–396.
//
// An arena has a fixed size (a WebAssembly memory that never grows, so its views never detach, or
// a plain ArrayBuffer for small groups and where WebAssembly is unavailable) with room for the two
// group buffers and STATE_SLOTS state buffers of the same length and dtype; `allocateLike` takes
// state buffers from it while it has room. Everything else about the arrays is ordinary: any
// kernel set (TypeScript, native) reads and writes them as usual.
import { createFixedMemory, type WasmMemory } from './kernels/wasm/instantiate.ts';
import type { Dtype, FloatArray } from './tensor.ts';

/** State buffers an arena keeps room for: the most any optimizer has (AMSGrad's three, centered RMSprop with momentum). */
const STATE_SLOTS = 3;
/** Buffers start on cache-line boundaries. */
const ALIGN = 64;
const PAGE = 65536;
/** wasm32's largest memory (4 GiB); larger groups get plain typed arrays. */
const MAX_PAGES = 65536;
/** Smallest group whose arena is a WebAssembly memory: the size from which the WebAssembly kernels pay. */
export const ARENA_MIN_LENGTH = 64;

interface Arena {
  readonly buffer: ArrayBuffer;
  /** The WebAssembly memory whose buffer it is, or null for a plain ArrayBuffer. */
  readonly memory: WasmMemory | null;
  readonly dtype: Dtype;
  readonly length: number;
  /** Byte offset of the next free slot. */
  next: number;
  /** Byte offset past the last slot (the memory's page rounding may leave more, unused). */
  readonly end: number;
}

const arenas = new WeakMap<ArrayBufferLike, Arena>();

const allocate = (dtype: Dtype, length: number): FloatArray => (dtype === 'float32' ? new Float32Array(length) : new Float64Array(length));
const bytesPer = (dtype: Dtype) => (dtype === 'float32' ? 4 : 8);
const slotBytes = (dtype: Dtype, length: number) => Math.ceil((length * bytesPer(dtype)) / ALIGN) * ALIGN;

function take(arena: Arena): FloatArray | null {
  const bytes = slotBytes(arena.dtype, arena.length);
  if (arena.next + bytes > arena.end) return null;
  const buffer = arena.buffer;
  const view = arena.dtype === 'float32' ? new Float32Array(buffer, arena.next, arena.length) : new Float64Array(buffer, arena.next, arena.length);
  arena.next += bytes;
  return view;
}

/** A group's `values` and `grads` (zeros), at the start of a new arena: a WebAssembly memory when the group is large enough and one can be had. */
export function allocateGroupBuffers(dtype: Dtype, length: number): { values: FloatArray; grads: FloatArray } {
  const end = (2 + STATE_SLOTS) * slotBytes(dtype, length);
  const pages = Math.ceil(end / PAGE);
  const memory = length >= ARENA_MIN_LENGTH && pages <= MAX_PAGES ? createFixedMemory(pages) : null;
  const arena: Arena = { buffer: memory ? memory.buffer : new ArrayBuffer(end), memory, dtype, length, next: 0, end };
  arenas.set(arena.buffer, arena);
  return { values: take(arena)!, grads: take(arena)! };
}

/** Zeros of `like`'s dtype and length: in `like`'s arena when it is a whole group buffer of one with room left. */
export function allocateLike(like: FloatArray): FloatArray {
  const dtype: Dtype = like instanceof Float32Array ? 'float32' : 'float64';
  const arena = arenas.get(like.buffer);
  return (arena && arena.length === like.length && arena.dtype === dtype && take(arena)) || allocate(dtype, like.length);
}

/** The WebAssembly memory of the arena holding all of `arrays`, or null when they aren't all in one such arena. */
export function sharedArenaMemory(arrays: readonly FloatArray[]): WasmMemory | null {
  const buffer = arrays[0].buffer;
  for (const a of arrays) if (a.buffer !== buffer) return null;
  return arenas.get(buffer)?.memory ?? null;
}
