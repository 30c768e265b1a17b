// The reusable buffers of one model's forward and backward passes, in the model's dtype:
// nothing is allocated per step once the capacity covers the batch size.
import { allocate, type Dtype, type FloatArray, type ParamSet } from '../tensor.ts';

/** Layer widths of a dense network: inputs, then each layer's outputs. */
export interface WorkspaceShape {
  readonly inputDim: number;
  /** outputs of each dense layer, the last one being the model's output. */
  readonly widths: readonly number[];
  /** Targets per row for regression (0 for classification). */
  readonly targetWidth: number;
}

/** The tensors of one bound ParamSet, per dense layer. */
export interface BoundParams {
  readonly params: ParamSet;
  readonly weights: readonly FloatArray[];
  readonly biases: readonly FloatArray[];
  readonly weightGrads: readonly FloatArray[];
  readonly biasGrads: readonly FloatArray[];
}

export class ModelWorkspace {
  /** Batch rows the buffers currently hold; grows (reallocating) when a larger batch comes. */
  capacity = 0;
  /** The batch's features, capacity × inputDim. */
  x!: FloatArray;
  /** Pre-activations of each layer (the last are the logits or predictions), capacity × width. */
  z: FloatArray[] = [];
  /** Activations of each hidden layer, capacity × width. */
  h: FloatArray[] = [];
  /** ∂loss/∂z of each layer, capacity × width. */
  g: FloatArray[] = [];
  /** Class labels of the batch (classification). */
  labels!: Int32Array;
  /** Targets of the batch, capacity × targetWidth (regression). */
  targets!: FloatArray;
  /** The ParamSet last used with this workspace, with its resolved views. */
  bound: BoundParams | null = null;

  constructor(
    readonly owner: object,
    readonly dtype: Dtype,
    readonly shape: WorkspaceShape,
    capacity: number,
  ) {
    this.ensure(Math.max(1, capacity));
  }

  /** Makes room for n rows. */
  ensure(n: number): void {
    if (n <= this.capacity) return;
    const { dtype, shape } = this;
    this.capacity = n;
    this.x = allocate(dtype, n * shape.inputDim);
    this.z = shape.widths.map((w) => allocate(dtype, n * w));
    this.h = shape.widths.slice(0, -1).map((w) => allocate(dtype, n * w));
    this.g = shape.widths.map((w) => allocate(dtype, n * w));
    this.labels = new Int32Array(n);
    this.targets = allocate(dtype, n * shape.targetWidth);
  }
}
