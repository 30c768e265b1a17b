// The application menu as plain data: the usual roles (edit, view, window) with their standard
// shortcuts, plus the app's own commands, which are sent to the renderer.
import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../api/protocol.ts';

export interface MenuActions {
  /** Sends a command to the focused window's renderer. */
  command(command: MenuCommand): void;
  /** Shows the folder holding the database (and uploads) in the file manager. */
  showDataFolder(): void;
}

export function menuTemplate(platform: NodeJS.Platform, appName: string, actions: MenuActions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const cmd = (label: string, accelerator: string | undefined, command: MenuCommand): MenuItemConstructorOptions => ({ label, accelerator, click: () => actions.command(command) });
  return [
    ...(mac ? [{ label: appName, submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'services' }, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } as MenuItemConstructorOptions] : []),
    {
      label: 'File',
      submenu: [
        cmd('Open CSV…', 'CmdOrCtrl+O', 'open-csv'),
        { type: 'separator' },
        cmd('Export Run as CSV…', 'CmdOrCtrl+E', 'export-run-csv'),
        cmd('Export Run as JSON…', 'CmdOrCtrl+Shift+E', 'export-run-json'),
        { type: 'separator' },
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'Go',
      submenu: [cmd('Datasets', 'CmdOrCtrl+1', 'go-datasets'), cmd('New Run', 'CmdOrCtrl+2', 'go-new-run'), cmd('Runs', 'CmdOrCtrl+3', 'go-runs')],
    },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        { role: 'forceReload' },
        { role: 'toggleDevTools' },
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Show Data Folder', click: () => actions.showDataFolder() }, ...(mac ? [] : [{ role: 'about' } as MenuItemConstructorOptions])] },
  ];
}
