// core/sweep: one base run config repeated over learning rates, seeds and optimizers.
//
//   const sweep = expandSweep({ base, lr: { kind: 'log', from: 1e-4, to: 1, count: 5 } });
//   sweep.lrs      // [0.0001, 0.001, 0.01, 0.1, 1]
//   sweep.members  // [{ index, point: { lr }, name, config }, ...] every config already resolved
export { expandSweep, formatLr, linearSpaced, logSpaced, lrValues, parseSweepSpec, seedValues, SweepError, type ExpandedSweep, type SweepMember, type SweepPoint } from './expand.ts';
export { LrAxisSchema, MAX_AXIS_VALUES, MAX_SWEEP_RUNS, SeedAxisSchema, SweepOptimizerSchema, SweepSpecSchema, type LrAxis, type ParsedSweepSpec, type SeedAxis, type SweepOptimizer, type SweepSpec } from './spec.ts';
export { analyzeSweep, defaultSweepMetric, higherIsBetter, type AnalyzedMember, type LrMean, type MemberState, type SweepAnalysis, type SweepMemberOutcome } from './analysis.ts';
