// What the forms are built from, fetched once: app info, the optimizer and schedule registries,
// the model choices.
import { defineStore } from 'pinia';
import { markRaw, ref, shallowRef } from 'vue';
import type { Api } from '../api/index.ts';
import { errorText } from '../api/client.ts';
import type { AppInfo, OptimizerMeta, Preset, Result, ScheduleMeta } from '../api/protocol.ts';

export const useMetaStore = defineStore('meta', () => {
  const info = shallowRef<AppInfo | null>(null);
  const optimizers = shallowRef<OptimizerMeta[]>([]);
  const presets = shallowRef<readonly Preset[]>([]);
  const schedules = shallowRef<ScheduleMeta[]>([]);
  const models = shallowRef<Result<'meta.models'> | null>(null);
  const error = ref<string | null>(null);
  let loading: Promise<void> | null = null;

  function load(api: Api): Promise<void> {
    loading ??= (async () => {
      try {
        const [i, o, s, m] = await Promise.all([
          api.client.call('app.info', {}),
          api.client.call('meta.optimizers', {}),
          api.client.call('meta.schedules', {}),
          api.client.call('meta.models', {}),
        ]);
        info.value = markRaw(i);
        optimizers.value = markRaw(o.optimizers);
        presets.value = markRaw(o.presets);
        schedules.value = markRaw(s);
        models.value = markRaw(m);
        error.value = null;
      } catch (err) {
        error.value = errorText(err);
        loading = null;
      }
    })();
    return loading;
  }

  const optimizer = (name: string) => optimizers.value.find((o) => o.name === name);
  const schedule = (name: string) => schedules.value.find((s) => s.name === name);

  return { info, optimizers, presets, schedules, models, error, load, optimizer, schedule };
});
