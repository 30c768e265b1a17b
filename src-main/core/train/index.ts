// core/train: the training loop (pure TypeScript).
//
//   const config = resolveRunConfig({ model: { kind: 'mlp', hidden: [64] }, optimizer: { name: 'adam' },
//                                     data: { source: 'digits' }, training: { epochs: 20 } });
//   const session = createSession({ config, dataset, onEvent: (e) => ... });
//   while (!session.advance({ maxMs: 20 })) { ...check for pause / stop... }
//   session.end  // { reason: 'finished' | 'early-stopped' | 'diverged' | 'stopped', step, final, ... }
export {
  resolveRunConfig,
  runConfigSchema,
  RunConfigError,
  type EarlyStopping,
  type ResolvedData,
  type ResolvedRunConfig,
  type ResolvedTraining,
  type RunConfigInput,
} from './config.ts';
export { createSession, TrainingSession, type AdvanceBudget, type SessionOptions } from './session.ts';
export type { EndReason, SessionEnd, TrainEvent } from './events.ts';
export { downsample, snapshotShape } from './downsample.ts';
export { RUN_DEFAULTS } from './defaults.ts';
export { datasetNameOf, defaultRunName, type NamedRunParts } from './naming.ts';
export { plannedTotalSteps, planSteps, type StepPlan } from './plan.ts';
