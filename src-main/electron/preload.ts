// Runs sandboxed before the renderer and exposes `window.precond` (PrecondBridge) through
// contextBridge: a small typed surface, every argument validated by the protocol module. The
// renderer never sees ipcRenderer.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  ApiEventSchema,
  DialogResultSchema,
  IPC,
  MenuCommandSchema,
  RequestSchema,
  ResponseSchema,
  SaveExportSchema,
  SaveFileSchema,
  type ApiEvent,
  type MenuCommand,
  type PrecondBridge,
  type RequestMessage,
  type ResponseMessage,
} from '../api/protocol.ts';

function listen<T>(channel: string, parse: (x: unknown) => T | undefined, listener: (value: T) => void): () => void {
  const wrapped = (_e: IpcRendererEvent, payload: unknown) => {
    const value = parse(payload);
    if (value !== undefined) listener(value);
  };
  ipcRenderer.on(channel, wrapped);
  return () => void ipcRenderer.removeListener(channel, wrapped);
}

const bridge: PrecondBridge = {
  transport: 'electron',
  async invoke(request: RequestMessage): Promise<ResponseMessage> {
    const checked = RequestSchema.safeParse(request);
    if (!checked.success) return { id: null, ok: false, error: { code: 'bad-request', message: 'bad request: not { id, method, params }' } };
    return ResponseSchema.parse(await ipcRenderer.invoke(IPC.invoke, checked.data));
  },
  onEvent: (listener: (event: ApiEvent) => void) => listen(IPC.event, (x) => ApiEventSchema.safeParse(x).data, listener),
  async openCsvDialog() {
    return DialogResultSchema.parse(await ipcRenderer.invoke(IPC.openCsv));
  },
  async saveRunExport(id, format) {
    return DialogResultSchema.parse(await ipcRenderer.invoke(IPC.saveExport, SaveExportSchema.parse({ id, format })));
  },
  async saveFile(request) {
    return DialogResultSchema.parse(await ipcRenderer.invoke(IPC.saveFile, SaveFileSchema.parse(request)));
  },
  pathForFile(file: object): string {
    try {
      return webUtils.getPathForFile(file as File);
    } catch {
      return '';
    }
  },
  onMenu: (listener: (command: MenuCommand) => void) => listen(IPC.menu, (x) => MenuCommandSchema.safeParse(x).data, listener),
};

contextBridge.exposeInMainWorld('precond', bridge);
