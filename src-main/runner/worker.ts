// A training worker (worker_threads): runs one session at a time for the pool, in slices of
// `sliceMs`, looking at its message queue between slices (pause, resume, stop), and posts what
// the session reports in batches of at most one per `flushMs`. It never touches the store.
import { parentPort } from 'node:worker_threads';
import { createSession, resolveRunConfig, type SessionEnd, type TrainEvent, type TrainingSession } from '../core/train/index.ts';
import { installKernels } from './native-kernels.ts';
import { lowerThisThreadPriority } from './priority.ts';
import { parseToWorker, type FromWorker, type MetricRow, type Progress, type TestOnlyFault, type ToWorker } from './protocol.ts';

if (!parentPort) throw new Error('runner/worker.ts runs as a worker thread of the pool');
const port = parentPort;

// Native gemm when built; the main thread reports the one fallback line.
installKernels({ report: () => {} });
// Below the app's own threads, so that charts stay smooth while runs use every core.
lowerThisThreadPriority();

type Snapshot = Extract<TrainEvent, { type: 'snapshot' }>;

interface Current {
  runId: number;
  session: TrainingSession;
  rows: MetricRow[];
  snapshots: Omit<Snapshot, 'type'>[];
  progress: Progress | null;
  lastFlush: number;
  flushMs: number;
  sliceMs: number;
  paused: boolean;
  stopRequested: boolean;
  fault: TestOnlyFault | null;
  /** Wakes the loop while it waits in pause. */
  wake: (() => void) | null;
}

let current: Current | null = null;

const post = (msg: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(msg, transfer);

port.on('message', (raw: unknown) => {
  const msg = parseToWorker(raw);
  if (msg.type === 'start') {
    if (current) throw new Error(`worker is busy with run ${current.runId}; cannot start run ${msg.runId}`);
    void run(msg);
    return;
  }
  if (!current || current.runId !== msg.runId) return; // the run ended meanwhile
  if (msg.type === 'pause') current.paused = true;
  else if (msg.type === 'resume') current.paused = false;
  else current.stopRequested = true;
  current.wake?.();
});

function onEvent(c: () => Current, e: TrainEvent): void {
  const cur = c();
  if (e.type === 'metrics') {
    cur.rows.push({ step: e.step, epoch: e.epoch, wallTime: e.wallTime, values: e.values });
    if (cur.fault && e.step >= cur.fault.atStep) injectFault(cur, e.step);
  }
  else if (e.type === 'snapshot') cur.snapshots.push({ step: e.step, layer: e.layer, kind: e.kind, shape: e.shape, originalShape: e.originalShape, data: e.data });
  else if (e.type === 'progress') {
    const { type: _type, ...p } = e;
    cur.progress = p;
  }
}

/** Posts what was collected (snapshot buffers transferred). */
function flush(cur: Current): void {
  cur.lastFlush = performance.now();
  if (cur.rows.length === 0 && cur.snapshots.length === 0 && !cur.progress) return;
  const transfer = cur.snapshots.map((s) => s.data.buffer as ArrayBuffer);
  post({ type: 'batch', runId: cur.runId, rows: cur.rows, snapshots: cur.snapshots, progress: cur.progress }, transfer);
  cur.rows = [];
  cur.snapshots = [];
  cur.progress = null;
}

/** Lets queued messages (pause, stop) in: a macrotask turn of the event loop. */
const yieldToMessages = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The test-only fault, from inside the training loop (so it strikes mid-slice, as a real bug would). */
function injectFault(cur: Current, step: number): void {
  const f = cur.fault!;
  cur.fault = null;
  const what = `test-only fault: ${f.kind} at step ${step}`;
  if (f.kind === 'throw') throw new Error(what);
  if (f.kind === 'exit') process.exit(7);
  setTimeout(() => {
    throw new Error(what);
  });
}

async function run(msg: Extract<ToWorker, { type: 'start' }>): Promise<void> {
  const runId = msg.runId;
  let cur: Current | null = null;
  try {
    const config = resolveRunConfig(msg.config);
    const session = createSession({ config, dataset: msg.dataset, onEvent: (e) => onEvent(() => cur!, e) });
    cur = {
      runId,
      session,
      rows: [],
      snapshots: [],
      progress: null,
      lastFlush: performance.now(),
      flushMs: msg.flushMs,
      sliceMs: msg.sliceMs,
      paused: false,
      stopRequested: false,
      fault: msg.testOnlyFault,
      wake: null,
    };
    current = cur;
    post({ type: 'started', runId, totalSteps: session.totalSteps, epochs: session.epochs });
    let end: SessionEnd | null = null;
    while (!end) {
      if (cur.stopRequested) {
        end = session.stop();
        break;
      }
      if (cur.paused) {
        session.pause();
        flush(cur);
        post({ type: 'paused', runId });
        while (cur.paused && !cur.stopRequested) await new Promise<void>((resolve) => (cur!.wake = resolve));
        cur.wake = null;
        if (!cur.stopRequested) {
          session.resume();
          post({ type: 'resumed', runId });
        }
        continue;
      }
      end = session.advance({ maxMs: cur.sliceMs });
      if (end || performance.now() - cur.lastFlush >= cur.flushMs) flush(cur);
      if (!end) await yieldToMessages();
    }
    flush(cur);
    post({ type: 'end', runId, reason: end.reason, step: end.step, divergedStep: end.divergedStep, message: end.message, final: end.final });
  } catch (err) {
    // Points logged before the failure are kept.
    if (cur) flush(cur);
    post({ type: 'failed', runId, error: err instanceof Error ? err.message : String(err) });
  } finally {
    current = null;
  }
}
