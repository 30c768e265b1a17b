import { Command, type CommanderError } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { registerInfo } from './commands/info.ts';
import { registerRuns } from './commands/runs.ts';
import { registerPath } from './commands/path.ts';
import { registerReplay } from './commands/replay.ts';
import { registerServe } from './commands/serve.ts';
import { registerTrain } from './commands/train.ts';
import { registerSweep } from './commands/sweep.ts';

/** Builds the `precond` command tree. Each subcommand lives in its own module under commands/. */
export function buildProgram(): Command {
  const program = new Command('precond')
    .description('Precond Lab: preconditioned step sizes, measured on your own data.')
    .version(pkg.version, '-V, --version')
    // Settings made here are inherited by every subcommand added below.
    .exitOverride()
    .configureOutput({
      writeOut: (s) => process.stdout.write(s),
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(s.startsWith('error:') ? `precond: ${s}` : s),
    });
  registerInfo(program);
  registerTrain(program);
  registerSweep(program);
  registerRuns(program);
  registerReplay(program);
  registerPath(program);
  registerServe(program);
  // After a usage error: one line pointing at the help, not the whole help (~70 lines for train).
  for (const cmd of commandsOf(program)) cmd.showHelpAfterError(usageHint(cmd));
  return program;
}

/** `cmd` and every subcommand below it. */
function commandsOf(cmd: Command): Command[] {
  return [cmd, ...cmd.commands.flatMap(commandsOf)];
}

/** "precond runs list": the words a user types to reach `cmd`. */
export function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** The line printed under a usage error: where the flags (or the subcommands) are listed. */
export function usageHint(cmd: Command): string {
  return `run "${commandPath(cmd)} --help" for the ${cmd.commands.length > 0 ? 'subcommands' : 'flags'}`;
}

/** Commander's codes for a bad invocation (exit 2) rather than a failure of the work (exit 1). */
const USAGE_ERRORS = new Set([
  'commander.unknownCommand',
  'commander.unknownOption',
  'commander.missingArgument',
  'commander.optionMissingArgument',
  'commander.missingMandatoryOptionValue',
  'commander.invalidArgument',
  'commander.excessArguments',
  'commander.conflictingOption',
  'commander.help',
]);

export function exitCodeOf(err: CommanderError): number {
  if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version') return 0;
  return USAGE_ERRORS.has(err.code) ? 2 : err.exitCode || 1;
}
