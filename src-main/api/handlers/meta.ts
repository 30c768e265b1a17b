// meta.* and app.info: what the forms are built from — the core's optimizer and schedule
// registries (plain data), the model choices, a schedule's learning rates for a preview.
import pkg from '../../../package.json' with { type: 'json' };
import { ACTIVATIONS, INIT_SCHEMES } from '../../core/models/index.ts';
import { GRADIENT_OPTIONS, OPTIMIZER_NAMES, OPTIMIZERS, PRESETS, defaultConfig, type Preset } from '../../core/optim/index.ts';
import { ConfigError } from '../../core/optim/errors.ts';
import { SCHEDULE_NAMES, SCHEDULES, createSchedule, resolveScheduleConfig } from '../../core/schedules/index.ts';
import { samplesDir } from '../../io/index.ts';
import type { BackendContext, Handlers } from '../backend.ts';
import { ApiError } from '../errors.ts';
import type { OptimizerMeta, ParamValue } from '../protocol.ts';

type MetaHandlers = Pick<Handlers, 'app.info' | 'meta.optimizers' | 'meta.schedules' | 'meta.models' | 'meta.schedulePreview'>;

/** Every optimizer of the registry with its full default hyperparameters under each of its presets. */
export function optimizerMeta(): OptimizerMeta[] {
  return OPTIMIZER_NAMES.map((name) => {
    const info = OPTIMIZERS[name];
    const presetValues: Partial<Record<Preset, Record<string, ParamValue>>> = {};
    for (const preset of info.presets) presetValues[preset] = { ...(defaultConfig(name, preset).hyperparams as unknown as Record<string, ParamValue>) };
    return { ...info, presetValues };
  });
}

export function metaHandlers(ctx: BackendContext): MetaHandlers {
  return {
    'app.info': () => ({
      version: pkg.version,
      dbPath: ctx.store.file,
      uploadsDir: ctx.uploadsDir,
      samplesDir: samplesDir(),
      kernels: ctx.kernels,
      canTrain: ctx.runner !== null,
      trainingUnavailable: ctx.runner ? null : (ctx.trainingUnavailable ?? 'training is not available in this process'),
      fileAccess: ctx.fileAccess.kind === 'any' ? 'any' : 'uploads',
      platform: process.platform,
    }),
    'meta.optimizers': () => ({ presets: PRESETS, optimizers: optimizerMeta(), gradient: GRADIENT_OPTIONS }),
    'meta.schedules': () => SCHEDULE_NAMES.map((n) => SCHEDULES[n]),
    'meta.models': () => ({ kinds: ['linear', 'mlp'], activations: ACTIVATIONS, inits: INIT_SCHEMES }),
    'meta.schedulePreview': ({ schedule, lr, steps, maxPoints }) => {
      let resolved;
      try {
        resolved = schedule ? resolveScheduleConfig(schedule) : ({ name: 'constant' } as const);
      } catch (err) {
        if (err instanceof ConfigError) throw new ApiError('config', err.message, err.field);
        throw err;
      }
      const stride = Math.max(1, Math.ceil(steps / (maxPoints ?? 2000)));
      const n = Math.ceil(steps / stride);
      // A plateau schedule only lowers the lr when the monitored metric stalls: before any
      // metric, its preview is the base lr.
      const lrAt = resolved.name === 'plateau' ? () => lr : createSchedule(resolved, lr);
      const lrs = Array.from({ length: n }, (_, k) => lrAt(k * stride));
      return { lrs, stride, steps, driver: resolved.name === 'plateau' ? 'metric' : 'step' };
    },
  };
}
