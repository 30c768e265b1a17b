// The stored runs, kept fresh by live events: status changes and list changes reload the list,
// progress events update the active runs' progress in place.
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef, triggerRef } from 'vue';
import type { Api } from '../api/index.ts';
import { errorText } from '../api/client.ts';
import type { ApiEvent, RunSummary } from '../api/protocol.ts';

export type Progress = Extract<ApiEvent, { type: 'progress' }>;

export const ACTIVE = new Set(['queued', 'running', 'paused']);

export const useRunsStore = defineStore('runs', () => {
  const list = shallowRef<RunSummary[]>([]);
  const progress = shallowRef(new Map<number, Progress>());
  const error = ref<string | null>(null);
  const loaded = ref(false);
  let unsubscribe: (() => void) | null = null;
  let reloadTimer: ReturnType<typeof setTimeout> | null = null;
  let apiRef: Api | null = null;

  async function reload(): Promise<void> {
    if (!apiRef) return;
    try {
      // Every run, archived ones too (the Runs table hides those unless asked): 1,000 runs are ~0.5 MB.
      list.value = markRaw(await apiRef.client.call('runs.list', { archived: 'include', limit: 100_000 }));
      error.value = null;
      loaded.value = true;
    } catch (err) {
      error.value = errorText(err);
    }
  }

  /** Coalesces bursts of changes into one reload. */
  function reloadSoon(): void {
    if (reloadTimer) return;
    reloadTimer = setTimeout(() => {
      reloadTimer = null;
      void reload();
    }, 150);
  }

  let progressTimer: ReturnType<typeof setTimeout> | null = null;
  /** Progress of every run arrives up to 20 times a second each; the list shows it at most 4 times. */
  function progressChanged(): void {
    if (progressTimer) return;
    progressTimer = setTimeout(() => {
      progressTimer = null;
      triggerRef(progress);
    }, 250);
  }

  function onEvent(event: ApiEvent): void {
    if (event.type === 'progress') {
      progress.value.set(event.runId, event);
      progressChanged();
    } else if (event.type === 'status' || event.type === 'runs') reloadSoon();
  }

  /** Starts following the runs' statuses and list changes (once per app). */
  function follow(api: Api): void {
    if (unsubscribe) return;
    apiRef = api;
    unsubscribe = api.client.subscribe({ runIds: null, types: ['status', 'runs'] }, onEvent);
    void reload();
  }

  /**
   * Also every run's progress, until the returned function is called: only while a view shows
   * it (up to 20 events a second per run, which other views have no use for).
   */
  function followProgress(api: Api): () => void {
    follow(api);
    return api.client.subscribe({ runIds: null, types: ['progress'] }, onEvent);
  }

  const activeCount = () => list.value.filter((r) => ACTIVE.has(r.status)).length;

  /** Replaces one run's summary in place after an edit (the 'runs' event reloads the rest soon). */
  function patch(run: RunSummary): void {
    list.value = markRaw(list.value.map((r) => (r.id === run.id ? run : r)));
  }

  return { list, progress, error, loaded, follow, followProgress, reload, activeCount, patch };
});
