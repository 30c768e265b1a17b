// Parameters live in flat typed arrays: one contiguous buffer per parameter group (values and
// gradients alike), with each named tensor a view into it. Models read and write the views;
// optimizers work on a group's whole buffer at once. A group's values, gradients and optimizer
// state (taken with `allocateLike`) lie side by side in one contiguous arena (arena.ts), a
// WebAssembly memory for large groups so the WebAssembly kernels step them in place.
import { allocateGroupBuffers } from './arena.ts';

export type Dtype = 'float32' | 'float64';
export type FloatArray = Float32Array | Float64Array;

export function allocate(dtype: Dtype, length: number): FloatArray {
  return dtype === 'float32' ? new Float32Array(length) : new Float64Array(length);
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** A named tensor, torch-style names (`layers.0.weight`); weights are [out, in], row-major. */
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly role: 'weight' | 'bias';
}

/** One tensor's views into its group's buffers. */
export interface ParamView {
  readonly spec: ParamSpec;
  /** Offset of this tensor in its group's flat buffers. */
  readonly offset: number;
  readonly values: FloatArray;
  readonly grad: FloatArray;
}

/** A parameter group: its tensors packed one after another into `values` and `grads`, both in the group's arena. */
export interface ParamGroupBuffer {
  readonly dtype: Dtype;
  readonly views: readonly ParamView[];
  readonly values: FloatArray;
  readonly grads: FloatArray;
}

export function packGroup(specs: readonly ParamSpec[], dtype: Dtype): ParamGroupBuffer {
  const total = specs.reduce((n, s) => n + numel(s.shape), 0);
  const { values, grads } = allocateGroupBuffers(dtype, total);
  let offset = 0;
  const views = specs.map((spec) => {
    const size = numel(spec.shape);
    const view: ParamView = {
      spec,
      offset,
      values: values.subarray(offset, offset + size),
      grad: grads.subarray(offset, offset + size),
    };
    offset += size;
    return view;
  });
  return { dtype, views, values, grads };
}

/** All of a model's parameters: the groups an optimizer steps, and every tensor by name. */
export interface ParamSet {
  readonly dtype: Dtype;
  readonly groups: readonly ParamGroupBuffer[];
  readonly byName: ReadonlyMap<string, ParamView>;
}

/**
 * Packs `specs` into groups: `groupOf(spec)` returns a group index (e.g. 0 for weights and 1 for
 * biases, so biases can take no weight decay). Tensor order within a group follows `specs`.
 */
export function createParamSet(
  specs: readonly ParamSpec[],
  dtype: Dtype,
  groupOf: (spec: ParamSpec) => number = () => 0,
): ParamSet {
  const buckets: ParamSpec[][] = [];
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) throw new Error(`duplicate parameter name "${spec.name}"`);
    seen.add(spec.name);
    const g = groupOf(spec);
    (buckets[g] ??= []).push(spec);
  }
  const groups = buckets.filter((b) => b && b.length > 0).map((b) => packGroup(b, dtype));
  const byName = new Map<string, ParamView>();
  for (const group of groups) for (const view of group.views) byName.set(view.spec.name, view);
  return { dtype, groups, byName };
}
