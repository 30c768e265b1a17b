// Compiles and instantiates a module built by ./encoder.ts, through the engine's `WebAssembly`
// global (not in the ES lib types, hence the small interface below). Null when there is no
// WebAssembly, or no SIMD support (CompileError), or compiling is not allowed here.

export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
}

export function instantiateWasm<T>(bytes: Uint8Array): T | null {
  const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  if (!api) return null;
  try {
    return new api.Instance(new api.Module(bytes), {}).exports as T;
  } catch {
    return null;
  }
}
