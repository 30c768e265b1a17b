// sweeps.*: one run config over learning rates, seeds or optimizers. The spec is expanded by
// core/sweep's expandSweep (the one expansion, shared with `precond sweep`), and every member's
// config is resolved and its data source checked against the transport's file access before the
// sweep is recorded or any run is launched: a bad field fails the whole sweep, naming the field.
import { analyzeSweep, expandSweep, type ExpandedSweep } from '../../core/sweep/index.ts';
import type { RunConfig as StoreRunConfig } from '../../store/index.ts';
import type { BackendContext, Handlers } from '../backend.ts';
import { ApiError } from '../errors.ts';
import type { RunConfig, SweepSpec } from '../protocol.ts';
import { validateRunConfig } from './runner.ts';

type SweepHandlers = Pick<Handlers, 'sweeps.plan' | 'sweeps.start' | 'sweeps.get' | 'sweeps.list'>;

/** The sweep's members, each config resolved and its data source allowed for this transport. */
export function checkedSweep(spec: SweepSpec, ctx: Pick<BackendContext, 'fileAccess'>): { sweep: ExpandedSweep; configs: RunConfig[] } {
  const sweep = expandSweep(spec);
  // Every member shares the base's data source; each is still checked, so a member can never slip past.
  const configs = sweep.members.map((m) => validateRunConfig(m.config as unknown as RunConfig, ctx));
  return { sweep, configs };
}

export function sweepHandlers(ctx: BackendContext): SweepHandlers {
  const { store } = ctx;
  return {
    'sweeps.plan': (spec) => {
      const { sweep } = checkedSweep(spec, ctx);
      return {
        name: sweep.name,
        lrs: sweep.lrs,
        seeds: sweep.seeds,
        optimizers: sweep.optimizers,
        members: sweep.members.map((m) => ({ index: m.index, name: m.name, point: m.point })),
      };
    },
    'sweeps.start': async (spec) => {
      if (!ctx.runner) throw new ApiError('unavailable', ctx.trainingUnavailable ?? 'training is not available in this process');
      const runner = ctx.runner;
      const { sweep, configs } = checkedSweep(spec, ctx);
      const sweepId = store.createSweep({ name: sweep.name, spec });
      const runIds: number[] = [];
      try {
        // One after the other, so run ids follow the sweep's order; the pool queues what it cannot start yet.
        for (const [i, config] of configs.entries()) {
          runIds.push(await runner.start(config as StoreRunConfig, { name: sweep.members[i].name, sweepId }));
        }
      } catch (err) {
        // The first launch loads the data: if it fails nothing ran, and the sweep is not kept.
        if (runIds.length === 0) store.deleteSweep(sweepId);
        else await Promise.allSettled(runIds.map((id) => runner.stop(id)));
        throw err;
      } finally {
        if (runIds.length) ctx.emit({ type: 'runs', change: 'created', runIds });
      }
      return { sweepId, runIds };
    },
    'sweeps.get': ({ id, metric }) => {
      const record = store.getSweep(id);
      const runs = record.runIds.length ? store.listRuns({ sweep: id, archived: 'include', sort: { key: 'id' } }) : [];
      const place = new Map(record.members.map((m) => [m.runId, m]));
      const outcomes = runs.map((r) => ({
        runId: r.id,
        optimizer: r.optimizer,
        lr: place.get(r.id)?.lr ?? null,
        seed: place.get(r.id)?.seed ?? null,
        status: r.status,
        divergedStep: r.divergedStep,
        summary: r.summary,
      }));
      return { ...record, runs, analysis: analyzeSweep(outcomes, metric) };
    },
    'sweeps.list': () => store.listSweeps(),
  };
}
