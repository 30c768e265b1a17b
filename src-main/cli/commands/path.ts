import { InvalidArgumentError, Option, type Command } from 'commander';
import { GRADIENT_OPTIONS, resolveOptimizerConfig, type ResolvedOptimizerConfig } from '../../core/optim/config.ts';
import { ConfigError } from '../../core/optim/errors.ts';
import type { ParamSpec, ParamValue } from '../../core/optim/params.ts';
import { OPTIMIZER_NAMES, OPTIMIZERS, PRESETS, type OptimizerName } from '../../core/optim/registry.ts';
import { runPath } from '../../core/optim/replay.ts';
import { SURFACE_NAMES, SURFACES, type SurfaceName } from '../../core/surfaces/index.ts';
import { UserError } from '../errors.ts';
import { printJson, printLine } from '../output.ts';

/** One generated flag: a hyperparameter (of some optimizers) or a gradient option (of all). */
export interface HyperparamFlag {
  readonly name: string;
  readonly flag: string;
  readonly spec: ParamSpec;
  readonly target: 'hyperparams' | 'gradient';
  /** Optimizers that have it (all of them for gradient options). */
  readonly optimizers: readonly OptimizerName[];
}

export const kebab = (name: string) => name.replace(/_/g, '-').toLowerCase();

/** Every hyperparameter of every optimizer, once per name, plus the gradient options. */
export function hyperparamFlags(): HyperparamFlag[] {
  const byName = new Map<string, { spec: ParamSpec; optimizers: OptimizerName[] }>();
  for (const name of OPTIMIZER_NAMES)
    for (const spec of OPTIMIZERS[name].hyperparams) {
      const seen = byName.get(spec.name);
      if (!seen) byName.set(spec.name, { spec, optimizers: [name] });
      else {
        if (seen.spec.kind !== spec.kind) throw new Error(`hyperparameter ${spec.name} has kind ${seen.spec.kind} and ${spec.kind}`);
        seen.optimizers.push(name);
      }
    }
  const flags: HyperparamFlag[] = [...byName].map(([name, { spec, optimizers }]) => ({ name, flag: `--${kebab(name)}`, spec, target: 'hyperparams', optimizers }));
  for (const spec of GRADIENT_OPTIONS) flags.push({ name: spec.name, flag: `--${kebab(spec.name)}`, spec, target: 'gradient', optimizers: OPTIMIZER_NAMES });
  return flags;
}

function parseNumber(flag: string) {
  return (text: string): number => {
    const x = Number(text);
    if (text.trim() === '' || Number.isNaN(x)) throw new InvalidArgumentError(`${flag} takes a number, not "${text}"`);
    return x;
  };
}

function parsePair(flag: string) {
  return (text: string): [number, number] => {
    const parts = text.split(',');
    const xs = parts.map((p) => Number(p));
    if (parts.length !== 2 || parts.some((p) => p.trim() === '') || xs.some((x) => Number.isNaN(x)))
      throw new InvalidArgumentError(`${flag} takes two numbers separated by a comma (e.g. 0.9,0.999), not "${text}"`);
    return [xs[0], xs[1]];
  };
}

function helpOf(f: HyperparamFlag): string {
  const where = f.optimizers.length === OPTIMIZER_NAMES.length ? '' : ` [${f.optimizers.join(', ')}]`;
  const choices = f.spec.kind === 'choice' ? ` (${[...new Set(hyperChoices(f.name))].join('|')})` : '';
  return `${f.spec.help}${choices}${where}`;
}

function hyperChoices(name: string): string[] {
  return OPTIMIZER_NAMES.flatMap((o) => OPTIMIZERS[o].hyperparams.filter((h) => h.name === name).flatMap((h) => (h.kind === 'choice' ? h.choices.map((c) => c.value) : [])));
}

function optionsFor(f: HyperparamFlag): Option[] {
  switch (f.spec.kind) {
    case 'number':
      return [new Option(`${f.flag} <x>`, helpOf(f)).argParser(parseNumber(f.flag))];
    case 'pair':
      return [new Option(`${f.flag} <a,b>`, helpOf(f)).argParser(parsePair(f.flag))];
    case 'boolean':
      return [new Option(f.flag, helpOf(f)), new Option(`--no-${kebab(f.name)}`, `turn ${f.flag} off`).hideHelp()];
    case 'choice':
      return [new Option(`${f.flag} <value>`, helpOf(f))];
    case 'list':
      throw new Error(`no flag form for list hyperparameter ${f.name}`);
  }
}

/** The commander attribute of a flag (`--weight-decay` → weightDecay). */
function attributeOf(f: HyperparamFlag): string {
  return new Option(`${f.flag} <x>`).attributeName();
}

interface PathOpts {
  surface: SurfaceName;
  optimizer: OptimizerName;
  preset?: string;
  start?: [number, number];
  steps: number;
  json?: boolean;
  [flag: string]: unknown;
}

/** Builds the optimizer config from the flags; a flag that does not apply is a usage error. */
export function configFromFlags(opts: Record<string, unknown>, optimizer: OptimizerName, preset: string | undefined): ResolvedOptimizerConfig {
  const hyperparams: Record<string, ParamValue> = {};
  const gradient: Record<string, ParamValue> = {};
  for (const f of hyperparamFlags()) {
    const value = opts[attributeOf(f)];
    if (value === undefined) continue;
    if (!f.optimizers.includes(optimizer))
      throw new UserError(`${f.flag} does not apply to ${optimizer} (its hyperparameters: ${OPTIMIZERS[optimizer].hyperparams.map((h) => `--${kebab(h.name)}`).join(', ')})`, 2);
    (f.target === 'gradient' ? gradient : hyperparams)[f.name] = value as ParamValue;
  }
  try {
    return resolveOptimizerConfig({ name: optimizer, preset, hyperparams, gradient });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const name = err.field.replace(/^(hyperparams|gradient)\./, '').replace(/\[\d+\]$/, '');
    const flag = name === 'preset' ? '--preset' : `--${kebab(name)}`;
    throw new UserError(`${flag}: ${err.message.replace(/^(hyperparams|gradient)\./, '')}`, 2);
  }
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
    .addOption(new Option('--start <x,y>', "start point (default: the surface's own)").argParser(parsePair('--start')))
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
  for (const f of hyperparamFlags()) for (const o of optionsFor(f)) cmd.addOption(o);
  cmd.action((opts: PathOpts) => {
    const config = configFromFlags(opts, opts.optimizer, opts.preset);
    const surface = SURFACES[opts.surface];
    const start = opts.start ?? surface.start;
    if (!start.every(Number.isFinite)) throw new UserError('--start: both coordinates must be finite numbers', 2);
    const points = runPath(opts.surface, config, start, opts.steps, { stopOnDivergence: true });
    const last = points[points.length - 1];
    const divergedAt = last && !last.params.every(Number.isFinite) ? points.length : null;
    const loss = points.map((p) => surface.f(p.params[0], p.params[1]));
    if (opts.json) {
      printJson({
        surface: surface.name,
        optimizer: config,
        start,
        steps: opts.steps,
        start_loss: surface.f(start[0], start[1]),
        // Non-finite values (a diverged last point) are written as null, as JSON has no NaN/∞.
        path: points.map((p) => p.params.map((v) => (Number.isFinite(v) ? v : null))),
        loss: loss.map((v) => (Number.isFinite(v) ? v : null)),
        effective_lr: points.map((p) => p.effectiveLr),
        diverged_at: divergedAt,
      });
      return;
    }
    printLine(`${OPTIMIZERS[config.name].label} (${config.preset} preset) on ${surface.label}: f = ${surface.formula}`);
    printLine(hyperText(config));
    printLine(`${'step'.padStart(6)}  ${'x'.padStart(14)}  ${'y'.padStart(14)}  ${'loss'.padStart(14)}  ${'eff. lr x'.padStart(12)}  ${'eff. lr y'.padStart(12)}`);
    printLine(`${'0'.padStart(6)}  ${fmt(start[0]).padStart(14)}  ${fmt(start[1]).padStart(14)}  ${fmt(surface.f(start[0], start[1])).padStart(14)}`);
    points.forEach((p, k) =>
      printLine(
        `${String(k + 1).padStart(6)}  ${fmt(p.params[0]).padStart(14)}  ${fmt(p.params[1]).padStart(14)}  ${fmt(loss[k]).padStart(14)}  ${fmt(p.effectiveLr[0]).padStart(12)}  ${fmt(p.effectiveLr[1]).padStart(12)}`,
      ),
    );
    if (divergedAt !== null) printLine(`diverged at step ${divergedAt}: the point is no longer finite`);
    else if (last) {
      const nearest = surface.minima.reduce<number>((d, m) => Math.min(d, Math.hypot(last.params[0] - m[0], last.params[1] - m[1])), Infinity);
      printLine(`after ${points.length} steps: (${fmt(last.params[0])}, ${fmt(last.params[1])}), loss ${fmt(loss[loss.length - 1])}${Number.isFinite(nearest) ? `, ${fmt(nearest)} from the nearest minimum` : ''}`);
    }
  });
}
