// Runs sandboxed before the renderer; exposes only what the dashboard needs through
// contextBridge (never ipcRenderer itself).
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('precond', {
  transport: 'electron',
});
