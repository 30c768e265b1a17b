// How many optimizer steps a run takes: the training session runs this plan, the run view and
// the New run form show it (one formula, so the progress bar, the schedule chart and the form
// agree on the total).

export interface StepPlan {
  /** The batch size used: the configured one, at most the training rows. */
  batchSize: number;
  /** ⌈trainRows / batchSize⌉. */
  stepsPerEpoch: number;
  /** steps, or epochs · stepsPerEpoch. */
  totalSteps: number;
  /** Epochs the budget spans: epochs, or ⌈steps / stepsPerEpoch⌉ for a step budget. */
  epochs: number;
}

/** The plan of a budget of `epochs` (default 1) or `steps` over `trainRows` rows (≥ 1). */
export function planSteps(training: { epochs: number | null; steps?: number | null; batchSize: number }, trainRows: number): StepPlan {
  if (!(trainRows >= 1)) throw new RangeError(`a run needs at least one training row, got ${trainRows}`);
  const batchSize = Math.min(training.batchSize, trainRows);
  const stepsPerEpoch = Math.ceil(trainRows / batchSize);
  const steps = training.steps ?? null;
  const totalSteps = steps ?? (training.epochs ?? 1) * stepsPerEpoch;
  const epochs = steps !== null ? Math.ceil(steps / stepsPerEpoch) : (training.epochs ?? 1);
  return { batchSize, stepsPerEpoch, totalSteps, epochs };
}

const wholeOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 1 ? v : null);

/**
 * The total steps a stored run config planned: its training budget over the training rows its
 * preprocessing recorded (`preprocessing.split.train`); null when the config lacks either.
 */
export function plannedTotalSteps(config: { training?: unknown; preprocessing?: unknown }): number | null {
  const t = (config.training ?? {}) as Record<string, unknown>;
  const split = ((config.preprocessing ?? {}) as { split?: { train?: unknown } }).split;
  const trainRows = wholeOrNull(split?.train);
  const batchSize = wholeOrNull(t.batchSize);
  const steps = wholeOrNull(t.steps);
  if (steps !== null) return steps;
  if (trainRows === null || batchSize === null) return null;
  return planSteps({ epochs: wholeOrNull(t.epochs), steps: null, batchSize }, trainRows).totalSteps;
}
