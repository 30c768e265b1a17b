import { type Command, CommanderError } from 'commander';
import { UserError } from './errors.ts';
import { log } from './output.ts';
import { buildProgram, exitCodeOf, usageHint } from './program.ts';

async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  // The subcommand whose action runs: a usage error it throws points at its own help.
  let running: Command = program;
  program.hook('preAction', (_program, actionCommand) => {
    running = actionCommand;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return exitCodeOf(err);
    if (err instanceof UserError) {
      log(`precond: ${err.message}`);
      if (err.exitCode === 2) log(usageHint(running));
      return err.exitCode;
    }
    // Anything else is a bug: say so in one line; the stack only on request.
    const message = err instanceof Error ? err.message : String(err);
    log(`precond: internal error: ${message}`);
    if (process.env.PRECOND_DEBUG) log(err instanceof Error && err.stack ? err.stack : '');
    else log('(set PRECOND_DEBUG=1 to see the stack trace)');
    return 1;
  }
}

// A reader that stops reading (`precond runs list | head -1`) closes the pipe: the output it did
// not want is not an error, so the command ends there, quietly and successfully, as `ls | head` does.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

process.exitCode = await main(process.argv.slice(2));
