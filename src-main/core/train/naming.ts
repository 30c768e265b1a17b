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
  optimizer: { name: string; hyperparams?: { lr?: unknown } };
  data: { source: string };
}

/**
 * "optimizer(lr=X) · model kind · dataset" ("optimizer · …" when lr is not a number); `args`
 * replaces what is in the parentheses (a sweep's member: "lr=1e-3, seed=2").
 */
export function defaultRunName(config: NamedRunParts, args?: string): string {
  const lr = config.optimizer.hyperparams?.lr;
  const inside = args ?? (typeof lr === 'number' ? `lr=${lr}` : '');
  const opt = inside ? `${config.optimizer.name}(${inside})` : config.optimizer.name;
  return `${opt} · ${config.model.kind} · ${datasetNameOf(config.data.source)}`;
}
