// Linear, logistic, softmax regression and MLPs as one dense network: layers z = a·Wᵀ + b with
// an activation between hidden layers, hand-written forward and backward passes on flat
// buffers, every matrix product through kernels().gemm.
import { kernels } from '../kernels/index.ts';
import { ActivationCode } from '../kernels/types.ts';
import type { Rng } from '../rng.ts';
import { createParamSet, numel, type Dtype, type FloatArray, type ParamSet, type ParamSpec } from '../tensor.ts';
import { biasDistribution, fill, weightDistribution } from './init.ts';
import {
  headFor,
  resolveModelSpec,
  type Activation,
  type LossKind,
  type ModelSpec,
  type ResolvedModelSpec,
  type Task,
} from './spec.ts';
import { ModelWorkspace, type BoundParams } from './workspace.ts';

/**
 * A batch: sample i (i < n) is row `rows[start + i]` of the data, or row `start + i` when `rows`
 * is absent. Features are float64, row-major, inputDim per row (converted into the model's
 * dtype per batch); targets are class indices (classification) or `outputs` values per row
 * (regression). A training loop can keep one Batch and move `start`/`n`: nothing is allocated.
 */
export interface Batch {
  readonly x: Float64Array;
  readonly y: ArrayLike<number>;
  n: number;
  rows?: ArrayLike<number> | null;
  start?: number;
}

/** One dense layer, for per-layer metrics and heatmaps. */
export interface LayerInfo {
  /** 'linear' or 'layers.<i>'. */
  readonly name: string;
  readonly inputs: number;
  readonly outputs: number;
  /** The activation after this layer (null for the output layer). */
  readonly activation: Activation | null;
  readonly weight: ParamSpec;
  readonly bias: ParamSpec;
}

export type Evaluation =
  | { readonly task: 'classification'; readonly n: number; readonly loss: number; readonly accuracy: number }
  | { readonly task: 'regression'; readonly n: number; readonly loss: number; readonly r2: number; readonly rmse: number };

const EVAL_CHUNK = 1024;

export class Model {
  readonly spec: ResolvedModelSpec;
  /** Width of the model's output: predictions per row (regression) or logits per row. */
  readonly outputDim: number;
  readonly lossKind: LossKind;
  readonly layers: readonly LayerInfo[];
  readonly paramSpecs: readonly ParamSpec[];
  private readonly activation: ActivationCode;
  /** Targets per row (regression), 0 for classification. */
  private readonly targetWidth: number;
  /** Number of classes (classification), 0 for regression. */
  private readonly classes: number;

  constructor(
    spec: ModelSpec,
    readonly inputDim: number,
    readonly task: Task,
  ) {
    this.spec = resolveModelSpec(spec);
    if (!Number.isInteger(inputDim) || inputDim < 1) throw new Error(`model input dimension must be a positive integer; got ${inputDim}`);
    const head = headFor(task, this.spec.binaryHead);
    this.outputDim = head.outputs;
    this.lossKind = head.loss;
    this.targetWidth = task.kind === 'regression' ? head.outputs : 0;
    this.classes = task.kind === 'classification' ? task.classes : 0;
    const hidden = this.spec.kind === 'mlp' ? this.spec.hidden : [];
    const act = this.spec.kind === 'mlp' ? this.spec.activation : null;
    this.activation = ActivationCode[act ?? 'relu'];
    const widths = [inputDim, ...hidden, head.outputs];
    this.layers = widths.slice(1).map((outputs, l) => {
      const name = this.spec.kind === 'linear' ? 'linear' : `layers.${l}`;
      const inputs = widths[l];
      return {
        name,
        inputs,
        outputs,
        activation: l < hidden.length ? act : null,
        weight: { name: `${name}.weight`, shape: [outputs, inputs], role: 'weight' },
        bias: { name: `${name}.bias`, shape: [outputs], role: 'bias' },
      };
    });
    this.paramSpecs = this.layers.flatMap((l) => [l.weight, l.bias]);
  }

  /** Total number of parameters. */
  get parameterCount(): number {
    return this.paramSpecs.reduce((n, s) => n + numel(s.shape), 0);
  }

  /** A ParamSet for this model (see tensor.ts's createParamSet for `groupOf`). */
  createParams(dtype: Dtype, groupOf?: (spec: ParamSpec) => number): ParamSet {
    return createParamSet(this.paramSpecs, dtype, groupOf);
  }

  /** Buffers for batches of up to `capacity` rows (grown on demand). */
  createWorkspace(dtype: Dtype, capacity = 64): ModelWorkspace {
    return new ModelWorkspace(this, dtype, { inputDim: this.inputDim, widths: this.layers.map((l) => l.outputs), targetWidth: this.targetWidth }, capacity);
  }

  /** Draws every parameter from the spec's init scheme (layer by layer, weight then bias). */
  init(params: ParamSet, rng: Rng): void {
    const scheme = this.spec.init;
    for (const layer of this.layers) {
      fill(this.view(params, layer.weight).values, weightDistribution(scheme, layer.inputs, layer.outputs), rng);
      fill(this.view(params, layer.bias).values, biasDistribution(scheme, layer.inputs), rng);
    }
  }

  /** Mean loss of the batch; writes (overwrites) every parameter's gradient. */
  lossAndGrad(params: ParamSet, batch: Batch, ws: ModelWorkspace): number {
    const bound = this.bind(params, ws);
    const n = this.gather(batch, ws, true);
    if (n === 0) throw new Error('lossAndGrad needs a batch of at least one row');
    this.forward(bound, ws, n);
    const loss = this.lossOfOutput(ws, n);
    this.backward(bound, ws, n);
    return loss;
  }

  /** Mean loss of the batch, without gradients (parameter gradients are left untouched). */
  loss(params: ParamSet, batch: Batch, ws: ModelWorkspace): number {
    const bound = this.bind(params, ws);
    const n = this.gather(batch, ws, true);
    if (n === 0) throw new Error('loss needs a batch of at least one row');
    this.forward(bound, ws, n);
    return this.lossOfOutput(ws, n);
  }

  /**
   * Predictions for the batch's rows (its `y` is not read), written to `out` row-major:
   * regression → outputDim values per row; classification → one probability per class
   * (softmax, or [1 − σ(z), σ(z)] for the sigmoid head).
   */
  predict(params: ParamSet, batch: Batch, ws: ModelWorkspace, out: Float64Array): void {
    const bound = this.bind(params, ws);
    const width = this.classes > 0 ? this.classes : this.outputDim;
    const total = batch.n;
    if (out.length < total * width) throw new Error(`predict: output buffer holds ${out.length} values, ${total * width} needed`);
    const chunk: Batch = { x: batch.x, y: batch.y, rows: batch.rows, start: 0, n: 0 };
    for (let done = 0; done < total; done += chunk.n) {
      chunk.start = (batch.start ?? 0) + done;
      chunk.n = Math.min(EVAL_CHUNK, total - done);
      this.gather(chunk, ws, false);
      this.forward(bound, ws, chunk.n);
      const z = ws.z[this.layers.length - 1];
      const k = this.outputDim;
      for (let i = 0; i < chunk.n; i++) {
        const o = (done + i) * width;
        if (this.lossKind === 'mse') for (let j = 0; j < k; j++) out[o + j] = z[i * k + j];
        else if (this.lossKind === 'sigmoid-cross-entropy') {
          const p = sigmoid(z[i]);
          out[o] = 1 - p;
          out[o + 1] = p;
        } else softmaxRow(z, i * k, k, out, o);
      }
    }
  }

  /** Mean loss, and accuracy (classification) or R² and RMSE (regression), over all rows of `data`. */
  evaluate(params: ParamSet, data: Batch, ws: ModelWorkspace): Evaluation {
    const bound = this.bind(params, ws);
    const total = data.n;
    if (total < 1) throw new Error('evaluate needs at least one row');
    const chunk: Batch = { x: data.x, y: data.y, rows: data.rows, start: 0, n: 0 };
    const classification = this.task.kind === 'classification';
    const k = this.outputDim;
    let lossSum = 0;
    let correct = 0;
    // regression: per output, Σ (ŷ − y)² and the targets' mean (for R²'s total sum of squares)
    const sse = new Float64Array(classification ? 0 : k);
    const mean = classification ? new Float64Array(0) : this.targetMeans(data);
    const sst = new Float64Array(classification ? 0 : k);
    for (let done = 0; done < total; done += chunk.n) {
      chunk.start = (data.start ?? 0) + done;
      chunk.n = Math.min(EVAL_CHUNK, total - done);
      const n = this.gather(chunk, ws, true);
      this.forward(bound, ws, n);
      lossSum += this.lossOfOutput(ws, n) * n;
      const z = ws.z[this.layers.length - 1];
      if (classification) {
        for (let i = 0; i < n; i++) if (predictedClass(z, i, k, this.lossKind) === ws.labels[i]) correct++;
      } else {
        const t = ws.targets;
        for (let i = 0; i < n; i++)
          for (let j = 0; j < k; j++) {
            const e = z[i * k + j] - t[i * k + j];
            const d = t[i * k + j] - mean[j];
            sse[j] += e * e;
            sst[j] += d * d;
          }
      }
    }
    const loss = lossSum / total;
    if (classification) return { task: 'classification', n: total, loss, accuracy: correct / total };
    let r2 = 0;
    let sseAll = 0;
    for (let j = 0; j < k; j++) {
      // R² = 1 − SS_res/SS_tot per output, averaged (sklearn's r2_score, uniform average;
      // a constant target scores 1 when predicted exactly, else 0)
      r2 += sst[j] > 0 ? 1 - sse[j] / sst[j] : sse[j] === 0 ? 1 : 0;
      sseAll += sse[j];
    }
    return { task: 'regression', n: total, loss, r2: r2 / k, rmse: Math.sqrt(sseAll / (total * k)) };
  }

  // ---- internals ----

  private view(params: ParamSet, spec: ParamSpec) {
    const v = params.byName.get(spec.name);
    if (!v) throw new Error(`parameter "${spec.name}" is missing from the ParamSet`);
    if (v.values.length !== numel(spec.shape))
      throw new Error(`parameter "${spec.name}" has ${v.values.length} values, expected ${numel(spec.shape)} (shape [${spec.shape.join(', ')}])`);
    return v;
  }

  /** Resolves (once per ParamSet) the views of every layer, checking names, sizes and dtype. */
  private bind(params: ParamSet, ws: ModelWorkspace): BoundParams {
    if (ws.owner !== this) throw new Error('this workspace was created by another model');
    if (ws.bound !== null && ws.bound.params === params) return ws.bound;
    if (params.dtype !== ws.dtype) throw new Error(`parameters are ${params.dtype} but the workspace is ${ws.dtype}`);
    const w = this.layers.map((l) => this.view(params, l.weight));
    const b = this.layers.map((l) => this.view(params, l.bias));
    ws.bound = {
      params,
      weights: w.map((v) => v.values),
      biases: b.map((v) => v.values),
      weightGrads: w.map((v) => v.grad),
      biasGrads: b.map((v) => v.grad),
    };
    return ws.bound;
  }

  /** Copies the batch's features (and targets) into the workspace in the model's dtype; returns n. */
  private gather(batch: Batch, ws: ModelWorkspace, withTargets: boolean): number {
    const n = batch.n;
    if (!Number.isInteger(n) || n < 0) throw new Error(`batch size must be a non-negative integer; got ${n}`);
    ws.ensure(n);
    const d = this.inputDim;
    const { x, y, rows } = batch;
    const start = batch.start ?? 0;
    const xs = ws.x;
    const rowCount = Math.floor(x.length / d);
    const classes = this.classes;
    const tw = this.targetWidth;
    for (let i = 0; i < n; i++) {
      const r = rows ? rows[start + i] : start + i;
      if (!(r >= 0 && r < rowCount && Number.isInteger(r)))
        throw new Error(`batch sample ${i}: row ${r} is outside the data's ${rowCount} rows`);
      const src = r * d;
      const dst = i * d;
      for (let c = 0; c < d; c++) xs[dst + c] = x[src + c];
      if (!withTargets) continue;
      if (classes > 0) {
        const label = y[r];
        if (!(Number.isInteger(label) && label >= 0 && label < classes))
          throw new Error(`batch sample ${i} (row ${r}): label ${label} is not a class index 0…${classes - 1}`);
        ws.labels[i] = label;
      } else {
        if ((r + 1) * tw > y.length) throw new Error(`batch sample ${i}: row ${r} has no target (targets hold ${Math.floor(y.length / tw)} rows)`);
        for (let j = 0; j < tw; j++) ws.targets[i * tw + j] = y[r * tw + j];
      }
    }
    return n;
  }

  /** z_l = a_{l−1}·W_lᵀ + b_l, a_l = f(z_l) for hidden layers; a_{−1} = x. */
  private forward(p: BoundParams, ws: ModelWorkspace, n: number): void {
    const K = kernels();
    const last = this.layers.length - 1;
    let input = ws.x;
    for (let l = 0; l <= last; l++) {
      const { inputs, outputs } = this.layers[l];
      const z = ws.z[l];
      K.gemm(false, true, n, outputs, inputs, 1, input, inputs, p.weights[l], inputs, 0, z, outputs);
      K.addRowVector(n, outputs, p.biases[l], z);
      if (l < last) {
        K.activationForward(this.activation, n * outputs, z, ws.h[l]);
        input = ws.h[l];
      }
    }
  }

  /** Mean loss of the output layer; writes ∂loss/∂z of the output layer into ws.g. */
  private lossOfOutput(ws: ModelWorkspace, n: number): number {
    const K = kernels();
    const last = this.layers.length - 1;
    const z = ws.z[last];
    const g = ws.g[last];
    const k = this.outputDim;
    switch (this.lossKind) {
      case 'mse': {
        // mean over rows and outputs of (ŷ − y)²
        const scale = 1 / (n * k);
        return K.squaredError(n * k, z, ws.targets, scale, g) * scale;
      }
      case 'sigmoid-cross-entropy':
        return K.sigmoidCrossEntropy(n, z, ws.labels, 1 / n, g) / n;
      case 'softmax-cross-entropy':
        return K.softmaxCrossEntropy(n, k, z, ws.labels, 1 / n, g) / n;
    }
  }

  /** From g_L = ∂loss/∂z_L: ∂W_l = g_lᵀ·a_{l−1}, ∂b_l = Σ_rows g_l, g_{l−1} = (g_l·W_l) ⊙ f′(z_{l−1}). */
  private backward(p: BoundParams, ws: ModelWorkspace, n: number): void {
    const K = kernels();
    for (let l = this.layers.length - 1; l >= 0; l--) {
      const { inputs, outputs } = this.layers[l];
      const g = ws.g[l];
      const input = l === 0 ? ws.x : ws.h[l - 1];
      K.gemm(true, false, outputs, inputs, n, 1, g, outputs, input, inputs, 0, p.weightGrads[l], inputs);
      K.columnSums(n, outputs, g, p.biasGrads[l]);
      if (l > 0) {
        const gPrev = ws.g[l - 1];
        K.gemm(false, false, n, inputs, outputs, 1, g, outputs, p.weights[l], inputs, 0, gPrev, inputs);
        K.activationBackward(this.activation, n * inputs, ws.z[l - 1], ws.h[l - 1], gPrev, gPrev);
      }
    }
  }

  /** Per-output mean of the targets of `data`'s rows. */
  private targetMeans(data: Batch): Float64Array {
    const k = this.targetWidth;
    const mean = new Float64Array(k);
    const start = data.start ?? 0;
    for (let i = 0; i < data.n; i++) {
      const r = data.rows ? data.rows[start + i] : start + i;
      for (let j = 0; j < k; j++) mean[j] += data.y[r * k + j];
    }
    for (let j = 0; j < k; j++) mean[j] /= data.n;
    return mean;
  }
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** out[o + j] = softmax(z[r … r + k))[j]. */
function softmaxRow(z: FloatArray, r: number, k: number, out: Float64Array, o: number): void {
  let m = -Infinity;
  for (let j = 0; j < k; j++) if (z[r + j] > m) m = z[r + j];
  let s = 0;
  for (let j = 0; j < k; j++) s += out[o + j] = Math.exp(z[r + j] - m);
  for (let j = 0; j < k; j++) out[o + j] /= s;
}

/** Class with the largest logit (the first on ties, as torch.argmax); z > 0 for one logit. */
function predictedClass(z: FloatArray, i: number, k: number, loss: LossKind): number {
  if (loss === 'sigmoid-cross-entropy') return z[i] > 0 ? 1 : 0;
  const r = i * k;
  let best = 0;
  for (let j = 1; j < k; j++) if (z[r + j] > z[r + best]) best = j;
  return best;
}

/** A model for `task` on inputs of width `inputDim` (see spec.ts for which loss goes with which task). */
export function createModel(spec: ModelSpec, inputDim: number, task: Task): Model {
  return new Model(spec, inputDim, task);
}
