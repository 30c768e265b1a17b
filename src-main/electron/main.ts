// The desktop shell: one window with secure defaults, the backend API over IPC, native dialogs,
// the application menu and the OS theme. Everything else lives behind the API (src-main/api).
import { app, BrowserWindow, dialog, ipcMain, Menu, nativeTheme, net, protocol, session, shell, type WebContents } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { exportFilename, runCsvChunks, runJson } from '../api/export.ts';
import { IPC, type MenuCommand, type SaveFileRequest } from '../api/protocol.ts';
import { openRuntime, type Runtime } from '../api/runtime.ts';
import { setSamplesDir } from '../io/index.ts';
import { writeFileAtomically } from '../io/output-file.ts';
import { CONTENT_SECURITY_POLICY } from '../server/security.ts';
import { PRODUCT_NAME } from '../store/location.ts';
import { attachIpc } from './ipc.ts';
import { menuTemplate } from './menu.ts';

app.setName(PRODUCT_NAME);

/** The renderer is served from app://precond/ (a privileged standard scheme) rather than file://. */
const SCHEME = 'app';
const APP_ORIGIN = `${SCHEME}://precond`;
const RENDERER_DIR = join(import.meta.dirname, '../renderer');
const DEV_URL = process.env.ELECTRON_RENDERER_URL;
const LIGHT_BG = '#ffffff';
const DARK_BG = '#0d1117';

protocol.registerSchemesAsPrivileged([{ scheme: SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

function trusted(url: string): boolean {
  return url.startsWith(`${APP_ORIGIN}/`) || (!!DEV_URL && url.startsWith(DEV_URL));
}

/** Files of out/renderer for app://precond/<path>, with the CSP; nothing outside the folder. */
function serveRenderer(request: Request): Promise<Response> | Response {
  const { pathname } = new URL(request.url);
  const file = normalize(join(RENDERER_DIR, decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
  if (!file.startsWith(RENDERER_DIR + sep)) return new Response('forbidden', { status: 403 });
  return net.fetch(pathToFileURL(file).toString()).then((res) => {
    const headers = new Headers(res.headers);
    headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(res.body, { status: res.status, headers });
  });
}

function themeBackground(): string {
  return nativeTheme.shouldUseDarkColors ? DARK_BG : LIGHT_BG;
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1400,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: PRODUCT_NAME,
    show: false,
    backgroundColor: themeBackground(),
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  // No navigation away from the app and no new windows: web links open in the user's browser.
  win.webContents.on('will-navigate', (event, url) => {
    if (!trusted(url)) event.preventDefault();
  });
  win.webContents.on('will-redirect', (event, url) => {
    if (!trusted(url)) event.preventDefault();
  });
  win.webContents.on('will-attach-webview', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  void win.loadURL(DEV_URL ?? `${APP_ORIGIN}/index.html`);
  return win;
}

function windowOf(sender: WebContents): BrowserWindow | undefined {
  return BrowserWindow.fromWebContents(sender) ?? undefined;
}

async function openCsv(sender: WebContents): Promise<string | null> {
  const win = windowOf(sender);
  const options: Electron.OpenDialogOptions = {
    title: 'Open a CSV file',
    properties: ['openFile'],
    filters: [
      { name: 'CSV files', extensions: ['csv', 'tsv', 'txt'] },
      { name: 'All files', extensions: ['*'] },
    ],
  };
  const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
  return r.canceled || r.filePaths.length === 0 ? null : r.filePaths[0];
}

async function askSavePath(sender: WebContents, defaultName: string, filters: Electron.FileFilter[]): Promise<string | null> {
  const win = windowOf(sender);
  const options: Electron.SaveDialogOptions = { defaultPath: join(app.getPath('downloads'), defaultName), filters };
  const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
  return r.canceled || !r.filePath ? null : r.filePath;
}

let runtime: Runtime | null = null;

async function saveExport(sender: WebContents, id: number, format: 'csv' | 'json'): Promise<string | null> {
  if (!runtime) return null;
  const { store } = runtime;
  const run = store.getRun(id);
  const path = await askSavePath(sender, exportFilename(run, format), [{ name: format.toUpperCase(), extensions: [format] }]);
  if (!path) return null;
  // Through a temp file renamed at the end: a failed write leaves no half file; errors name `path`.
  writeFileAtomically(path, (put) => {
    if (format === 'json') put(runJson(store, id).text);
    else for (const chunk of runCsvChunks(store, id)) put(chunk);
  });
  return path;
}

async function saveFile(sender: WebContents, request: SaveFileRequest): Promise<string | null> {
  const path = await askSavePath(sender, request.defaultName, request.filters ?? []);
  if (!path) return null;
  writeFileAtomically(path, (put) => put(request.data));
  return path;
}

function sendMenuCommand(command: MenuCommand): void {
  const win = BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];
  win?.webContents.send(IPC.menu, command);
}

async function start(): Promise<void> {
  // Packaged: the samples are extra resources; from a checkout: resources/datasets of the project.
  setSamplesDir(app.isPackaged ? join(process.resourcesPath, 'datasets') : join(app.getAppPath(), 'resources', 'datasets'));
  nativeTheme.themeSource = 'system';
  app.setAboutPanelOptions({ applicationName: PRODUCT_NAME, applicationVersion: app.getVersion() });
  try {
    // npm start builds better-sqlite3 for Electron's ABI beside node_modules (which stays on Node's).
    runtime = await openRuntime({ fileAccess: 'any', sqliteBinding: process.env.PRECOND_SQLITE_BINDING || undefined });
  } catch (err) {
    dialog.showErrorBox(PRODUCT_NAME, `Cannot open the run store: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    app.exit(1);
    return;
  }
  // Nothing in the app needs a permission (camera, notifications, ...): refuse them all.
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  protocol.handle(SCHEME, serveRenderer);
  attachIpc({ ipcMain, backend: runtime.backend, trusted, openCsv, saveExport, saveFile });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(menuTemplate(process.platform, PRODUCT_NAME, { command: sendMenuCommand, showDataFolder: () => runtime && shell.showItemInFolder(runtime.store.file) })),
  );
  nativeTheme.on('updated', () => {
    for (const win of BrowserWindow.getAllWindows()) win.setBackgroundColor(themeBackground());
  });
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

void app.whenReady().then(start);

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// Runs still training end `stopped` with every point kept, then the store closes.
let closing = false;
app.on('before-quit', (event) => {
  if (!runtime || closing) return;
  event.preventDefault();
  closing = true;
  const r = runtime;
  runtime = null;
  void r.close().finally(() => app.quit());
});
