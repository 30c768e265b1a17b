// Downsampling a tensor for a heatmap snapshot: a tensor with more than `maxElements` values is
// reduced to a grid of block means, the grid keeping the tensor's aspect ratio. Tensors are
// viewed as matrices [shape[0], rest] (a vector stays a vector).
import type { FloatArray } from '../tensor.ts';

/** The grid a tensor of `shape` is snapshot on: the shape itself when it fits in maxElements. */
export function snapshotShape(shape: readonly number[], maxElements: number): number[] {
  const rows = shape[0] ?? 1;
  const cols = shape.slice(1).reduce((a, b) => a * b, 1);
  if (rows * cols <= maxElements) return [...shape];
  if (shape.length === 1) return [maxElements];
  // Shrink both sides by the same factor s = √(rows·cols/max), keeping a side whole when it is
  // already shorter than s; then fix rounding.
  const s = Math.sqrt((rows * cols) / maxElements);
  let r: number;
  let c: number;
  if (cols <= s) [r, c] = [Math.floor(maxElements / cols), cols];
  else if (rows <= s) [r, c] = [rows, Math.floor(maxElements / rows)];
  else [r, c] = [Math.floor(rows / s), Math.floor(cols / s)];
  r = Math.max(1, Math.min(rows, r));
  c = Math.max(1, Math.min(cols, c));
  while (r * c > maxElements) {
    if (r >= c) r--;
    else c--;
  }
  if (r === rows && c === cols) return [...shape];
  return [r, c];
}

/**
 * `data` (a tensor of `shape`, row-major) as `grid` block means: out[i, j] = mean of the rows
 * ⌊i·R/r⌋ … ⌊(i+1)·R/r⌋ − 1 and columns ⌊j·C/c⌋ … ⌊(j+1)·C/c⌋ − 1 of the [R, C] matrix view.
 */
export function downsample(data: FloatArray, shape: readonly number[], grid: readonly number[]): Float32Array {
  const R = shape[0] ?? 1;
  const C = data.length / R;
  const r = grid[0];
  const c = grid.length === 1 ? 1 : grid[1];
  const out = new Float32Array(r * c);
  if (r * c === data.length) {
    out.set(data);
    return out;
  }
  const cols = grid.length === 1 ? 1 : C;
  const rowsIn = grid.length === 1 ? data.length : R;
  for (let i = 0; i < r; i++) {
    const r0 = Math.floor((i * rowsIn) / r);
    const r1 = Math.floor(((i + 1) * rowsIn) / r);
    for (let j = 0; j < c; j++) {
      const c0 = Math.floor((j * cols) / c);
      const c1 = Math.floor(((j + 1) * cols) / c);
      let sum = 0;
      for (let a = r0; a < r1; a++) for (let b = c0; b < c1; b++) sum += data[a * cols + b];
      out[i * c + j] = sum / ((r1 - r0) * (c1 - c0));
    }
  }
  return out;
}
