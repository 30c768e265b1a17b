import { describe, expect, it } from 'vitest';
import { precond } from '../../helpers/cli.ts';

describe('precond command', () => {
  it('lists its subcommands in --help', () => {
    const r = precond(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: precond/);
    expect(r.stdout).toMatch(/\binfo\b/);
  });

  it('exits 2 with a one-line reason and the usage on an unknown subcommand', () => {
    const r = precond(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe("precond: error: unknown command 'frobnicate'");
    expect(r.stderr).toMatch(/Usage: precond/);
  });

  it('exits 2 on an unknown flag of a subcommand, with that subcommand\'s usage', () => {
    const r = precond(['info', '--frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe("precond: error: unknown option '--frobnicate'");
    expect(r.stderr).toMatch(/Usage: precond info/);
  });

  it('prints only JSON on stdout, honouring --db over PRECOND_DB', () => {
    const r = precond(['info', '--json', '--db', '/tmp/x.sqlite'], { PRECOND_DB: '/tmp/env.sqlite' });
    expect(r.status).toBe(0);
    const info = JSON.parse(r.stdout) as { db: string; dbSource: string };
    expect(info).toMatchObject({ db: '/tmp/x.sqlite', dbSource: '--db' });
    const env = JSON.parse(precond(['info', '--json'], { PRECOND_DB: '/tmp/env.sqlite' }).stdout) as { db: string };
    expect(env.db).toBe('/tmp/env.sqlite');
  });
});
