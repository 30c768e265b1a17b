// Parameter forms (optimizer hyperparameters, schedule parameters): the registry's specs turned
// into text fields and back, with the same ranges the core enforces (the server checks again).
import type { HyperparamSpec, ParamValue, Range, ScheduleParamSpec } from '../api/protocol.ts';

/** A spec the form can edit (the sequential schedule's nested list is not one). */
export type EditableSpec = Exclude<HyperparamSpec | ScheduleParamSpec, { kind: 'schedules' }>;

/** What a field holds: numbers as the text typed ("1e-3"), pairs as two texts, lists as "10, 20". */
export type FieldValue = string | boolean | [string, string];

/** `[0, 1)`, `(0, ∞)`, `an integer in [1, ∞)` — the same words as core's rangeText. */
export function rangeText(r: Range): string {
  const lo = r.minOpen ? '(' : '[';
  const hi = r.max === undefined ? '∞)' : `${r.max}${r.maxOpen ? ')' : ']'}`;
  const interval = `${lo}${r.min}, ${hi}`;
  return r.integer ? `an integer in ${interval}` : interval;
}

export function inRange(x: number, r: Range): boolean {
  if (!Number.isFinite(x)) return false;
  if (r.integer && !Number.isInteger(x)) return false;
  const aboveMin = r.minOpen ? x > r.min : x >= r.min;
  const belowMax = r.max === undefined || (r.maxOpen ? x < r.max : x <= r.max);
  return aboveMin && belowMax;
}

/** A number as a field shows it: shortest round-trip text ("0.001", "1e-8"). */
export function numberText(x: number): string {
  return String(x);
}

export function toField(spec: EditableSpec, value: ParamValue | null | undefined): FieldValue {
  switch (spec.kind) {
    case 'number':
      return typeof value === 'number' ? numberText(value) : '';
    case 'pair': {
      const v = Array.isArray(value) ? value : [];
      return [v[0] === undefined ? '' : numberText(v[0]), v[1] === undefined ? '' : numberText(v[1])];
    }
    case 'boolean':
      return value === true;
    case 'choice':
      return typeof value === 'string' ? value : (spec.choices[0]?.value ?? '');
    case 'list':
      return Array.isArray(value) ? value.map(numberText).join(', ') : '';
  }
}

/** `Number()` of a trimmed field, with "" and non-numbers as NaN. */
function parseNumber(text: string): number {
  const t = text.trim();
  return t === '' ? NaN : Number(t);
}

export type Parsed = { ok: true; value: ParamValue | null } | { ok: false; error: string };

/**
 * A field's value, checked like the core checks it; `optional` fields (a schedule parameter
 * whose default is null, e.g. one-cycle's max_lr) may be left empty.
 */
export function fromField(spec: EditableSpec, field: FieldValue, optional = false): Parsed {
  switch (spec.kind) {
    case 'number': {
      const text = String(field);
      if (optional && text.trim() === '') return { ok: true, value: null };
      const x = parseNumber(text);
      if (Number.isNaN(x)) return { ok: false, error: 'a number is needed' };
      return inRange(x, spec.range) ? { ok: true, value: x } : { ok: false, error: `must be in ${rangeText(spec.range)}` };
    }
    case 'pair': {
      const [a, b] = Array.isArray(field) ? field.map(parseNumber) : [NaN, NaN];
      if (Number.isNaN(a) || Number.isNaN(b)) return { ok: false, error: 'two numbers are needed' };
      if (!inRange(a, spec.range[0])) return { ok: false, error: `the first must be in ${rangeText(spec.range[0])}` };
      if (!inRange(b, spec.range[1])) return { ok: false, error: `the second must be in ${rangeText(spec.range[1])}` };
      if (spec.ordered && a > b) return { ok: false, error: 'the first must not exceed the second' };
      return { ok: true, value: [a, b] };
    }
    case 'boolean':
      return { ok: true, value: field === true };
    case 'choice': {
      const v = String(field);
      return spec.choices.some((c) => c.value === v) ? { ok: true, value: v } : { ok: false, error: `must be one of ${spec.choices.map((c) => c.value).join(', ')}` };
    }
    case 'list': {
      const parts = String(field)
        .split(/[,\s]+/)
        .filter(Boolean);
      const xs = parts.map(parseNumber);
      if (xs.some((x) => Number.isNaN(x))) return { ok: false, error: 'numbers separated by commas are needed' };
      const bad = xs.find((x) => !inRange(x, spec.range));
      if (bad !== undefined) return { ok: false, error: `${bad} is not in ${rangeText(spec.range)}` };
      if (spec.increasing && xs.some((x, i) => i > 0 && x <= xs[i - 1])) return { ok: false, error: 'must be increasing' };
      return { ok: true, value: xs };
    }
  }
}

/** Fields for every spec from a record of values. */
export function fieldsFrom(specs: readonly EditableSpec[], values: Record<string, ParamValue | null | undefined>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const s of specs) out[s.name] = toField(s, values[s.name]);
  return out;
}

/** Parses every field; the values, and an error per field that has one. */
export function parseFields(
  specs: readonly EditableSpec[],
  fields: Record<string, FieldValue>,
  isOptional: (spec: EditableSpec) => boolean = () => false,
): { values: Record<string, ParamValue>; errors: Record<string, string> } {
  const values: Record<string, ParamValue> = {};
  const errors: Record<string, string> = {};
  for (const s of specs) {
    const r = fromField(s, fields[s.name] ?? toField(s, undefined), isOptional(s));
    if (!r.ok) errors[s.name] = r.error;
    else if (r.value !== null) values[s.name] = r.value;
  }
  return { values, errors };
}
