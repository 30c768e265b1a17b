// ReduceLROnPlateau (torch semantics): it watches a metric, not the step count, so it is a small
// state machine rather than a pure schedule. One instance serves all parameter groups.

export interface PlateauOptions {
  readonly mode: 'min' | 'max';
  /** New lr = max(lr·factor, min_lr). */
  readonly factor: number;
  /** Number of epochs without improvement tolerated before reducing. */
  readonly patience: number;
  readonly threshold: number;
  /** rel: better means beyond best·(1 ∓ threshold); abs: beyond best ∓ threshold. */
  readonly threshold_mode: 'rel' | 'abs';
  /** Epochs to wait after a reduction before counting bad epochs again. */
  readonly cooldown: number;
  readonly min_lr: number;
  /** A reduction smaller than eps is not applied. */
  readonly eps: number;
}

/** JSON-safe: `best` is null until a first metric was seen. */
export interface PlateauState {
  best: number | null;
  num_bad_epochs: number;
  cooldown_counter: number;
  last_epoch: number;
  lrs: number[];
}

export class ReduceLROnPlateau {
  private s: Omit<PlateauState, 'best'> & { best: number };

  constructor(
    readonly options: PlateauOptions,
    initialLrs: readonly number[],
  ) {
    this.s = {
      best: options.mode === 'min' ? Infinity : -Infinity,
      num_bad_epochs: 0,
      cooldown_counter: 0,
      last_epoch: 0,
      lrs: initialLrs.slice(),
    };
  }

  /** Current learning rate of each group. */
  get lrs(): readonly number[] {
    return this.s.lrs;
  }

  get best(): number {
    return this.s.best;
  }

  /** a better than best: min/rel a < best·(1 − thr), min/abs a < best − thr, max mirrored. */
  isBetter(a: number, best: number): boolean {
    const { mode, threshold_mode: tm, threshold: thr } = this.options;
    if (mode === 'min') return tm === 'rel' ? a < best * (1 - thr) : a < best - thr;
    return tm === 'rel' ? a > best * (thr + 1) : a > best + thr;
  }

  /** Feeds one epoch's metric; returns true when the learning rates were reduced. */
  step(metric: number): boolean {
    const s = this.s;
    s.last_epoch += 1;
    if (this.isBetter(metric, s.best)) {
      s.best = metric;
      s.num_bad_epochs = 0;
    } else s.num_bad_epochs += 1;
    if (s.cooldown_counter > 0) {
      s.cooldown_counter -= 1;
      s.num_bad_epochs = 0;
    }
    if (s.num_bad_epochs <= this.options.patience) return false;
    let reduced = false;
    s.lrs = s.lrs.map((old) => {
      const next = Math.max(old * this.options.factor, this.options.min_lr);
      if (old - next > this.options.eps) {
        reduced = true;
        return next;
      }
      return old;
    });
    s.cooldown_counter = this.options.cooldown;
    s.num_bad_epochs = 0;
    return reduced;
  }

  private get worst(): number {
    return this.options.mode === 'min' ? Infinity : -Infinity;
  }

  stateDict(): PlateauState {
    return { ...this.s, best: Number.isFinite(this.s.best) ? this.s.best : null, lrs: this.s.lrs.slice() };
  }

  loadStateDict(state: PlateauState): void {
    this.s = { ...state, best: state.best ?? this.worst, lrs: state.lrs.slice() };
  }
}
