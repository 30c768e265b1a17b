// The views' tests run against the real backend (store in a temp folder, real CSV loading, the
// core registries) through an in-process transport: test/helpers/backendHarness.ts. That module
// is Node code, which this DOM-typed project must not type-check, so it is imported by a path
// the type checker does not follow, and described here by the part of it these tests use.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { createMemoryHistory, createRouter, type Router } from 'vue-router';
import { ApiClient, type Transport } from '../../src-renderer/src/api/client.ts';
import { API_KEY, type Api } from '../../src-renderer/src/api/index.ts';
import type { Host } from '../../src-renderer/src/api/host.ts';
import type { RunConfig } from '../../src-renderer/src/api/protocol.ts';
import { routes } from '../../src-renderer/src/router.ts';
import { useDatasetStore } from '../../src-renderer/src/stores/dataset.ts';
import { useMetaStore } from '../../src-renderer/src/stores/meta.ts';
import NewRunView from '../../src-renderer/src/views/NewRunView.vue';

/** The FakeRunner of test/helpers/fakeRunner.ts, as far as the views' tests drive it. */
export interface RunnerDouble {
  calls: { method: string; runId?: number; config?: RunConfig }[];
  begin(runId: number): void;
  emit(event: unknown): void;
}

export interface Harness {
  dir: string;
  transport: Transport & { sent: { method: string; params?: unknown }[] };
  runner: RunnerDouble;
  logs: string[];
  seedRun(o?: { name?: string; steps?: number; snapshotEvery?: number; end?: 'finished' | 'running' | 'diverged' | 'stopped'; lr?: number; optimizer?: string; seed?: number; loss?: (t: number) => number; trainRows?: number }): number;
  fixture(name: string): string;
  close(): Promise<void>;
  /** The harness's RunStore, as far as these tests write to it. */
  store: { log(runId: number, at: { step: number; epoch: number; wallTime: number }, values: Record<string, number>): void; writer: { flush(): unknown } };
}

type HarnessModule = { startHarness(o: { runner?: boolean }): Promise<Harness> };
let loaded: Promise<HarnessModule> | null = null;

/**
 * Loads the backend outside vite, with Node's own loader through tsx: in this DOM environment
 * vite would transform the backend as browser code (its `new URL(path, import.meta.url)` turned
 * into page URLs, and happy-dom's URL class in place of Node's).
 */
function loadHarness(): Promise<HarnessModule> {
  loaded ??= (async () => {
    const tsxApi = 'tsx/esm/api';
    const { tsImport } = (await import(/* @vite-ignore */ tsxApi)) as { tsImport(specifier: string, parent: string): Promise<unknown> };
    return (await tsImport('../helpers/backendHarness.ts', import.meta.url)) as HarnessModule;
  })();
  return loaded;
}

export async function startHarness(o: { runner?: boolean } = {}): Promise<Harness> {
  return (await loadHarness()).startHarness(o);
}

export interface TestApp {
  api: Api;
  router: Router;
  exported: { id: number; format: string }[];
}

/** A pinia, a memory-history router over the app's routes, and an Api over the harness. */
export function testApp(h: Harness): TestApp {
  setActivePinia(createPinia());
  const exported: { id: number; format: string }[] = [];
  const host: Host = {
    kind: 'electron',
    openCsvDialog: async () => h.fixture('iris_bad.csv'),
    importFile: async (file) => h.fixture(file.name),
    exportRun: async (id, format) => {
      exported.push({ id, format });
      return `/tmp/run-${id}.${format}`;
    },
    saveBlob: async () => null,
    onMenu: () => () => {},
  };
  const router = createRouter({ history: createMemoryHistory(), routes });
  return { api: { client: new ApiClient(h.transport), host }, router, exported };
}

/** Resolves once `check` passes (polling), or rejects with its last failure after `ms`. */
export async function until(check: () => void, ms = 4000): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 15));
    }
  }
}

/** New run on the iris sample (opened, the registries loaded), mounted; resolves once `ready` passes. */
export async function mountNewRunOnIris(app: TestApp, ready: (w: VueWrapper) => void): Promise<VueWrapper> {
  await useDatasetStore().open(app.api, 'iris');
  await useMetaStore().load(app.api);
  await app.router.push('/new');
  const w = mount(NewRunView, { global: { plugins: [app.router], provide: { [API_KEY as symbol]: app.api } } });
  await until(() => ready(w));
  await flushPromises();
  return w;
}
