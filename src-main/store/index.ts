// The run store's public API. See types.ts for the contract (config, metrics, snapshots, status).
export { openStore, RunStore, type OpenOptions } from './store.ts';
export { MetricWriter, type FlushStats, type WriterOptions } from './writer.ts';
export { StoreError, type StoreErrorCode } from './errors.ts';
export { SCHEMA_VERSION } from './migrations.ts';
export { runNameProblem, tagProblem, TRANSITIONS, type RecoveredRun, type TransitionExtra } from './runs.ts';
export { COLUMN_KEYS } from './queries.ts';
export { resolveDbPath } from './location.ts';
export * from './types.ts';
