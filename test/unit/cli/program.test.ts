import { describe, expect, it } from 'vitest';
import { precond } from '../../helpers/cli.ts';

describe('precond command', () => {
  it('lists its subcommands in --help', () => {
    const r = precond(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/Usage: precond/);
    expect(r.stdout).toMatch(/\binfo\b/);
  });

  it('exits 2 on an unknown subcommand: one line of reason, one line pointing at the help', () => {
    const r = precond(['frobnicate']);
    expect([r.status, r.stdout, r.stderr]).toEqual([2, '', "precond: error: unknown command 'frobnicate'\nrun \"precond --help\" for the subcommands\n"]);
    const nested = precond(['runs', 'frobnicate']);
    expect([nested.status, nested.stderr]).toEqual([2, "precond: error: unknown command 'frobnicate'\nrun \"precond runs --help\" for the subcommands\n"]);
  });

  it('exits 2 on an unknown flag or a bad flag value, pointing at that subcommand\'s help instead of printing it', () => {
    const r = precond(['info', '--frobnicate']);
    expect([r.status, r.stderr]).toEqual([2, "precond: error: unknown option '--frobnicate'\nrun \"precond info --help\" for the flags\n"]);
    // A bad value caught by commander, and one caught by the command itself (a UserError).
    const steps = precond(['path', '--surface', 'valley', '--optimizer', 'sgd', '--steps', '0']);
    expect([steps.status, steps.stderr.split('\n').slice(1)]).toEqual([2, ['run "precond path --help" for the flags', '']]);
    expect(steps.stderr).toMatch(/^precond: error: .*--steps takes a whole number from 1 to 1000000, not "0"\n/);
    const momentum = precond(['path', '--surface', 'valley', '--optimizer', 'adam', '--momentum', '0.9']);
    expect(momentum.status).toBe(2);
    expect(momentum.stderr).toMatch(/^precond: --momentum does not apply to adam .*\nrun "precond path --help" for the flags\n$/);
    for (const x of [r, steps, momentum]) expect(x.stderr).not.toMatch(/Usage:|Options:/);
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
