// The runner's public face: what the API (and through it every transport) uses to start and
// control training runs and to follow them live. The worker-thread pool behind it, and the
// message protocol between the pool and its workers, live beside this file.
import type { RunConfig, RunStatus } from '../store/types.ts';

/** One metric point as it is logged (and stored) during a run. */
export interface LivePoint {
  key: string;
  step: number;
  epoch: number;
  /** Seconds since the run started. */
  wallTime: number;
  value: number;
}

/** Events a subscriber receives; batched and throttled to at most ~20 batches a second per run. */
export type RunEvent =
  | { type: 'status'; runId: number; status: RunStatus; error?: string; divergedStep?: number }
  | {
      type: 'progress';
      runId: number;
      step: number;
      totalSteps: number;
      epoch: number;
      epochs: number;
      samplesPerSecond: number;
      etaSeconds: number | null;
    }
  | { type: 'metrics'; runId: number; points: LivePoint[] }
  | {
      type: 'snapshot';
      runId: number;
      step: number;
      layer: string;
      kind: string;
      shape: number[];
      originalShape: number[];
      data: Float32Array;
    };

export interface StartOptions {
  name?: string;
  tags?: string[];
  notes?: string;
  /** The sweep the run is a member of (recorded in the store first: RunStore.createSweep). */
  sweepId?: number;
}

export interface Runner {
  /** Validates the config, records the run (queued) and schedules it on the pool; resolves to its id. */
  start(config: RunConfig, options?: StartOptions): Promise<number>;
  pause(runId: number): Promise<void>;
  resume(runId: number): Promise<void>;
  /** Takes effect within 200 ms; the run ends `stopped` with every point so far kept. */
  stop(runId: number): Promise<void>;
  /** Every event of every run this runner owns; returns the unsubscribe function. */
  subscribe(listener: (event: RunEvent) => void): () => void;
  /** Runs this runner owns that have not ended. */
  active(): { runId: number; status: RunStatus }[];
  /** Stops every run (ending them `stopped`), then the workers. */
  close(): Promise<void>;
}
