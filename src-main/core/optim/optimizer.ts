// The torch-like facade: an optimizer over a ParamSet (one flat buffer per group), with per-group
// lr and weight decay, an optional schedule, gradient clipping, step(), zeroGrad(), the effective
// step size on request, and a versioned state dict keyed by parameter name.
//
// Each step runs the fused kernel of the active Kernels set when it has one for the optimizer
// (engine 'auto'), else the chain of transformations; both share one state layout.
import { kernels as activeKernels, type Kernels } from '../kernels/index.ts';
import type { Dtype, FloatArray, ParamGroupBuffer, ParamSet } from '../tensor.ts';
import { GroupScheduler, resolveScheduleConfig, type PlateauState, type ResolvedScheduleConfig } from '../schedules/index.ts';
import { resolveOptimizerConfig, type ResolvedOptimizerConfig } from './config.ts';
import { ConfigError, StateDictError } from './errors.ts';
import { fusedStep, supportsFused } from './fused.ts';
import { clipByGlobalNorm, clipByValue, allFinite } from './gradients.ts';
import { buildChain } from './optimizers.ts';
import { inRange, isPlainObject, rangeText, type NumberSpec } from './params.ts';
import { OPTIMIZERS } from './registry.ts';
import type { GradientTransform, TransformState } from './transform.ts';

export type Engine = 'auto' | 'fused' | 'chain';

export interface GroupOptions {
  /** This group's learning rate (default: the optimizer's lr). */
  lr?: number;
  /** This group's weight decay (default: the optimizer's), e.g. 0 for biases. */
  weight_decay?: number;
}

export interface OptimizerOptions {
  /** Per-group overrides, index-aligned with ParamSet.groups. */
  groups?: readonly (GroupOptions | undefined)[];
  /** A schedule config (`{ name: 'cosine', T_max: 100 }`), stepped once per optimizer step. */
  schedule?: unknown;
  /** 'auto' (default): fused kernels when available, else the chain. */
  engine?: Engine;
  /** A fixed kernel set (default: `kernels()` at each step). */
  kernels?: Kernels;
}

export interface StepOptions {
  /**
   * Per group, a buffer (same dtype and length as the group) to receive the effective step
   * size: the per-parameter multiplier applied to the search direction at this step (see the
   * registry's `effectiveLr`). Null or missing entries are not computed.
   */
  effectiveLr?: readonly (FloatArray | null | undefined)[];
}

export interface StepReport {
  /** True when skip_nonfinite found a NaN/∞ gradient: nothing was changed. */
  readonly skipped: boolean;
  /** The global gradient norm before clipping, when clip_norm is set. */
  readonly gradNorm: number | null;
  readonly engine: 'fused' | 'chain';
  /** The learning rate used by each group. */
  readonly lrs: readonly number[];
}

export const STATE_FORMAT = 'precond-optim-state';
export const STATE_VERSION = 1;

export interface ParamStateEntry {
  shape: number[];
  /** Steps taken by this parameter. */
  step: number;
  /** Per-element state (exp_avg, ...), as long as the parameter. Number arrays are accepted on load. */
  buffers: Record<string, FloatArray | number[]>;
  /** Scalar state shared by the parameter's group (NAdam's mu_product). */
  scalars: Record<string, number>;
}

export interface OptimizerStateDict {
  format: typeof STATE_FORMAT;
  version: typeof STATE_VERSION;
  optimizer: ResolvedOptimizerConfig;
  dtype: Dtype;
  groups: { params: string[]; lr: number; base_lr: number; weight_decay: number; step: number }[];
  /** Keyed by parameter name. */
  state: Record<string, ParamStateEntry>;
  schedule: { config: ResolvedScheduleConfig; plateau: PlateauState | null } | null;
  skipped_steps: number;
}

interface Group {
  readonly buffer: ParamGroupBuffer;
  readonly baseLr: number;
  readonly weightDecay: number;
  readonly chain: GradientTransform;
  state: TransformState;
  lr: number;
  /** Completed steps. */
  t: number;
  scratch: FloatArray | null;
}

export class Optimizer {
  readonly config: ResolvedOptimizerConfig;
  readonly dtype: Dtype;
  private readonly groupsRt: Group[];
  private readonly scheduler: GroupScheduler | null;
  private readonly engine: Engine;
  private readonly fixedKernels: Kernels | null;
  private skipped = 0;

  constructor(
    readonly params: ParamSet,
    config: unknown,
    options: OptimizerOptions = {},
  ) {
    this.config = resolveOptimizerConfig(config);
    this.dtype = params.dtype;
    this.engine = options.engine ?? 'auto';
    this.fixedKernels = options.kernels ?? null;
    const overrides = options.groups ?? [];
    if (overrides.length > params.groups.length)
      throw new ConfigError('groups', overrides.length, `at most ${params.groups.length} (the parameter groups)`, `${overrides.length} group options given for ${params.groups.length} parameter groups`);
    const hp = this.config.hyperparams as { lr: number; weight_decay?: number };
    this.groupsRt = params.groups.map((buffer, g) => {
      const o = overrides[g] ?? {};
      const lr = o.lr ?? hp.lr;
      const wd = o.weight_decay ?? hp.weight_decay ?? 0;
      this.checkGroupValue(g, 'lr', lr);
      if (o.weight_decay !== undefined) this.checkGroupValue(g, 'weight_decay', wd);
      const chain = buildChain(this.config, { lr, weight_decay: wd });
      return { buffer, baseLr: lr, weightDecay: wd, chain, state: chain.init(buffer.values), lr, t: 0, scratch: null };
    });
    this.scheduler =
      options.schedule === undefined || options.schedule === null
        ? null
        : new GroupScheduler(resolveScheduleConfig(options.schedule), this.groupsRt.map((g) => g.baseLr));
  }

  private checkGroupValue(g: number, name: 'lr' | 'weight_decay', value: number): void {
    const spec = OPTIMIZERS[this.config.name].hyperparams.find((h) => h.name === name) as NumberSpec | undefined;
    const field = `groups[${g}].${name}`;
    if (!spec) {
      if (value !== 0) throw new ConfigError(field, value, '0', `${this.config.name} has no weight decay; ${field} must be 0`);
      return;
    }
    if (!inRange(value, spec.range)) throw new ConfigError(field, value, rangeText(spec.range));
  }

  /** Per group: current lr, base lr, weight decay, completed steps, size and tensor names. */
  get groups(): readonly { lr: number; baseLr: number; weightDecay: number; step: number; size: number; names: string[] }[] {
    return this.groupsRt.map((g) => ({
      lr: g.lr,
      baseLr: g.baseLr,
      weightDecay: g.weightDecay,
      step: g.t,
      size: g.buffer.values.length,
      names: g.buffer.views.map((v) => v.spec.name),
    }));
  }

  /** Steps taken (by the first group; all groups step together). */
  get stepCount(): number {
    return this.groupsRt[0]?.t ?? 0;
  }

  /** Steps skipped for non-finite gradients. */
  get skippedSteps(): number {
    return this.skipped;
  }

  /** Sets a group's lr (all groups when `group` is omitted). Not allowed while a schedule drives it. */
  setLr(lr: number, group?: number): void {
    if (this.scheduler) throw new Error(`the learning rate is driven by the ${this.scheduler.config.name} schedule`);
    const targets = group === undefined ? this.groupsRt.map((_, i) => i) : [group];
    for (const g of targets) {
      this.checkGroupValue(g, 'lr', lr);
      this.groupsRt[g].lr = lr;
    }
  }

  /** Feeds the monitored metric to a reduce-on-plateau schedule; true when it reduced the lr. */
  observeMetric(metric: number): boolean {
    if (!this.scheduler) throw new Error('no schedule: observeMetric needs a plateau schedule');
    const reduced = this.scheduler.observe(metric);
    this.groupsRt.forEach((g, i) => (g.lr = this.scheduler!.lr(i, g.t)));
    return reduced;
  }

  /** One buffer per group, for step({ effectiveLr }). */
  allocateEffectiveLr(): FloatArray[] {
    return this.groupsRt.map((g) => (g.buffer.values instanceof Float32Array ? new Float32Array(g.buffer.values.length) : new Float64Array(g.buffer.values.length)));
  }

  /** Which path the next step takes. */
  engineInUse(): 'fused' | 'chain' {
    if (this.engine === 'chain') return 'chain';
    if (supportsFused(this.fixedKernels ?? activeKernels(), this.config)) return 'fused';
    if (this.engine === 'fused') throw new Error(`kernels "${(this.fixedKernels ?? activeKernels()).name}" have no fused step for ${this.config.name}`);
    return 'chain';
  }

  zeroGrad(): void {
    for (const g of this.groupsRt) g.buffer.grads.fill(0);
  }

  /**
   * One optimizer step from the gradients in each group's `grads` (clipping, when configured,
   * rescales them in place, as torch's clip_grad_norm_ does; the step itself leaves them as they are).
   */
  step(options: StepOptions = {}): StepReport {
    const eff = options.effectiveLr ?? [];
    this.checkEffectiveLr(eff);
    const grads = this.groupsRt.map((g) => g.buffer.grads);
    const gc = this.config.gradient;
    const engine = this.engineInUse();
    const lrs = this.groupsRt.map((g, i) => (this.scheduler ? this.scheduler.lr(i, g.t) : g.lr));
    if (gc.skip_nonfinite && !allFinite(grads)) {
      this.skipped += 1;
      return { skipped: true, gradNorm: null, engine, lrs };
    }
    if (gc.clip_value !== null) clipByValue(grads, gc.clip_value);
    const gradNorm = gc.clip_norm !== null ? clipByGlobalNorm(grads, gc.clip_norm, gc.clip_norm_eps) : null;
    const k = this.fixedKernels ?? activeKernels();
    this.groupsRt.forEach((g, i) => {
      const lr = lrs[i];
      g.lr = lr;
      const t = g.t + 1;
      const effLr = eff[i] ?? null;
      const { values, grads: gr } = g.buffer;
      if (engine === 'fused') fusedStep(k, this.config, { params: values, grads: gr, state: g.state, effLr, lr, weightDecay: g.weightDecay, t });
      else {
        const u = (g.scratch ??= values instanceof Float32Array ? new Float32Array(values.length) : new Float64Array(values.length));
        u.set(gr);
        if (effLr) effLr.fill(1);
        g.chain.update(u, g.state, values, { step: t, lr, effLr });
        for (let j = 0; j < values.length; j++) values[j] += u[j];
      }
      g.t = t;
    });
    return { skipped: false, gradNorm, engine, lrs };
  }

  private checkEffectiveLr(eff: readonly (FloatArray | null | undefined)[]): void {
    if (eff.length > this.groupsRt.length) throw new Error(`effectiveLr: ${eff.length} buffers for ${this.groupsRt.length} groups`);
    eff.forEach((b, i) => {
      if (!b) return;
      const values = this.groupsRt[i].buffer.values;
      if (b.length !== values.length || b.constructor !== values.constructor)
        throw new Error(`effectiveLr[${i}] must be a ${values.constructor.name} of length ${values.length}`);
    });
  }

  // --- state dict -------------------------------------------------------------------------

  stateDict(): OptimizerStateDict {
    const state: Record<string, ParamStateEntry> = {};
    for (const g of this.groupsRt) {
      const scalars: Record<string, number> = {};
      for (const [key, v] of Object.entries(g.state)) if (typeof v === 'number') scalars[key] = v;
      for (const view of g.buffer.views) {
        const buffers: Record<string, FloatArray> = {};
        for (const [key, v] of Object.entries(g.state))
          if (typeof v !== 'number') buffers[key] = v.slice(view.offset, view.offset + view.values.length);
        state[view.spec.name] = { shape: [...view.spec.shape], step: g.t, buffers, scalars: { ...scalars } };
      }
    }
    return {
      format: STATE_FORMAT,
      version: STATE_VERSION,
      optimizer: structuredClone(this.config),
      dtype: this.dtype,
      groups: this.groupsRt.map((g) => ({
        params: g.buffer.views.map((v) => v.spec.name),
        lr: g.lr,
        base_lr: g.baseLr,
        weight_decay: g.weightDecay,
        step: g.t,
      })),
      state,
      schedule: this.scheduler ? { config: structuredClone(this.scheduler.config), plateau: this.scheduler.stateDict() } : null,
      skipped_steps: this.skipped,
    };
  }

  /**
   * Restores a state saved by stateDict() (or its JSON form). Everything is checked first —
   * format and version, optimizer, dtype, the set of parameter names, each shape and buffer —
   * and a mismatch throws StateDictError with nothing changed (the parameters are never touched).
   */
  loadStateDict(input: unknown): void {
    const fail = (msg: string): never => {
      throw new StateDictError(`cannot load optimizer state: ${msg}`);
    };
    if (!isPlainObject(input)) fail('not a state dict object');
    const sd = input as Record<string, unknown>;
    if (sd.format !== STATE_FORMAT) fail(`format is ${JSON.stringify(sd.format)}, expected "${STATE_FORMAT}"`);
    if (sd.version !== STATE_VERSION) fail(`version ${JSON.stringify(sd.version)} is not supported (this build reads version ${STATE_VERSION})`);
    const opt = sd.optimizer as { name?: unknown } | undefined;
    if (!isPlainObject(opt) || opt.name !== this.config.name) fail(`it was saved by optimizer ${JSON.stringify(opt?.name)}, this optimizer is ${this.config.name}`);
    if (sd.dtype !== this.dtype) fail(`it holds ${JSON.stringify(sd.dtype)} state, these parameters are ${this.dtype}`);
    const state = sd.state;
    if (!isPlainObject(state)) fail('"state" is missing');
    const saved = state as Record<string, unknown>;
    for (const name of Object.keys(saved)) if (!this.params.byName.has(name)) fail(`it has state for parameter "${name}", which this model does not have`);

    // Validate everything into `staged`, then apply.
    const staged: { g: Group; t: number; scalars: Record<string, number>; copies: { key: string; offset: number; values: ArrayLike<number> }[] }[] = [];
    for (const g of this.groupsRt) {
      const bufferKeys = Object.keys(g.state).filter((k) => typeof g.state[k] !== 'number').sort();
      const scalarKeys = Object.keys(g.state).filter((k) => typeof g.state[k] === 'number').sort();
      let t: number | null = null;
      let scalars: Record<string, number> | null = null;
      const copies: { key: string; offset: number; values: ArrayLike<number> }[] = [];
      for (const view of g.buffer.views) {
        const name = view.spec.name;
        const entry = saved[name];
        if (!isPlainObject(entry)) fail(`no state for parameter "${name}"`);
        const e = entry as Record<string, unknown>;
        const shape = e.shape;
        if (!Array.isArray(shape) || shape.length !== view.spec.shape.length || shape.some((d, i) => d !== view.spec.shape[i]))
          fail(`parameter "${name}" has shape ${JSON.stringify(view.spec.shape)}, the saved state has shape ${JSON.stringify(shape)}`);
        if (typeof e.step !== 'number' || !Number.isInteger(e.step) || e.step < 0) fail(`parameter "${name}": step ${JSON.stringify(e.step)} is not a count of steps`);
        if (t !== null && e.step !== t) fail(`parameters of one group were saved at different steps (${t} and ${e.step} for "${name}")`);
        t = e.step as number;
        const buffers = e.buffers;
        if (!isPlainObject(buffers)) fail(`parameter "${name}": "buffers" is missing`);
        const b = buffers as Record<string, unknown>;
        const have = Object.keys(b).sort();
        if (have.join() !== bufferKeys.join())
          fail(`parameter "${name}": the saved state has buffers [${have.join(', ')}], this ${this.config.name} configuration keeps [${bufferKeys.join(', ')}]`);
        for (const key of bufferKeys) {
          const values = b[key];
          const len = view.values.length;
          if (!isNumberArray(values) || values.length !== len) fail(`parameter "${name}": buffer ${key} must hold ${len} numbers`);
          copies.push({ key, offset: view.offset, values: values as ArrayLike<number> });
        }
        const sc = isPlainObject(e.scalars) ? (e.scalars as Record<string, unknown>) : {};
        const haveScalars = Object.keys(sc).sort();
        if (haveScalars.join() !== scalarKeys.join()) fail(`parameter "${name}": the saved state has scalars [${haveScalars.join(', ')}], expected [${scalarKeys.join(', ')}]`);
        for (const key of scalarKeys) {
          if (typeof sc[key] !== 'number') fail(`parameter "${name}": scalar ${key} must be a number`);
          if (scalars && scalars[key] !== sc[key]) fail(`parameters of one group were saved with different ${key}`);
        }
        scalars = Object.fromEntries(scalarKeys.map((k) => [k, sc[k] as number]));
      }
      staged.push({ g, t: t ?? 0, scalars: scalars ?? {}, copies });
    }
    const savedGroups = Array.isArray(sd.groups) ? (sd.groups as unknown[]) : [];
    const savedLrOf = (name: string): number | null => {
      for (const sg of savedGroups)
        if (isPlainObject(sg) && Array.isArray(sg.params) && sg.params.includes(name) && typeof sg.lr === 'number') return sg.lr;
      return null;
    };
    const schedule = sd.schedule as { plateau?: unknown } | null | undefined;
    const plateau = isPlainObject(schedule) && isPlainObject(schedule.plateau) ? (schedule.plateau as unknown as PlateauState) : null;
    if (plateau && (!Array.isArray(plateau.lrs) || plateau.lrs.length !== this.groupsRt.length)) fail('the saved plateau schedule has a different number of groups');

    for (const { g, t, scalars, copies } of staged) {
      for (const { key, offset, values } of copies) (g.state[key] as FloatArray).set(values, offset);
      Object.assign(g.state, scalars);
      g.t = t;
      const lr = savedLrOf(g.buffer.views[0].spec.name);
      if (lr !== null && inRange(lr, { min: 0, minOpen: true })) g.lr = lr;
    }
    if (this.scheduler && plateau && this.scheduler.driver === 'metric') this.scheduler.loadStateDict(plateau);
    this.skipped = typeof sd.skipped_steps === 'number' ? sd.skipped_steps : 0;
  }
}

function isNumberArray(x: unknown): x is ArrayLike<number> {
  if (ArrayBuffer.isView(x)) return x instanceof Float32Array || x instanceof Float64Array;
  return Array.isArray(x) && x.every((v) => typeof v === 'number');
}

/** A JSON-safe copy of a state dict (typed arrays as number arrays). */
export function stateDictToJSON(sd: OptimizerStateDict): OptimizerStateDict {
  const state: Record<string, ParamStateEntry> = {};
  for (const [name, e] of Object.entries(sd.state))
    state[name] = { ...e, buffers: Object.fromEntries(Object.entries(e.buffers).map(([k, v]) => [k, Array.from(v as ArrayLike<number>)])) };
  return { ...sd, state };
}
