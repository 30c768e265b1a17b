// Number formatting shared by tooltips, axis labels and legends.

/** Compact, readable number: 4 significant digits, exponent form for very small or large magnitudes. */
export function formatNumber(v: number, digits = 4): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '∞';
  if (v === -Infinity) return '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  const s = a < 1e-3 || a >= 1e5 ? v.toExponential(digits - 1) : v.toPrecision(digits);
  return tidy(s);
}

/** Drops trailing zeros of the mantissa ("1.200e-4" → "1.2e-4", "3.000" → "3") and "+" in exponents. */
function tidy(s: string): string {
  const [mant, exp] = s.split('e');
  const m = mant.includes('.') ? mant.replace(/0+$/, '').replace(/\.$/, '') : mant;
  return exp === undefined ? m : `${m}e${exp.replace('+', '')}`;
}

/** A power of ten as an axis label: 1e-4, 0.01, 0.1, 1, 10, 100, 1e3. */
export function formatPowerOfTen(exponent: number): string {
  if (Number.isInteger(exponent) && exponent >= -2 && exponent <= 2) return String(10 ** exponent);
  if (Number.isInteger(exponent)) return `1e${exponent}`;
  return formatNumber(10 ** exponent, 2);
}

/** Text for SVG/XML content and attribute values. */
export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);
}
