// The runner's public surface: the worker-thread pool behind the Runner interface (types.ts).
//
//   const runner = createRunner({ store });              // cores − 1 workers
//   const { runId, done } = await runner.launch(config);  // or runner.start(config) -> id
//   runner.subscribe((e) => ...);                         // status, metrics, snapshot, progress
//   await runner.pause(runId); await runner.resume(runId); await runner.stop(runId);
//   await runner.close();
export { createRunner, defaultPoolSize, RunnerError, WorkerPool, type LaunchedRun, type LaunchOptions, type RunnerOptions, type RunOutcome } from './pool.ts';
export { ProtocolError, type TestOnlyFault } from './protocol.ts';
export { resolveWorkerEntry, type WorkerEntry } from './worker-entry.ts';
export type { LivePoint, RunEvent, Runner, StartOptions } from './types.ts';
