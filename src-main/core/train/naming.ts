// A run's default name, the same for the CLI, the API and the New run form's placeholder:
// "adam(lr=0.001) · mlp · digits".

/** "digits" for "digits", "/data/digits.csv" or "C:\data\digits.csv". */
export function datasetNameOf(source: string): string {
  const base = source.split(/[\\/]/).pop() || source;
  return base.replace(/\.[^.]+$/, '') || base;
}

/** The parts of a run config a default name is made of. */
export interface NamedRunParts {
  model: { kind: string };
  optimizer: { name: string; hyperparams?: Record<string, unknown> };
  data: { source: string };
}

/** "optimizer(lr=X) · model kind · dataset" ("optimizer · …" when lr is not a number). */
export function defaultRunName(config: NamedRunParts): string {
  const lr = config.optimizer.hyperparams?.lr;
  const opt = typeof lr === 'number' ? `${config.optimizer.name}(lr=${lr})` : config.optimizer.name;
  return `${opt} · ${config.model.kind} · ${datasetNameOf(config.data.source)}`;
}
