// The schedule registry (names, labels, parameters with defaults and ranges in torch's spelling),
// the JSON config `{ name: 'cosine', T_max: 30, eta_min: 0.001 }`, its validation, and the
// per-group scheduler the optimizer facade drives.
import { ConfigError, showValue } from '../optim/errors.ts';
import {
  isPlainObject,
  nonNegative,
  nonNegativeInt,
  positive,
  positiveInt,
  unitClosed,
  validateParam,
  type ParamSpec,
  type ParamValue,
} from '../optim/params.ts';
import { ReduceLROnPlateau, type PlateauState } from './plateau.ts';
import {
  constant,
  cosine,
  cosineWarmRestarts,
  exponential,
  linear,
  multiStep,
  oneCycle,
  polynomial,
  sequential,
  stepDecay,
  type Schedule,
} from './schedules.ts';

export const SCHEDULE_NAMES = [
  'constant',
  'step',
  'multistep',
  'exponential',
  'cosine',
  'cosine_restarts',
  'linear',
  'onecycle',
  'polynomial',
  'sequential',
  'plateau',
] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

export type ResolvedScheduleConfig =
  | { name: 'constant' }
  | { name: 'step'; step_size: number; gamma: number }
  | { name: 'multistep'; milestones: number[]; gamma: number }
  | { name: 'exponential'; gamma: number }
  | { name: 'cosine'; T_max: number; eta_min: number }
  | { name: 'cosine_restarts'; T_0: number; T_mult: number; eta_min: number }
  | { name: 'linear'; start_factor: number; end_factor: number; total_iters: number }
  | {
      name: 'onecycle';
      /** null: the optimizer's lr. */
      max_lr: number | null;
      total_steps: number;
      pct_start: number;
      anneal_strategy: 'cos' | 'linear';
      div_factor: number;
      final_div_factor: number;
      three_phase: boolean;
    }
  | { name: 'polynomial'; total_iters: number; power: number }
  | { name: 'sequential'; schedules: ResolvedScheduleConfig[]; milestones: number[] }
  | {
      name: 'plateau';
      mode: 'min' | 'max';
      factor: number;
      patience: number;
      threshold: number;
      threshold_mode: 'rel' | 'abs';
      cooldown: number;
      min_lr: number;
      eps: number;
    };

/** What is stored and sent: `{ name, ...params }`, params in torch's spelling; missing ones take defaults. */
export type ScheduleConfig = { name: string } & Record<string, unknown>;

/** A parameter: `default` absent means required; `default: null` means "optional, see help". */
export type ScheduleParamSpec = (ParamSpec & { readonly default?: ParamValue | null }) | { readonly kind: 'schedules'; readonly name: 'schedules'; readonly help: string };

export interface ScheduleInfo {
  readonly name: ScheduleName;
  readonly label: string;
  readonly summary: string;
  /** `step`: a pure function of the step; `metric`: driven by a monitored metric (plateau). */
  readonly driver: 'step' | 'metric';
  readonly params: readonly ScheduleParamSpec[];
}

const gamma = (def: number) => ({ kind: 'number', name: 'gamma', help: 'multiplicative factor of each decay', range: positive, default: def }) as const;
const etaMin = { kind: 'number', name: 'eta_min', help: 'minimum learning rate', range: nonNegative, default: 0 } as const;

export const SCHEDULES: { readonly [N in ScheduleName]: ScheduleInfo } = {
  constant: { name: 'constant', label: 'Constant', summary: 'The optimizer’s learning rate, unchanged.', driver: 'step', params: [] },
  step: {
    name: 'step',
    label: 'Step decay',
    summary: 'Multiplies the learning rate by gamma every step_size steps.',
    driver: 'step',
    params: [{ kind: 'number', name: 'step_size', help: 'steps between decays', range: positiveInt }, gamma(0.1)],
  },
  multistep: {
    name: 'multistep',
    label: 'Multi-step decay',
    summary: 'Multiplies the learning rate by gamma at each milestone step.',
    driver: 'step',
    params: [{ kind: 'list', name: 'milestones', help: 'steps at which to decay, increasing', range: positiveInt, increasing: true }, gamma(0.1)],
  },
  exponential: {
    name: 'exponential',
    label: 'Exponential decay',
    summary: 'Multiplies the learning rate by gamma every step.',
    driver: 'step',
    params: [{ kind: 'number', name: 'gamma', help: 'multiplicative factor of each step', range: positive }],
  },
  cosine: {
    name: 'cosine',
    label: 'Cosine annealing',
    summary: 'Follows half a cosine from the learning rate down to eta_min over T_max steps (and back up after, as torch).',
    driver: 'step',
    params: [{ kind: 'number', name: 'T_max', help: 'steps of the half period', range: positiveInt }, etaMin],
  },
  cosine_restarts: {
    name: 'cosine_restarts',
    label: 'Cosine with warm restarts',
    summary: 'Cosine annealing that restarts from the learning rate after T_0 steps, each period T_mult times longer than the last.',
    driver: 'step',
    params: [
      { kind: 'number', name: 'T_0', help: 'steps of the first period', range: positiveInt },
      { kind: 'number', name: 'T_mult', help: 'growth factor of the period', range: positiveInt, default: 1 },
      etaMin,
    ],
  },
  linear: {
    name: 'linear',
    label: 'Linear',
    summary: 'Scales the learning rate linearly from start_factor to end_factor over total_iters steps, then holds (a warm-up when rising).',
    driver: 'step',
    params: [
      { kind: 'number', name: 'start_factor', help: 'factor at step 0', range: { min: 0, max: 1, minOpen: true }, default: 1 / 3 },
      { kind: 'number', name: 'end_factor', help: 'factor from total_iters on', range: unitClosed, default: 1 },
      { kind: 'number', name: 'total_iters', help: 'steps of the ramp', range: positiveInt, default: 5 },
    ],
  },
  onecycle: {
    name: 'onecycle',
    label: 'One-cycle',
    summary: 'Rises from max_lr/div_factor to max_lr over pct_start of the run, then anneals far below the start; past total_steps it holds the final value.',
    driver: 'step',
    params: [
      { kind: 'number', name: 'max_lr', help: 'peak learning rate (default: the optimizer’s lr)', range: positive, default: null },
      { kind: 'number', name: 'total_steps', help: 'length of the cycle in steps', range: positiveInt },
      { kind: 'number', name: 'pct_start', help: 'fraction of the cycle spent rising', range: { min: 0, max: 1, minOpen: true, maxOpen: true }, default: 0.3 },
      {
        kind: 'choice',
        name: 'anneal_strategy',
        help: 'shape of each phase',
        choices: [
          { value: 'cos', help: 'cosine' },
          { value: 'linear', help: 'straight line' },
        ],
        default: 'cos',
      },
      { kind: 'number', name: 'div_factor', help: 'initial lr = max_lr/div_factor', range: positive, default: 25 },
      { kind: 'number', name: 'final_div_factor', help: 'final lr = initial lr/final_div_factor', range: positive, default: 1e4 },
      { kind: 'boolean', name: 'three_phase', help: 'come back down to the initial lr before the final anneal', default: false },
    ],
  },
  polynomial: {
    name: 'polynomial',
    label: 'Polynomial decay',
    summary: 'Decays the learning rate to zero over total_iters steps as (1 − t/total_iters)^power.',
    driver: 'step',
    params: [
      { kind: 'number', name: 'total_iters', help: 'steps until the lr reaches zero', range: positiveInt, default: 5 },
      { kind: 'number', name: 'power', help: 'exponent of the decay', range: nonNegative, default: 1 },
    ],
  },
  sequential: {
    name: 'sequential',
    label: 'Sequential',
    summary: 'Runs one schedule after another, switching (and restarting the next) at each milestone: e.g. a linear warm-up, then cosine.',
    driver: 'step',
    params: [
      { kind: 'schedules', name: 'schedules', help: 'the schedules in order (not plateau)' },
      { kind: 'list', name: 'milestones', help: 'steps at which to switch, one fewer than schedules', range: positiveInt, increasing: true },
    ],
  },
  plateau: {
    name: 'plateau',
    label: 'Reduce on plateau',
    summary: 'Multiplies the learning rate by factor when the monitored metric has stopped improving for patience epochs.',
    driver: 'metric',
    params: [
      {
        kind: 'choice',
        name: 'mode',
        help: 'whether the metric should go down or up',
        choices: [
          { value: 'min', help: 'lower is better (a loss)' },
          { value: 'max', help: 'higher is better (an accuracy)' },
        ],
        default: 'min',
      },
      { kind: 'number', name: 'factor', help: 'new lr = lr·factor', range: { min: 0, max: 1, minOpen: true, maxOpen: true }, default: 0.1 },
      { kind: 'number', name: 'patience', help: 'epochs without improvement before reducing', range: nonNegativeInt, default: 10 },
      { kind: 'number', name: 'threshold', help: 'minimum change that counts as an improvement', range: nonNegative, default: 1e-4 },
      {
        kind: 'choice',
        name: 'threshold_mode',
        help: 'relative or absolute threshold',
        choices: [
          { value: 'rel', help: 'better than best·(1 ∓ threshold)' },
          { value: 'abs', help: 'better than best ∓ threshold' },
        ],
        default: 'rel',
      },
      { kind: 'number', name: 'cooldown', help: 'epochs to wait after a reduction', range: nonNegativeInt, default: 0 },
      { kind: 'number', name: 'min_lr', help: 'lower bound of the lr', range: nonNegative, default: 0 },
      { kind: 'number', name: 'eps', help: 'reductions smaller than this are ignored', range: nonNegative, default: 1e-8 },
    ],
  },
};

function isScheduleName(x: unknown): x is ScheduleName {
  return typeof x === 'string' && (SCHEDULE_NAMES as readonly string[]).includes(x);
}

/** Validates a schedule configuration (any JSON value) and fills in defaults. */
export function resolveScheduleConfig(input: unknown, field = 'schedule'): ResolvedScheduleConfig {
  if (!isPlainObject(input)) throw new ConfigError(field, input, 'an object { name, ...params }', `${field} must be an object { name, ...params }, not ${showValue(input)}`);
  const name = input.name;
  if (!isScheduleName(name))
    throw new ConfigError(`${field}.name`, name, `one of: ${SCHEDULE_NAMES.join(', ')}`, `unknown schedule ${showValue(name)}; known: ${SCHEDULE_NAMES.join(', ')}`);
  const info = SCHEDULES[name];
  const known = info.params.map((p) => p.name);
  for (const key of Object.keys(input))
    if (key !== 'name' && !known.includes(key))
      throw new ConfigError(`${field}.${key}`, input[key], known.length ? `one of: ${known.join(', ')}` : 'no parameters', `unknown parameter "${key}" for schedule ${name}; known: ${known.join(', ') || '(none)'}`);
  const out: Record<string, unknown> = { name };
  for (const spec of info.params) {
    const given = input[spec.name];
    if (spec.kind === 'schedules') {
      if (!Array.isArray(given) || given.length < 2) throw new ConfigError(`${field}.schedules`, given, 'a list of at least two schedules', `${field}.schedules must list at least two schedules`);
      out.schedules = given.map((g, i) => {
        const inner = resolveScheduleConfig(g, `${field}.schedules[${i}]`);
        if (inner.name === 'plateau') throw new ConfigError(`${field}.schedules[${i}].name`, 'plateau', 'a schedule driven by the step', 'plateau cannot be part of a sequential schedule');
        return inner;
      });
      continue;
    }
    if (given === undefined) {
      if (!('default' in spec) || spec.default === undefined) throw new ConfigError(`${field}.${spec.name}`, undefined, `required: ${spec.help}`, `${field}.${spec.name} is required for schedule ${name} (${spec.help})`);
      out[spec.name] = spec.default;
      continue;
    }
    out[spec.name] = given === null && spec.default === null ? null : validateParam(spec, given, `${field}.${spec.name}`);
  }
  if (name === 'sequential') {
    const n = (out.schedules as unknown[]).length;
    const milestones = out.milestones as number[];
    if (milestones.length !== n - 1) throw new ConfigError(`${field}.milestones`, milestones, `${n - 1} milestones for ${n} schedules`, `${field}.milestones needs ${n - 1} values for ${n} schedules, got ${milestones.length}`);
  }
  return out as ResolvedScheduleConfig;
}

/** The pure step → lr function of a (non-plateau) schedule, for a group whose lr is `baseLr`. */
export function createSchedule(config: ResolvedScheduleConfig, baseLr: number): Schedule {
  switch (config.name) {
    case 'constant':
      return constant(baseLr);
    case 'step':
      return stepDecay(baseLr, config.step_size, config.gamma);
    case 'multistep':
      return multiStep(baseLr, config.milestones, config.gamma);
    case 'exponential':
      return exponential(baseLr, config.gamma);
    case 'cosine':
      return cosine(baseLr, config.T_max, config.eta_min);
    case 'cosine_restarts':
      return cosineWarmRestarts(baseLr, config.T_0, config.T_mult, config.eta_min);
    case 'linear':
      return linear(baseLr, config.start_factor, config.end_factor, config.total_iters);
    case 'onecycle':
      return oneCycle({
        maxLr: config.max_lr ?? baseLr,
        totalSteps: config.total_steps,
        pctStart: config.pct_start,
        annealStrategy: config.anneal_strategy,
        divFactor: config.div_factor,
        finalDivFactor: config.final_div_factor,
        threePhase: config.three_phase,
      });
    case 'polynomial':
      return polynomial(baseLr, config.total_iters, config.power);
    case 'sequential':
      return sequential(
        config.schedules.map((s) => createSchedule(s, baseLr)),
        config.milestones,
      );
    case 'plateau':
      throw new Error('plateau is driven by a metric: use GroupScheduler');
  }
}

/** Drives one schedule for every parameter group: lrs(t) for step schedules, observe(metric) for plateau. */
export class GroupScheduler {
  private readonly schedules: Schedule[] | null;
  private readonly plateau: ReduceLROnPlateau | null;

  constructor(
    readonly config: ResolvedScheduleConfig,
    baseLrs: readonly number[],
  ) {
    if (config.name === 'plateau') {
      this.plateau = new ReduceLROnPlateau(config, baseLrs);
      this.schedules = null;
    } else {
      this.schedules = baseLrs.map((lr) => createSchedule(config, lr));
      this.plateau = null;
    }
  }

  get driver(): 'step' | 'metric' {
    return this.plateau ? 'metric' : 'step';
  }

  /** The learning rate of group g for the step after t completed steps. */
  lr(g: number, t: number): number {
    return this.plateau ? this.plateau.lrs[g] : this.schedules![g](t);
  }

  /** Feeds the monitored metric to a plateau schedule; returns whether it reduced the lr. */
  observe(metric: number): boolean {
    if (!this.plateau) throw new Error(`schedule ${this.config.name} is driven by the step, not by a metric`);
    return this.plateau.step(metric);
  }

  stateDict(): PlateauState | null {
    return this.plateau ? this.plateau.stateDict() : null;
  }

  loadStateDict(state: PlateauState | null): void {
    if (this.plateau && state) this.plateau.loadStateDict(state);
  }
}
