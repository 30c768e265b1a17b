// The Sweep card of New run on the real backend (the core expands and checks the sweep; the
// runner is a test double recording what it is asked to start).
import type { VueWrapper } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { mountNewRunOnIris, startHarness, testApp, until, type Harness, type TestApp } from './harness.ts';

let h: Harness;
let app: TestApp;

beforeEach(async () => {
  h = await startHarness();
  app = testApp(h);
});
afterEach(async () => {
  await h.close();
});

const mountWithIris = () => mountNewRunOnIris(app, (w) => expect(w.findAll('[data-test=sweep-lr-value]').length).toBe(5));

const lrValues = (w: VueWrapper) => w.findAll('[data-test=sweep-lr-value]').map((c) => c.text());

describe('the Sweep card', () => {
  test('shows the server-expanded values before launch, and starts every member with the sweep id', async () => {
    const w = await mountWithIris();
    expect(lrValues(w)).toEqual(['1e-4', '0.001', '0.01', '0.1', '1']);
    await w.find('[data-test=sweep-seed-on]').setValue(true);
    await w.find('[data-test=sweep-lr-count]').setValue(3);
    await until(() => expect(w.find('[data-test=sweep-run-count]').text()).toBe('9 runs'));
    expect(lrValues(w)).toEqual(['1e-4', '0.01', '1']);
    expect(h.runner.calls.filter((c) => c.method === 'start')).toEqual([]);
    await w.find('[data-test=start-sweep]').trigger('click');
    await until(() => expect(app.router.currentRoute.value.path).toMatch(/^\/sweeps\/\d+$/));
    const sweepId = Number(app.router.currentRoute.value.path.split('/').pop());
    const starts = h.runner.calls.filter((c) => c.method === 'start') as unknown as { config: { optimizer: { name: string; hyperparams: { lr: number } }; training: { seed: number } }; options: { sweepId: number } }[];
    expect(starts.map((c) => [c.config.optimizer.name, c.config.optimizer.hyperparams.lr, c.config.training.seed, c.options.sweepId])).toEqual(
      [1e-4, 0.01, 1].flatMap((lr) => [0, 1, 2].map((seed) => ['adam', lr, seed, sweepId])),
    );
  });

  test('a field the server refuses is shown under it, and Start sweep stays disabled', async () => {
    const w = await mountWithIris();
    await w.find('[data-test=sweep-lr-count]').setValue(60);
    await until(() => expect(w.find('[data-test="sweep-error-lr.count"]').text()).toBe('lr.count: a whole number of values from 2 to 50'));
    expect(w.find('[data-test=start-sweep]').attributes('disabled')).toBeDefined();
    await w.find('[data-test=sweep-lr-count]').setValue(4);
    await until(() => expect(w.find('[data-test="sweep-error-lr.count"]').exists()).toBe(false));
    expect(lrValues(w)).toEqual(['1e-4', '0.002154', '0.04642', '1']);
    // A field inside a list: `seed.values[1]` is shown under the seed list.
    await w.find('[data-test=sweep-seed-on]').setValue(true);
    await w.find('[data-test=sweep-seed-kind]').setValue('list');
    await w.find('[data-test=sweep-seed-list]').setValue('0, -3');
    await until(() => expect(w.find('[data-test="sweep-error-seed.values"]').text()).toMatch(/^seed\.values\[1\]: a whole-number seed ≥ 0/));
    await w.find('[data-test=sweep-seed-list]').setValue('0, 3, 0');
    await until(() => expect(w.find('[data-test="sweep-error-seed.values"]').text()).toBe('seed.values[2]: 0 is already seed.values[0]; each value once'));
    await w.find('[data-test=sweep-seed-on]').setValue(false);
    // The base config's own errors keep the sweep from being planned at all.
    await w.find('[data-test=epochs]').setValue(0);
    await until(() => expect(w.find('[data-test=start-sweep]').attributes('disabled')).toBeDefined());
    expect(h.runner.calls.filter((c) => c.method === 'start')).toEqual([]);
  });
});
