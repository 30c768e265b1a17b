// Replays conformance-format cases (test/fixtures/conformance/README.md) through the optimizer
// facade: open-loop (a fixed gradient sequence), closed-loop (a 2-D surface) and schedules.
// Expected values may be absent; only the inputs are read. Used by `precond replay` and by the
// conformance suite, so both exercise exactly the same path.
import { z } from 'zod';
import type { Kernels } from '../kernels/types.ts';
import { createParamSet, type Dtype } from '../tensor.ts';
import { GroupScheduler, resolveScheduleConfig } from '../schedules/index.ts';
import { SURFACE_NAMES, SURFACES, type SurfaceName } from '../surfaces/index.ts';
import { Optimizer, type Engine } from './optimizer.ts';

export const CONFORMANCE_FORMAT = 'precond-conformance/1';

const finite = z.number();
const tensor = z.object({ shape: z.array(z.number().int().nonnegative()), values: z.array(finite) });
const common = { format: z.literal(CONFORMANCE_FORMAT), id: z.string().min(1), source: z.string().optional() };
const optimizerFields = {
  optimizer: z.string(),
  torch_class: z.string().optional(),
  preset: z.enum(['torch', 'keras', 'optax']).optional(),
  hyperparams: z.record(z.string(), z.unknown()).default({}),
};

const openLoopSchema = z.object({
  ...common,
  ...optimizerFields,
  kind: z.literal('open-loop'),
  dtype: z.enum(['float32', 'float64']),
  params0: z.array(tensor).min(1),
  steps: z.array(z.object({ grads: z.array(z.array(finite)), params: z.array(z.array(finite)).optional() })),
});

const closedLoopSchema = z.object({
  ...common,
  ...optimizerFields,
  kind: z.literal('closed-loop'),
  dtype: z.literal('float64').default('float64'),
  function: z.enum(SURFACE_NAMES),
  start: z.tuple([finite, finite]),
  steps: z.number().int().nonnegative(),
  path: z.array(z.unknown()).optional(),
});

const scheduleSchema = z.object({
  ...common,
  kind: z.literal('schedule'),
  schedule: z.string(),
  torch_class: z.string().optional(),
  kwargs: z.record(z.string(), z.unknown()).default({}),
  base_lr: z.number().positive(),
  steps: z.number().int().nonnegative(),
  lrs: z.array(finite).optional(),
});

const caseSchema = z.discriminatedUnion('kind', [openLoopSchema, closedLoopSchema, scheduleSchema]);

export type OpenLoopCase = z.infer<typeof openLoopSchema>;
export type ClosedLoopCase = z.infer<typeof closedLoopSchema>;
export type ScheduleCase = z.infer<typeof scheduleSchema>;
export type ConformanceCase = z.infer<typeof caseSchema>;

/** A case that does not follow the format; the message names the field. */
export class CaseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseError';
  }
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || '(top level)';
}

/** Checks the structure (zod) and the sizes (tensor lengths, per-step gradients). */
export function parseCase(input: unknown): ConformanceCase {
  const r = caseSchema.safeParse(input);
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new CaseError(`${pathText(issue.path)}: ${issue.message}`);
  }
  const c = r.data;
  if (c.kind === 'open-loop') {
    c.params0.forEach((t, i) => {
      const n = t.shape.reduce((a, b) => a * b, 1);
      if (t.values.length !== n) throw new CaseError(`params0[${i}].values: shape ${JSON.stringify(t.shape)} needs ${n} values, got ${t.values.length}`);
    });
    c.steps.forEach((s, k) => {
      if (s.grads.length !== c.params0.length) throw new CaseError(`steps[${k}].grads: expected ${c.params0.length} tensors, got ${s.grads.length}`);
      s.grads.forEach((g, i) => {
        const n = c.params0[i].values.length;
        if (g.length !== n) throw new CaseError(`steps[${k}].grads[${i}]: expected ${n} values, got ${g.length}`);
      });
    });
  }
  return c;
}

export interface ReplayOptions {
  readonly engine?: Engine;
  readonly kernels?: Kernels;
  /** Open-loop: also request the effective step size every step (exercises that code path). */
  readonly effectiveLr?: boolean;
}

function optimizerConfig(c: OpenLoopCase | ClosedLoopCase) {
  return { name: c.optimizer, preset: c.preset, hyperparams: c.hyperparams };
}

/** Parameters after each step: [step][tensor][values]. */
export function replayOpenLoop(c: OpenLoopCase, o: ReplayOptions = {}): number[][][] {
  const dtype: Dtype = c.dtype;
  const specs = c.params0.map((t, i) => ({ name: `param${i}`, shape: t.shape, role: 'weight' as const }));
  const set = createParamSet(specs, dtype);
  const views = specs.map((s) => set.byName.get(s.name)!);
  c.params0.forEach((t, i) => views[i].values.set(t.values));
  const opt = new Optimizer(set, optimizerConfig(c), { engine: o.engine, kernels: o.kernels });
  const eff = o.effectiveLr ? opt.allocateEffectiveLr() : undefined;
  return c.steps.map((s) => {
    s.grads.forEach((g, i) => views[i].grad.set(g));
    opt.step({ effectiveLr: eff });
    return views.map((v) => Array.from(v.values));
  });
}

export interface PathPoint {
  /** The point after this step. */
  readonly params: [number, number];
  /** Loss and gradient at the point before this step. */
  readonly loss: number;
  readonly grad: [number, number];
  /** The effective step size of x and y at this step. */
  readonly effectiveLr: [number, number];
}

export interface PathOptions extends ReplayOptions {
  /** Stop after the first step that leaves a non-finite coordinate (default: run all steps). */
  readonly stopOnDivergence?: boolean;
}

/** Runs an optimizer on a 2-D surface from `start`, analytic gradients, float64. */
export function runPath(
  surface: SurfaceName,
  config: unknown,
  start: readonly [number, number],
  steps: number,
  o: PathOptions = {},
): PathPoint[] {
  const fn = SURFACES[surface];
  const set = createParamSet([{ name: 'xy', shape: [2], role: 'weight' }], 'float64');
  const xy = set.byName.get('xy')!;
  xy.values.set(start);
  const opt = new Optimizer(set, config, { engine: o.engine, kernels: o.kernels });
  const eff = opt.allocateEffectiveLr();
  const out: PathPoint[] = [];
  for (let k = 0; k < steps; k++) {
    const [x, y] = [xy.values[0], xy.values[1]];
    const grad = fn.grad(x, y);
    xy.grad.set(grad);
    opt.step({ effectiveLr: eff });
    const params: [number, number] = [xy.values[0], xy.values[1]];
    out.push({ params, loss: fn.f(x, y), grad, effectiveLr: [eff[0][0], eff[0][1]] });
    if (o.stopOnDivergence && !(Number.isFinite(params[0]) && Number.isFinite(params[1]))) break;
  }
  return out;
}

export function replayClosedLoop(c: ClosedLoopCase, o: ReplayOptions = {}): PathPoint[] {
  return runPath(c.function, optimizerConfig(c), c.start, c.steps, o);
}

/** The lr of steps 1..n. */
export function replaySchedule(c: ScheduleCase): number[] {
  const scheduler = new GroupScheduler(resolveScheduleConfig({ name: c.schedule, ...c.kwargs }), [c.base_lr]);
  if (scheduler.driver !== 'step') throw new CaseError(`schedule: ${c.schedule} is driven by a metric and cannot be replayed from a step count`);
  return Array.from({ length: c.steps }, (_, t) => scheduler.lr(0, t));
}

export type ReplayResult = { id: string; params: number[][][] } | { id: string; path: [number, number][] } | { id: string; lrs: number[] };

/** Parses and replays one case (any JSON value); throws CaseError or ConfigError on bad input. */
export function replayCase(input: unknown, o: ReplayOptions = {}): ReplayResult {
  const c = parseCase(input);
  switch (c.kind) {
    case 'open-loop':
      return { id: c.id, params: replayOpenLoop(c, o) };
    case 'closed-loop':
      return { id: c.id, path: replayClosedLoop(c, o).map((p) => p.params) };
    case 'schedule':
      return { id: c.id, lrs: replaySchedule(c) };
  }
}
