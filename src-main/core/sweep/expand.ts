// A sweep spec -> the run configs of its members, each resolved by the training loop's own
// resolver before anything is launched: a bad axis or a member config that does not resolve is
// a SweepError naming the field (`lr.count`, `optimizers[1].hyperparams.betas`, `base.training.epochs`),
// and nothing is returned. The API's sweeps.plan / sweeps.start and `precond sweep` all call
// expandSweep(); nothing else builds sweep members.
import { showValue } from '../optim/errors.ts';
import { resolveRunConfig, RunConfigError, type ResolvedRunConfig } from '../train/config.ts';
import { datasetNameOf, defaultRunName } from '../train/naming.ts';
import { MAX_SWEEP_RUNS, SweepSpecSchema, type LrAxis, type ParsedSweepSpec, type SeedAxis, type SweepOptimizer } from './spec.ts';

/** A sweep that cannot be expanded or whose member would not run; `field` is its path in the spec. */
export class SweepError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'SweepError';
  }
}

/** Which axis values one member takes (only the axes the sweep has). */
export interface SweepPoint {
  lr?: number;
  seed?: number;
  optimizer?: string;
}

export interface SweepMember {
  /** 0-based position in the sweep (optimizer outermost, then lr, then seed). */
  index: number;
  point: SweepPoint;
  /** The run's name: `sgd(lr=0.001, seed=2) · mlp · iris`. */
  name: string;
  config: ResolvedRunConfig;
}

export interface ExpandedSweep {
  name: string;
  /** The values of each axis the sweep has, in launch order. */
  lrs: number[] | null;
  seeds: number[] | null;
  optimizers: string[] | null;
  members: SweepMember[];
}

/** x rounded to 12 significant digits, so computed decades come out exact (1e-3, not 0.0010000000000000002). */
const round12 = (x: number): number => Number(x.toPrecision(12));

/** `count` values from `from` to `to` evenly spaced in log10: x_k = 10^(log10 a + k·(log10 b − log10 a)/(n − 1)), ends exact. */
export function logSpaced(from: number, to: number, count: number): number[] {
  if (count === 1) return [from];
  const a = Math.log10(from);
  const b = Math.log10(to);
  return Array.from({ length: count }, (_, k) => (k === 0 ? from : k === count - 1 ? to : round12(10 ** (a + (k * (b - a)) / (count - 1)))));
}

/** `count` values from `from` to `to` evenly spaced: x_k = a + k·(b − a)/(n − 1), ends exact. */
export function linearSpaced(from: number, to: number, count: number): number[] {
  if (count === 1) return [from];
  return Array.from({ length: count }, (_, k) => (k === 0 ? from : k === count - 1 ? to : round12(from + (k * (to - from)) / (count - 1))));
}

/** The learning rates of an lr axis; a value given twice is an error naming it. */
export function lrValues(axis: LrAxis): number[] {
  if (axis.kind === 'list') {
    noRepeats(axis.values, 'lr.values');
    return [...axis.values];
  }
  if (axis.from === axis.to) throw new SweepError('lr.to', `lr.to: expected a learning rate different from lr.from (${showValue(axis.from)})`);
  return axis.kind === 'log' ? logSpaced(axis.from, axis.to, axis.count) : linearSpaced(axis.from, axis.to, axis.count);
}

/** The seeds of a seed axis: from, from+1, ..., or the list. */
export function seedValues(axis: SeedAxis): number[] {
  if (axis.kind === 'list') {
    noRepeats(axis.values, 'seed.values');
    return [...axis.values];
  }
  if (axis.from + axis.count - 1 > 2 ** 31 - 1) throw new SweepError('seed.from', `seed.from: expected a seed ≤ ${2 ** 31 - axis.count}, found ${axis.from}`);
  return Array.from({ length: axis.count }, (_, k) => axis.from + k);
}

/** Each value once: a repeat is a SweepError naming both places. `key` says when two values are the same. */
function noRepeats<T>(values: readonly T[], field: string, key: (v: T) => unknown = (v) => v): void {
  const seen = new Map<unknown, number>();
  values.forEach((v, i) => {
    const first = seen.get(key(v));
    if (first !== undefined) throw new SweepError(`${field}[${i}]`, `${field}[${i}]: ${showValue(v)} is already ${field}[${first}]; each value once`);
    seen.set(key(v), i);
  });
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out;
}

/** The spec checked against its schema; the first problem as a SweepError naming its field. */
export function parseSweepSpec(input: unknown): ParsedSweepSpec {
  const parsed = SweepSpecSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  if (issue.code === 'unrecognized_keys') {
    const where = pathText(issue.path);
    const field = `${where ? where + '.' : ''}${issue.keys[0]}`;
    throw new SweepError(field, `unknown field ${field} in the sweep (it takes name, base, lr, seed, optimizers)`);
  }
  const field = pathText(issue.path) || '(the sweep)';
  let value: unknown = input;
  for (const p of issue.path) value = typeof value === 'object' && value !== null ? (value as Record<PropertyKey, unknown>)[p] : undefined;
  throw new SweepError(field, `${field}: expected ${issue.message.replace(/^Invalid input: /, '')}, found ${showValue(value)}`);
}

/** `0.001`, `1e-4`, `3.16e-4`: short and exact enough to tell the members apart. */
export function formatLr(lr: number): string {
  const short = Number(lr.toPrecision(3));
  return Math.abs(short) >= 1e-3 && Math.abs(short) < 1e4 ? String(short) : short.toExponential().replace('e+', 'e');
}

function axesText(lrs: number[] | null, seeds: number[] | null, optimizers: string[] | null): string {
  const parts: string[] = [];
  if (optimizers) parts.push(optimizers.join(' / '));
  if (lrs) parts.push(lrs.length === 1 ? `lr ${formatLr(lrs[0])}` : `lr ${formatLr(Math.min(...lrs))}…${formatLr(Math.max(...lrs))} ×${lrs.length}`);
  if (seeds) parts.push(seeds.length === 1 ? `seed ${seeds[0]}` : `${seeds.length} seeds`);
  return parts.join(', ');
}

/** The member's config: the base with this optimizer, lr and seed put in. */
function memberInput(base: Record<string, unknown>, optimizer: SweepOptimizer | null, lr: number | undefined, seed: number | undefined): Record<string, unknown> {
  const config = structuredClone(base);
  const baseOptimizer = (typeof config.optimizer === 'object' && config.optimizer !== null ? config.optimizer : {}) as Record<string, unknown>;
  let opt: Record<string, unknown> = { ...baseOptimizer };
  if (optimizer) {
    // Another optimizer than the base's starts from its own preset defaults; the same one keeps the form's values.
    const same = optimizer.name === baseOptimizer.name;
    opt = {
      name: optimizer.name,
      ...(optimizer.preset !== undefined ? { preset: optimizer.preset } : same && baseOptimizer.preset !== undefined ? { preset: baseOptimizer.preset } : {}),
      hyperparams: optimizer.hyperparams ?? (same ? baseOptimizer.hyperparams : undefined) ?? {},
      ...(baseOptimizer.gradient !== undefined ? { gradient: baseOptimizer.gradient } : {}),
    };
  }
  if (lr !== undefined) opt.hyperparams = { ...((opt.hyperparams as Record<string, unknown> | undefined) ?? {}), lr };
  config.optimizer = opt;
  if (seed !== undefined) {
    const training = typeof config.training === 'object' && config.training !== null ? config.training : {};
    config.training = { ...training, seed };
  }
  return config;
}

/** Where a member's config error belongs in the spec: the axis that made the value, else the base. */
function specField(configField: string, point: SweepPoint, optimizerIndex: number | null): string {
  if (configField === 'optimizer.hyperparams.lr' && point.lr !== undefined) return 'lr';
  if (configField === 'training.seed' && point.seed !== undefined) return 'seed';
  if (optimizerIndex !== null && (configField === 'optimizer' || configField.startsWith('optimizer.'))) return `optimizers[${optimizerIndex}]${configField.slice('optimizer'.length)}`;
  return `base.${configField}`;
}

function pointText(point: SweepPoint): string {
  const parts: string[] = [];
  if (point.optimizer !== undefined) parts.push(`optimizer ${point.optimizer}`);
  if (point.lr !== undefined) parts.push(`lr ${formatLr(point.lr)}`);
  if (point.seed !== undefined) parts.push(`seed ${point.seed}`);
  return parts.join(', ');
}

/**
 * Expands a sweep into its members (optimizer outermost, then lr, then seed) and resolves each
 * member's config. Throws SweepError naming the first bad field; returns only when every member
 * would run.
 */
export function expandSweep(input: unknown): ExpandedSweep {
  const spec = parseSweepSpec(input);
  if (!spec.lr && !spec.seed && !spec.optimizers) {
    throw new SweepError('lr', 'a sweep needs at least one axis: lr (learning rates), seed (seeds) or optimizers');
  }
  const lrs = spec.lr ? lrValues(spec.lr) : null;
  const seeds = spec.seed ? seedValues(spec.seed) : null;
  if (spec.optimizers) noRepeats(spec.optimizers, 'optimizers', (o) => JSON.stringify([o.name, o.preset ?? null, o.hyperparams ?? null]));
  const optimizerAxis: (SweepOptimizer | null)[] = spec.optimizers ?? [null];
  const total = optimizerAxis.length * (lrs?.length ?? 1) * (seeds?.length ?? 1);
  if (total > MAX_SWEEP_RUNS) {
    const sizes = [spec.optimizers && `${spec.optimizers.length} optimizers`, lrs && `${lrs.length} learning rates`, seeds && `${seeds.length} seeds`].filter(Boolean).join(' × ');
    throw new SweepError(spec.seed ? 'seed' : spec.lr ? 'lr' : 'optimizers', `this sweep is ${sizes} = ${total} runs; at most ${MAX_SWEEP_RUNS} runs at once`);
  }

  const members: SweepMember[] = [];
  optimizerAxis.forEach((optimizer, oi) => {
    for (const lr of lrs ?? [undefined]) {
      for (const seed of seeds ?? [undefined]) {
        const point: SweepPoint = {};
        if (optimizer) point.optimizer = optimizer.name;
        if (lr !== undefined) point.lr = lr;
        if (seed !== undefined) point.seed = seed;
        let config: ResolvedRunConfig;
        try {
          config = resolveRunConfig(memberInput(spec.base, optimizer, lr, seed));
        } catch (err) {
          if (!(err instanceof RunConfigError)) throw err;
          const field = specField(err.field, point, optimizer ? oi : null);
          const what = pointText(point);
          throw new SweepError(field, `${what ? `run ${members.length + 1} of ${total} (${what})` : `run ${members.length + 1} of ${total}`}: ${err.message}`);
        }
        const lrOf = config.optimizer.hyperparams.lr;
        const args = [`lr=${formatLr(lrOf)}`, ...(seed !== undefined ? [`seed=${seed}`] : [])].join(', ');
        members.push({ index: members.length, point, name: defaultRunName(config, args), config });
      }
    }
  });

  const first = members[0].config;
  const optimizers = spec.optimizers ? spec.optimizers.map((o) => o.name) : null;
  const what = axesText(lrs, seeds, optimizers);
  const name = spec.name ?? `${optimizers ? '' : `${first.optimizer.name} `}${what} · ${first.model.kind} · ${datasetNameOf(first.data.source)}`;
  return { name, lrs, seeds, optimizers, members };
}
