import type { Command } from 'commander';
import pkg from '../../../package.json' with { type: 'json' };
import { resolveDbPath, userDataDir } from '../../store/location.ts';
import { printJson, printLine } from '../output.ts';

export function registerInfo(program: Command): void {
  program
    .command('info')
    .description('show the version and where runs are stored')
    .option('--db <file>', 'SQLite file to use instead of the default location')
    .option('--json', 'print one JSON object')
    .action((opts: { db?: string; json?: boolean }) => {
      const info = {
        version: pkg.version,
        node: process.versions.node,
        db: resolveDbPath(opts.db),
        dbSource: opts.db ? '--db' : process.env.PRECOND_DB ? 'PRECOND_DB' : 'default',
        userDataDir: userDataDir(),
      };
      if (opts.json) printJson(info);
      else for (const [k, v] of Object.entries(info)) printLine(`${k.padEnd(12)} ${v}`);
    });
}
