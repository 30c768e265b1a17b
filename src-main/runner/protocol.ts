// The one message protocol between the pool (main thread) and its training workers. Both sides
// import this module and validate every message they receive with its zod schemas, so a
// malformed message is an error naming the field, not a silent misbehaviour.
//
//   main -> worker   start (config + dataset, transferred), pause, resume, stop
//   worker -> main   started, batch (metric rows, snapshots, progress: at most one per flushMs),
//                    paused, resumed, end (finished / early-stopped / diverged / stopped), failed
//
// Typed arrays (the dataset, snapshot data) travel as transferables, never copied.
import { z } from 'zod';
import { TARGET_SCALING_METHODS, type Dataset } from '../core/data/types.ts';

/** Any JS number, NaN and ±Infinity included (structured clone keeps them; z.number() does not accept them). */
const anyNumber = z.custom<number>((v) => typeof v === 'number', 'a number');
const count = z.number().int().nonnegative();
const typed = <T>(ctor: abstract new (...args: never[]) => unknown, name: string) => z.custom<T>((v) => v instanceof ctor, `a ${name}`);

const datasetBase = {
  n: count,
  d: count,
  x: typed<Float64Array>(Float64Array, 'Float64Array'),
  featureNames: z.array(z.string()),
  split: z.object({ train: typed<Int32Array>(Int32Array, 'Int32Array'), validation: typed<Int32Array>(Int32Array, 'Int32Array') }),
  sourceLines: typed<Int32Array>(Int32Array, 'Int32Array'),
};

/** core/data's Dataset. */
const datasetSchema = z.discriminatedUnion('task', [
  z.object({ ...datasetBase, task: z.literal('classification'), y: typed<Int32Array>(Int32Array, 'Int32Array'), classes: z.array(z.string()) }),
  z.object({
    ...datasetBase,
    task: z.literal('regression'),
    y: typed<Float64Array>(Float64Array, 'Float64Array'),
    targetScaling: z.object({ method: z.enum(TARGET_SCALING_METHODS), mean: z.number(), std: z.number() }),
    classes: z.null(),
  }),
]) satisfies z.ZodType<Dataset>;

/** A test-only fault the worker injects once the run has done `atStep` steps (never set outside tests). */
export const testOnlyFaultSchema = z.object({
  /** throw: an error in the training loop; uncaught: an error thrown outside it; exit: process.exit in the worker. */
  kind: z.enum(['throw', 'uncaught', 'exit']),
  atStep: count,
});
export type TestOnlyFault = z.infer<typeof testOnlyFaultSchema>;

export const toWorkerSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('start'),
    runId: count,
    /** The resolved run config (the worker resolves it again: the same function decides on both sides). */
    config: z.unknown(),
    dataset: datasetSchema,
    /** Milliseconds of training between two looks at the message queue. */
    sliceMs: z.number().positive(),
    /** At most one batch message per this many milliseconds. */
    flushMs: z.number().nonnegative(),
    testOnlyFault: testOnlyFaultSchema.nullable(),
  }),
  z.object({ type: z.literal('pause'), runId: count }),
  z.object({ type: z.literal('resume'), runId: count }),
  z.object({ type: z.literal('stop'), runId: count }),
]);
export type ToWorker = z.infer<typeof toWorkerSchema>;

export const metricRowSchema = z.object({ step: count, epoch: anyNumber, wallTime: anyNumber, values: z.record(z.string(), anyNumber) });
export type MetricRow = z.infer<typeof metricRowSchema>;

export const snapshotSchema = z.object({
  step: count,
  layer: z.string().min(1),
  kind: z.string().min(1),
  shape: z.array(count),
  originalShape: z.array(count),
  data: typed<Float32Array>(Float32Array, 'Float32Array'),
});

export const progressSchema = z.object({
  step: count,
  totalSteps: count,
  epoch: count,
  epochs: count,
  samplesPerSecond: anyNumber,
  etaSeconds: anyNumber.nullable(),
});
export type Progress = z.infer<typeof progressSchema>;

export const endReasonSchema = z.enum(['finished', 'early-stopped', 'diverged', 'stopped']);

export const fromWorkerSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('started'), runId: count, totalSteps: count, epochs: count }),
  z.object({
    type: z.literal('batch'),
    runId: count,
    rows: z.array(metricRowSchema),
    snapshots: z.array(snapshotSchema),
    progress: progressSchema.nullable(),
  }),
  z.object({ type: z.literal('paused'), runId: count }),
  z.object({ type: z.literal('resumed'), runId: count }),
  z.object({
    type: z.literal('end'),
    runId: count,
    reason: endReasonSchema,
    step: count,
    divergedStep: count.nullable(),
    message: z.string(),
    final: z.record(z.string(), anyNumber),
  }),
  z.object({ type: z.literal('failed'), runId: count, error: z.string() }),
]);
export type FromWorker = z.infer<typeof fromWorkerSchema>;
export type BatchMessage = Extract<FromWorker, { type: 'batch' }>;
export type EndMessage = Extract<FromWorker, { type: 'end' }>;

/** A message that does not follow the protocol (a bug on the other side). */
export class ProtocolError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtocolError';
  }
}

function parseWith<T>(schema: z.ZodType<T>, raw: unknown, side: string): T {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const type = typeof raw === 'object' && raw !== null ? (raw as { type?: unknown }).type : undefined;
  throw new ProtocolError(`bad message ${JSON.stringify(type) ?? ''} to the ${side}: ${issue.path.join('.') || '(message)'}: ${issue.message}`);
}

export const parseToWorker = (raw: unknown): ToWorker => parseWith(toWorkerSchema, raw, 'worker');
export const parseFromWorker = (raw: unknown): FromWorker => parseWith(fromWorkerSchema, raw, 'pool');

/** The buffers of a dataset, each once, for postMessage's transfer list. */
export function datasetTransferList(d: Dataset): ArrayBuffer[] {
  const arrays = [d.x, d.y, d.split.train, d.split.validation, d.sourceLines];
  return [...new Set(arrays.map((a) => a.buffer as ArrayBuffer))];
}
