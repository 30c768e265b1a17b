// Argument checks of the optimizer and model kernels, shared by every kernel set: the native
// addon (native/src/elementwise_binding.cc) throws the same TypeErrors word for word, so one test
// suite covers both. A bad call fails loudly instead of reading or writing past an array (in C++
// that would touch foreign memory; in TypeScript it would compute NaN or write a stray element).
// gemm's checks are in check.ts.
import type { FloatArray } from '../tensor.ts';
import { ActivationCode } from './types.ts';
import { STEP_LAYOUTS, type StepKernelName } from './step-layout.ts';

const MAX_SIZE = 2 ** 31;

/** What a value is, for messages: "Float32Array", "Int8Array", "DataView", "null", or typeof. */
function valueName(v: unknown): string {
  if (v === null) return 'null';
  if (!ArrayBuffer.isView(v)) return typeof v;
  if (v instanceof DataView) return 'DataView';
  // The base type's tag, as the addon reports it (a Buffer is a Uint8Array).
  return (v as unknown as { [Symbol.toStringTag]: string })[Symbol.toStringTag];
}

/** String(v) for a number, else what valueName says. */
function describe(v: unknown): string {
  return typeof v === 'number' ? String(v) : valueName(v);
}

function isFloatArray(v: unknown): v is FloatArray {
  return v instanceof Float32Array || v instanceof Float64Array;
}

/** Do the first n elements of x and the first m of y share memory? */
function overlaps(x: ArrayBufferView, n: number, y: ArrayBufferView, m: number): boolean {
  if (n === 0 || m === 0 || x.buffer !== y.buffer) return false;
  const x0 = x.byteOffset, x1 = x0 + n * (x as FloatArray).BYTES_PER_ELEMENT;
  const y0 = y.byteOffset, y1 = y0 + m * (y as FloatArray).BYTES_PER_ELEMENT;
  return x0 < y1 && y0 < x1;
}

// ---------------------------------------------------------------------------------------------
// Optimizer kernels (layouts in step-layout.ts).

/** Throws unless `s` is an object holding a number for every scalar of the kernel. */
export function checkStepScalars(kernel: StepKernelName, s: unknown): void {
  if (typeof s !== 'object' || s === null) throw new TypeError(`${kernel}: s must be an object of scalars (got ${valueName(s)})`);
  const record = s as Record<string, unknown>;
  for (const name of STEP_LAYOUTS[kernel].scalars)
    if (typeof record[name] !== 'number') throw new TypeError(`${kernel}: s.${name} must be a number (got ${valueName(record[name])})`);
}

/**
 * Throws unless `buffers` (in the kernel's argument order) are Float32Arrays or Float64Arrays
 * (null where optional) of params' dtype and length, no two sharing memory.
 */
export function checkStepBuffers(kernel: StepKernelName, buffers: readonly unknown[]): void {
  const slots = STEP_LAYOUTS[kernel].buffers;
  for (let i = 0; i < slots.length; i++) {
    const b = buffers[i];
    if (isFloatArray(b) || (b === null && slots[i].optional)) continue;
    const want = slots[i].optional ? 'a Float32Array, a Float64Array or null' : 'a Float32Array or Float64Array';
    throw new TypeError(`${kernel}: ${slots[i].name} must be ${want} (got ${valueName(b)})`);
  }
  const params = buffers[0] as FloatArray;
  const n = params.length;
  const f32 = params instanceof Float32Array;
  for (let i = 1; i < slots.length; i++) {
    const b = buffers[i] as FloatArray | null;
    if (b === null) continue;
    if (b instanceof Float32Array !== f32)
      throw new TypeError(`${kernel}: ${slots[i].name} is a ${valueName(b)}, but params is a ${valueName(params)} (every buffer has one dtype)`);
    if (b.length !== n) throw new TypeError(`${kernel}: ${slots[i].name} has ${b.length} elements, but params has ${n}`);
  }
  for (let i = 0; i < slots.length; i++)
    for (let j = i + 1; j < slots.length; j++) {
      const x = buffers[i] as FloatArray | null, y = buffers[j] as FloatArray | null;
      if (x && y && overlaps(x, n, y, n)) throw new TypeError(`${kernel}: ${slots[i].name} overlaps ${slots[j].name} in memory`);
    }
}

/** checkStepScalars, then checkStepBuffers (the order the native set checks in). */
export function checkStep(kernel: StepKernelName, buffers: readonly unknown[], s: unknown): void {
  checkStepScalars(kernel, s);
  checkStepBuffers(kernel, buffers);
}

// ---------------------------------------------------------------------------------------------
// Model kernels.

export type ModelKernelName =
  | 'addRowVector'
  | 'columnSums'
  | 'activationForward'
  | 'activationBackward'
  | 'softmaxCrossEntropy'
  | 'sigmoidCrossEntropy'
  | 'squaredError';

/**
 * One argument of a model kernel: a size, the activation code, a plain number, a float buffer
 * or the Int32Array of labels. A buffer gives the elements it needs as a product of sizes and
 * whether the kernel writes it (and which input, if any, it may be exactly).
 */
type ArgSpec =
  | { readonly kind: 'size' | 'activation' | 'number'; readonly name: string }
  | {
      readonly kind: 'float' | 'labels';
      readonly name: string;
      /** Names of the size arguments whose product is the needed length. */
      readonly need: readonly string[];
      readonly writes?: boolean;
      /** The input this output may be (the same elements, not a shifted view). */
      readonly mayBe?: string;
    };

const size = (name: string): ArgSpec => ({ kind: 'size', name });
const float = (name: string, need: string[], out: { writes?: boolean; mayBe?: string } = {}): ArgSpec => ({ kind: 'float', name, need, ...out });

export const MODEL_ARGS: Readonly<Record<ModelKernelName, readonly ArgSpec[]>> = {
  addRowVector: [size('n'), size('m'), float('v', ['m']), float('x', ['n', 'm'], { writes: true })],
  columnSums: [size('n'), size('m'), float('x', ['n', 'm']), float('out', ['m'], { writes: true })],
  activationForward: [{ kind: 'activation', name: 'activation' }, size('len'), float('z', ['len']), float('h', ['len'], { writes: true, mayBe: 'z' })],
  activationBackward: [
    { kind: 'activation', name: 'activation' },
    size('len'),
    float('z', ['len']),
    float('h', ['len']),
    float('dh', ['len']),
    float('dz', ['len'], { writes: true, mayBe: 'dh' }),
  ],
  softmaxCrossEntropy: [
    size('n'),
    size('k'),
    float('logits', ['n', 'k']),
    { kind: 'labels', name: 'labels', need: ['n'] },
    { kind: 'number', name: 'scale' },
    float('grad', ['n', 'k'], { writes: true, mayBe: 'logits' }),
  ],
  sigmoidCrossEntropy: [
    size('n'),
    float('logits', ['n']),
    { kind: 'labels', name: 'labels', need: ['n'] },
    { kind: 'number', name: 'scale' },
    float('grad', ['n'], { writes: true, mayBe: 'logits' }),
  ],
  squaredError: [size('len'), float('pred', ['len']), float('target', ['len']), { kind: 'number', name: 'scale' }, float('grad', ['len'], { writes: true, mayBe: 'pred' })],
};

const ACTIVATION_CODES = new Set<unknown>(Object.values(ActivationCode));

/** MODEL_ARGS in index form, so a check allocates nothing: per argument, the indices of its size factors. */
const COMPILED = Object.fromEntries(
  Object.entries(MODEL_ARGS).map(([kernel, specs]) => {
    const at = (name: string) => specs.findIndex((s) => s.name === name);
    const needs = specs.map((s) => (s.kind === 'float' || s.kind === 'labels' ? s.need.map(at) : []));
    const mayBe = specs.map((s) => (s.kind === 'float' && s.mayBe ? at(s.mayBe) : -1));
    return [kernel, { specs, needs, mayBe, labels: specs.findIndex((s) => s.kind === 'labels') }];
  }),
) as Record<ModelKernelName, { specs: readonly ArgSpec[]; needs: number[][]; mayBe: number[]; labels: number }>;

/** Elements each argument needs (0 for non-buffers), for the call being checked. */
const need = new Float64Array(8);

/**
 * Throws a TypeError naming the argument unless `args` (in the kernel's argument order) is a
 * well-formed call: sizes integers in [0, 2^31), a known activation code, numbers, float buffers
 * of one dtype and labels an Int32Array, each long enough for the sizes, no output sharing memory
 * with another argument (except exactly the input it may be), and every label a valid class
 * (0 ≤ y < k for softmax, 0 or 1 for sigmoid).
 */
export function checkModelArgs(kernel: ModelKernelName, args: readonly unknown[]): void {
  const { specs, needs, mayBe, labels: labelsAt } = COMPILED[kernel];
  let first = -1;
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i];
    const v = args[i];
    switch (spec.kind) {
      case 'size':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= MAX_SIZE)
          throw new TypeError(`${kernel}: ${spec.name} must be an integer in [0, 2^31) (got ${describe(v)})`);
        break;
      case 'activation':
        if (!ACTIVATION_CODES.has(v)) throw new TypeError(`${kernel}: unknown activation code ${describe(v)} (0 relu, 1 tanh, 2 sigmoid, 3 gelu)`);
        break;
      case 'number':
        if (typeof v !== 'number') throw new TypeError(`${kernel}: ${spec.name} must be a number (got ${valueName(v)})`);
        break;
      case 'labels':
        if (!(v instanceof Int32Array)) throw new TypeError(`${kernel}: ${spec.name} must be an Int32Array (got ${valueName(v)})`);
        break;
      case 'float':
        if (!isFloatArray(v)) throw new TypeError(`${kernel}: ${spec.name} must be a Float32Array or Float64Array (got ${valueName(v)})`);
        if (first < 0) first = i;
        else if (v instanceof Float32Array !== args[first] instanceof Float32Array)
          throw new TypeError(`${kernel}: ${spec.name} is a ${valueName(v)}, but ${specs[first].name} is a ${valueName(args[first])} (every buffer has one dtype)`);
    }
  }
  for (let i = 0; i < specs.length; i++) {
    const factors = needs[i];
    need[i] = 0;
    if (factors.length === 0) continue;
    let product = 1;
    for (const f of factors) product *= args[f] as number;
    need[i] = product;
    const len = (args[i] as ArrayBufferView & { length: number }).length;
    if (len < product) {
      const formula = factors.map((f) => specs[f].name).join('·');
      throw new TypeError(`${kernel}: ${specs[i].name} has ${len} elements, but ${formula} = ${product} are needed`);
    }
  }
  for (let i = 0; i < specs.length; i++) {
    const w = specs[i];
    if (w.kind !== 'float' || !w.writes) continue;
    const out = args[i] as FloatArray;
    for (let j = 0; j < specs.length; j++) {
      if (j === i || needs[j].length === 0) continue;
      const x = args[j] as ArrayBufferView;
      if (!overlaps(out, need[i], x, need[j])) continue;
      if (mayBe[i] !== j) throw new TypeError(`${kernel}: ${w.name} overlaps ${specs[j].name} in memory`);
      if (out.byteOffset !== x.byteOffset)
        throw new TypeError(`${kernel}: ${w.name} overlaps ${specs[j].name} in memory (${w.name} may be ${specs[j].name} itself, not a shifted view of it)`);
    }
  }
  if (labelsAt >= 0) {
    const labels = args[labelsAt] as Int32Array;
    const n = args[0] as number;
    if (kernel === 'softmaxCrossEntropy') {
      const k = args[1] as number;
      for (let i = 0; i < n; i++)
        if (!(labels[i] >= 0 && labels[i] < k)) throw new TypeError(`${kernel}: labels[${i}] = ${labels[i]} is not a class index in [0, ${k})`);
    } else {
      for (let i = 0; i < n; i++) if (labels[i] !== 0 && labels[i] !== 1) throw new TypeError(`${kernel}: labels[${i}] = ${labels[i]} is not 0 or 1`);
    }
  }
}
