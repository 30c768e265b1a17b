// Fitting and applying the per-column feature encoders. Both the loader and
// applyPreprocessing() write features through these functions, so they agree to the bit.
import type { FeatureEncoder } from './types.ts';
import { OTHER_LEVEL } from './types.ts';

export type NumericEncoder = Extract<FeatureEncoder, { kind: 'numeric' }>;
export type OneHotEncoder = Extract<FeatureEncoder, { kind: 'onehot' }>;

/** z = (x − mean) / std */
export function standardize(x: number, enc: NumericEncoder): number {
  return (x - enc.mean) / enc.std;
}

/**
 * Mean and population standard deviation of the values (NaN = missing, skipped):
 * mean = Σx / m, std = √(Σ(x − mean)² / m); std is 1 when it is 0 or there are no values,
 * so a column constant on the training rows never divides by zero.
 */
export function fitNumeric(column: string, index: number, values: Float64Array, rows: Int32Array): NumericEncoder {
  let sum = 0, m = 0;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    if (!Number.isNaN(v)) {
      sum += v;
      m++;
    }
  }
  if (m === 0) return { kind: 'numeric', column, index, mean: 0, std: 1, impute: 0 };
  const mean = sum / m;
  let ss = 0;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
  }
  const std = Math.sqrt(ss / m);
  return { kind: 'numeric', column, index, mean, std: std > 0 && Number.isFinite(std) ? std : 1, impute: mean };
}

/** Sorted labels: numerically when every label is a number, else by code unit. */
export function sortLabels(labels: string[]): string[] {
  const allNumbers = labels.every((l) => l.trim() !== '' && Number.isFinite(Number(l)));
  return allNumbers ? labels.sort((a, b) => Number(a) - Number(b)) : labels.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Levels of a categorical column from their training counts: the `maxCategories` most frequent
 * (ties by name) become features, listed in sorted order; any further level goes to `<other>`.
 * The imputation value is the most frequent level.
 */
export function fitOneHot(column: string, index: number, levels: readonly string[], trainCounts: readonly number[], maxCategories: number): OneHotEncoder {
  const seen = levels.map((level, code) => ({ level, count: trainCounts[code] })).filter((l) => l.count > 0);
  seen.sort((a, b) => b.count - a.count || (a.level < b.level ? -1 : a.level > b.level ? 1 : 0));
  const kept = seen.slice(0, maxCategories).map((l) => l.level);
  return {
    kind: 'onehot',
    column,
    index,
    levels: sortLabels(kept),
    other: seen.length > maxCategories,
    impute: seen.length ? seen[0].level : '',
  };
}

export function encoderWidth(enc: FeatureEncoder): number {
  return enc.kind === 'numeric' ? 1 : enc.levels.length + (enc.other ? 1 : 0);
}

export function encoderFeatureNames(enc: FeatureEncoder): string[] {
  if (enc.kind === 'numeric') return [enc.column];
  const names = enc.levels.map((l) => `${enc.column}=${l}`);
  if (enc.other) names.push(`${enc.column}=${OTHER_LEVEL}`);
  return names;
}

/** Level -> position among the encoder's features; unknown levels go to `<other>` if there is one, else nowhere (-1). */
export function levelLookup(enc: OneHotEncoder): (level: string) => number {
  const pos = new Map(enc.levels.map((l, i) => [l, i] as const));
  const otherPos = enc.other ? enc.levels.length : -1;
  return (level) => pos.get(level) ?? otherPos;
}
