// The IPC side of the Electron transport: one backend Connection per window, requests answered
// through ipcMain.handle, events pushed with webContents.send. Every message is validated by the
// protocol module, and only frames showing the app's own page are answered.
// (Only types come from electron here, so this module is tested without an Electron binary.)
import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Backend, Connection } from '../api/backend.ts';
import { IPC, SaveExportSchema, SaveFileSchema, describeZodError, type ResponseMessage, type SaveFileRequest } from '../api/protocol.ts';

export interface IpcDeps {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  backend: Backend;
  /** True for the URL of the app's own page (app://precond/...). */
  trusted(url: string): boolean;
  openCsv(sender: WebContents): Promise<string | null>;
  saveExport(sender: WebContents, id: number, format: 'csv' | 'json'): Promise<string | null>;
  saveFile(sender: WebContents, request: SaveFileRequest): Promise<string | null>;
}

/** Registers the handlers; returns a function that removes them and closes every connection. */
export function attachIpc(deps: IpcDeps): () => void {
  const connections = new Map<WebContents, Connection>();

  function connectionOf(sender: WebContents): Connection {
    let c = connections.get(sender);
    if (!c) {
      c = deps.backend.connect((event) => {
        if (!sender.isDestroyed()) sender.send(IPC.event, event);
      });
      connections.set(sender, c);
      sender.once('destroyed', () => {
        connections.get(sender)?.close();
        connections.delete(sender);
      });
    }
    return c;
  }

  function checkSender(e: IpcMainInvokeEvent): void {
    const url = e.senderFrame?.url ?? '';
    if (!deps.trusted(url)) throw new Error(`refused: IPC from ${url || 'an unknown frame'}`);
  }

  deps.ipcMain.handle(IPC.invoke, async (e, message: unknown): Promise<ResponseMessage> => {
    if (!deps.trusted(e.senderFrame?.url ?? '')) return { id: null, ok: false, error: { code: 'forbidden', message: 'refused: this page may not use the API' } };
    return connectionOf(e.sender).handle(message);
  });
  deps.ipcMain.handle(IPC.openCsv, async (e) => {
    checkSender(e);
    return deps.openCsv(e.sender);
  });
  deps.ipcMain.handle(IPC.saveExport, async (e, args: unknown) => {
    checkSender(e);
    const parsed = SaveExportSchema.safeParse(args);
    if (!parsed.success) throw new Error(describeZodError(parsed.error, 'saveRunExport'));
    return deps.saveExport(e.sender, parsed.data.id, parsed.data.format);
  });
  deps.ipcMain.handle(IPC.saveFile, async (e, args: unknown) => {
    checkSender(e);
    const parsed = SaveFileSchema.safeParse(args);
    if (!parsed.success) throw new Error(describeZodError(parsed.error, 'saveFile'));
    return deps.saveFile(e.sender, parsed.data);
  });

  return () => {
    for (const channel of [IPC.invoke, IPC.openCsv, IPC.saveExport, IPC.saveFile]) deps.ipcMain.removeHandler(channel);
    for (const c of connections.values()) c.close();
    connections.clear();
  };
}
