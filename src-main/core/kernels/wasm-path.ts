// Which TypeScript kernels run in WebAssembly (gemm-wasm.ts, step-wasm.ts): 'auto' (the default)
// sends each call that is big enough to pay for copying its operands in, 'scalar' keeps every
// call in the plain TypeScript loops, 'wasm' sends every call (tests use it to run each check
// through both paths). Both paths give bit-identical results.
export type WasmPath = 'auto' | 'scalar' | 'wasm';

let path: WasmPath = 'auto';

/** Selects the path for every kernel that has a WebAssembly version. */
export function setWasmPathMode(p: WasmPath): void {
  path = p;
}

/** Whether a call of `size` (in the kernel's own unit) goes to WebAssembly, given the sizes 'auto' sends there. */
export function useWasmFor(size: number, autoMin: number, autoMax = Infinity): boolean {
  return path === 'wasm' || (path === 'auto' && size >= autoMin && size <= autoMax);
}
