// The New run form's logic against the core registries: the same range words, every default of
// every optimizer and preset read back exactly, every schedule's suggested parameters accepted by
// the core, and configs the core resolves.
import { describe, expect, test } from 'vitest';
import { OPTIMIZERS, OPTIMIZER_NAMES, defaultConfig, rangeText as coreRangeText, resolveOptimizerConfig } from '../../src-main/core/optim/index.ts';
import { SCHEDULES, SCHEDULE_NAMES, resolveScheduleConfig } from '../../src-main/core/schedules/index.ts';
import { resolveModelSpec } from '../../src-main/core/models/index.ts';
import type { OptimizerMeta, ScheduleMeta } from '../../src-renderer/src/api/protocol.ts';
import { fromField, parseFields, rangeText, toField } from '../../src-renderer/src/logic/params.ts';
import { buildRunConfig, editableSchedules, optimizerFields, parseHidden, scheduleFields, formStepPlan, trainRowsFor, type RunForm } from '../../src-renderer/src/logic/runConfig.ts';

/** What meta.optimizers sends (src-main/api/handlers/meta.ts builds it the same way). */
const metas: OptimizerMeta[] = OPTIMIZER_NAMES.map((name) => {
  const info = OPTIMIZERS[name];
  const presetValues: OptimizerMeta['presetValues'] = {};
  for (const p of info.presets) presetValues[p] = { ...(defaultConfig(name, p).hyperparams as unknown as Record<string, number>) };
  return structuredClone({ ...info, presetValues }) as OptimizerMeta;
});
const schedules = SCHEDULE_NAMES.map((n) => structuredClone(SCHEDULES[n])) as unknown as ScheduleMeta[];

function form(over: Partial<RunForm> = {}): RunForm {
  const adam = metas.find((m) => m.name === 'adam')!;
  return {
    name: '',
    model: { kind: 'mlp', hidden: '16, 8', activation: 'tanh' },
    optimizer: { name: 'adam', preset: 'torch', fields: optimizerFields(adam, 'torch') },
    schedule: { name: 'none', fields: {} },
    training: { epochs: 5, batchSize: 16, seed: 3 },
    ...over,
  };
}
const data = { source: 'iris', missing: 'drop' as const, valSplit: 0.25 };

describe('parameter fields', () => {
  test('range words equal the core’s for every spec of every optimizer and schedule', () => {
    for (const m of metas) for (const s of m.hyperparams) if (s.kind === 'number' || s.kind === 'list') expect(rangeText(s.range)).toBe(coreRangeText(s.range));
    for (const sch of schedules) for (const p of sch.params) if (p.kind === 'number' || p.kind === 'list') expect(rangeText(p.range)).toBe(coreRangeText(p.range));
  });

  test('every default of every optimizer under each of its presets reads back exactly, and the core accepts it', () => {
    let checked = 0;
    for (const m of metas) {
      for (const preset of m.presets) {
        const fields = optimizerFields(m, preset);
        const { values, errors } = parseFields(m.hyperparams, fields);
        expect(errors, `${m.name}/${preset}`).toEqual({});
        expect(values).toEqual(m.presetValues[preset]);
        expect(resolveOptimizerConfig({ name: m.name, preset, hyperparams: values }).hyperparams).toEqual(m.presetValues[preset]);
        checked++;
      }
    }
    expect(checked).toBe(28);
  });

  test('typed text: exponents, ranges, pairs, lists', () => {
    const adam = metas.find((m) => m.name === 'adam')!;
    const spec = (n: string) => adam.hyperparams.find((h) => h.name === n)!;
    expect(fromField(spec('lr'), ' 3e-4 ')).toEqual({ ok: true, value: 3e-4 });
    expect(fromField(spec('lr'), '0')).toEqual({ ok: false, error: 'must be in (0, ∞)' });
    expect(fromField(spec('lr'), 'abc')).toEqual({ ok: false, error: 'a number is needed' });
    expect(fromField(spec('betas'), ['0.9', '1'])).toEqual({ ok: false, error: 'the second must be in [0, 1)' });
    expect(toField(spec('betas'), [0.9, 0.999])).toEqual(['0.9', '0.999']);
    const multistep = schedules.find((s) => s.name === 'multistep')!.params.find((p) => p.name === 'milestones')!;
    if (multistep.kind !== 'list') throw new Error('milestones is a list');
    expect(fromField(multistep, '30, 60 90')).toEqual({ ok: true, value: [30, 60, 90] });
    expect(fromField(multistep, '60, 30')).toEqual({ ok: false, error: 'must be increasing' });
    expect(fromField(multistep, '1.5')).toEqual({ ok: false, error: '1.5 is not in an integer in [1, ∞)' });
  });
});

describe('schedules', () => {
  test('sequential (nested schedules) is left to the CLI; every other schedule’s suggested fields are accepted by the core', () => {
    const editable = editableSchedules(schedules);
    expect(editable.map((s) => s.name)).toEqual(SCHEDULE_NAMES.filter((n) => n !== 'sequential'));
    for (const s of editable) {
      const f = form({ schedule: { name: s.name, fields: scheduleFields(s, 400) } });
      const built = buildRunConfig(f, data, metas.find((m) => m.name === 'adam'), s);
      expect(built.errors, s.name).toEqual({});
      expect(() => resolveScheduleConfig(built.config!.schedule), s.name).not.toThrow();
    }
    const cosine = schedules.find((s) => s.name === 'cosine')!;
    expect(scheduleFields(cosine, 400)).toEqual({ T_max: '400', eta_min: '0' });
    const onecycle = buildRunConfig(form({ schedule: { name: 'onecycle', fields: scheduleFields(schedules.find((s) => s.name === 'onecycle')!, 400) } }), data, metas[3], schedules.find((s) => s.name === 'onecycle'));
    expect(onecycle.config!.schedule).not.toHaveProperty('max_lr'); // left empty: the optimizer's lr
  });
});

describe('the run config', () => {
  test('what the form builds, resolved by the core', () => {
    const { config, errors } = buildRunConfig(form(), data, metas.find((m) => m.name === 'adam'), undefined);
    expect(errors).toEqual({});
    expect(config).toEqual({
      model: { kind: 'mlp', hidden: [16, 8], activation: 'tanh' },
      optimizer: { name: 'adam', preset: 'torch', hyperparams: metas.find((m) => m.name === 'adam')!.presetValues.torch },
      schedule: null,
      data: { source: 'iris', missing: 'drop', valSplit: 0.25 },
      training: { epochs: 5, batchSize: 16, seed: 3 },
    });
    expect(resolveModelSpec(config!.model)).toMatchObject({ kind: 'mlp', hidden: [16, 8] });
  });

  test('errors by field, and no config', () => {
    const bad = form({ model: { kind: 'mlp', hidden: '', activation: 'relu' }, training: { epochs: 0, batchSize: 1.5, seed: 0.5 } });
    bad.optimizer.fields = { ...bad.optimizer.fields, lr: '-1' };
    const { config, errors } = buildRunConfig(bad, null, metas.find((m) => m.name === 'adam'), undefined);
    expect(config).toBeNull();
    expect(Object.keys(errors).sort()).toEqual(['data', 'model.hidden', 'optimizer.lr', 'training.batchSize', 'training.epochs', 'training.seed']);
  });

  test('hidden layers, steps per epoch, the training rows of a split', () => {
    expect(parseHidden('64,32')).toEqual({ ok: true, value: [64, 32] });
    expect(parseHidden('64 0')).toEqual({ ok: false, error: '0 is not a layer width (a whole number from 1 to 100000)' });
    expect(formStepPlan(120, { epochs: 20, batchSize: 32, seed: 0 })).toMatchObject({ stepsPerEpoch: 4, totalSteps: 80 });
    expect(formStepPlan(128, { epochs: 3, batchSize: 32, seed: 0 })).toMatchObject({ stepsPerEpoch: 4, totalSteps: 12 });
    expect(trainRowsFor(150, 0.2)).toBe(120);
  });

  test('no step plan while epochs or batch size is invalid, or before there are rows', () => {
    expect(formStepPlan(1437, { epochs: 0, batchSize: 32, seed: 0 })).toBeNull();
    expect(formStepPlan(1437, { epochs: 5, batchSize: 0, seed: 0 })).toBeNull();
    expect(formStepPlan(1437, { epochs: 2.5, batchSize: 32, seed: 0 })).toBeNull();
    expect(formStepPlan(0, { epochs: 5, batchSize: 32, seed: 0 })).toBeNull();
  });
});
