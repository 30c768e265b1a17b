// The argument layout of every optimizer kernel (OptimizerKernels in types.ts): its buffers in
// argument order (optional ones may be null) and the names of its scalars. The argument checks
// (step-check.ts) name buffers by it, and the native addon packs the scalars into one
// Float64Array in exactly this order (native/src/elementwise.h; the loader refuses an addon whose
// layout differs).
import type {
  AdadeltaScalars,
  AdagradScalars,
  AdamaxScalars,
  AdamScalars,
  NadamScalars,
  OptimizerKernels,
  RadamScalars,
  RmspropScalars,
  RpropScalars,
  SgdScalars,
} from './types.ts';

export interface BufferSlot {
  readonly name: string;
  /** May be null (an absent state buffer, or no effective-lr output). */
  readonly optional: boolean;
}

export interface StepLayout {
  readonly buffers: readonly BufferSlot[];
  readonly scalars: readonly string[];
}

/** Every key of S, listed once: a name missing from `names` is a type error. */
function allScalars<S>() {
  return <const K extends readonly (keyof S & string)[]>(
    names: K & (Exclude<keyof S, K[number]> extends never ? unknown : { missing: Exclude<keyof S, K[number]> }),
  ): readonly string[] => names;
}

/** "name?" marks an optional buffer. */
function slots(...names: string[]): BufferSlot[] {
  return names.map((n) => (n.endsWith('?') ? { name: n.slice(0, -1), optional: true } : { name: n, optional: false }));
}

const BASE = ['maximize', 'l2', 'decay'] as const;

export const STEP_LAYOUTS: Readonly<Record<keyof OptimizerKernels, StepLayout>> = {
  sgdStep: {
    buffers: slots('params', 'grads', 'momentumBuffer?', 'effLr?'),
    scalars: allScalars<SgdScalars>()([...BASE, 'lr', 'momentum', 'dampening', 'nesterov', 'first']),
  },
  adagradStep: {
    buffers: slots('params', 'grads', 'sum', 'effLr?'),
    scalars: allScalars<AdagradScalars>()([...BASE, 'clr', 'eps', 'epsInside', 'zeroGuard']),
  },
  rmspropStep: {
    buffers: slots('params', 'grads', 'squareAvg', 'gradAvg?', 'momentumBuffer?', 'effLr?'),
    scalars: allScalars<RmspropScalars>()([...BASE, 'lr', 'alpha', 'eps', 'epsInside', 'momentum']),
  },
  adamStep: {
    buffers: slots('params', 'grads', 'expAvg', 'expAvgSq', 'maxExpAvgSq?', 'effLr?'),
    scalars: allScalars<AdamScalars>()([...BASE, 'lr', 'beta1', 'beta2', 'stepSize', 'bc2Sqrt', 'eps', 'amsgrad']),
  },
  adamaxStep: {
    buffers: slots('params', 'grads', 'expAvg', 'expInf', 'effLr?'),
    scalars: allScalars<AdamaxScalars>()([...BASE, 'lr', 'beta1', 'beta2', 'stepSize', 'eps', 'epsInside']),
  },
  nadamStep: {
    buffers: slots('params', 'grads', 'expAvg', 'expAvgSq', 'effLr?'),
    scalars: allScalars<NadamScalars>()([...BASE, 'lr', 'beta1', 'beta2', 'bc2', 'eps', 'coefGrad', 'coefAvg']),
  },
  radamStep: {
    buffers: slots('params', 'grads', 'expAvg', 'expAvgSq', 'effLr?'),
    scalars: allScalars<RadamScalars>()([...BASE, 'lr', 'beta1', 'beta2', 'rectified', 'rect', 'stepSize', 'bc2Sqrt', 'eps']),
  },
  adadeltaStep: {
    buffers: slots('params', 'grads', 'squareAvg', 'accDelta', 'effLr?'),
    scalars: allScalars<AdadeltaScalars>()([...BASE, 'lr', 'rho', 'eps']),
  },
  rpropStep: {
    buffers: slots('params', 'grads', 'prev', 'stepSize', 'effLr?'),
    scalars: allScalars<RpropScalars>()([...BASE, 'etaMinus', 'etaPlus', 'stepMin', 'stepMax']),
  },
};

export type StepKernelName = keyof OptimizerKernels;
export const STEP_KERNEL_NAMES = Object.keys(STEP_LAYOUTS) as StepKernelName[];
