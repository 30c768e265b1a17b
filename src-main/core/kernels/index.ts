import { tsKernels } from './ts.ts';
import type { Kernels } from './types.ts';

// The active kernels. Core code calls `kernels()`; Node-side start-up may install the native
// implementation with `useKernels` (core itself never loads an addon).
let active: Kernels = tsKernels;

export function useKernels(k: Kernels): void {
  active = k;
}

export function kernels(): Kernels {
  return active;
}

export type { Kernels } from './types.ts';
