// The one place that decides where Precond Lab keeps its data. The desktop app, browser mode
// and the CLI all resolve the database path here, so they always agree.
import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const PRODUCT_NAME = 'Precond Lab';
export const DB_FILE_NAME = 'precond.sqlite';

/** The folder Electron's `app.getPath('userData')` gives for the product name "Precond Lab". */
export function userDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir(),
): string {
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', PRODUCT_NAME);
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), PRODUCT_NAME);
}

/** `--db FILE` if given, else `$PRECOND_DB`, else `precond.sqlite` in the user-data folder. */
export function resolveDbPath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return resolve(explicit);
  if (env.PRECOND_DB) return resolve(env.PRECOND_DB);
  return join(userDataDir(env), DB_FILE_NAME);
}

/** Creates the folder that will hold the database file, on first use. */
export function ensureDbFolder(dbPath: string): void {
  mkdirSync(dirname(dbPath), { recursive: true });
}
