// What a sweep is, as plain JSON: one base run config and the axes it is repeated over — learning
// rates (log- or linearly spaced, or a list), seeds (a range or a list) and optimizers. The zod
// schema here is the one both the API's protocol (src-main/api/protocol.ts) and the CLI use; it
// imports nothing but zod, so the renderer may import the types through the protocol.
//
//   { name: 'sgd on iris',
//     base: { model: {...}, optimizer: { name: 'sgd', hyperparams: { lr: 0.1 } }, data: {...}, training: {...} },
//     lr: { kind: 'log', from: 1e-4, to: 1, count: 5 },      // or { kind: 'linear', ... } or { kind: 'list', values: [...] }
//     seed: { kind: 'range', from: 0, count: 3 },             // or { kind: 'list', values: [0, 7] }
//     optimizers: [{ name: 'sgd' }, { name: 'adam', preset: 'torch', hyperparams: { betas: [0.9, 0.99] } }] }
import { z } from 'zod';

/** No sweep launches more runs than this (the product of the axes' lengths). */
export const MAX_SWEEP_RUNS = 100;
/** No axis is longer than this. */
export const MAX_AXIS_VALUES = 50;

const positiveLr = z.number('a learning rate > 0').positive('a learning rate > 0').max(1e6, 'a learning rate ≤ 1e6');
const axisCount = z
  .int(`a whole number of values from 2 to ${MAX_AXIS_VALUES}`)
  .min(2, `a whole number of values from 2 to ${MAX_AXIS_VALUES}`)
  .max(MAX_AXIS_VALUES, `a whole number of values from 2 to ${MAX_AXIS_VALUES}`);
const seedValue = z.int('a whole-number seed').min(0, 'a whole-number seed ≥ 0').max(2 ** 31 - 1, 'a seed < 2^31');

const spaced = { from: positiveLr, to: positiveLr, count: axisCount };

export const LrAxisSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('log'), ...spaced }),
    z.strictObject({ kind: z.literal('linear'), ...spaced }),
    z.strictObject({
      kind: z.literal('list'),
      values: z.array(positiveLr, 'a list of learning rates').min(1, 'at least one learning rate').max(MAX_AXIS_VALUES, `at most ${MAX_AXIS_VALUES} learning rates`),
    }),
  ],
  '{ kind: "log" | "linear", from, to, count } or { kind: "list", values }',
);
export type LrAxis = z.infer<typeof LrAxisSchema>;

export const SeedAxisSchema = z.discriminatedUnion(
  'kind',
  [
    z.strictObject({ kind: z.literal('range'), from: seedValue.default(0), count: axisCount }),
    z.strictObject({
      kind: z.literal('list'),
      values: z.array(seedValue, 'a list of seeds').min(1, 'at least one seed').max(MAX_AXIS_VALUES, `at most ${MAX_AXIS_VALUES} seeds`),
    }),
  ],
  '{ kind: "range", from, count } or { kind: "list", values }',
);
export type SeedAxis = z.infer<typeof SeedAxisSchema>;

/** One optimizer of an optimizer axis; absent hyperparameters take its preset's defaults. */
export const SweepOptimizerSchema = z.strictObject({
  name: z.string('an optimizer name').min(1, 'an optimizer name'),
  preset: z.string('a preset name').optional(),
  hyperparams: z.record(z.string(), z.unknown(), 'an object of hyperparameters').optional(),
});
export type SweepOptimizer = z.infer<typeof SweepOptimizerSchema>;

export const SweepSpecSchema = z.strictObject({
  /** Shown in the sweep list; default: made from the axes, model and data set. */
  name: z.string('a name').trim().min(1, 'a name of 1-200 characters').max(200, 'a name of 1-200 characters').optional(),
  /** The run config every member starts from (checked in full per member by the training loop's resolver). */
  base: z.looseObject({}, 'a run config object'),
  lr: LrAxisSchema.optional(),
  seed: SeedAxisSchema.optional(),
  optimizers: z
    .array(SweepOptimizerSchema, 'a list of optimizers')
    .min(1, 'at least one optimizer')
    .max(20, 'at most 20 optimizers')
    .optional(),
});
export type SweepSpec = z.input<typeof SweepSpecSchema>;
export type ParsedSweepSpec = z.output<typeof SweepSpecSchema>;
