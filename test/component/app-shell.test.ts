// The app shell (App.vue) on the real backend: a change of the route's param shows the other
// run (the view is remounted for the new path), a change of the query alone keeps the view.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { API_KEY } from '../../src-renderer/src/api/index.ts';
import App from '../../src-renderer/src/App.vue';
import LiveRunView from '../../src-renderer/src/views/LiveRunView.vue';
import { startHarness, testApp, until, type Harness, type TestApp } from './harness.ts';

let h: Harness;
let app: TestApp;
let w: VueWrapper | null = null;

beforeEach(async () => {
  h = await startHarness();
  app = testApp(h);
});
afterEach(async () => {
  w?.unmount();
  w = null;
  await h.close();
});

async function mountShell(path: string): Promise<VueWrapper> {
  await app.router.push(path);
  const shell = mount(App, { global: { plugins: [app.router], provide: { [API_KEY as symbol]: app.api } }, attachTo: document.body });
  await flushPromises();
  return shell;
}

describe('App shell', () => {
  test('a new run id in the URL shows that run, without a reload', async () => {
    const first = h.seedRun({ name: 'first seeded run', steps: 20 });
    const second = h.seedRun({ name: 'second seeded run', steps: 30 });
    w = await mountShell(`/runs/${first}`);
    await until(() => expect(w!.find('[data-test=run-name]').text()).toBe('first seeded run'));
    const before = w.findComponent(LiveRunView).vm.$.uid;

    await app.router.push(`/runs/${second}`);
    await until(() => expect(w!.find('[data-test=run-name]').text()).toBe('second seeded run'));
    expect(w.findComponent(LiveRunView).vm.$.uid).not.toBe(before);
    expect(w.findComponent(LiveRunView).props('id')).toBe(second);
    // and back
    await app.router.push(`/runs/${first}`);
    await until(() => expect(w!.find('[data-test=run-name]').text()).toBe('first seeded run'));
  });

  test('a change of the query alone keeps the view (a view may write its own query)', async () => {
    const id = h.seedRun({ steps: 10 });
    w = await mountShell(`/runs/${id}`);
    await until(() => expect(w!.find('[data-test=run-name]').text()).toBe('seeded adam run'));
    const before = w.findComponent(LiveRunView).vm.$.uid;
    await app.router.push(`/runs/${id}?tab=heatmap`);
    await flushPromises();
    expect(w.findComponent(LiveRunView).vm.$.uid).toBe(before);
  });
});
