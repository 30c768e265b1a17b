import { describe, expect, it } from 'vitest';
import { join, resolve } from 'node:path';
import { resolveDbPath, userDataDir } from '../../../src-main/store/location.ts';

describe('data location', () => {
  it('matches Electron userData for "Precond Lab" on each platform', () => {
    expect(userDataDir({}, 'linux', '/home/ada')).toBe('/home/ada/.config/Precond Lab');
    expect(userDataDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', '/home/ada')).toBe('/xdg/Precond Lab');
    expect(userDataDir({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/Precond Lab');
    expect(userDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(
      join('C:\\Users\\ada\\AppData\\Roaming', 'Precond Lab'),
    );
  });

  it('prefers --db, then PRECOND_DB, then the user-data folder', () => {
    expect(resolveDbPath('runs.sqlite', { PRECOND_DB: '/env.sqlite' })).toBe(resolve('runs.sqlite'));
    expect(resolveDbPath(undefined, { PRECOND_DB: '/env.sqlite' })).toBe('/env.sqlite');
    expect(resolveDbPath(undefined, { XDG_CONFIG_HOME: '/xdg' })).toBe(
      join(userDataDir({ XDG_CONFIG_HOME: '/xdg' }), 'precond.sqlite'),
    );
  });
});
