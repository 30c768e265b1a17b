// The app shell (App.vue) on the real backend: a change of the route's param shows the other
// run (the view is remounted for the new path), a change of the query alone keeps the view; a
// file dropped anywhere in the app opens in Datasets.
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { API_KEY } from '../../src-renderer/src/api/index.ts';
import App from '../../src-renderer/src/App.vue';
import LiveRunView from '../../src-renderer/src/views/LiveRunView.vue';
import { useDatasetStore } from '../../src-renderer/src/stores/dataset.ts';
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

/** A drag event carrying `files` (happy-dom has no DataTransfer). */
function fileDrag(type: 'dragover' | 'drop', files: File[]): Event {
  const e = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(e, 'dataTransfer', { value: { files, types: files.length ? ['Files'] : ['text/plain'], dropEffect: 'none' } });
  return e;
}

describe('a file dropped anywhere in the app', () => {
  test('on the Runs page: the overlay shows while dragging, the drop opens the file in Datasets and the page stays', async () => {
    w = await mountShell('/runs');
    const file = new File(['x'], 'utf8_bom.csv'); // the host of testApp() maps a dropped name to the CSV fixture of that name
    const target = w.find('[data-test=nav-Runs]').element;
    const over = fileDrag('dragover', [file]);
    target.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(true); // else the browser would open the file itself
    await flushPromises();
    expect(w.find('[data-test=drop-overlay]').exists()).toBe(true);

    const drop = fileDrag('drop', [file]);
    target.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
    await until(() => expect(app.router.currentRoute.value.path).toBe('/datasets'));
    await until(() => expect(useDatasetStore().source).toBe(h.fixture('utf8_bom.csv')));
    await until(() => expect(w!.find('[data-test=preview]').exists()).toBe(true));
    expect(w.find('[data-test=drop-overlay]').exists()).toBe(false);
  });

  test('a file that fails to copy in shows its error in Datasets', async () => {
    app.api.host.importFile = async (f) => {
      throw new Error(`cannot read ${f.name}`);
    };
    w = await mountShell('/new');
    w.find('main').element.dispatchEvent(fileDrag('drop', [new File(['x'], 'gone.csv')]));
    await until(() => expect(w!.find('[data-test=import-error]').text()).toBe('cannot read gone.csv'));
  });

  test('text dragged into a field is left to the field', async () => {
    w = await mountShell('/new');
    await until(() => expect(w!.find('[data-test=run-name]').exists()).toBe(true));
    const over = fileDrag('dragover', []);
    w.find('[data-test=run-name]').element.dispatchEvent(over);
    expect(over.defaultPrevented).toBe(false);
  });
});
