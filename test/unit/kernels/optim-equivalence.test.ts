// Native vs TypeScript optimizer kernels: every kernel, every branch of its formula (each flag and
// optional buffer, plain and with maximize/L2/decoupled decay, with and without the effective
// step size), both dtypes, lengths around every vector width, random values and edge values
// (±0, denormals, huge, ±Inf, NaN). Both compute in float64 per element with the same operation
// order and round once on store, so every buffer must come out bit for bit the same (which is
// stricter than the issue's 1e-6 relative for float32).
import { afterAll, describe, expect, it } from 'vitest';
import { STEP_LAYOUTS, type StepKernelName } from '../../../src-main/core/kernels/step-layout.ts';
import { tsKernels } from '../../../src-main/core/kernels/ts.ts';
import type { Rng } from '../../../src-main/core/rng.ts';
import type { FloatArray } from '../../../src-main/core/tensor.ts';
import {
  DTYPES,
  firstDifference,
  lengths,
  nativeSets,
  nativeSkipReason,
  seeded,
  selectAuto,
  values,
  type FloatCtor,
  type ValueKind,
} from './elementwise-harness.ts';

type Scalars = Record<string, number>;
type Variant = Record<string, number | boolean | string>;

/** Every combination of the given dimensions. */
function product(dims: Record<string, readonly (number | boolean | string)[]>): Variant[] {
  return Object.entries(dims).reduce<Variant[]>((acc, [key, opts]) => acc.flatMap((v) => opts.map((o) => ({ ...v, [key]: o }))), [{}]);
}

/** maximize / L2 / decoupled decay: none (the kernels' plain loops), all three, decay alone. */
const BASES = ['plain', 'all', 'decay'] as const;
function base(kind: string, rng: Rng): Scalars {
  if (kind === 'plain') return { maximize: 0, l2: 0, decay: 0 };
  if (kind === 'all') return { maximize: 1, l2: 0.05 * rng.uniform(), decay: 0.01 * rng.uniform() };
  return { maximize: 0, l2: 0, decay: 0.01 * rng.uniform() };
}

const lr = (rng: Rng) => 10 ** (-4 + 3 * rng.uniform());

interface StepCase {
  readonly dims: Record<string, readonly (number | boolean | string)[]>;
  /** The state buffers' value kind, in STEP_LAYOUTS order (null: absent for this variant). */
  state(v: Variant): (ValueKind | null)[];
  scalars(v: Variant, rng: Rng): Scalars;
}

const CASES: Record<StepKernelName, StepCase> = {
  sgdStep: {
    dims: { buffer: [true, false], first: [0, 1], nesterov: [0, 1], base: BASES, eff: [false, true] },
    state: (v) => [v.buffer ? 'normal' : null],
    scalars: (v, rng) => ({ ...base(v.base as string, rng), lr: lr(rng), momentum: 0.99 * rng.uniform(), dampening: rng.uniform() < 0.5 ? 0 : 0.1, nesterov: v.nesterov as number, first: v.first as number }),
  },
  adagradStep: {
    dims: { inside: [0, 1], guard: [0, 1], base: BASES, eff: [false, true] },
    state: () => ['positive'],
    scalars: (v, rng) => ({ ...base(v.base as string, rng), clr: lr(rng), eps: rng.uniform() < 0.2 ? 0 : 1e-10, epsInside: v.inside as number, zeroGuard: v.guard as number }),
  },
  rmspropStep: {
    dims: { centered: [false, true], momentum: [false, true], inside: [0, 1], base: BASES, eff: [false, true] },
    state: (v) => ['positive', v.centered ? 'normal' : null, v.momentum ? 'normal' : null],
    scalars: (v, rng) => ({ ...base(v.base as string, rng), lr: lr(rng), alpha: 0.9 + 0.099 * rng.uniform(), eps: 1e-8, epsInside: v.inside as number, momentum: v.momentum ? 0.9 : 0 }),
  },
  adamStep: {
    dims: { amsgrad: [0, 1, 2], vmax: [false, true], base: BASES, eff: [false, true] },
    state: (v) => ['normal', 'positive', v.vmax ? 'positive' : null],
    scalars: (v, rng) => {
      const t = rng.int(1, 200), l = lr(rng);
      const bc2Sqrt = Math.sqrt(1 - 0.999 ** t);
      return { ...base(v.base as string, rng), lr: l, beta1: 0.9, beta2: 0.999, stepSize: l / (1 - 0.9 ** t), bc2Sqrt, eps: rng.uniform() < 0.5 ? 1e-8 : 1e-8 / bc2Sqrt, amsgrad: v.amsgrad as number };
    },
  },
  adamaxStep: {
    dims: { inside: [0, 1], base: BASES, eff: [false, true] },
    state: () => ['normal', 'positive'],
    scalars: (v, rng) => {
      const t = rng.int(1, 200), l = lr(rng);
      return { ...base(v.base as string, rng), lr: l, beta1: 0.9, beta2: 0.999, stepSize: l / (1 - 0.9 ** t), eps: 1e-8, epsInside: v.inside as number };
    },
  },
  nadamStep: {
    dims: { base: BASES, eff: [false, true] },
    state: () => ['normal', 'positive'],
    scalars: (v, rng) => ({ ...base(v.base as string, rng), lr: lr(rng), beta1: 0.9, beta2: 0.999, bc2: 1 - 0.999 ** rng.int(1, 200), eps: 1e-8, coefGrad: 0.1 * rng.uniform(), coefAvg: 0.9 * rng.uniform() }),
  },
  radamStep: {
    dims: { rectified: [0, 1], base: BASES, eff: [false, true] },
    state: () => ['normal', 'positive'],
    scalars: (v, rng) => {
      const t = rng.int(1, 200), l = lr(rng), rect = rng.uniform();
      const bc2Sqrt = Math.sqrt(1 - 0.999 ** t);
      return { ...base(v.base as string, rng), lr: l, beta1: 0.9, beta2: 0.999, rectified: v.rectified as number, rect, stepSize: (v.rectified ? l * rect : l) / (1 - 0.9 ** t), bc2Sqrt, eps: 1e-8 / bc2Sqrt };
    },
  },
  adadeltaStep: {
    dims: { base: BASES, eff: [false, true] },
    state: () => ['positive', 'positive'],
    scalars: (v, rng) => ({ ...base(v.base as string, rng), lr: 10 * lr(rng), rho: 0.9, eps: 1e-6 }),
  },
  rpropStep: {
    dims: { maximize: [0, 1], eff: [false, true] },
    state: () => ['normal', 'positive'],
    scalars: (v) => ({ maximize: v.maximize as number, l2: 0, decay: 0, etaMinus: 0.5, etaPlus: 1.2, stepMin: 1e-6, stepMax: 50 }),
  },
};

type StepFn = (...args: unknown[]) => void;

/** The kernel's buffers for one variant: params, grads, state, effLr (null where absent). */
function buffers(rng: Rng, F: FloatCtor, n: number, c: StepCase, v: Variant, kind: ValueKind): (FloatArray | null)[] {
  const state = c.state(v).map((k) => (k === null ? null : values(rng, F, n, kind === 'edge' ? 'edge' : k)));
  const eff = v.eff ? new F(n).fill(-1) : null;
  return [values(rng, F, n, kind), values(rng, F, n, kind), ...state, eff];
}

const copy = (bs: (FloatArray | null)[]) => bs.map((b) => (b ? b.slice() : null));

describe.skipIf(nativeSets().length === 0)(`native optimizer kernels = TypeScript, bit for bit${nativeSkipReason ? ` (skipped: ${nativeSkipReason})` : ''}`, () => {
  afterAll(selectAuto);
  for (const set of nativeSets())
    for (const kernel of Object.keys(CASES) as StepKernelName[])
      it(`${kernel} on ${set.name}: every variant, dtype, length and value kind`, () => {
        set.select();
        const c = CASES[kernel];
        const slots = STEP_LAYOUTS[kernel].buffers.map((b) => b.name);
        const rng = seeded(kernel.length * 7919 + set.name.length);
        let calls = 0;
        for (const v of product(c.dims))
          for (const F of DTYPES)
            for (const kind of ['normal', 'edge'] as const)
              for (const n of lengths(rng)) {
                const s = c.scalars(v, rng);
                const want = buffers(rng, F, n, c, v, kind);
                const got = copy(want);
                (tsKernels[kernel] as StepFn)(...want, s);
                (set.kernels[kernel] as StepFn)(...got, s);
                calls++;
                got.forEach((g, i) => {
                  const d = g && firstDifference(g, want[i]!);
                  if (d) expect.fail(`${kernel} ${JSON.stringify(v)} ${F.name} n=${n} ${kind}: ${slots[i]}${d}; scalars ${JSON.stringify(s)}`);
                });
              }
        expect(calls).toBeGreaterThan(100);
      });
});
