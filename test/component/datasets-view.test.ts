// The Datasets view on the real backend: samples, preview with column kinds, the load report,
// target/task choices, and load errors with their line and column.
import { flushPromises, mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { API_KEY } from '../../src-renderer/src/api/index.ts';
import DatasetsView from '../../src-renderer/src/views/DatasetsView.vue';
import { formatNumber } from '../../src-renderer/src/logic/format.ts';
import { useDatasetStore } from '../../src-renderer/src/stores/dataset.ts';
import { startHarness, testApp, until, type Harness, type TestApp } from './harness.ts';

let h: Harness;
let app: TestApp;

beforeEach(async () => {
  h = await startHarness();
  app = testApp(h);
});
afterEach(async () => {
  await h.close();
});

function mountView() {
  return mount(DatasetsView, { global: { plugins: [app.router], provide: { [API_KEY as symbol]: app.api } } });
}

describe('DatasetsView', () => {
  test('lists the samples; opening iris shows its rows, column kinds and the report', async () => {
    const w = mountView();
    await until(() => expect(w.findAll('[data-test^=sample-]')).toHaveLength(5));
    expect(w.find('[data-test=no-dataset]').exists()).toBe(true);
    expect(w.find('[data-test=use-dataset]').attributes('disabled')).toBeDefined();

    await w.find('[data-test=sample-iris]').trigger('click');
    await until(() => expect(w.find('[data-test=report]').exists()).toBe(true));
    const kinds = w.findAll('[data-test=column-kind]').map((k) => k.text());
    expect(kinds).toEqual(['numeric', 'numeric', 'numeric', 'numeric', 'categorical']);
    expect(w.findAll('[data-test=preview] tbody tr')).toHaveLength(25);
    expect(w.find('[data-test=rows]').text()).toBe('150 used of 150 read');
    expect(w.find('[data-test=report]').text()).toContain('120 training · 30 validation');
    expect(w.find('[data-test=report]').text()).toContain('setosa');
    expect(w.find('[data-test=no-missing]').exists()).toBe(true);
    expect(w.find('[data-test=sample-iris]').classes()).toContain('selected');
    expect(w.find('[data-test=use-dataset]').attributes('disabled')).toBeUndefined();
    expect(w.find('[data-test=target-scaling]').exists()).toBe(false); // a classification target is not scaled
  });

  test("a regression target's report says how it is scaled for training", async () => {
    const w = mountView();
    await useDatasetStore().open(app.api, 'diabetes');
    await until(() => expect(w.find('[data-test=report]').exists()).toBe(true));
    const { mean, std } = useDatasetStore().summary!.targetScaling!;
    const line = w.find('[data-test=target-scaling]');
    expect(line.text()).toBe(`standardized: (y − ${formatNumber(mean)}) / ${formatNumber(std)} (training rows)`);
    expect(line.text()).toMatch(/^standardized: \(y − 151\.\d+\) \/ 76\.\d+ /);
    expect(line.attributes('title')).toBe("the training loss is on the scaled target; RMSE is in progression's units");
  });

  test('choosing another target and task reloads the report with them', async () => {
    const w = mountView();
    const ds = useDatasetStore();
    await ds.open(app.api, 'iris');
    await flushPromises();
    await w.find('[data-test=target]').setValue('petal_width_cm');
    const regression = w.findAll('[data-test=task] button').find((b) => b.text() === 'regression')!;
    await regression.trigger('click');
    await until(() => expect(ds.summary?.task).toBe('regression'), 3000);
    expect(ds.summary?.target).toBe('petal_width_cm');
    const loads = h.transport.sent.filter((m) => m.method === 'datasets.load');
    expect(loads.at(-1)!.params).toMatchObject({ source: 'iris', target: 'petal_width_cm', task: 'regression' });
  });

  test('a malformed file: the error with its line, and the line marked after the rows read', async () => {
    const w = mountView();
    await w.find('[data-test=open-csv]').trigger('click'); // the host's dialog returns iris_bad.csv
    await until(() => expect(w.find('[data-test=load-error]').exists()).toBe(true));
    const error = w.find('[data-test=load-error]');
    expect(error.text()).toContain('Cannot load iris_bad.csv — line 59, column 6');
    expect(w.find('[data-test=load-error-what]').text()).toBe('expected 5 fields, found 6');
    expect(w.find('[data-test=error-marker]').text()).toContain('59');
    expect(w.find('[data-test=error-marker]').text()).toContain('expected 5 fields, found 6');
    expect(w.find('[data-test=report]').exists()).toBe(false);
    expect(w.find('[data-test=use-dataset]').attributes('disabled')).toBeDefined();
  });

  test('a file whose late byte is not UTF-8 opens as windows-1252, with the note saying so (as the CLI reads it)', async () => {
    const w = mountView();
    await useDatasetStore().open(app.api, h.fixture('late_latin1.csv'));
    await until(() => expect(w.find('[data-test=report]').exists()).toBe(true), 15_000);
    expect(w.find('[data-test=load-error]').exists()).toBe(false);
    expect(w.find('[data-test=preview-note]').text()).toBe('line 20002 is not valid UTF-8 though the start of the file is; the file was read as windows-1252');
    expect(w.find('[data-test=preview]').text()).toContain('windows-1252');
    expect(w.find('[data-test=use-dataset]').attributes('disabled')).toBeUndefined();
  });

  test('a word in a numeric column: line and column, the cell marked when it is shown', async () => {
    const w = mountView();
    await useDatasetStore().open(app.api, h.fixture('not_a_number.csv'));
    await until(() => expect(w.find('[data-test=load-error]').exists()).toBe(true));
    expect(w.find('[data-test=load-error]').text()).toMatch(/line \d+, column \d+ \(\w+\)/);
    expect(w.find('[data-test=load-error-what]').text()).toMatch(/^expected a number, found "/);
  });

  test('missing values and excluded columns are reported', async () => {
    const w = mountView();
    await useDatasetStore().open(app.api, h.fixture('missing.csv'));
    await until(() => expect(w.find('[data-test=report]').exists() || w.find('[data-test=load-error]').exists()).toBe(true));
    const report = w.find('[data-test=report]');
    expect(report.exists()).toBe(true);
    expect(w.find('[data-test=missing]').exists()).toBe(true);
    expect(w.find('[data-test=rows]').text()).toMatch(/dropped for missing values/);
  });
});
