import { InvalidArgumentError, Option, type Command } from 'commander';
import type { ResolvedOptimizerConfig } from '../../core/optim/config.ts';
import { OPTIMIZER_NAMES, OPTIMIZERS, PRESETS, type OptimizerName } from '../../core/optim/registry.ts';
import { surfacePath } from '../../core/optim/path.ts';
import { SURFACE_NAMES, SURFACES, type SurfaceName } from '../../core/surfaces/index.ts';
import { UserError } from '../errors.ts';
import { addOptimizerFlags, configFromFlags, parsePair } from '../optimizer-flags.ts';
import { printJson, printLine } from '../output.ts';
import { plural } from '../../core/plural.ts';

interface PathOpts {
  surface: SurfaceName;
  optimizer: OptimizerName;
  preset?: string;
  start?: [number, number];
  steps: number;
  json?: boolean;
  [flag: string]: unknown;
}

function fmt(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-4) ? x.toExponential(6) : x.toFixed(6);
}

function hyperText(c: ResolvedOptimizerConfig): string {
  return Object.entries(c.hyperparams)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
}

export function registerPath(program: Command): void {
  const cmd = program
    .command('path')
    .description("one optimizer's path on a 2-D test surface (analytic gradients, float64)")
    .addOption(new Option('--surface <name>', 'the surface').choices(SURFACE_NAMES).makeOptionMandatory())
    .addOption(new Option('--optimizer <name>', 'the optimizer').choices(OPTIMIZER_NAMES).makeOptionMandatory())
    .addOption(new Option('--preset <name>', 'defaults and conventions of torch (default), keras or optax').choices(PRESETS))
    .addOption(new Option('--start <x,y>', "start point (default: the surface's own)").argParser(parsePair('--start', '-1.5,2')))
    .addOption(
      new Option('--steps <n>', 'number of steps')
        .argParser((text) => {
          const n = Number(text);
          if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new InvalidArgumentError(`--steps takes a whole number from 1 to 1000000, not "${text}"`);
          return n;
        })
        .default(100),
    )
    .option('--json', 'print one JSON object');
  addOptimizerFlags(cmd);
  cmd.action((opts: PathOpts) => {
    const config = configFromFlags(opts, opts.optimizer, opts.preset);
    const surface = SURFACES[opts.surface];
    const start = opts.start ?? surface.start;
    if (!start.every(Number.isFinite)) throw new UserError('--start: both coordinates must be finite numbers', 2);
    // The same function computes the dashboard playground's paths (in the renderer), so both show the same numbers.
    const { points, loss, effectiveLr, divergedAt, startLoss } = surfacePath({ surface: opts.surface, optimizer: config, start, steps: opts.steps });
    const last = points[points.length - 1];
    if (opts.json) {
      printJson({
        surface: surface.name,
        optimizer: config,
        start,
        steps: opts.steps,
        start_loss: startLoss,
        // Non-finite values (a diverged last point) are written as null, as JSON has no NaN/∞.
        path: points.map((p) => p.map((v) => (Number.isFinite(v) ? v : null))),
        loss: loss.map((v) => (Number.isFinite(v) ? v : null)),
        effective_lr: effectiveLr,
        diverged_at: divergedAt,
      });
      return;
    }
    printLine(`${OPTIMIZERS[config.name].label} (${config.preset} preset) on ${surface.label}: f = ${surface.formula}`);
    printLine(hyperText(config));
    printLine(`${'step'.padStart(6)}  ${'x'.padStart(14)}  ${'y'.padStart(14)}  ${'loss'.padStart(14)}  ${'eff. lr x'.padStart(12)}  ${'eff. lr y'.padStart(12)}`);
    printLine(`${'0'.padStart(6)}  ${fmt(start[0]).padStart(14)}  ${fmt(start[1]).padStart(14)}  ${fmt(startLoss).padStart(14)}`);
    points.forEach((p, k) =>
      printLine(
        `${String(k + 1).padStart(6)}  ${fmt(p[0]).padStart(14)}  ${fmt(p[1]).padStart(14)}  ${fmt(loss[k]).padStart(14)}  ${fmt(effectiveLr[k][0]).padStart(12)}  ${fmt(effectiveLr[k][1]).padStart(12)}`,
      ),
    );
    if (divergedAt !== null) printLine(`diverged at step ${divergedAt}: the point is no longer finite`);
    else if (last) {
      const nearest = surface.minima.reduce<number>((d, m) => Math.min(d, Math.hypot(last[0] - m[0], last[1] - m[1])), Infinity);
      printLine(`after ${plural(points.length, 'step')}: (${fmt(last[0])}, ${fmt(last[1])}), loss ${fmt(loss[loss.length - 1])}${Number.isFinite(nearest) ? `, ${fmt(nearest)} from the nearest minimum` : ''}`);
    }
  });
}
