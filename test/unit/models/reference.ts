// An independent, deliberately plain implementation of the models' forward pass and losses
// (nested loops on the ParamSet's views, textbook formulas), to check the real one against.
import { erf } from '../../../src-main/core/kernels/erf.ts';
import type { Model } from '../../../src-main/core/models/index.ts';
import type { ParamSet } from '../../../src-main/core/tensor.ts';

const f: Record<string, (z: number) => number> = {
  relu: (z) => Math.max(0, z),
  tanh: Math.tanh,
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  gelu: (z) => 0.5 * z * (1 + erf(z / Math.SQRT2)),
};

/** Pre-activations of every layer for each row: z[layer][row][unit]. */
export function referenceForward(model: Model, params: ParamSet, x: Float64Array, n: number): number[][][] {
  const zs: number[][][] = [];
  let a: number[][] = Array.from({ length: n }, (_, r) => Array.from(x.subarray(r * model.inputDim, (r + 1) * model.inputDim)));
  for (const layer of model.layers) {
    const W = params.byName.get(layer.weight.name)!.values;
    const b = params.byName.get(layer.bias.name)!.values;
    const z = a.map((row) =>
      Array.from({ length: layer.outputs }, (_, o) => {
        let s = b[o];
        for (let i = 0; i < layer.inputs; i++) s += W[o * layer.inputs + i] * row[i];
        return s;
      }),
    );
    zs.push(z);
    const act = layer.activation;
    if (act) a = z.map((row) => row.map(f[act]));
  }
  return zs;
}

/** Mean loss of the output layer's rows against the targets. */
export function referenceLoss(model: Model, out: number[][], y: ArrayLike<number>): number {
  const n = out.length;
  let total = 0;
  for (let r = 0; r < n; r++) {
    const z = out[r];
    if (model.lossKind === 'mse') for (let j = 0; j < z.length; j++) total += (z[j] - y[r * z.length + j]) ** 2 / z.length;
    else if (model.lossKind === 'sigmoid-cross-entropy') {
      const p = 1 / (1 + Math.exp(-z[0]));
      total -= y[r] === 1 ? Math.log(p) : Math.log(1 - p);
    } else {
      const s = z.reduce((acc, v) => acc + Math.exp(v), 0);
      total -= Math.log(Math.exp(z[y[r]]) / s);
    }
  }
  return total / n;
}
