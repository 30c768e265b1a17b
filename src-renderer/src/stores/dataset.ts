// The data set being looked at in Datasets and trained on in New run: its source, the preview,
// the load options and the full load report (or the error that stopped it).
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { Api } from '../api/index.ts';
import { ApiCallError, errorText } from '../api/client.ts';
import { RUN_DEFAULTS, type CsvPreview, type DataError, type DatasetSummary } from '../api/protocol.ts';

export interface LoadOptions {
  /** '' = the default (last column). */
  target: string;
  /** '' = inferred. */
  task: '' | 'classification' | 'regression';
  missing: 'drop' | 'impute';
  valSplit: number;
}

/** The run config's data defaults (the core's): the last column, the task inferred. */
export const DEFAULT_LOAD_OPTIONS: LoadOptions = { target: '', task: '', missing: RUN_DEFAULTS.data.missing, valSplit: RUN_DEFAULTS.data.valSplit };

export const useDatasetStore = defineStore('dataset', () => {
  const source = ref<string | null>(null);
  const preview = shallowRef<CsvPreview | null>(null);
  const options = ref<LoadOptions>({ ...DEFAULT_LOAD_OPTIONS });
  const summary = shallowRef<DatasetSummary | null>(null);
  /** A load error with its location (line, column), or a plain message. */
  const error = shallowRef<{ message: string; data?: DataError } | null>(null);
  const busy = ref<'preview' | 'load' | null>(null);
  let generation = 0;

  function fail(err: unknown): void {
    error.value = { message: errorText(err), data: err instanceof ApiCallError ? err.data : undefined };
  }

  /** Opens a source: preview first (fast), then the full load report with the current options. */
  async function open(api: Api, next: string): Promise<void> {
    const g = ++generation;
    source.value = next;
    preview.value = null;
    summary.value = null;
    error.value = null;
    options.value = { ...DEFAULT_LOAD_OPTIONS };
    busy.value = 'preview';
    try {
      const p = await api.client.call('datasets.preview', { source: next, rows: 25 });
      if (g !== generation) return;
      preview.value = markRaw(p);
    } catch (err) {
      if (g === generation) {
        fail(err);
        busy.value = null;
      }
      return;
    }
    await load(api);
  }

  /** The full load report with the current options. */
  async function load(api: Api): Promise<void> {
    if (!source.value) return;
    const g = ++generation;
    busy.value = 'load';
    error.value = null;
    const o = options.value;
    try {
      const s = await api.client.call('datasets.load', {
        source: source.value,
        ...(o.target ? { target: o.target } : {}),
        ...(o.task ? { task: o.task } : {}),
        missing: o.missing,
        valSplit: o.valSplit,
      });
      if (g !== generation) return;
      summary.value = markRaw(s);
    } catch (err) {
      if (g !== generation) return;
      summary.value = null;
      fail(err);
    } finally {
      if (g === generation) busy.value = null;
    }
  }

  /** The name of a file being copied in (a dropped or chosen one), and why that failed. */
  const importing = ref<string | null>(null);
  const importError = ref<string | null>(null);
  /** A file is being dragged over the app (it opens in Datasets wherever it is dropped). */
  const draggingFile = ref(false);

  /** A file from the page (dropped anywhere, or chosen in the file input): copied in by the host, then opened. */
  async function importFile(api: Api, file: File): Promise<void> {
    importError.value = null;
    importing.value = file.name;
    try {
      const path = await api.host.importFile(file);
      await open(api, path);
    } catch (err) {
      importError.value = errorText(err);
    } finally {
      importing.value = null;
    }
  }

  return { source, preview, options, summary, error, busy, open, load, importing, importError, draggingFile, importFile };
});
