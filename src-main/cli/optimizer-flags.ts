// The optimizer's flags, generated from the registry: every hyperparameter of every optimizer
// (torch's spelling, kebab-cased: --weight-decay, --betas 0.9,0.999, --amsgrad / --no-amsgrad)
// and the gradient options, shared by every command that configures an optimizer (path, train).
import { InvalidArgumentError, Option, type Command } from 'commander';
import { GRADIENT_OPTIONS, resolveOptimizerConfig, type ResolvedOptimizerConfig } from '../core/optim/config.ts';
import { ConfigError } from '../core/optim/errors.ts';
import type { ParamSpec, ParamValue } from '../core/optim/params.ts';
import { OPTIMIZER_NAMES, OPTIMIZERS, type OptimizerName } from '../core/optim/registry.ts';
import { UserError } from './errors.ts';

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

export function parseNumber(flag: string) {
  return (text: string): number => {
    const x = Number(text);
    if (text.trim() === '' || Number.isNaN(x)) throw new InvalidArgumentError(`${flag} takes a number, not "${text}"`);
    return x;
  };
}

/** Two numbers "a,b"; `example` is a value that makes sense for this flag (betas: 0.9,0.999). */
export function parsePair(flag: string, example: string) {
  return (text: string): [number, number] => {
    const parts = text.split(',');
    const xs = parts.map((p) => Number(p));
    if (parts.length !== 2 || parts.some((p) => p.trim() === '') || xs.some((x) => Number.isNaN(x)))
      throw new InvalidArgumentError(`${flag} takes two numbers separated by a comma (e.g. ${example}), not "${text}"`);
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

/** The torch default of a pair hyperparameter, as typed on the command line ("0.9,0.999"). */
function pairExample(f: HyperparamFlag): string {
  for (const o of f.optimizers) {
    const spec = OPTIMIZERS[o].hyperparams.find((h) => h.name === f.name);
    if (spec && Array.isArray(spec.defaults.torch)) return spec.defaults.torch.join(',');
  }
  return '1,2';
}

function optionsFor(f: HyperparamFlag): Option[] {
  switch (f.spec.kind) {
    case 'number':
      return [new Option(`${f.flag} <x>`, helpOf(f)).argParser(parseNumber(f.flag))];
    case 'pair':
      return [new Option(`${f.flag} <a,b>`, helpOf(f)).argParser(parsePair(f.flag, pairExample(f)))];
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

/** Adds every hyperparameter and gradient flag to `cmd`. */
export function addOptimizerFlags(cmd: Command): Command {
  for (const f of hyperparamFlags()) for (const o of optionsFor(f)) cmd.addOption(o);
  return cmd;
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
