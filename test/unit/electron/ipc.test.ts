// The Electron transport's main side without Electron: ipcMain and webContents are stand-ins
// with the same methods; the backend is real.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { IPC } from '../../../src-main/api/protocol.ts';
import { attachIpc, type IpcDeps } from '../../../src-main/electron/ipc.ts';
import { menuTemplate } from '../../../src-main/electron/menu.ts';
import { startHarness, type Harness } from '../../helpers/backendHarness.ts';

type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;

class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, fn: Handler): void {
    this.handlers.set(channel, fn);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
}

class FakeContents extends EventEmitter {
  readonly sent: { channel: string; payload: unknown }[] = [];
  destroyed = false;
  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload: structuredClone(payload) });
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

const APP_URL = 'app://precond/index.html';

let h: Harness;
let ipc: FakeIpcMain;
let detach: () => void;
const dialogs: string[] = [];

function invoke(channel: string, sender: FakeContents, url: string, ...args: unknown[]): Promise<unknown> {
  return ipc.handlers.get(channel)!({ sender, senderFrame: { url } }, ...args.map((a) => structuredClone(a)));
}

beforeEach(async () => {
  h = await startHarness();
  ipc = new FakeIpcMain();
  dialogs.length = 0;
  detach = attachIpc({
    ipcMain: ipc as unknown as IpcDeps['ipcMain'],
    backend: h.backend,
    trusted: (url) => url.startsWith('app://precond/'),
    openCsv: async () => (dialogs.push('open'), '/chosen/file.csv'),
    saveExport: async (_s, id, format) => (dialogs.push(`export ${id} ${format}`), `/saved/run-${id}.${format}`),
    saveFile: async (_s, r) => (dialogs.push(`file ${r.defaultName} ${typeof r.data === 'string' ? 'text' : r.data.length}`), `/saved/${r.defaultName}`),
  });
});
afterEach(async () => {
  detach();
  await h.close();
});

describe('IPC', () => {
  test('requests from the app page are answered; a bad message gets an error response', async () => {
    const wc = new FakeContents();
    const r = (await invoke(IPC.invoke, wc, APP_URL, { id: 1, method: 'datasets.samples' })) as { ok: boolean; result: unknown[] };
    expect(r.ok).toBe(true);
    expect(r.result).toHaveLength(5);
    expect(await invoke(IPC.invoke, wc, APP_URL, { nonsense: true })).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(await invoke(IPC.invoke, wc, APP_URL, 42)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  });

  test('a frame showing anything else is refused', async () => {
    const wc = new FakeContents();
    for (const url of ['https://evil.example/', 'file:///etc/passwd', '']) {
      expect(await invoke(IPC.invoke, wc, url, { id: 1, method: 'runs.list' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      await expect(invoke(IPC.openCsv, wc, url)).rejects.toThrow(/refused/);
    }
    expect(dialogs).toEqual([]);
  });

  test('one connection per window: events go to the window that subscribed, until it is destroyed', async () => {
    const a = new FakeContents();
    const b = new FakeContents();
    await invoke(IPC.invoke, a, APP_URL, { id: 1, method: 'events.subscribe', params: { filters: [{ runIds: [7], types: ['metrics'] }] } });
    await invoke(IPC.invoke, b, APP_URL, { id: 1, method: 'app.info' });
    expect(h.backend.connectionCount).toBe(3); // a, b, and the harness's own
    h.runner.emit({ type: 'metrics', runId: 7, points: [{ key: 'train_loss', step: 1, epoch: 0, wallTime: 0, value: 0.5 }] });
    h.runner.emit({ type: 'metrics', runId: 8, points: [] });
    expect(a.sent).toEqual([{ channel: IPC.event, payload: { type: 'metrics', runId: 7, points: [{ key: 'train_loss', step: 1, epoch: 0, wallTime: 0, value: 0.5 }] } }]);
    expect(b.sent).toEqual([]);
    a.emit('destroyed');
    expect(h.backend.connectionCount).toBe(2);
  });

  test('dialogs: arguments validated by the protocol', async () => {
    const wc = new FakeContents();
    expect(await invoke(IPC.openCsv, wc, APP_URL)).toBe('/chosen/file.csv');
    expect(await invoke(IPC.saveExport, wc, APP_URL, { id: 3, format: 'csv' })).toBe('/saved/run-3.csv');
    await expect(invoke(IPC.saveExport, wc, APP_URL, { id: 3, format: 'exe' })).rejects.toThrow(/saveRunExport\.format/);
    await expect(invoke(IPC.saveExport, wc, APP_URL, { id: 'x; rm -rf', format: 'csv' })).rejects.toThrow(/saveRunExport\.id/);
    expect(await invoke(IPC.saveFile, wc, APP_URL, { defaultName: 'loss.png', data: new Uint8Array([1, 2, 3]) })).toBe('/saved/loss.png');
    await expect(invoke(IPC.saveFile, wc, APP_URL, { defaultName: '', data: 'x' })).rejects.toThrow(/saveFile\.defaultName/);
    expect(dialogs).toEqual(['open', 'export 3 csv', 'file loss.png 3']);
  });

  test('detaching removes every handler', () => {
    detach();
    expect(ipc.handlers.size).toBe(0);
    detach = () => {};
  });

});

describe('the application menu', () => {
  function flat(items: ReturnType<typeof menuTemplate>): { label?: string; role?: string; accelerator?: string; click?: () => void }[] {
    return items.flatMap((i) => [i as never, ...(Array.isArray(i.submenu) ? flat(i.submenu as ReturnType<typeof menuTemplate>) : [])]);
  }

  test('the usual menus and shortcuts, and the app’s commands sent to the renderer', () => {
    const sent: string[] = [];
    const items = flat(menuTemplate('linux', 'Precond Lab', { command: (c) => sent.push(c), showDataFolder: () => sent.push('folder') }));
    const byLabel = (l: string) => items.find((i) => i.label === l)!;
    expect(byLabel('Open CSV…').accelerator).toBe('CmdOrCtrl+O');
    expect(byLabel('Datasets').accelerator).toBe('CmdOrCtrl+1');
    expect(items.map((i) => i.role).filter(Boolean)).toEqual(expect.arrayContaining(['quit', 'editMenu', 'reload', 'toggleDevTools', 'zoomIn', 'zoomOut', 'resetZoom', 'togglefullscreen', 'windowMenu', 'help']));
    for (const l of ['Open CSV…', 'Export Run as CSV…', 'Export Run as JSON…', 'Datasets', 'New Run', 'Runs', 'Show Data Folder']) byLabel(l).click!();
    expect(sent).toEqual(['open-csv', 'export-run-csv', 'export-run-json', 'go-datasets', 'go-new-run', 'go-runs', 'folder']);
  });

  test('macOS gets the app menu first', () => {
    const items = menuTemplate('darwin', 'Precond Lab', { command: () => {}, showDataFolder: () => {} });
    expect(items[0].label).toBe('Precond Lab');
    expect(items[1].label).toBe('File');
  });
});
