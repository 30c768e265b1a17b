// runs.*: the stored runs — list, detail, edits, delete, downsampled series, snapshots, export.
import type { Snapshot } from '../../store/index.ts';
import type { BackendContext, Handlers } from '../backend.ts';
import { EXPORT_MIME, exportFilename, runCsvChunks, runJson } from '../export.ts';

type RunHandlers = Pick<
  Handlers,
  | 'runs.list'
  | 'runs.get'
  | 'runs.rename'
  | 'runs.tag'
  | 'runs.notes'
  | 'runs.archive'
  | 'runs.delete'
  | 'runs.series'
  | 'runs.seriesColumns'
  | 'runs.snapshots'
  | 'runs.export'
>;

/** At most `max` of the sorted `steps`, evenly spread, the first and the last always kept. */
export function spreadSteps(steps: readonly number[], max: number): number[] {
  if (steps.length <= max) return [...steps];
  if (max === 1) return [steps[steps.length - 1]];
  const out = new Set<number>();
  for (let k = 0; k < max; k++) out.add(steps[Math.round((k * (steps.length - 1)) / (max - 1))]);
  return [...out];
}

export function runHandlers(ctx: BackendContext): RunHandlers {
  const { store } = ctx;
  const updated = (id: number) => {
    ctx.emit({ type: 'runs', change: 'updated', runIds: [id] });
    return store.getRun(id);
  };
  return {
    'runs.list': (filter) => store.listRuns(filter),
    'runs.get': ({ id }) => store.getRun(id),
    'runs.rename': ({ id, name }) => {
      store.renameRun(id, name);
      return updated(id);
    },
    'runs.tag': ({ id, tag, remove }) => {
      if (remove) store.removeTag(id, tag);
      else store.addTag(id, tag);
      return updated(id);
    },
    'runs.notes': ({ id, notes }) => {
      store.setNotes(id, notes);
      return updated(id);
    },
    'runs.archive': ({ id, archived }) => {
      if (archived) store.archiveRun(id);
      else store.unarchiveRun(id);
      return updated(id);
    },
    'runs.delete': ({ id }) => {
      store.deleteRun(id);
      ctx.emit({ type: 'runs', change: 'deleted', runIds: [id] });
      return { deleted: id };
    },
    'runs.series': (query) => store.series(query),
    'runs.seriesColumns': (query) =>
      store.series(query).map((s) => ({
        ...s,
        step: Float64Array.from(s.step),
        epoch: Float64Array.from(s.epoch),
        wallTime: Float64Array.from(s.wallTime),
        value: Float64Array.from(s.value),
      })),
    'runs.snapshots': ({ id, maxSteps, withData, ...range }) => {
      if (maxSteps === undefined) return store.snapshots(id, { ...range, withData });
      const listed = store.snapshots(id, { ...range, withData: false });
      const steps = [...new Set(listed.map((s) => s.step))];
      const kept = spreadSteps(steps, maxSteps);
      if (withData === false) {
        const keep = new Set(kept);
        return listed.filter((s) => keep.has(s.step));
      }
      const out: Snapshot[] = [];
      for (const step of kept) out.push(...store.snapshots(id, { ...range, fromStep: step, toStep: step }));
      return out;
    },
    'runs.export': ({ id, format }) => {
      const run = store.getRun(id);
      const text = format === 'json' ? runJson(store, id).text : [...runCsvChunks(store, id)].join('');
      return { filename: exportFilename(run, format), mime: EXPORT_MIME[format], text };
    },
  };
}
