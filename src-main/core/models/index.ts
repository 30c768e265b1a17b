// core/models: linear, logistic and softmax regression and MLPs on flat parameter buffers.
//
//   const model = createModel({ kind: 'mlp', hidden: [64], activation: 'relu' }, inputDim,
//                             { kind: 'classification', classes: 10 });
//   const params = model.createParams('float32', (s) => (s.role === 'bias' ? 1 : 0));
//   model.init(params, rng);                        // seeded, spec.init scheme
//   const ws = model.createWorkspace('float32', 32);
//   const batch: Batch = { x, y, n: 32, rows: permutation, start: 0 };
//   const loss = model.lossAndGrad(params, batch, ws); // mean loss; grads overwritten in params
//   const ev = model.evaluate(params, { x, y, n: valRows, rows: valIdx }, ws); // loss + accuracy | r2, rmse
export { createModel, Model, type Batch, type Evaluation, type LayerInfo } from './model.ts';
export { ModelWorkspace } from './workspace.ts';
export {
  ACTIVATIONS,
  BINARY_HEADS,
  INIT_SCHEMES,
  resolveModelSpec,
  type Activation,
  type BinaryHead,
  type InitScheme,
  type LinearSpec,
  type LossKind,
  type MlpSpec,
  type ModelSpec,
  type ResolvedModelSpec,
  type Task,
} from './spec.ts';
export { biasDistribution, weightDistribution, type Distribution } from './init.ts';
