// datasets.*: the bundled samples, a quick preview of a file (first rows, inferred column
// kinds) and the full load report, through io (the same loader the training uses).
import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { listSamples, loadDataset, previewCsv, resolveSample, samplesDir } from '../../io/index.ts';
import type { BackendContext, Handlers } from '../backend.ts';
import { checkSource } from '../files.ts';

type DatasetHandlers = Pick<Handlers, 'datasets.samples' | 'datasets.preview' | 'datasets.load'>;

export function datasetHandlers(ctx: BackendContext): DatasetHandlers {
  const check = (source: string) => checkSource(source, ctx.fileAccess, samplesDir());
  return {
    'datasets.samples': () =>
      listSamples().map((name) => {
        const path = resolveSample(name)!;
        return { name, path, sizeBytes: statSync(path).size };
      }),

    'datasets.preview': async ({ source, rows }) => {
      const preview = await previewCsv(check(source), { rows: rows ?? 20 });
      return { ...preview, name: basename(preview.file) };
    },

    'datasets.load': async ({ source, ...options }) => {
      const { summary } = await loadDataset(check(source), options);
      return summary;
    },
  };
}
