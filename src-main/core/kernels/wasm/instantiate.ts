// Compiles and instantiates modules built by ./encoder.ts, and creates memories, through the
// engine's `WebAssembly` global (not in the ES lib types, hence the small interfaces below). Each
// returns null when there is no WebAssembly, no SIMD support (CompileError), or compiling or
// allocating is not allowed here: callers then keep their TypeScript loops.

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

/** A compiled module, to instantiate once per memory it is given. */
export type WasmModule = object;

interface WasmApi {
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (module: WasmModule, imports: object) => { exports: unknown };
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory;
}

const api = (): WasmApi | undefined => (globalThis as { WebAssembly?: WasmApi }).WebAssembly;

export function compileWasm(bytes: Uint8Array): WasmModule | null {
  const wasm = api();
  if (!wasm) return null;
  try {
    return new wasm.Module(bytes);
  } catch {
    return null;
  }
}

/** An instance of `module`, given `memory` as `env.memory` when the module imports one. */
export function instantiateModule<T>(module: WasmModule, memory?: WasmMemory): T | null {
  const wasm = api();
  if (!wasm) return null;
  try {
    return new wasm.Instance(module, memory ? { env: { memory } } : {}).exports as T;
  } catch {
    return null;
  }
}

export function instantiateWasm<T>(bytes: Uint8Array): T | null {
  const module = compileWasm(bytes);
  return module && instantiateModule<T>(module);
}

/** A memory of exactly `pages` × 64 KiB that never grows (so views of its buffer stay valid). */
export function createFixedMemory(pages: number): WasmMemory | null {
  const wasm = api();
  if (!wasm) return null;
  try {
    return new wasm.Memory({ initial: pages, maximum: pages });
  } catch {
    return null; // out of address space or over the engine's limit
  }
}
