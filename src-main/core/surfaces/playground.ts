// The 2-D playground's model: one optimizer's path as the playground computes it (surfacePath,
// the function behind `precond path`, plus a run-away rule), the presets for the brief's cases,
// and how a path ended. The presets' learning rates are derived from the valley's curvature, not
// picked by eye; test/unit/surfaces/playground.test.ts runs every preset through playgroundPath
// and checks that each path ends the way it `expect`s.
import { surfacePath, type SurfacePath } from '../optim/path.ts';
import type { OptimizerName } from '../optim/registry.ts';
import { curvature, divergenceBox, sgdStepLimits, SURFACES, type SurfaceName } from './index.ts';

/** How a path of a preset is meant to end (checked by the tests, shown by the playground). */
export type ExpectedOutcome = 'diverges' | 'crawls' | 'falls-short' | 'converges';

export interface PlaygroundRun {
  optimizer: OptimizerName;
  lr: number;
  /** Why this lr, in a few words (shown beside the legend). */
  note: string;
  expect?: ExpectedOutcome;
}

export interface PlaygroundPreset {
  id: string;
  label: string;
  description: string;
  surface: SurfaceName;
  start: [number, number];
  steps: number;
  /** "Converged" means ending within this distance of a minimum. */
  tolerance: number;
  runs: PlaygroundRun[];
}

const [valleyMu, valleyL] = curvature(SURFACES.valley, 0, 0); // 1 and 100: condition number 100
const valleySgd = sgdStepLimits(valleyMu, valleyL); // diverges above 2/L = 0.02; best 2/(L + μ) = 2/101

/** Rounded to 3 significant digits, so the legend shows the same number the path used. */
const round3 = (v: number): number => Number(v.toPrecision(3));

export const PLAYGROUND_PRESETS: readonly PlaygroundPreset[] = [
  {
    id: 'sgd-three-lrs',
    label: 'SGD: diverge, crawl, converge',
    description: `The same SGD on the valley (curvature ${valleyMu} along it, ${valleyL} across): a step multiplies each direction by (1 − lr·λ), so lr above 2/L = ${valleySgd.divergesAbove} diverges, a tiny lr crawls along the valley floor, and lr = 2/(L + μ) converges fastest.`,
    surface: 'valley',
    start: [-2, 0.3],
    steps: 300,
    tolerance: 0.01,
    runs: [
      { optimizer: 'sgd', lr: round3(1.05 * valleySgd.divergesAbove), note: '1.05 × 2/L', expect: 'diverges' },
      { optimizer: 'sgd', lr: round3(0.05 * valleySgd.divergesAbove), note: '0.05 × 2/L', expect: 'crawls' },
      { optimizer: 'sgd', lr: round3(valleySgd.best), note: '2/(L + μ), the best', expect: 'converges' },
    ],
  },
  {
    id: 'valley-adaptive',
    label: 'Narrow valley: Adam and RMSprop vs SGD',
    description: `SGD at its best stable lr 2/(L + μ) still zig-zags across the valley and contracts only by (L − μ)/(L + μ) = ${round3(valleySgd.bestRate)} per step; Adam and RMSprop divide each coordinate's step by its own gradient scale and walk straight to the minimum.`,
    surface: 'valley',
    start: [SURFACES.valley.start[0], SURFACES.valley.start[1]],
    steps: 100,
    tolerance: 0.05,
    runs: [
      { optimizer: 'sgd', lr: round3(valleySgd.best), note: '2/(L + μ), its best', expect: 'falls-short' },
      { optimizer: 'adam', lr: 0.1, note: 'per-coordinate scale', expect: 'converges' },
      { optimizer: 'rmsprop', lr: 0.02, note: 'per-coordinate scale', expect: 'converges' },
    ],
  },
];

/**
 * One optimizer's path as the playground draws it: surfacePath with the optimizer's torch
 * defaults except lr, stopped as diverged at a non-finite point or once it leaves the surface's
 * window grown tenfold (far outside the plot, it only runs further away).
 */
export function playgroundPath(surface: SurfaceName, run: { optimizer: OptimizerName; lr: number }, start: readonly [number, number], steps: number): SurfacePath {
  return surfacePath({ surface, optimizer: { name: run.optimizer, hyperparams: { lr: run.lr } }, start, steps, escapeBox: divergenceBox(SURFACES[surface]) });
}

export function findPreset(id: string): PlaygroundPreset | undefined {
  return PLAYGROUND_PRESETS.find((p) => p.id === id);
}

/** Euclidean distance from (x, y) to the surface's nearest minimum; null for a surface without one (the saddle). */
export function distanceToMinimum(surface: SurfaceName, x: number, y: number): number | null {
  const minima = SURFACES[surface].minima;
  if (minima.length === 0) return null;
  return Math.min(...minima.map(([mx, my]) => Math.hypot(x - mx, y - my)));
}

export type PathOutcome =
  | { kind: 'diverged'; atStep: number }
  | { kind: 'converged'; distance: number; /** The first step from which the path stays within the tolerance. */ withinFrom: number }
  /** Not within the tolerance after the steps taken (distance null on a surface without a minimum). */
  | { kind: 'short'; distance: number | null; startDistance: number | null };

/** How a path ended: diverged, converged (its last point within `tolerance` of a minimum), or short of it. */
export function pathOutcome(
  path: { surface: SurfaceName; start: readonly [number, number]; points: readonly (readonly [number, number])[]; divergedAt: number | null },
  tolerance: number,
): PathOutcome {
  if (path.divergedAt !== null) return { kind: 'diverged', atStep: path.divergedAt };
  const distanceAt = (k: number): number | null => {
    const p = k === 0 ? path.start : path.points[k - 1];
    return distanceToMinimum(path.surface, p[0], p[1]);
  };
  const n = path.points.length;
  const distance = distanceAt(n);
  if (distance === null || distance > tolerance) return { kind: 'short', distance, startDistance: distanceAt(0) };
  let k = n;
  while (k > 0 && distanceAt(k - 1)! <= tolerance) k--;
  return { kind: 'converged', distance, withinFrom: k };
}

/** Whether an outcome is what a preset expects: "crawls" = short and still more than half as far from the minimum as at the start. */
export function meetsExpectation(outcome: PathOutcome, expected: ExpectedOutcome): boolean {
  switch (expected) {
    case 'diverges':
      return outcome.kind === 'diverged';
    case 'converges':
      return outcome.kind === 'converged';
    case 'falls-short':
      return outcome.kind === 'short';
    case 'crawls':
      return outcome.kind === 'short' && outcome.distance !== null && outcome.startDistance !== null && outcome.distance > outcome.startDistance / 2;
  }
}
