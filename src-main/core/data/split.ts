// Seeded shuffling and the train/validation split (stratified by class for classification).
import { Rng } from '../rng.ts';

export interface Split {
  train: Int32Array;
  validation: Int32Array;
}

function range(n: number): Int32Array {
  return Int32Array.from({ length: n }, (_, i) => i);
}

/** How many of `count` rows go to validation: round(count · valSplit), keeping at least one in training. */
function validationCount(count: number, valSplit: number): number {
  if (count <= 1) return 0;
  return Math.min(count - 1, Math.round(count * valSplit));
}

/** A random split of rows 0..n-1: the first round(n · valSplit) of a seeded shuffle go to validation. */
export function randomSplit(n: number, valSplit: number, seed: number): Split {
  const rng = new Rng(seed);
  const order = rng.shuffle(range(n));
  const v = validationCount(n, valSplit);
  return { validation: order.slice(0, v), train: order.slice(v) };
}

/**
 * A stratified split: within each class, a seeded shuffle, and round(count · valSplit) of its
 * rows (at least one left for training) go to validation; both sets are then shuffled so classes
 * are interleaved.
 */
export function stratifiedSplit(classOf: Int32Array, classCount: number, valSplit: number, seed: number): Split {
  const rng = new Rng(seed);
  const byClass: number[][] = Array.from({ length: classCount }, () => []);
  for (let i = 0; i < classOf.length; i++) byClass[classOf[i]].push(i);
  const train: number[] = [];
  const validation: number[] = [];
  for (const rows of byClass) {
    rng.shuffle(rows);
    const v = validationCount(rows.length, valSplit);
    for (let k = 0; k < rows.length; k++) (k < v ? validation : train).push(rows[k]);
  }
  return { train: rng.shuffle(Int32Array.from(train)), validation: rng.shuffle(Int32Array.from(validation)) };
}
