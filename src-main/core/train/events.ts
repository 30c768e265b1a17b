// What a training session reports, through one callback, as it advances.
//
// Steps are optimizer steps: `train_loss` at step t is the loss of the batch that update t was
// computed from; evaluations at step t see the parameters after t updates (step 0: before
// training). `epoch` on points is fractional, training rows seen / training rows (1 = one pass).

/** Why a session ended. `early-stopped` is a normal end (the store records it as finished). */
export type EndReason = 'finished' | 'early-stopped' | 'diverged' | 'stopped';

export type TrainEvent =
  | {
      type: 'metrics';
      step: number;
      epoch: number;
      /** Seconds of training since the session started (paused time excluded). */
      wallTime: number;
      values: Record<string, number>;
    }
  | {
      type: 'snapshot';
      step: number;
      /** The tensor's name (`layers.0.weight`, `layers.0.bias`). */
      layer: string;
      /** `effective_lr`: the step size each element used in this step; `param`: its values after the step. */
      kind: 'effective_lr' | 'param';
      /** Shape of `data`: the tensor's shape, or a smaller grid of block means for a large tensor. */
      shape: number[];
      originalShape: number[];
      /** A fresh array each time (the receiver may keep or transfer it). */
      data: Float32Array;
    }
  | {
      type: 'progress';
      step: number;
      totalSteps: number;
      /** The current epoch, 1-based (0 before the first step). */
      epoch: number;
      epochs: number;
      samplesPerSecond: number;
      /** null until a step has been timed. */
      etaSeconds: number | null;
    }
  | { type: 'end'; end: SessionEnd };

export interface SessionEnd {
  reason: EndReason;
  /** Steps completed. */
  step: number;
  /** The step whose loss was not finite or exceeded divergenceFactor × the first loss. */
  divergedStep: number | null;
  /** One line on why it ended, for people. */
  message: string;
  /**
   * Summary numbers: train_loss (last), val_loss / val_accuracy or val_r2 / val_rmse (last
   * evaluation), best_val_loss, steps, epochs, samples, seconds, samples_per_second. For
   * regression the losses are in model units (the standardized target, unless targetScaling is
   * 'none') and val_rmse in the target's own units.
   */
  final: Record<string, number>;
}
