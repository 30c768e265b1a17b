// Reading one cell: is it missing, is it a number.
import type { DecimalMark } from './types.ts';

/** Values that mean "missing", compared case-insensitively after trimming. */
export const MISSING_MARKERS: readonly string[] = ['', 'NA', 'N/A', 'NaN', 'null', '?', '-'];

const MISSING_SET = new Set(MISSING_MARKERS.map((m) => m.toLowerCase()));

/** `value` must already be trimmed. */
export function isMissing(value: string): boolean {
  if (value.length === 0) return true;
  if (value.length > 4) return false;
  const c = value.charCodeAt(0);
  if ((c >= 48 && c <= 57) || c === 46 || c === 43) return false; // a digit, '.' or '+': a number, not a marker
  return MISSING_SET.has(value.toLowerCase());
}

// Decimal numbers with optional sign, fraction and exponent: 1, -2, +3, 1.5, -.5, 1., 1e-3, 2.5E+10.
const POINT_NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const COMMA_NUMBER = /^[+-]?(?:\d+(?:,\d*)?|,\d+)(?:[eE][+-]?\d+)?$/;

/**
 * The number a trimmed, non-missing cell holds, or NaN when it is not a finite decimal number
 * (no hex, no `Infinity`, no thousands separators). With decimal `,`, `1,5` is 1.5.
 */
export function parseNumber(value: string, decimal: DecimalMark = '.'): number {
  if (decimal === '.') {
    if (!POINT_NUMBER.test(value)) return NaN;
    const v = Number(value);
    return Number.isFinite(v) ? v : NaN;
  }
  if (!COMMA_NUMBER.test(value)) return NaN;
  const v = Number(value.replace(',', '.'));
  return Number.isFinite(v) ? v : NaN;
}

/** Does the trimmed value look like a number with a decimal point / decimal comma (for sniffing). */
export function hasDecimalPoint(value: string): boolean {
  return value.includes('.') && POINT_NUMBER.test(value);
}
export function hasDecimalComma(value: string): boolean {
  return value.includes(',') && COMMA_NUMBER.test(value);
}
