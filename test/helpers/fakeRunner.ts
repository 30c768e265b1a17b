// A test double of the Runner interface (src-main/runner/types.ts) for the API's plumbing tests:
// it records what it is asked, keeps run statuses in the real store, and emits whatever events a
// test hands it. It trains nothing — the end-to-end tests use the real worker pool.
import type { RunEvent, Runner, StartOptions } from '../../src-main/runner/types.ts';
import type { RunConfig, RunStatus, RunStore } from '../../src-main/store/index.ts';

export class FakeRunner implements Runner {
  readonly calls: { method: string; runId?: number; config?: RunConfig; options?: StartOptions }[] = [];
  private readonly listeners = new Set<(e: RunEvent) => void>();
  private readonly statuses = new Map<number, RunStatus>();
  /** When set, start() rejects with it (e.g. to test the error path). */
  failStart: Error | null = null;
  /** With failStart: how many starts succeed before it is thrown (default 0). */
  failStartAfter = 0;
  private started = 0;

  constructor(private readonly store: RunStore) {}

  async start(config: RunConfig, options: StartOptions = {}): Promise<number> {
    this.calls.push({ method: 'start', config, options });
    if (this.failStart && this.started++ >= this.failStartAfter) throw this.failStart;
    const id = this.store.createRun({ config, name: options.name, tags: options.tags, notes: options.notes, sweepId: options.sweepId });
    this.set(id, 'queued');
    return id;
  }

  /** Moves a run to running, as a worker picking it up would. */
  begin(runId: number): void {
    this.store.startRun(runId);
    this.set(runId, 'running');
  }

  async pause(runId: number): Promise<void> {
    this.calls.push({ method: 'pause', runId });
    this.store.pauseRun(runId);
    this.set(runId, 'paused');
  }

  async resume(runId: number): Promise<void> {
    this.calls.push({ method: 'resume', runId });
    this.store.resumeRun(runId);
    this.set(runId, 'running');
  }

  async stop(runId: number): Promise<void> {
    this.calls.push({ method: 'stop', runId });
    this.store.endRun(runId, 'stopped');
    this.set(runId, 'stopped');
  }

  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  emit(event: RunEvent): void {
    for (const l of this.listeners) l(event);
  }

  active(): { runId: number; status: RunStatus }[] {
    return [...this.statuses].filter(([, s]) => s === 'queued' || s === 'running' || s === 'paused').map(([runId, status]) => ({ runId, status }));
  }

  async close(): Promise<void> {
    this.listeners.clear();
  }

  private set(runId: number, status: RunStatus): void {
    this.statuses.set(runId, status);
    this.emit({ type: 'status', runId, status });
  }
}
