// 2-D test functions for the optimizer playground, with analytic gradients.

export const SURFACE_NAMES = ['valley', 'rosenbrock', 'beale', 'himmelblau', 'saddle'] as const;
export type SurfaceName = (typeof SURFACE_NAMES)[number];

export interface Surface {
  readonly name: SurfaceName;
  readonly label: string;
  readonly formula: string;
  /** What it shows about optimizers, in one sentence. */
  readonly summary: string;
  f(x: number, y: number): number;
  /** [∂f/∂x, ∂f/∂y]. */
  grad(x: number, y: number): [number, number];
  /** A start point that shows the surface's difficulty. */
  readonly start: readonly [number, number];
  /** A plotting window: [xmin, xmax], [ymin, ymax]. */
  readonly domain: { readonly x: readonly [number, number]; readonly y: readonly [number, number] };
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
    start: [1, 1e-3],
    domain: { x: [-1.5, 1.5], y: [-1.5, 1.5] },
    minima: [],
  },
};

export function isSurfaceName(x: unknown): x is SurfaceName {
  return typeof x === 'string' && (SURFACE_NAMES as readonly string[]).includes(x);
}
