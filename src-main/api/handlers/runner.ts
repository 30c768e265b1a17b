// runner.*: start, validate, pause, resume and stop training runs. A config is checked here with
// the training loop's resolver and the transport's file access before the runner sees it, so a
// bad field is reported by name before any data is read.
import { resolveRunConfig } from '../../core/train/index.ts';
import { samplesDir } from '../../io/index.ts';
import type { RunConfig as StoreRunConfig } from '../../store/index.ts';
import type { BackendContext, Handlers } from '../backend.ts';
import { ApiError } from '../errors.ts';
import { checkSource } from '../files.ts';
import type { RunConfig } from '../protocol.ts';

type RunnerHandlers = Pick<Handlers, 'runner.start' | 'runner.validate' | 'runner.pause' | 'runner.resume' | 'runner.stop' | 'runner.active'>;

/**
 * The config resolved by the training loop's own resolver (every default filled in, so the
 * stored config says exactly what ran; a bad field is a RunConfigError naming it) and its data
 * source checked against the transport's file access.
 */
export function validateRunConfig(config: RunConfig, ctx: Pick<BackendContext, 'fileAccess'>): RunConfig {
  const resolved = resolveRunConfig(config);
  checkSource(resolved.data.source, ctx.fileAccess, samplesDir());
  // ResolvedRunConfig is plain JSON with typed members; the protocol's RunConfig is its loose shape.
  return resolved as unknown as RunConfig;
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
