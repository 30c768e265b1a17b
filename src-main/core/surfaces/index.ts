// 2-D test functions for the optimizer playground, with analytic gradients.

export const SURFACE_NAMES = ['valley', 'rosenbrock', 'beale', 'himmelblau', 'saddle'] as const;
export type SurfaceName = (typeof SURFACE_NAMES)[number];

/** An axis-aligned box: [xmin, xmax], [ymin, ymax]. */
export interface Domain {
  readonly x: readonly [number, number];
  readonly y: readonly [number, number];
}

export interface Surface {
  readonly name: SurfaceName;
  readonly label: string;
  readonly formula: string;
  /** What it shows about optimizers, in one sentence. */
  readonly summary: string;
  f(x: number, y: number): number;
  /** [∂f/∂x, ∂f/∂y]. */
  grad(x: number, y: number): [number, number];
  /** The Hessian's entries [∂²f/∂x², ∂²f/∂x∂y, ∂²f/∂y²] (the curvature that bounds a stable step size). */
  hessian(x: number, y: number): [number, number, number];
  /** A start point that shows the surface's difficulty. */
  readonly start: readonly [number, number];
  /** A plotting window: [xmin, xmax], [ymin, ymax]. */
  readonly domain: Domain;
  /** Global minima (empty for the saddle, which has none). */
  readonly minima: readonly (readonly [number, number])[];
}

export const SURFACES: { readonly [N in SurfaceName]: Surface } = {
  valley: {
    name: 'valley',
    label: 'Long narrow valley',
    formula: '0.5·(x² + 100·y²)',
    summary: 'Curvature 100 times larger across the valley than along it: one global step size must be tiny for y and is then far too small for x.',
    f: (x, y) => 0.5 * (x * x + 100 * y * y),
    grad: (x, y) => [x, 100 * y],
    hessian: () => [1, 0, 100],
    start: [2, 1],
    domain: { x: [-2.5, 2.5], y: [-1.25, 1.25] },
    minima: [[0, 0]],
  },
  rosenbrock: {
    name: 'rosenbrock',
    label: 'Rosenbrock',
    formula: '(1 − x)² + 100·(y − x²)²',
    summary: 'A curved banana-shaped valley: easy to reach, slow to follow to the minimum at (1, 1).',
    f: (x, y) => (1 - x) ** 2 + 100 * (y - x * x) ** 2,
    grad: (x, y) => [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)],
    // f_xx = 2 − 400(y − x²) + 800x², f_xy = −400x, f_yy = 200
    hessian: (x, y) => [2 - 400 * y + 1200 * x * x, -400 * x, 200],
    start: [-1.5, 2],
    domain: { x: [-2, 2], y: [-1, 3] },
    minima: [[1, 1]],
  },
  beale: {
    name: 'beale',
    label: 'Beale',
    formula: '(1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²',
    summary: 'Flat plateaus and sharp ridges, with the minimum at (3, 0.5) in a narrow curved basin.',
    f: (x, y) => (1.5 - x + x * y) ** 2 + (2.25 - x + x * y * y) ** 2 + (2.625 - x + x * y ** 3) ** 2,
    grad: (x, y) => {
      const a = 1.5 - x + x * y;
      const b = 2.25 - x + x * y * y;
      const c = 2.625 - x + x * y ** 3;
      return [2 * a * (y - 1) + 2 * b * (y * y - 1) + 2 * c * (y ** 3 - 1), 2 * a * x + 4 * b * x * y + 6 * c * x * y * y];
    },
    hessian: (x, y) => {
      // f = a² + b² + c² with a, b, c linear in x: f_xx = 2Σ(∂ₓr)², f_xy = 2Σ(∂ₓr·∂ᵧr + r·∂ₓᵧr), f_yy = 2Σ((∂ᵧr)² + r·∂ᵧᵧr).
      const a = 1.5 - x + x * y;
      const b = 2.25 - x + x * y * y;
      const c = 2.625 - x + x * y ** 3;
      const [ax, bx, cx] = [y - 1, y * y - 1, y ** 3 - 1];
      const [ay, by, cy] = [x, 2 * x * y, 3 * x * y * y];
      return [
        2 * (ax * ax + bx * bx + cx * cx),
        2 * (ax * ay + a + bx * by + b * 2 * y + cx * cy + c * 3 * y * y),
        2 * (ay * ay + by * by + b * 2 * x + cy * cy + c * 6 * x * y),
      ];
    },
    start: [1, 1.5],
    domain: { x: [-4.5, 4.5], y: [-4.5, 4.5] },
    minima: [[3, 0.5]],
  },
  himmelblau: {
    name: 'himmelblau',
    label: 'Himmelblau',
    formula: '(x² + y − 11)² + (x + y² − 7)²',
    summary: 'Four equal minima: which one an optimizer reaches depends on its path, not just the start.',
    f: (x, y) => (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2,
    grad: (x, y) => {
      const a = x * x + y - 11;
      const b = x + y * y - 7;
      return [4 * x * a + 2 * b, 2 * a + 4 * y * b];
    },
    hessian: (x, y) => {
      // a = x² + y − 11, b = x + y² − 7: f_xx = 4a + 8x² + 2, f_xy = 4x + 4y, f_yy = 2 + 4b + 8y²
      const a = x * x + y - 11;
      const b = x + y * y - 7;
      return [4 * a + 8 * x * x + 2, 4 * x + 4 * y, 2 + 4 * b + 8 * y * y];
    },
    start: [0, 0],
    domain: { x: [-5, 5], y: [-5, 5] },
    minima: [
      [3, 2],
      [-2.805118, 3.131312],
      [-3.77931, -3.283186],
      [3.584428, -1.848126],
    ],
  },
  saddle: {
    name: 'saddle',
    label: 'Saddle',
    formula: 'x² − y²',
    summary: 'A saddle point at the origin: started near the ridge, a small gradient along y must grow before the optimizer escapes.',
    f: (x, y) => x * x - y * y,
    grad: (x, y) => [2 * x, -2 * y],
    hessian: () => [2, 0, -2],
    start: [1, 1e-3],
    domain: { x: [-1.5, 1.5], y: [-1.5, 1.5] },
    minima: [],
  },
};

export function isSurfaceName(x: unknown): x is SurfaceName {
  return typeof x === 'string' && (SURFACE_NAMES as readonly string[]).includes(x);
}

/** The Hessian's eigenvalues at (x, y), smallest first: λ = (h_xx + h_yy)/2 ∓ √(((h_xx − h_yy)/2)² + h_xy²). */
export function curvature(surface: Surface, x: number, y: number): [number, number] {
  const [hxx, hxy, hyy] = surface.hessian(x, y);
  const mean = (hxx + hyy) / 2;
  const radius = Math.hypot((hxx - hyy) / 2, hxy);
  return [mean - radius, mean + radius];
}

/**
 * The plain-gradient-descent step sizes that curvature λ_min ≤ λ_max (μ, L) allows on a quadratic:
 * the step multiplies each eigen-direction by (1 − lr·λ), so lr > 2/L diverges, and
 * lr = 2/(L + μ) is the fastest, contracting by (L − μ)/(L + μ) per step.
 */
export function sgdStepLimits(lambdaMin: number, lambdaMax: number): { divergesAbove: number; best: number; bestRate: number } {
  return { divergesAbove: 2 / lambdaMax, best: 2 / (lambdaMax + lambdaMin), bestRate: (lambdaMax - lambdaMin) / (lambdaMax + lambdaMin) };
}

/** The surface's window grown `factor` times about its centre: c ± factor·(half width); a path that leaves it has run away. */
export function divergenceBox(surface: Surface, factor = 10): Domain {
  const grow = ([lo, hi]: readonly [number, number]): [number, number] => [(lo + hi) / 2 - (factor * (hi - lo)) / 2, (lo + hi) / 2 + (factor * (hi - lo)) / 2];
  return { x: grow(surface.domain.x), y: grow(surface.domain.y) };
}
