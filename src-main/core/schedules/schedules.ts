// Learning-rate schedules as pure functions of the step: lr = schedule(t), t the number of
// steps already taken (torch's `last_epoch`; t = 0 gives the lr of the first step). Closed
// forms of torch.optim.lr_scheduler (torch computes most of them recursively; the two agree to
// ~1e-14 relative).

/** t ↦ learning rate, t = 0, 1, 2, ... */
export type Schedule = (t: number) => number;

/** lr = base. */
export function constant(base: number): Schedule {
  return () => base;
}

/** lr = base·γ^⌊t/step_size⌋  (StepLR). */
export function stepDecay(base: number, stepSize: number, gamma: number): Schedule {
  return (t) => base * gamma ** Math.floor(t / stepSize);
}

/** lr = base·γ^(number of milestones ≤ t)  (MultiStepLR). */
export function multiStep(base: number, milestones: readonly number[], gamma: number): Schedule {
  return (t) => base * gamma ** milestones.filter((m) => m <= t).length;
}

/** lr = base·γᵗ  (ExponentialLR). */
export function exponential(base: number, gamma: number): Schedule {
  return (t) => base * gamma ** t;
}

/** lr = η_min + (base − η_min)·(1 + cos(πt/T_max))/2  (CosineAnnealingLR; periodic past T_max, as torch). */
export function cosine(base: number, tMax: number, etaMin: number): Schedule {
  return (t) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * t) / tMax))) / 2;
}

/**
 * lr = η_min + (base − η_min)·(1 + cos(π·T_cur/T_i))/2, restarting when T_cur reaches T_i, and
 * T_i ← T_i·T_mult at each restart  (CosineAnnealingWarmRestarts).
 */
export function cosineWarmRestarts(base: number, t0: number, tMult: number, etaMin: number): Schedule {
  return (t) => {
    let tCur = t;
    let tI = t0;
    if (tMult === 1) tCur = t % t0;
    else
      while (tCur >= tI) {
        tCur -= tI;
        tI *= tMult;
      }
    return etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2;
  };
}

/** lr = base·(s + (e − s)·min(t, n)/n)  (LinearLR: from start_factor s to end_factor e over n steps). */
export function linear(base: number, startFactor: number, endFactor: number, totalIters: number): Schedule {
  return (t) => base * (startFactor + ((endFactor - startFactor) * Math.min(t, totalIters)) / totalIters);
}

/** lr = base·(1 − min(t, n)/n)^power  (PolynomialLR). */
export function polynomial(base: number, totalIters: number, power: number): Schedule {
  return (t) => base * (1 - Math.min(t, totalIters) / totalIters) ** power;
}

export interface OneCycleOptions {
  readonly maxLr: number;
  readonly totalSteps: number;
  readonly pctStart: number;
  readonly annealStrategy: 'cos' | 'linear';
  readonly divFactor: number;
  readonly finalDivFactor: number;
  readonly threePhase: boolean;
}

/** cos: end + (start − end)·(1 + cos(π·pct))/2;  linear: start + (end − start)·pct. */
function anneal(strategy: 'cos' | 'linear', start: number, end: number, pct: number): number {
  return strategy === 'cos' ? end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1) : (end - start) * pct + start;
}

/**
 * OneCycleLR: from max_lr/div_factor up to max_lr over pct_start of the steps, then down to
 * max_lr/(div_factor·final_div_factor) (three_phase: back to the initial lr first, then down).
 * Past total_steps the lr holds at its final value (torch raises instead).
 */
export function oneCycle(o: OneCycleOptions): Schedule {
  const initial = o.maxLr / o.divFactor;
  const min = initial / o.finalDivFactor;
  const n = o.totalSteps;
  const phases = o.threePhase
    ? [
        { end: o.pctStart * n - 1, from: initial, to: o.maxLr },
        { end: 2 * o.pctStart * n - 2, from: o.maxLr, to: initial },
        { end: n - 1, from: initial, to: min },
      ]
    : [
        { end: o.pctStart * n - 1, from: initial, to: o.maxLr },
        { end: n - 1, from: o.maxLr, to: min },
      ];
  return (t) => {
    const step = Math.min(t, n - 1);
    let start = 0;
    for (let i = 0; i < phases.length; i++) {
      const phase = phases[i];
      if (step <= phase.end || i === phases.length - 1) return anneal(o.annealStrategy, phase.from, phase.to, (step - start) / (phase.end - start));
      start = phase.end;
    }
    throw new Error('unreachable');
  };
}

/** Runs schedules[i] from milestones[i − 1] on, each restarted at 0 there  (SequentialLR, e.g. warm-up then decay). */
export function sequential(schedules: readonly Schedule[], milestones: readonly number[]): Schedule {
  if (milestones.length !== schedules.length - 1) throw new Error('sequential: need one milestone between each pair of schedules');
  return (t) => {
    let i = 0;
    while (i < milestones.length && t >= milestones[i]) i++;
    return schedules[i](i === 0 ? t : t - milestones[i - 1]);
  };
}
