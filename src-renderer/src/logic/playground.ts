// The playground view's logic: its paths are computed here in the renderer, by the same core
// function as `precond path` (playgroundPath → surfacePath). Why in the renderer rather than
// through an API method: the core is pure TypeScript (lint-enforced: no Node imports), vite
// bundles it like any module, a few thousand 2-D steps take milliseconds, and a click on the plot
// then redraws at once with no round trip, no protocol schema and no server state — the same in
// Electron and in browser mode.
import type { SurfacePath } from '../../../src-main/core/optim/path.ts';
import { OPTIMIZERS, type OptimizerName } from '../../../src-main/core/optim/registry.ts';
import { curvature, sgdStepLimits, SURFACES, type SurfaceName } from '../../../src-main/core/surfaces/index.ts';
import { pathOutcome, playgroundPath, type PathOutcome } from '../../../src-main/core/surfaces/playground.ts';
import { formatNumber } from '../charts/format.ts';

export { PLAYGROUND_PRESETS, findPreset, type PlaygroundPreset } from '../../../src-main/core/surfaces/playground.ts';

export interface PlaygroundRow {
  optimizer: OptimizerName;
  lr: number;
  note?: string;
}

export type RowResult = { ok: true; path: SurfacePath; outcome: PathOutcome } | { ok: false; error: string };

/** "Converged" on a surface without a preset: within 1% of the window's width of a minimum. */
export function defaultTolerance(surface: SurfaceName): number {
  const [lo, hi] = SURFACES[surface].domain.x;
  return 0.01 * (hi - lo);
}

/** One row's path, or the config error that stopped it (e.g. lr ≤ 0) naming the field. */
export function computeRow(surface: SurfaceName, row: PlaygroundRow, start: readonly [number, number], steps: number, tolerance: number): RowResult {
  try {
    const path = playgroundPath(surface, row, start, steps);
    return { ok: true, path, outcome: pathOutcome(path, tolerance) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

/** How the path ended, in a few words. */
export function outcomeText(outcome: PathOutcome, tolerance: number, steps: number, finalLoss: number): string {
  switch (outcome.kind) {
    case 'diverged':
      return `diverged at step ${outcome.atStep}`;
    case 'converged':
      return `within ${formatNumber(tolerance, 3)} of the minimum from step ${outcome.withinFrom}`;
    case 'short':
      return outcome.distance === null ? `loss ${formatNumber(finalLoss, 3)} after ${steps} steps` : `${formatNumber(outcome.distance, 3)} from the minimum after ${steps} steps`;
  }
}

export function optimizerLabel(name: OptimizerName): string {
  return OPTIMIZERS[name].label;
}

/**
 * The curvature at the surface's (first) minimum, or at the saddle point, and what it means for
 * plain SGD there: lr > 2/L diverges, 2/(L + μ) is the fastest.
 */
export function curvatureText(surface: SurfaceName): string {
  const s = SURFACES[surface];
  const [x, y] = s.minima[0] ?? [0, 0];
  const [lo, hi] = curvature(s, x, y);
  const where = s.minima.length ? `at the minimum (${formatNumber(x, 3)}, ${formatNumber(y, 3)})` : `at the saddle point (${x}, ${y})`;
  const eig = `Hessian eigenvalues ${where}: ${formatNumber(lo, 3)} and ${formatNumber(hi, 3)}`;
  if (!(lo > 0)) return `${eig} — no step size converges to a saddle.`;
  const lim = sgdStepLimits(lo, hi);
  return `${eig} (condition number ${formatNumber(hi / lo, 3)}); near it SGD diverges above lr = 2/L = ${formatNumber(lim.divergesAbove, 3)} and is fastest at 2/(L + μ) = ${formatNumber(lim.best, 3)}.`;
}
