// Fitting and applying the per-column feature encoders and the regression target's scaling. Both
// the loader and applyPreprocessing() write features and targets through these functions, so
// they agree to the bit.
import type { FeatureEncoder, TargetScaling, TargetScalingMethod } from './types.ts';
import { OTHER_LEVEL } from './types.ts';

export type NumericEncoder = Extract<FeatureEncoder, { kind: 'numeric' }>;
export type OneHotEncoder = Extract<FeatureEncoder, { kind: 'onehot' }>;

/** z = (x − mean) / std */
export function standardize(x: number, enc: NumericEncoder): number {
  return (x - enc.mean) / enc.std;
}

/**
 * Mean and population standard deviation of the values at `rows` (NaN = missing, skipped):
 * mean = Σx / m, std = √(Σ(x − mean)² / m); `count` is m (mean 0 and std 0 when m is 0).
 */
export function meanAndStd(values: Float64Array, rows: Int32Array): { mean: number; std: number; count: number } {
  let sum = 0, m = 0;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    if (!Number.isNaN(v)) {
      sum += v;
      m++;
    }
  }
  if (m === 0) return { mean: 0, std: 0, count: 0 };
  const mean = sum / m;
  let ss = 0;
  for (let k = 0; k < rows.length; k++) {
    const v = values[rows[k]];
    if (!Number.isNaN(v)) ss += (v - mean) * (v - mean);
  }
  return { mean, std: Math.sqrt(ss / m), count: m };
}

/** A usable divisor: the std, or 1 when it is 0 (or not finite), so a constant never divides by zero. */
const divisor = (std: number): number => (std > 0 && Number.isFinite(std) ? std : 1);

/**
 * The numeric encoder of a column from its training rows: z = (x − mean) / std with the
 * training mean and population std (1 when it is 0 or there are no values); missing cells
 * are imputed with the mean.
 */
export function fitNumeric(column: string, index: number, values: Float64Array, rows: Int32Array): NumericEncoder {
  const { mean, std } = meanAndStd(values, rows);
  return { kind: 'numeric', column, index, mean, std: divisor(std), impute: mean };
}

/**
 * The regression target's scaling from its training values: 'standardize' takes their mean and
 * population std (1 when the training target is constant: `constant` says so), 'none' the identity.
 */
export function fitTargetScaling(method: TargetScalingMethod, values: Float64Array, trainRows: Int32Array): { scaling: TargetScaling; constant: boolean } {
  if (method === 'none') return { scaling: { method, mean: 0, std: 1 }, constant: false };
  const { mean, std } = meanAndStd(values, trainRows);
  return { scaling: { method, mean, std: divisor(std) }, constant: !(std > 0) };
}

/** t = (y − mean) / std: a target value in model units ('none': y itself, untouched). */
export function scaleTarget(y: number, s: TargetScaling): number {
  return s.method === 'none' ? y : (y - s.mean) / s.std;
}

/** y = t·std + mean: a model-unit value (a prediction) back in the target's units ('none': t itself). */
export function unscaleTarget(t: number, s: TargetScaling): number {
  return s.method === 'none' ? t : t * s.std + s.mean;
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
