// The New run view on the real backend (registries from the core, schedule previews computed
// by it, configs checked by it); the runner is a test double that records what it is asked.
import { mount } from '@vue/test-utils';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { API_KEY } from '../../src-renderer/src/api/index.ts';
import NewRunView from '../../src-renderer/src/views/NewRunView.vue';
import { useMetaStore } from '../../src-renderer/src/stores/meta.ts';
import { RUN_DEFAULTS } from '../../src-renderer/src/api/protocol.ts';
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

const mountWithIris = () => mountNewRunOnIris(app, (w) => expect(w.findAll('[data-test^=optimizer-]').length).toBeGreaterThan(10));

const value = (w: ReturnType<typeof mount>, name: string, k = 0) => (w.find(`[data-test=param-${name}]`).findAll('input, select')[k].element as HTMLInputElement).value;

describe('NewRunView', () => {
  test('every optimizer of the registry; Adam prefilled with torch’s defaults and its sentence', async () => {
    const w = await mountWithIris();
    const names = w.findAll('.optimizers [data-test^=optimizer-]').map((b) => b.text());
    expect(names).toEqual(['SGD', 'AdaGrad', 'RMSprop', 'Adam', 'AdamW', 'Adamax', 'NAdam', 'RAdam', 'Adadelta', 'Rprop']);
    expect(w.find('[data-test=optimizer-adam]').classes()).toContain('selected');
    expect(value(w, 'lr')).toBe('0.001');
    expect(value(w, 'betas', 0)).toBe('0.9');
    expect(value(w, 'betas', 1)).toBe('0.999');
    expect(value(w, 'eps')).toBe('1e-8');
    expect(w.find('[data-test=optimizer-summary]').text()).toMatch(/^Keeps decaying averages of each parameter's gradients \(momentum\) and of its squared gradients/);
    expect(w.text()).toContain('120 training rows · 4 steps per epoch, 80 in all');
  });

  test('switching optimizer and preset refills the defaults; presets an optimizer lacks are disabled', async () => {
    const w = await mountWithIris();
    await w.find('[data-test=optimizer-adagrad]').trigger('click');
    expect(value(w, 'lr')).toBe('0.01');
    expect(w.find('[data-test=optimizer-summary]').text()).toMatch(/root of the sum of all past squared gradients.*fade to nothing/);
    await w.find('[data-test=optimizer-adam]').trigger('click');
    const keras = w.findAll('[data-test=preset] button').find((b) => b.text() === 'keras')!;
    await keras.trigger('click');
    expect(value(w, 'eps')).toBe('1e-7');
    await w.find('[data-test=optimizer-radam]').trigger('click');
    const kerasOnRadam = w.findAll('[data-test=preset] button').find((b) => b.text() === 'keras')!;
    expect(kerasOnRadam.attributes('disabled')).toBeDefined();
    expect(w.findAll('[data-test=preset] button').find((b) => b.classes('active'))!.text()).toBe('torch');
  });

  test('an out-of-range value is shown at its field and the run cannot start', async () => {
    const w = await mountWithIris();
    await w.find('[data-test=param-lr] input').setValue('-3');
    expect(w.find('[data-test=param-lr] [data-test=param-error]').text()).toBe('must be in (0, ∞)');
    expect(w.find('[data-test=start]').attributes('disabled')).toBeDefined();
    await w.find('[data-test=param-lr] input').setValue('3e-4');
    expect(w.find('[data-test=param-lr] [data-test=param-error]').exists()).toBe(false);
    await w.find('[data-test=hidden]').setValue('64, x');
    expect(w.text()).toContain('x is not a layer width');
    expect(w.find('[data-test=start]').attributes('disabled')).toBeDefined();
  });

  test('a schedule gets parameters fitted to the run and a preview of its learning rates from the core', async () => {
    const w = await mountWithIris();
    await w.find('[data-test=schedule]').setValue('cosine');
    expect(value(w, 'T_max')).toBe('80');
    await until(() => {
      const previews = h.transport.sent.filter((m) => m.method === 'meta.schedulePreview');
      expect(previews.at(-1)?.params).toMatchObject({ schedule: { name: 'cosine', T_max: 80, eta_min: 0 }, lr: 0.001, steps: 80 });
    });
    await w.find('[data-test=epochs]').setValue(40);
    await until(() => expect(h.transport.sent.filter((m) => m.method === 'meta.schedulePreview').at(-1)?.params).toMatchObject({ steps: 160 }));
  });

  test('Start sends the config and opens the run', async () => {
    const w = await mountWithIris();
    await w.find('[data-test=optimizer-rmsprop]').trigger('click');
    await w.find('[data-test=param-lr] input').setValue('0.005');
    await w.find('[data-test=schedule]').setValue('step');
    await w.find('[data-test=run-name]').setValue('rmsprop try');
    await w.find('[data-test=start]').trigger('click');
    await until(() => expect(app.router.currentRoute.value.path).toMatch(/^\/runs\/\d+$/));
    const start = h.runner.calls.find((c) => c.method === 'start')!;
    expect(start.config).toMatchObject({
      model: { kind: 'mlp', hidden: [64], activation: 'relu' },
      optimizer: { name: 'rmsprop', preset: 'torch', hyperparams: { lr: 0.005, alpha: 0.99, eps: 1e-8, centered: false } },
      schedule: { name: 'step', step_size: 27, gamma: 0.1 },
      data: { source: 'iris', missing: 'drop', valSplit: 0.2 },
      training: { epochs: 20, batchSize: 32, seed: 0 },
    });
    expect((start as { options?: { name?: string } }).options?.name).toBe('rmsprop try');
  });

  test('the form starts from the core’s run defaults, and a run left unnamed gets the name its placeholder showed', async () => {
    const w = await mountWithIris();
    expect((w.find('[data-test=hidden]').element as HTMLInputElement).value).toBe(RUN_DEFAULTS.mlp.hidden.join(', '));
    expect(Number((w.find('[data-test=epochs]').element as HTMLInputElement).value)).toBe(RUN_DEFAULTS.training.epochs);
    expect(Number((w.find('[data-test=batch-size]').element as HTMLInputElement).value)).toBe(RUN_DEFAULTS.training.batchSize);
    expect(Number((w.find('[data-test=run-val-split]').element as HTMLInputElement).value)).toBe(RUN_DEFAULTS.data.valSplit);
    await w.find('[data-test=param-lr] input').setValue('3e-3');
    const placeholder = w.find('[data-test=run-name]').attributes('placeholder');
    expect(placeholder).toBe('adam(lr=0.003) · mlp · iris');
    await w.find('[data-test=start]').trigger('click');
    await until(() => expect(app.router.currentRoute.value.path).toMatch(/^\/runs\/\d+$/));
    const id = Number(app.router.currentRoute.value.params.id);
    expect((await app.api.client.call('runs.get', { id })).name).toBe(placeholder);
  });

  test('invalid epochs or batch size: no step counts and no stale schedule preview', async () => {
    const w = await mountWithIris();
    await w.find('[data-test=schedule]').setValue('cosine');
    await until(() => expect(w.find('[data-test=schedule-preview] canvas').exists()).toBe(true));
    expect(w.find('[data-test=step-plan]').text()).toBe('4 steps per epoch, 80 in all');
    await w.find('[data-test=epochs]').setValue(0);
    expect(w.find('[data-test=step-plan]').text()).toBe('steps: — until the epochs are valid');
    expect(w.find('[data-test=schedule-preview] canvas').exists()).toBe(false);
    expect(w.find('[data-test=preview-blocked]').text()).toBe('The preview needs valid epochs.');
    await w.find('[data-test=epochs]').setValue(10);
    await w.find('[data-test=batch-size]').setValue(0);
    expect(w.find('[data-test=step-plan]').text()).toBe('steps: — until the batch size is valid');
    expect(w.find('[data-test=preview-blocked]').text()).toBe('The preview needs a valid batch size.');
    await w.find('[data-test=batch-size]').setValue(16);
    expect(w.find('[data-test=step-plan]').text()).toBe('8 steps per epoch, 80 in all');
    await until(() => expect(w.find('[data-test=schedule-preview] canvas').exists()).toBe(true));
    // a bad learning rate blanks it too
    await w.find('[data-test=param-lr] input').setValue('-1');
    expect(w.find('[data-test=preview-blocked]').text()).toBe('The preview needs a valid learning rate.');
  });

  test('a config the server refuses shows its message', async () => {
    const w = await mountWithIris();
    await w.find('[data-test=optimizer-sgd]').trigger('click');
    await w.find('[data-test=param-nesterov] input').setValue(true);
    await w.find('[data-test=start]').trigger('click');
    await until(() => expect(w.find('[data-test=start-error]').exists()).toBe(true));
    expect(w.find('[data-test=start-error]').text()).toMatch(/nesterov = true needs momentum > 0/);
    expect(h.runner.calls).toEqual([]);
  });

  test('without a data set it asks for one, and a sample can be picked right there', async () => {
    await useMetaStore().load(app.api);
    const w = mount(NewRunView, { global: { plugins: [app.router], provide: { [API_KEY as symbol]: app.api } } });
    await until(() => expect(w.find('[data-test=need-data]').exists()).toBe(true));
    expect(w.find('[data-test=start]').attributes('disabled')).toBeDefined();
    await until(() => expect(w.findAll('[data-test=quick-sample] option').length).toBe(6));
    await w.find('[data-test=quick-sample]').setValue('wine');
    await until(() => expect(w.find('[data-test=need-data]').exists()).toBe(false));
    expect(w.find('[data-test=start]').attributes('disabled')).toBeUndefined();
  });
});
