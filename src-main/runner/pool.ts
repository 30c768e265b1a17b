// The runner: a pool of worker threads (cores − 1, at least 1) that train runs, one run per
// worker at a time, further runs queued. The main thread owns the store: it loads the data
// (a load error fails start() before any run row exists), records the run with its resolved
// config and preprocessing, writes every point the workers post through the store's one batched
// writer, and forwards events to subscribers at most every `eventIntervalMs` per run.
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Dataset, DatasetSummary } from '../core/data/types.ts';
import { resolveRunConfig, type EndReason, type ResolvedRunConfig } from '../core/train/index.ts';
import { loadDataset } from '../io/load.ts';
import type { EndStatus, RunConfig, RunStatus, RunStore } from '../store/index.ts';
import { datasetTransferList, parseFromWorker, type BatchMessage, type EndMessage, type FromWorker, type Progress, type TestOnlyFault, type ToWorker } from './protocol.ts';
import type { LivePoint, RunEvent, Runner, StartOptions } from './types.ts';
import { entryFor, resolveWorkerEntry, type WorkerEntry } from './worker-entry.ts';

export interface RunnerOptions {
  store: RunStore;
  /** Worker threads (default: cores − 1, at least 1). */
  poolSize?: number;
  /** Where sample dataset names are looked up (default: io's). */
  samplesDir?: string;
  /** The worker script (default: resolveWorkerEntry()). */
  workerFile?: string;
  /** Training time between two looks at a worker's messages (default 20 ms). */
  sliceMs?: number;
  /** A worker posts its points at most this often (default 50 ms). */
  flushMs?: number;
  /** Subscribers get at most one batch of a run's events per this many ms (default 50: ≤ 20 a second). */
  eventIntervalMs?: number;
  /** A stopped run whose worker does not answer within this long is ended by terminating it (default 2000 ms). */
  stopTimeoutMs?: number;
}

export interface LaunchOptions extends StartOptions {
  /** Injects a fault into the worker after some steps. For the runner's own tests only. */
  testOnlyFault?: TestOnlyFault;
}

/** How a run ended. */
export interface RunOutcome {
  runId: number;
  status: EndStatus;
  /** The training loop's reason (early-stopped is stored as finished); null for a failed run. */
  reason: EndReason | null;
  step: number;
  divergedStep: number | null;
  /** One line for people: why it ended, or the error of a failed run. */
  message: string;
  final: Record<string, number>;
}

export interface LaunchedRun {
  runId: number;
  /** The config as stored: resolved, with the preprocessing of the loaded data. */
  config: ResolvedRunConfig;
  summary: DatasetSummary;
  /** Resolves when the run ends, whatever the way (it never rejects). */
  done: Promise<RunOutcome>;
}

/** A runner call that cannot be honoured (unknown run, wrong state, closed runner). */
export class RunnerError extends Error {
  constructor(
    readonly code: 'not-found' | 'conflict' | 'closed',
    message: string,
  ) {
    super(message);
    this.name = 'RunnerError';
  }
}

interface PoolWorker {
  readonly worker: Worker;
  run: ActiveRun | null;
  /** Set once it errored or exited: never reused. */
  dead: boolean;
}

interface ActiveRun {
  readonly id: number;
  status: RunStatus;
  dataset: Dataset | null;
  readonly config: ResolvedRunConfig;
  readonly fault: TestOnlyFault | null;
  worker: PoolWorker | null;
  stopping: boolean;
  stopTimer: NodeJS.Timeout | null;
  readonly done: Promise<RunOutcome>;
  readonly settle: (o: RunOutcome) => void;
  // Events waiting for the next batch to subscribers.
  points: LivePoint[];
  snapshots: Extract<RunEvent, { type: 'snapshot' }>[];
  progress: Progress | null;
  eventTimer: NodeJS.Timeout | null;
  lastEmit: number;
}

const STATUS_OF: Record<EndReason, EndStatus> = { finished: 'finished', 'early-stopped': 'finished', diverged: 'diverged', stopped: 'stopped' };

export function defaultPoolSize(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** SHA-256 of a file, streamed. */
async function fileHash(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

export class WorkerPool implements Runner {
  readonly poolSize: number;
  private readonly store: RunStore;
  private readonly entry: WorkerEntry;
  private readonly opts: Required<Pick<RunnerOptions, 'sliceMs' | 'flushMs' | 'eventIntervalMs' | 'stopTimeoutMs'>> & Pick<RunnerOptions, 'samplesDir'>;
  private readonly workers: PoolWorker[] = [];
  private readonly queue: ActiveRun[] = [];
  private readonly runs = new Map<number, ActiveRun>();
  private readonly listeners = new Set<(event: RunEvent) => void>();
  private closed = false;

  constructor(options: RunnerOptions) {
    this.store = options.store;
    this.poolSize = Math.max(1, Math.floor(options.poolSize ?? defaultPoolSize()));
    this.entry = options.workerFile ? entryFor(options.workerFile) : resolveWorkerEntry();
    this.opts = {
      sliceMs: options.sliceMs ?? 20,
      flushMs: options.flushMs ?? 50,
      eventIntervalMs: options.eventIntervalMs ?? 50,
      stopTimeoutMs: options.stopTimeoutMs ?? 2000,
      samplesDir: options.samplesDir,
    };
  }

  // --- Runner ------------------------------------------------------------------------------

  async start(config: RunConfig, options: StartOptions = {}): Promise<number> {
    return (await this.launch(config, options)).runId;
  }

  /**
   * Validates the config (RunConfigError), loads the data (DataLoadError; nothing is written
   * then), records the run `queued` with its resolved config and preprocessing, and schedules it.
   */
  async launch(input: unknown, options: LaunchOptions = {}): Promise<LaunchedRun> {
    this.checkOpen();
    const resolved = resolveRunConfig(input);
    const d = resolved.data;
    const loaded = await loadDataset(d.source, {
      target: d.target ?? undefined,
      task: d.task ?? undefined,
      missing: d.missing,
      valSplit: d.valSplit,
      maxCategories: d.maxCategories,
      targetScaling: d.targetScaling,
      seed: resolved.training.seed,
      samplesDir: this.opts.samplesDir,
    });
    this.checkOpen();
    const file = resolve(loaded.preprocessing.source.file);
    // A sample keeps its name; a file is stored by absolute path, so the run can be redone from anywhere.
    const source = loaded.summary.sample ?? file;
    const config: ResolvedRunConfig = { ...resolved, data: { ...d, source }, preprocessing: loaded.preprocessing };
    const datasetId = this.store.recordDataset({
      path: file,
      contentHash: await fileHash(file),
      sizeBytes: statSync(file).size,
      rows: loaded.summary.rowsRead,
      columns: loaded.preprocessing.source.header.length,
      schema: loaded.preprocessing.columns,
    });
    this.checkOpen();
    const id = this.store.createRun({ config: config as unknown as RunConfig, name: options.name, tags: options.tags, notes: options.notes, datasetId });
    let settle!: (o: RunOutcome) => void;
    const done = new Promise<RunOutcome>((r) => (settle = r));
    const run: ActiveRun = {
      id,
      status: 'queued',
      dataset: loaded.dataset,
      config,
      fault: options.testOnlyFault ?? null,
      worker: null,
      stopping: false,
      stopTimer: null,
      done,
      settle,
      points: [],
      snapshots: [],
      progress: null,
      eventTimer: null,
      lastEmit: 0,
    };
    this.runs.set(id, run);
    this.queue.push(run);
    this.emit({ type: 'status', runId: id, status: 'queued' });
    this.schedule();
    return { runId: id, config, summary: loaded.summary, done };
  }

  async pause(runId: number): Promise<void> {
    const run = this.owned(runId);
    if (run.status === 'paused') return;
    if (run.status !== 'running') throw new RunnerError('conflict', `run ${runId} is ${run.status}; only a running run can be paused`);
    this.setStatus(run, 'paused');
    this.post(run, { type: 'pause', runId });
  }

  async resume(runId: number): Promise<void> {
    const run = this.owned(runId);
    if (run.status === 'running') return;
    if (run.status !== 'paused') throw new RunnerError('conflict', `run ${runId} is ${run.status}; only a paused run can be resumed`);
    this.setStatus(run, 'running');
    this.post(run, { type: 'resume', runId });
  }

  async stop(runId: number): Promise<void> {
    const run = this.runs.get(runId);
    if (!run) {
      if (this.hasEnded(runId)) return;
      throw new RunnerError('not-found', `run ${runId} is not a run of this runner`);
    }
    if (run.status === 'queued') {
      this.queue.splice(this.queue.indexOf(run), 1);
      this.end(run, { runId, status: 'stopped', reason: 'stopped', step: 0, divergedStep: null, message: 'stopped before it started', final: {} });
      return;
    }
    if (!run.stopping) {
      run.stopping = true;
      this.post(run, { type: 'stop', runId });
      run.stopTimer = setTimeout(() => this.forceStop(run), this.opts.stopTimeoutMs);
    }
    await run.done;
  }

  subscribe(listener: (event: RunEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  active(): { runId: number; status: RunStatus }[] {
    return [...this.runs.values()].map((r) => ({ runId: r.id, status: r.status }));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await Promise.all([...this.runs.keys()].map((id) => this.stop(id)));
    this.closed = true;
    await Promise.all(this.workers.splice(0).map((w) => w.worker.terminate()));
  }

  // --- beyond the Runner interface -----------------------------------------------------------

  /** Resolves when the run ends (immediately with null for a run this runner does not have). */
  async finished(runId: number): Promise<RunOutcome | null> {
    return this.runs.get(runId)?.done ?? null;
  }

  // --- scheduling ------------------------------------------------------------------------------

  private schedule(): void {
    while (this.queue.length > 0 && !this.closed) {
      let worker = this.workers.find((w) => !w.run && !w.dead);
      if (!worker) {
        if (this.workers.length >= this.poolSize) return;
        worker = this.spawn();
      }
      const run = this.queue.shift()!;
      this.dispatch(run, worker);
    }
  }

  private spawn(): PoolWorker {
    const worker = new Worker(this.entry.file, { execArgv: this.entry.execArgv });
    const pw: PoolWorker = { worker, run: null, dead: false };
    worker.on('message', (raw: unknown) => this.onMessage(pw, raw));
    worker.on('error', (err) => this.onWorkerGone(pw, `the worker failed: ${err instanceof Error ? err.message : String(err)}`));
    worker.on('exit', (code) => this.onWorkerGone(pw, `the worker exited (code ${code})`));
    this.workers.push(pw);
    return pw;
  }

  private dispatch(run: ActiveRun, pw: PoolWorker): void {
    const dataset = run.dataset!;
    run.dataset = null; // transferred: the worker owns it now
    run.worker = pw;
    pw.run = run;
    this.setStatus(run, 'running');
    const msg: ToWorker = {
      type: 'start',
      runId: run.id,
      config: run.config,
      dataset,
      sliceMs: this.opts.sliceMs,
      flushMs: this.opts.flushMs,
      testOnlyFault: run.fault,
    };
    pw.worker.postMessage(msg, datasetTransferList(dataset));
  }

  // --- messages from workers -------------------------------------------------------------------

  private onMessage(pw: PoolWorker, raw: unknown): void {
    let msg: FromWorker;
    try {
      msg = parseFromWorker(raw);
    } catch (err) {
      this.failWorker(pw, (err as Error).message);
      return;
    }
    const run = pw.run;
    if (!run || run.id !== msg.runId) return; // a late message of a run already ended
    try {
      switch (msg.type) {
        case 'batch':
          this.onBatch(run, msg);
          break;
        case 'end':
          this.onEnd(run, msg);
          break;
        case 'failed':
          this.fail(run, msg.error);
          break;
        case 'started':
        case 'paused':
        case 'resumed':
          break;
      }
    } catch (err) {
      // The store refused a point or a status (a full disk, a deleted run): this run fails, its
      // worker (still training it) is retired, the others go on.
      this.retire(pw);
      this.fail(run, err instanceof Error ? err.message : String(err));
    }
  }

  private onBatch(run: ActiveRun, msg: BatchMessage): void {
    for (const row of msg.rows) {
      this.store.log(run.id, { step: row.step, epoch: row.epoch, wallTime: row.wallTime }, row.values);
      for (const key in row.values) run.points.push({ key, step: row.step, epoch: row.epoch, wallTime: row.wallTime, value: row.values[key] });
    }
    for (const s of msg.snapshots) {
      this.store.logSnapshot(run.id, s);
      run.snapshots.push({ type: 'snapshot', runId: run.id, ...s });
    }
    if (msg.progress) run.progress = msg.progress;
    this.scheduleEvents(run);
  }

  private onEnd(run: ActiveRun, msg: EndMessage): void {
    const status = STATUS_OF[msg.reason];
    this.end(run, { runId: run.id, status, reason: msg.reason, step: msg.step, divergedStep: msg.divergedStep, message: msg.message, final: msg.final });
  }

  private fail(run: ActiveRun, error: string): void {
    this.end(run, { runId: run.id, status: 'failed', reason: null, step: run.progress?.step ?? 0, divergedStep: null, message: error, final: {} });
  }

  /** Records the end in the store (flushing its points first), tells subscribers, frees the worker. */
  private end(run: ActiveRun, outcome: RunOutcome): void {
    if (!this.runs.has(run.id)) return;
    this.runs.delete(run.id);
    if (run.stopTimer) clearTimeout(run.stopTimer);
    // A run paused while its last slice finished: it was running when it ended.
    if (run.status === 'paused' && outcome.status !== 'stopped' && outcome.status !== 'failed') this.store.resumeRun(run.id);
    try {
      this.store.endRun(run.id, outcome.status, {
        final: outcome.final,
        error: outcome.status === 'failed' ? outcome.message : null,
        divergedStep: outcome.divergedStep,
      });
    } catch (err) {
      outcome = { ...outcome, status: 'failed', message: `${outcome.message}; the store refused the end: ${(err as Error).message}` };
    }
    run.status = outcome.status;
    this.flushEvents(run);
    this.emit({
      type: 'status',
      runId: run.id,
      status: outcome.status,
      ...(outcome.status === 'failed' ? { error: outcome.message } : {}),
      ...(outcome.divergedStep !== null ? { divergedStep: outcome.divergedStep } : {}),
    });
    if (run.worker) {
      if (run.worker.run === run) run.worker.run = null;
      run.worker = null;
    }
    this.endedIds.add(run.id);
    run.settle(outcome);
    this.schedule();
  }

  private readonly endedIds = new Set<number>();

  private hasEnded(runId: number): boolean {
    return this.endedIds.has(runId);
  }

  /** A worker that errored or exited: its run (if any) fails, the worker is dropped. */
  private onWorkerGone(pw: PoolWorker, why: string): void {
    if (pw.dead) return;
    pw.dead = true;
    const i = this.workers.indexOf(pw);
    if (i >= 0) this.workers.splice(i, 1);
    const run = pw.run;
    pw.run = null;
    if (run && !this.closed) this.fail(run, why);
    else if (run) this.end(run, { runId: run.id, status: 'stopped', reason: 'stopped', step: run.progress?.step ?? 0, divergedStep: null, message: 'stopped when the runner closed', final: {} });
    this.schedule();
  }

  private failWorker(pw: PoolWorker, why: string): void {
    this.onWorkerGone(pw, why);
    void pw.worker.terminate();
  }

  /** Drops a worker from the pool and terminates it (its run, if any, is ended by the caller). */
  private retire(pw: PoolWorker): void {
    pw.dead = true;
    const i = this.workers.indexOf(pw);
    if (i >= 0) this.workers.splice(i, 1);
    pw.run = null;
    void pw.worker.terminate();
  }

  /** A worker that did not answer a stop in time: terminated, its run ended stopped with what was stored. */
  private forceStop(run: ActiveRun): void {
    const pw = run.worker;
    if (!pw || !this.runs.has(run.id)) return;
    this.retire(pw);
    this.end(run, {
      runId: run.id,
      status: 'stopped',
      reason: 'stopped',
      step: run.progress?.step ?? 0,
      divergedStep: null,
      message: `stopped: the worker did not answer within ${this.opts.stopTimeoutMs} ms and was terminated`,
      final: {},
    });
  }

  // --- events ----------------------------------------------------------------------------------

  private scheduleEvents(run: ActiveRun): void {
    if (run.eventTimer) return;
    const wait = Math.max(0, run.lastEmit + this.opts.eventIntervalMs - performance.now());
    run.eventTimer = setTimeout(() => this.flushEvents(run), wait);
  }

  /** One batch of a run's pending events: its points, its snapshots, its latest progress. */
  private flushEvents(run: ActiveRun): void {
    if (run.eventTimer) clearTimeout(run.eventTimer);
    run.eventTimer = null;
    run.lastEmit = performance.now();
    if (run.points.length > 0) this.emit({ type: 'metrics', runId: run.id, points: run.points });
    for (const s of run.snapshots) this.emit(s);
    if (run.progress) this.emit({ type: 'progress', runId: run.id, ...run.progress });
    run.points = [];
    run.snapshots = [];
    run.progress = null;
  }

  private emit(event: RunEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        // A subscriber's bug must not stop the runs.
        process.stderr.write(`precond: a run event listener threw: ${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
  }

  // --- helpers ---------------------------------------------------------------------------------

  private setStatus(run: ActiveRun, status: 'running' | 'paused'): void {
    if (run.status === 'queued') this.store.startRun(run.id);
    else if (status === 'paused') this.store.pauseRun(run.id);
    else this.store.resumeRun(run.id);
    run.status = status;
    this.flushEvents(run);
    this.emit({ type: 'status', runId: run.id, status });
  }

  private post(run: ActiveRun, msg: ToWorker): void {
    run.worker?.worker.postMessage(msg);
  }

  private owned(runId: number): ActiveRun {
    const run = this.runs.get(runId);
    if (!run) throw new RunnerError('not-found', this.hasEnded(runId) ? `run ${runId} has ended` : `run ${runId} is not a run of this runner`);
    return run;
  }

  private checkOpen(): void {
    if (this.closed) throw new RunnerError('closed', 'the runner is closed');
  }
}

/** A worker-thread runner over `options.store`. */
export function createRunner(options: RunnerOptions): WorkerPool {
  return new WorkerPool(options);
}
