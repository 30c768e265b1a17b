// core/models: linear, logistic and softmax regression and MLPs on flat parameter buffers.
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
