// Public surface of the optimizer core.
//
//   const opt = new Optimizer(paramSet, { name: 'adam', preset: 'torch', hyperparams: { lr: 1e-3 } },
//                             { groups: [{}, { weight_decay: 0 }], schedule: { name: 'cosine', T_max: 100 } });
//   ... fill paramSet.groups[g].grads ...
//   const eff = opt.allocateEffectiveLr();
//   opt.step({ effectiveLr: eff });   // eff[g][i]: the step size parameter i of group g got
//   opt.zeroGrad();
export { Optimizer, stateDictToJSON, STATE_FORMAT, STATE_VERSION } from './optimizer.ts';
export type { Engine, GroupOptions, OptimizerOptions, OptimizerStateDict, ParamStateEntry, StepOptions, StepReport } from './optimizer.ts';
export { resolveOptimizerConfig, resolveGradientConfig, defaultConfig, GRADIENT_OPTIONS } from './config.ts';
export type { OptimizerConfig, ResolvedOptimizerConfig, ResolvedConfigOf, GradientConfig, ResolvedGradientConfig } from './config.ts';
export { OPTIMIZERS, OPTIMIZER_NAMES, PRESETS, isOptimizerName, optimizerInfo, presetDefault } from './registry.ts';
export type { OptimizerInfo, OptimizerName, Preset, HyperparamSpec, HyperparamsByName, WeightDecayMode } from './registry.ts';
export { allowedText, rangeText } from './params.ts';
export type { ParamSpec, ParamValue, Pair, Range } from './params.ts';
export { ConfigError, StateDictError } from './errors.ts';
export { chain } from './transform.ts';
export type { GradientTransform, TransformState, UpdateContext } from './transform.ts';
export * as transforms from './transforms.ts';
export { buildChain } from './optimizers.ts';
export { supportsFused } from './fused.ts';
export { allFinite, clipByGlobalNorm, clipByValue, globalNorm } from './gradients.ts';
