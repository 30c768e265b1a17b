// Typed errors for configurations and saved states, with messages meant for the user as they
// are: the field, the value given and what is allowed.

/** A hyperparameter, optimizer or schedule setting that is unknown or out of range. */
export class ConfigError extends Error {
  constructor(
    /** Dotted path of the offending field, e.g. `hyperparams.betas[1]` or `name`. */
    readonly field: string,
    /** The value given (undefined when the field is missing). */
    readonly value: unknown,
    /** What would have been accepted, e.g. `[0, 1)` or `one of: sgd, adam`. */
    readonly allowed: string,
    /** The whole message; by default `field = value is not allowed; allowed: ...`. */
    message?: string,
  ) {
    super(message ?? `${field} = ${showValue(value)} is out of range; allowed: ${allowed}`);
    this.name = 'ConfigError';
  }
}

/** A saved optimizer state that does not fit the optimizer it is loaded into. */
export class StateDictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StateDictError';
  }
}

export function showValue(value: unknown): string {
  if (value === undefined) return '(missing)';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
