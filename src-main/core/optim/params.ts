// Parameter specs shared by the optimizer and schedule registries: kinds, ranges, and the one
// validator that turns a bad value into a ConfigError naming the field, the value and the range.
import { ConfigError, showValue } from './errors.ts';

/** A numeric interval; open ends exclude the bound; a missing max is unbounded (JSON has no ∞). */
export interface Range {
  readonly min: number;
  readonly max?: number;
  readonly minOpen?: boolean;
  readonly maxOpen?: boolean;
  readonly integer?: boolean;
}

export type Pair = [number, number];
export type ParamValue = number | boolean | string | Pair | number[];

interface SpecBase {
  /** The key, in torch's spelling (`weight_decay`, `betas`, `T_max`). */
  readonly name: string;
  /** A short help line. */
  readonly help: string;
}
export interface NumberSpec extends SpecBase {
  readonly kind: 'number';
  readonly range: Range;
}
export interface PairSpec extends SpecBase {
  readonly kind: 'pair';
  readonly range: readonly [Range, Range];
  /** The first value must not exceed the second (e.g. Rprop's step_sizes: min ≤ max). */
  readonly ordered?: boolean;
}
export interface BooleanSpec extends SpecBase {
  readonly kind: 'boolean';
}
export interface ChoiceSpec extends SpecBase {
  readonly kind: 'choice';
  readonly choices: readonly { readonly value: string; readonly help: string }[];
}
export interface ListSpec extends SpecBase {
  readonly kind: 'list';
  /** The range of every element. */
  readonly range: Range;
  /** Elements must be strictly increasing. */
  readonly increasing?: boolean;
}
export type ParamSpec = NumberSpec | PairSpec | BooleanSpec | ChoiceSpec | ListSpec;

export const positive: Range = { min: 0, minOpen: true };
export const nonNegative: Range = { min: 0 };
export const unitClosed: Range = { min: 0, max: 1 };
export const unitHalfOpen: Range = { min: 0, max: 1, maxOpen: true };
export const positiveInt: Range = { min: 1, integer: true };
export const nonNegativeInt: Range = { min: 0, integer: true };

/** `[0, 1)`, `(0, ∞)`, `an integer in [1, ∞)`. */
export function rangeText(r: Range): string {
  const lo = r.minOpen ? '(' : '[';
  const hi = r.max === undefined ? '∞)' : `${r.max}${r.maxOpen ? ')' : ']'}`;
  const interval = `${lo}${r.min}, ${hi}`;
  return r.integer ? `an integer in ${interval}` : interval;
}

export function inRange(x: number, r: Range): boolean {
  if (typeof x !== 'number' || Number.isNaN(x)) return false;
  if (r.integer && !Number.isInteger(x)) return false;
  if (!Number.isFinite(x)) return false;
  const aboveMin = r.minOpen ? x > r.min : x >= r.min;
  const belowMax = r.max === undefined || (r.maxOpen ? x < r.max : x <= r.max);
  return aboveMin && belowMax;
}

/** What the spec accepts, in words, for error messages and help. */
export function allowedText(spec: ParamSpec): string {
  switch (spec.kind) {
    case 'number':
      return rangeText(spec.range);
    case 'pair':
      return `a pair [a, b] with a in ${rangeText(spec.range[0])} and b in ${rangeText(spec.range[1])}${spec.ordered ? ', a ≤ b' : ''}`;
    case 'boolean':
      return 'true or false';
    case 'choice':
      return `one of: ${spec.choices.map((c) => c.value).join(', ')}`;
    case 'list':
      return `a list of numbers in ${rangeText(spec.range)}${spec.increasing ? ', strictly increasing' : ''}`;
  }
}

/** A number outside its range is "out of range"; anything but a number ("abc", true) is "not a number". */
function numberError(field: string, value: unknown, range: Range): ConfigError {
  if (typeof value === 'number') return new ConfigError(field, value, rangeText(range));
  return new ConfigError(field, value, rangeText(range), `${field} = ${showValue(value)} is not a number; allowed: ${rangeText(range)}`);
}

/** Checks `value` against `spec` and returns it typed; throws ConfigError naming `field`. */
export function validateParam(spec: ParamSpec, value: unknown, field: string): ParamValue {
  switch (spec.kind) {
    case 'number':
      if (typeof value !== 'number' || !inRange(value, spec.range)) throw numberError(field, value, spec.range);
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') throw new ConfigError(field, value, 'true or false', `${field} must be true or false, not ${JSON.stringify(value) ?? String(value)}`);
      return value;
    case 'choice':
      if (typeof value !== 'string' || !spec.choices.some((c) => c.value === value)) throw new ConfigError(field, value, allowedText(spec));
      return value;
    case 'pair': {
      if (!Array.isArray(value) || value.length !== 2) throw new ConfigError(field, value, allowedText(spec), `${field} must be a pair of numbers [a, b], not ${JSON.stringify(value) ?? String(value)}`);
      for (const k of [0, 1] as const)
        if (typeof value[k] !== 'number' || !inRange(value[k], spec.range[k])) throw numberError(`${field}[${k}]`, value[k], spec.range[k]);
      const pair: Pair = [value[0] as number, value[1] as number];
      if (spec.ordered && pair[0] > pair[1]) throw new ConfigError(field, pair, allowedText(spec), `${field} = ${JSON.stringify(pair)}: the first value must not exceed the second`);
      return pair;
    }
    case 'list': {
      if (!Array.isArray(value)) throw new ConfigError(field, value, allowedText(spec), `${field} must be a list of numbers, not ${JSON.stringify(value) ?? String(value)}`);
      const list: number[] = [];
      value.forEach((x: unknown, k) => {
        if (typeof x !== 'number' || !inRange(x, spec.range)) throw numberError(`${field}[${k}]`, x, spec.range);
        if (spec.increasing && k > 0 && x <= list[k - 1]) throw new ConfigError(`${field}[${k}]`, x, `greater than ${field}[${k - 1}] = ${list[k - 1]} (strictly increasing)`, `${field}[${k}] = ${x} must be greater than ${field}[${k - 1}] = ${list[k - 1]}`);
        list.push(x);
      });
      return list;
    }
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
