// One optimizer's path on a 2-D surface, as `precond path` prints it and the dashboard's
// playground draws it: the optimizer config resolved by the registry, then runPath (analytic
// gradients, float64), with the loss and the effective step size of x and y at every iterate.
// Both doors call this function, so the CLI and the playground show the same numbers.
import { SURFACES, type Domain, type SurfaceName } from '../surfaces/index.ts';
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
   * Also stop, as diverged, once an iterate leaves this box (the playground passes its window
   * grown tenfold, surfaces' divergenceBox). Default: stop only at a non-finite coordinate.
   */
  escapeBox?: Domain;
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
  const box = req.escapeBox;
  for (const p of runPath(req.surface, optimizer, start, req.steps, { stopOnDivergence: true })) {
    const f = surface.f(p.params[0], p.params[1]);
    points.push(p.params);
    loss.push(f);
    effectiveLr.push(p.effectiveLr);
    const [x, y] = p.params;
    // Written as "not inside" so that NaN counts as outside.
    const escaped = box !== undefined && !(x >= box.x[0] && x <= box.x[1] && y >= box.y[0] && y <= box.y[1]);
    if (!(Number.isFinite(x) && Number.isFinite(y)) || escaped) {
      divergedAt = points.length;
      break;
    }
  }
  return { surface: req.surface, optimizer, start, steps: req.steps, startLoss, points, loss, effectiveLr, divergedAt };
}
