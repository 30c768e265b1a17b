// runner.*: start, validate, pause, resume and stop training runs. A config is checked here with
// the core's own resolvers (model, optimizer, schedule) and the transport's file access before
// the runner sees it, so a bad field is reported by name; the runner checks the rest.
import { resolveModelSpec } from '../../core/models/index.ts';
import { ConfigError, resolveOptimizerConfig } from '../../core/optim/index.ts';
import { resolveScheduleConfig } from '../../core/schedules/index.ts';
import { samplesDir } from '../../io/index.ts';
import type { RunConfig as StoreRunConfig } from '../../store/index.ts';
import type { BackendContext, Handlers } from '../backend.ts';
import { ApiError } from '../errors.ts';
import { checkSource } from '../files.ts';
import { DataOptionsSchema, describeZodError, type RunConfig } from '../protocol.ts';

type RunnerHandlers = Pick<Handlers, 'runner.start' | 'runner.validate' | 'runner.pause' | 'runner.resume' | 'runner.stop' | 'runner.active'>;

/** Runs `fn`; a ConfigError or plain Error from a core resolver becomes an ApiError 'config' on `field`. */
function inField<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof ConfigError) throw new ApiError('config', `${field}: ${err.message}`, `${field}.${err.field}`);
    if (err instanceof ApiError) throw err;
    throw new ApiError('config', `${field}: ${err instanceof Error ? err.message : String(err)}`, field);
  }
}

/**
 * The config with model, optimizer and schedule resolved (every default filled in, so the stored
 * config says exactly what ran) and the data source checked against the file access.
 */
export function validateRunConfig(config: RunConfig, ctx: Pick<BackendContext, 'fileAccess'>): RunConfig {
  const model = inField('model', () => resolveModelSpec(config.model));
  const optimizer = inField('optimizer', () => resolveOptimizerConfig(config.optimizer));
  const schedule = config.schedule ? inField('schedule', () => resolveScheduleConfig(config.schedule)) : null;
  const { source, ...dataOptions } = config.data;
  const data = DataOptionsSchema.safeParse(dataOptions);
  if (!data.success) throw new ApiError('config', `data: ${describeZodError(data.error, 'data')}`, 'data');
  checkSource(source, ctx.fileAccess, samplesDir());
  return { ...config, model: { ...model }, optimizer: { ...optimizer, hyperparams: { ...optimizer.hyperparams } }, schedule: schedule ? { ...schedule } : null };
}

export function runnerHandlers(ctx: BackendContext): RunnerHandlers {
  const runner = () => {
    if (!ctx.runner) throw new ApiError('unavailable', ctx.trainingUnavailable ?? 'training is not available in this process');
    return ctx.runner;
  };
  return {
    'runner.validate': ({ config }) => ({ config: validateRunConfig(config, ctx) }),
    'runner.start': async ({ config, name, tags, notes }) => {
      const r = runner();
      const checked = validateRunConfig(config, ctx) as StoreRunConfig;
      const runId = await r.start(checked, { name, tags, notes });
      ctx.emit({ type: 'runs', change: 'created', runIds: [runId] });
      return { runId };
    },
    'runner.pause': async ({ runId }) => {
      await runner().pause(runId);
      return { done: true };
    },
    'runner.resume': async ({ runId }) => {
      await runner().resume(runId);
      return { done: true };
    },
    'runner.stop': async ({ runId }) => {
      await runner().stop(runId);
      return { done: true };
    },
    'runner.active': () => (ctx.runner ? ctx.runner.active() : []),
  };
}
