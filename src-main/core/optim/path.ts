// One optimizer's path on a 2-D surface, as `precond path` prints it and the dashboard's
// playground draws it: the optimizer config resolved by the registry, then runPath (analytic
// gradients, float64), with the loss and the effective step size of x and y at every iterate.
// Both doors call this function, so the CLI and the playground show the same numbers.
import { SURFACES, type SurfaceName } from '../surfaces/index.ts';
import { resolveOptimizerConfig, type ResolvedOptimizerConfig } from './config.ts';
import { runPath } from './replay.ts';

export interface SurfacePathRequest {
  surface: SurfaceName;
  /** An optimizer config (resolved here: a bad field is a ConfigError naming it), or one already resolved. */
  optimizer: unknown;
  /** Default: the surface's own start point. */
  start?: readonly [number, number];
  steps: number;
  /**
   * Also stop once the loss exceeds this many times the start loss (the training loop's rule,
   * core/train's divergenceFactor). Default: stop only at a non-finite coordinate.
   */
  divergenceFactor?: number;
}

export interface SurfacePath {
  surface: SurfaceName;
  optimizer: ResolvedOptimizerConfig;
  start: [number, number];
  /** The steps asked for (the path is shorter when it diverged). */
  steps: number;
  startLoss: number;
  /** The iterate after each step: points[k] is after step k+1. */
  points: [number, number][];
  /** f at points[k]. */
  loss: number[];
  /** The effective step size of x and y used by step k+1. */
  effectiveLr: [number, number][];
  /** The number of steps after which the path was stopped as diverged, or null. */
  divergedAt: number | null;
}

export function surfacePath(req: SurfacePathRequest): SurfacePath {
  const surface = SURFACES[req.surface];
  const optimizer = resolveOptimizerConfig(req.optimizer);
  const start: [number, number] = req.start ? [req.start[0], req.start[1]] : [surface.start[0], surface.start[1]];
  const startLoss = surface.f(start[0], start[1]);
  const points: [number, number][] = [];
  const loss: number[] = [];
  const effectiveLr: [number, number][] = [];
  let divergedAt: number | null = null;
  const limit = req.divergenceFactor === undefined ? Infinity : req.divergenceFactor * Math.abs(startLoss);
  for (const p of runPath(req.surface, optimizer, start, req.steps, { stopOnDivergence: true })) {
    const f = surface.f(p.params[0], p.params[1]);
    points.push(p.params);
    loss.push(f);
    effectiveLr.push(p.effectiveLr);
    const escaped = req.divergenceFactor !== undefined && !(Math.abs(f) <= limit); // NaN or ±∞ loss too
    if (!(Number.isFinite(p.params[0]) && Number.isFinite(p.params[1])) || escaped) {
      divergedAt = points.length;
      break;
    }
  }
  return { surface: req.surface, optimizer, start, steps: req.steps, startLoss, points, loss, effectiveLr, divergedAt };
}
