// The training loop: a session over one dataset and one resolved config, advanced in slices
// (`advance({ maxSteps, maxMs })`) so its host (a worker, a test, a benchmark) can check for
// pause and stop requests in between. Everything it measures goes out through `onEvent`.
//
// Per step: a minibatch from this epoch's seeded shuffle of the training rows (the last batch of
// an epoch may be smaller), the mean loss and its gradients, a divergence check, one optimizer
// step. The loss is the model's, on the dataset's targets: for regression those are in model units
// (standardized unless the run's targetScaling is 'none'), so train_loss and val_loss are too.
// At each evaluation: validation loss and accuracy (or R², and RMSE in the target's own units), the gradient norm,
// the learning rate, and per tensor the update-to-parameter ratio; reduce-on-plateau and early
// stopping watch the validation loss. Every `snapshotEvery` steps: the effective step size of
// every tensor (kind `effective_lr`) and its values after that step (kind `param`), on the same grid. Nothing is allocated per step beyond the emitted events.
import { unscaleTarget } from '../data/encode.ts';
import type { Dataset, TargetScaling } from '../data/types.ts';
import { createModel, type Batch, type Model, type ModelWorkspace } from '../models/index.ts';
import { globalNorm } from '../optim/gradients.ts';
import { Optimizer, type StepOptions } from '../optim/optimizer.ts';
import { Rng } from '../rng.ts';
import { SCHEDULES } from '../schedules/registry.ts';
import { numel, type FloatArray, type ParamSet, type ParamView } from '../tensor.ts';
import type { ResolvedRunConfig } from './config.ts';
import { downsample, snapshotShape } from './downsample.ts';
import { planSteps } from './plan.ts';
import type { EndReason, SessionEnd, TrainEvent } from './events.ts';
import { plural } from '../plural.ts';

export interface SessionOptions {
  config: ResolvedRunConfig;
  dataset: Dataset;
  onEvent: (event: TrainEvent) => void;
  /** Milliseconds clock (default performance.now). */
  now?: () => number;
}

export interface AdvanceBudget {
  /** Stop after this many steps (default: no limit). */
  maxSteps?: number;
  /** Stop once this much time has passed (checked after every step; default: no limit). */
  maxMs?: number;
}

/** A tensor and where its snapshot goes. */
interface SnapshotTarget {
  view: ParamView;
  group: number;
  shape: number[];
  originalShape: number[];
}

const NO_OPTIONS: StepOptions = {};

export class TrainingSession {
  readonly model: Model;
  readonly params: ParamSet;
  readonly optimizer: Optimizer;
  /** Optimizer steps in one pass over the training rows (⌈train rows / batch size⌉). */
  readonly stepsPerEpoch: number;
  readonly totalSteps: number;
  /** Epochs the budget spans (⌈totalSteps / stepsPerEpoch⌉ for a step budget). */
  readonly epochs: number;
  readonly evalEvery: number;
  /** 0: no snapshots. */
  readonly snapshotEvery: number;

  private readonly config: ResolvedRunConfig;
  private readonly dataset: Dataset;
  private readonly emit: (event: TrainEvent) => void;
  private readonly now: () => number;
  private readonly shuffleRng: Rng;
  private readonly order: Int32Array;
  private readonly batch: Batch;
  private readonly valBatch: Batch | null;
  private readonly ws: ModelWorkspace;
  private readonly evalWs: ModelWorkspace | null;
  private readonly snapshotStep: StepOptions;
  private readonly effectiveLr: FloatArray[];
  private readonly snapshots: SnapshotTarget[];
  /** Parameter values before the step preceding an evaluation (for the update ratios). */
  private readonly before: FloatArray[];
  private readonly plateau: boolean;
  private readonly batchSize: number;
  private readonly nTrain: number;
  /** Regression: how the dataset's targets (and so the model's outputs) map back to the file's units. */
  private readonly targetScaling: TargetScaling | null;
  private predictWs: ModelWorkspace | null = null;

  private stepsDone = 0;
  private samplesSeen = 0;
  private epochIndex = 0;
  private pos = 0;
  private initialLoss = NaN;
  private lastLoss = NaN;
  private lastEval: Record<string, number> = {};
  private bestValLoss = Infinity;
  private bestValStep = -1;
  /** Early stopping's reference: the last validation loss that improved by more than minDelta. */
  private esBest = Infinity;
  private esBestStep = -1;
  private badEvals = 0;
  private startedAt: number | null = null;
  private pausedAt: number | null = null;
  private pausedMs = 0;
  private ended: SessionEnd | null = null;

  constructor(options: SessionOptions) {
    const { config, dataset } = options;
    const t = config.training;
    this.config = config;
    this.dataset = dataset;
    this.emit = options.onEvent;
    this.now = options.now ?? (() => performance.now());
    this.nTrain = dataset.split.train.length;
    this.targetScaling = dataset.task === 'regression' ? dataset.targetScaling : null;
    if (this.targetScaling && this.targetScaling.method !== config.data.targetScaling)
      throw new Error(`the dataset's target scaling is ${this.targetScaling.method} but the config's data.targetScaling is ${config.data.targetScaling}: load the data with the config's data options`);
    if (this.nTrain === 0) throw new Error('the dataset has no training rows');
    const plan = planSteps(t, this.nTrain);
    this.batchSize = plan.batchSize;
    this.stepsPerEpoch = plan.stepsPerEpoch;
    this.totalSteps = plan.totalSteps;
    this.epochs = plan.epochs;
    this.evalEvery = t.evalEvery ?? this.stepsPerEpoch;
    this.snapshotEvery = t.snapshotEvery ?? this.evalEvery;

    const task = dataset.task === 'classification' ? { kind: 'classification' as const, classes: dataset.classes.length } : { kind: 'regression' as const };
    this.model = createModel(config.model, dataset.d, task);
    // Group 0: weights; group 1: biases, which take no weight decay unless biasWeightDecay.
    this.params = this.model.createParams(t.dtype, t.biasWeightDecay ? () => 0 : (s) => (s.role === 'bias' ? 1 : 0));
    const rng = new Rng(t.seed);
    this.model.init(this.params, rng.fork());
    this.shuffleRng = rng.fork();
    const groups = t.biasWeightDecay ? [] : [{}, { weight_decay: 0 }];
    this.optimizer = new Optimizer(this.params, config.optimizer, { groups, schedule: config.schedule ?? undefined });
    this.plateau = config.schedule !== null && SCHEDULES[config.schedule.name].driver === 'metric';

    this.order = Int32Array.from(dataset.split.train);
    this.batch = { x: dataset.x, y: dataset.y, n: 0, rows: this.order, start: 0 };
    this.ws = this.model.createWorkspace(t.dtype, this.batchSize);
    const nVal = dataset.split.validation.length;
    this.valBatch = nVal > 0 ? { x: dataset.x, y: dataset.y, n: nVal, rows: dataset.split.validation, start: 0 } : null;
    this.evalWs = nVal > 0 ? this.model.createWorkspace(t.dtype, Math.min(nVal, 1024)) : null;

    this.effectiveLr = this.optimizer.allocateEffectiveLr();
    this.snapshotStep = { effectiveLr: this.effectiveLr };
    this.snapshots = this.params.groups.flatMap((g, group) =>
      g.views.map((view) => ({ view, group, shape: snapshotShape(view.spec.shape, t.snapshotMaxElements), originalShape: [...view.spec.shape] })),
    );
    this.before = this.params.groups.map((g) => g.values.slice());
  }

  /** Steps completed. */
  get step(): number {
    return this.stepsDone;
  }

  /** How the session ended, or null while it can go on. */
  get end(): SessionEnd | null {
    return this.ended;
  }

  /** Seconds of training so far (paused time excluded). */
  get seconds(): number {
    if (this.startedAt === null) return 0;
    const until = this.pausedAt ?? this.now();
    return (until - this.startedAt - this.pausedMs) / 1000;
  }

  /** Runs steps until the budget is spent or the session ends; returns the end, or null if it can go on. */
  advance(budget: AdvanceBudget = {}): SessionEnd | null {
    if (this.ended) return this.ended;
    if (this.pausedAt !== null) this.resume();
    if (this.startedAt === null) {
      this.startedAt = this.now();
      if (this.valBatch) this.evaluate(0);
    }
    const maxSteps = budget.maxSteps ?? Infinity;
    const deadline = budget.maxMs === undefined ? Infinity : this.now() + budget.maxMs;
    for (let n = 0; n < maxSteps && this.stepsDone < this.totalSteps && !this.ended; n++) {
      this.trainStep();
      if (this.now() >= deadline) break;
    }
    if (!this.ended && this.stepsDone >= this.totalSteps) this.finish('finished', `finished ${plural(this.stepsDone, 'step')}`);
    if (!this.ended) this.emitProgress();
    return this.ended;
  }

  /** Stops the clock (a paused run's time does not count as training time). */
  pause(): void {
    if (this.pausedAt === null && this.startedAt !== null && !this.ended) this.pausedAt = this.now();
  }

  resume(): void {
    if (this.pausedAt === null) return;
    this.pausedMs += this.now() - this.pausedAt;
    this.pausedAt = null;
  }

  /** Ends the session now (reason `stopped`), keeping everything reported so far. */
  stop(): SessionEnd {
    if (this.ended) return this.ended;
    this.resume();
    return this.finish('stopped', `stopped at step ${this.stepsDone} of ${this.totalSteps}`);
  }

  /**
   * The model's predictions for rows of the dataset (indices into it), row-major: regression →
   * one value per row in the target's units (ŷ = t·std + mean, undoing the target scaling);
   * classification → one probability per class.
   */
  predict(rows: Int32Array): Float64Array {
    const width = this.dataset.task === 'classification' ? this.dataset.classes.length : this.model.outputDim;
    const out = new Float64Array(rows.length * width);
    if (rows.length === 0) return out;
    this.predictWs ??= this.model.createWorkspace(this.config.training.dtype, Math.min(rows.length, 1024));
    this.model.predict(this.params, { x: this.dataset.x, y: this.dataset.y, n: rows.length, rows, start: 0 }, this.predictWs, out);
    const scaling = this.targetScaling;
    if (scaling) for (let i = 0; i < out.length; i++) out[i] = unscaleTarget(out[i], scaling);
    return out;
  }

  // --- one step ------------------------------------------------------------------------------

  private trainStep(): void {
    if (this.pos >= this.nTrain) this.pos = 0;
    if (this.pos === 0) {
      this.shuffleRng.shuffle(this.order);
      this.epochIndex++;
    }
    const batch = this.batch;
    batch.start = this.pos;
    batch.n = Math.min(this.batchSize, this.nTrain - this.pos);
    const loss = this.model.lossAndGrad(this.params, batch, this.ws);
    this.pos += batch.n;
    this.samplesSeen += batch.n;
    const step = ++this.stepsDone;
    this.lastLoss = loss;
    this.emit({ type: 'metrics', step, epoch: this.samplesSeen / this.nTrain, wallTime: this.seconds, values: { train_loss: loss } });
    if (step === 1) this.initialLoss = loss;
    const limit = this.config.training.divergenceFactor * this.initialLoss;
    if (!Number.isFinite(loss) || (this.initialLoss > 0 && loss > limit)) {
      const why = Number.isFinite(loss) ? `${loss} > ${this.config.training.divergenceFactor} × the first loss ${this.initialLoss}` : `${loss}`;
      this.finish('diverged', `diverged at step ${step}: the training loss is ${why}`, step);
      return;
    }
    const evaluate = step % this.evalEvery === 0 || step === this.totalSteps;
    const snapshot = this.snapshotEvery > 0 && (step === 1 || step % this.snapshotEvery === 0 || step === this.totalSteps);
    let gradNorm = NaN;
    if (evaluate) {
      gradNorm = globalNorm(this.params.groups.map((g) => g.grads));
      this.params.groups.forEach((g, i) => this.before[i].set(g.values));
    }
    const lr = this.optimizer.step(snapshot ? this.snapshotStep : NO_OPTIONS).lrs[0];
    if (snapshot) this.emitSnapshots(step);
    if (evaluate) this.evaluate(step, gradNorm, lr);
  }

  // --- measurements ------------------------------------------------------------------------

  private evaluate(step: number, gradNorm?: number, lr?: number): void {
    const values: Record<string, number> = {};
    if (this.valBatch) {
      const ev = this.model.evaluate(this.params, this.valBatch, this.evalWs!);
      values.val_loss = ev.loss;
      if (ev.task === 'classification') values.val_accuracy = ev.accuracy;
      else {
        // R² is unchanged by an affine scaling of the target; the RMSE goes back to the target's
        // units: rmse_y = rmse_t · std, as t = (y − mean) / std.
        values.val_r2 = ev.r2;
        values.val_rmse = ev.rmse * this.targetScaling!.std;
      }
    }
    if (step > 0) {
      values.grad_norm = gradNorm!;
      values.lr = lr!;
      this.updateRatios(values);
    }
    this.emit({ type: 'metrics', step, epoch: this.samplesSeen / this.nTrain, wallTime: this.seconds, values });
    if (step === 0) return;
    this.lastEval = values;
    const val = values.val_loss;
    if (val === undefined) return;
    if (this.plateau) this.optimizer.observeMetric(val);
    if (val < this.bestValLoss) {
      this.bestValLoss = val;
      this.bestValStep = step;
    }
    const es = this.config.training.earlyStopping;
    if (!es) return;
    // Keras' rule: only an improvement by more than minDelta moves the reference and resets the count.
    if (val < this.esBest - es.minDelta) {
      this.esBest = val;
      this.esBestStep = step;
      this.badEvals = 0;
    } else this.badEvals++;
    if (this.badEvals >= es.patience && step < this.totalSteps) {
      this.finish(
        'early-stopped',
        `early stop at step ${step}: the validation loss has not improved by more than ${es.minDelta} for ${plural(es.patience, 'evaluation')} (best ${this.esBest} at step ${this.esBestStep})`,
      );
    }
  }

  /** update_ratio/<tensor> = ‖θ − θ_before‖ / ‖θ_before‖ over the last step (∞ when ‖θ_before‖ = 0 and θ moved). */
  private updateRatios(values: Record<string, number>): void {
    this.params.groups.forEach((g, gi) => {
      const prev = this.before[gi];
      for (const view of g.views) {
        let du = 0;
        let p = 0;
        const end = view.offset + view.values.length;
        for (let i = view.offset; i < end; i++) {
          const d = g.values[i] - prev[i];
          du += d * d;
          p += prev[i] * prev[i];
        }
        values[`update_ratio/${view.spec.name}`] = p > 0 ? Math.sqrt(du / p) : du > 0 ? Infinity : 0;
      }
    });
  }

  private emitSnapshots(step: number): void {
    for (const s of this.snapshots) {
      const eff = this.effectiveLr[s.group].subarray(s.view.offset, s.view.offset + numel(s.originalShape));
      const values = this.params.groups[s.group].values.subarray(s.view.offset, s.view.offset + numel(s.originalShape));
      this.emit({ type: 'snapshot', step, layer: s.view.spec.name, kind: 'effective_lr', shape: s.shape, originalShape: s.originalShape, data: downsample(eff, s.originalShape, s.shape) });
      this.emit({ type: 'snapshot', step, layer: s.view.spec.name, kind: 'param', shape: s.shape, originalShape: s.originalShape, data: downsample(values, s.originalShape, s.shape) });
    }
  }

  private emitProgress(): void {
    const seconds = this.seconds;
    const perStep = this.stepsDone > 0 && seconds > 0 ? seconds / this.stepsDone : null;
    this.emit({
      type: 'progress',
      step: this.stepsDone,
      totalSteps: this.totalSteps,
      epoch: this.epochIndex,
      epochs: this.epochs,
      samplesPerSecond: seconds > 0 ? this.samplesSeen / seconds : 0,
      etaSeconds: perStep === null ? null : perStep * (this.totalSteps - this.stepsDone),
    });
  }

  private finish(reason: EndReason, message: string, divergedStep: number | null = null): SessionEnd {
    const seconds = this.seconds;
    const final: Record<string, number> = { ...this.lastEval };
    for (const key of Object.keys(final)) if (key.startsWith('update_ratio/')) delete final[key];
    final.train_loss = this.lastLoss;
    if (Number.isFinite(this.bestValLoss)) {
      final.best_val_loss = this.bestValLoss;
      final.best_val_step = this.bestValStep;
    }
    final.steps = this.stepsDone;
    final.epochs = this.samplesSeen / this.nTrain;
    final.samples = this.samplesSeen;
    final.seconds = seconds;
    final.samples_per_second = seconds > 0 ? this.samplesSeen / seconds : 0;
    this.ended = { reason, step: this.stepsDone, divergedStep, message, final };
    this.emitProgress();
    this.emit({ type: 'end', end: this.ended });
    return this.ended;
  }
}

/** A session for `config` on `dataset` (see TrainingSession). */
export function createSession(options: SessionOptions): TrainingSession {
  return new TrainingSession(options);
}
