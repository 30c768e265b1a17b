// Synthetic data for the gallery: deterministic (seeded) so screenshots and tests are repeatable.
// The optimizers here are tiny stand-ins for drawing sample paths; the app's paths come from the
// core optimizers via the backend API.

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A noisy decaying training loss: floor + (start − floor)·exp(−step/τ), times log-normal noise. */
export function lossCurve(seed: number, start: number, floor: number, tau: number, noise: number): (step: number) => number {
  const rand = prng(seed);
  return (step) => (floor + (start - floor) * Math.exp(-step / tau)) * Math.exp(noise * (rand() + rand() + rand() - 1.5));
}

/**
 * An Adam-like effective step size for a 784-input layer at training step t:
 * lr / (√v + ε), with v the squared gradient of input pixel (i mod 28, i div 28) — large in the
 * middle of the image, tiny (and exactly zero for a few border pixels) at the edges.
 */
export function effectiveStepMatrix(rows: number, cols: number, t: number, lr = 1e-3, eps = 1e-8): Float32Array {
  const out = new Float32Array(rows * cols);
  const side = Math.round(Math.sqrt(cols));
  const rand = prng(1000 + t);
  for (let r = 0; r < rows; r++) {
    const rowScale = 0.3 + 1.7 * ((r * 37) % rows) / rows;
    for (let c = 0; c < cols; c++) {
      const px = (c % side) / (side - 1) - 0.5;
      const py = Math.floor(c / side) / (side - 1) - 0.5;
      const centre = Math.exp(-(px * px + py * py) * 14);
      const g = centre < 0.004 ? 0 : 1e-3 * rowScale * centre * (1 + 0.3 * rand()) * Math.exp(-t / 60);
      out[r * cols + c] = lr / (Math.sqrt(g * g) + eps);
    }
  }
  return out;
}

/** An effective step per bias entry: lr / (|g| + ε) with row-dependent gradient scales. */
export function effectiveStepBias(rows: number, t: number, lr = 1e-3, eps = 1e-8): Float32Array {
  const rand = prng(5000 + t);
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) out[r] = lr / (1e-3 * (0.2 + ((r * 53) % rows) / rows) * (1 + 0.3 * rand()) * Math.exp(-t / 80) + eps);
  return out;
}

export function paramMatrix(rows: number, cols: number, seed: number): Float32Array {
  const rand = prng(seed);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = (rand() - 0.5) * 0.1;
  return out;
}

/** A small matrix with some non-finite and ≤ 0 entries, to show the distinct colour. */
export function smallMatrixWithInvalid(rows: number, cols: number, t: number): Float32Array {
  const rand = prng(77 + t);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < out.length; i++) out[i] = 10 ** (-4 + 3 * rand() - t / 40);
  out[3] = NaN;
  out[cols + 5] = 0;
  out[2 * cols + 1] = Infinity;
  out[out.length - 1] = -1e-3;
  return out;
}

export type Grad = (x: number, y: number) => [number, number];

/** Plain SGD: θ ← θ − lr·g. */
export function sgdPath(grad: Grad, start: [number, number], lr: number, steps: number): [number, number][] {
  const pts: [number, number][] = [start];
  let [x, y] = start;
  for (let k = 0; k < steps; k++) {
    const [gx, gy] = grad(x, y);
    x -= lr * gx;
    y -= lr * gy;
    pts.push([x, y]);
  }
  return pts;
}

/** Adam (torch defaults): m ← β1 m + (1−β1) g, v ← β2 v + (1−β2) g², θ ← θ − lr·m̂/(√v̂ + ε). */
export function adamPath(grad: Grad, start: [number, number], lr: number, steps: number, b1 = 0.9, b2 = 0.999, eps = 1e-8): [number, number][] {
  const pts: [number, number][] = [start];
  const th = [...start];
  const m = [0, 0];
  const v = [0, 0];
  for (let k = 1; k <= steps; k++) {
    const g = grad(th[0], th[1]);
    for (let i = 0; i < 2; i++) {
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      th[i] -= (lr * (m[i] / (1 - b1 ** k))) / (Math.sqrt(v[i] / (1 - b2 ** k)) + eps);
    }
    pts.push([th[0], th[1]]);
  }
  return pts;
}

/** RMSprop (torch defaults): v ← α v + (1−α) g², θ ← θ − lr·g/(√v + ε). */
export function rmspropPath(grad: Grad, start: [number, number], lr: number, steps: number, alpha = 0.99, eps = 1e-8): [number, number][] {
  const pts: [number, number][] = [start];
  const th = [...start];
  const v = [0, 0];
  for (let k = 0; k < steps; k++) {
    const g = grad(th[0], th[1]);
    for (let i = 0; i < 2; i++) {
      v[i] = alpha * v[i] + (1 - alpha) * g[i] * g[i];
      th[i] -= (lr * g[i]) / (Math.sqrt(v[i]) + eps);
    }
    pts.push([th[0], th[1]]);
  }
  return pts;
}

/** Linear warm-up then cosine decay to 0: lr·k/w for k < w, then lr·½(1 + cos(π (k−w)/(n−w))). */
export function warmupCosine(n: number, lr: number, warmup: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = k < warmup ? (lr * (k + 1)) / warmup : lr * 0.5 * (1 + Math.cos((Math.PI * (k - warmup)) / (n - warmup)));
  return out;
}

/** Step decay: lr·γ^⌊k/every⌋. */
export function stepDecay(n: number, lr: number, every: number, gamma: number): Float64Array {
  const out = new Float64Array(n);
  for (let k = 0; k < n; k++) out[k] = lr * gamma ** Math.floor(k / every);
  return out;
}
