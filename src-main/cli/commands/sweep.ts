// `precond sweep`: the run `precond train` would make, repeated over learning rates, seeds and/or
// optimizers (core/sweep's expandSweep, the same expansion as the API's sweeps.start), every
// member checked before anything is launched, trained on the worker pool into the store as one
// sweep; then a table of the members, the best learning rate and the ones that diverged.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DataLoadError } from '../../core/data/errors.ts';
import { OPTIMIZER_NAMES } from '../../core/optim/registry.ts';
import { analyzeSweep, expandSweep, formatLr, SweepError, type ExpandedSweep, type SweepSpec } from '../../core/sweep/index.ts';
import { createRunner, defaultPoolSize, type LaunchedRun, type RunOutcome } from '../../runner/index.ts';
import { installKernels } from '../../runner/native-kernels.ts';
import { openStore, resolveDbPath, StoreError, type RunStore } from '../../store/index.ts';
import { UserError } from '../errors.ts';
import { onStopSignals, SIGNAL_EXIT_CODES, type StopSignal } from '../signals.ts';
import { log, printLine } from '../output.ts';
import { toJson } from './runs.ts';
import { addRunOptions, compact, configFromOptions, flagOf, fmtSeconds, fmtValue, type TrainOpts } from './train.ts';

interface SweepOpts extends TrainOpts {
  lrs?: SweepSpec['lr'];
  seeds?: SweepSpec['seed'];
  optimizers?: string[];
  workers?: number;
  plan?: boolean;
}

const numberList = (flag: string, text: string): number[] => {
  const parts = text.split(',').map((p) => p.trim());
  const xs = parts.map(Number);
  const bad = parts.findIndex((p, i) => p === '' || !Number.isFinite(xs[i]));
  if (bad >= 0) throw new InvalidArgumentError(`${flag}: "${parts[bad]}" is not a number`);
  return xs;
};

/** `1e-4:1:5` (log-spaced), `0.1:0.5:5:linear`, or a list `0.001,0.01,0.1`. */
export function parseLrs(text: string): NonNullable<SweepSpec['lr']> {
  if (!text.includes(':')) return { kind: 'list', values: numberList('--lrs', text) };
  const [from, to, count, spacing = 'log', ...rest] = text.split(':').map((p) => p.trim());
  const [a, b, n] = [Number(from), Number(to), Number(count)];
  if (rest.length || !(spacing === 'log' || spacing === 'linear') || [from, to, count].some((p) => p === undefined || p === '') || [a, b, n].some((x) => !Number.isFinite(x)))
    throw new InvalidArgumentError(`--lrs takes FROM:TO:COUNT[:log|linear] (e.g. 1e-4:1:5) or a list (0.001,0.01,0.1), not "${text}"`);
  return { kind: spacing, from: a, to: b, count: n };
}

/** `3` (three seeds from --seed) or a list `0,4,7`. */
export function parseSeeds(text: string): NonNullable<SweepSpec['seed']> {
  if (text.includes(',')) return { kind: 'list', values: numberList('--seeds', text) };
  const n = Number(text);
  if (text.trim() === '' || !Number.isInteger(n)) throw new InvalidArgumentError(`--seeds takes a count (3: seeds --seed, --seed+1, ...) or a list (0,4,7), not "${text}"`);
  return { kind: 'range', count: n };
}

/** The flag a sweep spec field comes from. */
function sweepFlag(field: string): string {
  if (field.startsWith('lr')) return '--lrs';
  if (field.startsWith('seed')) return '--seeds';
  if (field.startsWith('optimizers')) return '--optimizers';
  if (field.startsWith('base.')) return flagOf(field.slice('base.'.length));
  return field === 'name' ? '--name' : field;
}

function specFromOptions(opts: SweepOpts): SweepSpec {
  if (!opts.lrs && !opts.seeds && !opts.optimizers) throw new UserError('precond sweep needs --lrs, --seeds or --optimizers (one or more)', 2);
  const base = compact(configFromOptions(opts)) as Record<string, unknown>;
  const seed = opts.seeds?.kind === 'range' ? { ...opts.seeds, from: opts.seed ?? 0 } : opts.seeds;
  return {
    ...(opts.name ? { name: opts.name } : {}),
    base,
    ...(opts.lrs ? { lr: opts.lrs } : {}),
    ...(seed ? { seed } : {}),
    ...(opts.optimizers ? { optimizers: opts.optimizers.map((name) => ({ name })) } : {}),
  };
}

interface MemberResult {
  runId: number;
  optimizer: string;
  lr: number;
  seed: number;
  status: RunOutcome['status'];
  steps: number;
  divergedStep: number | null;
  trainLoss: number | null;
  valLoss: number | null;
}

const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

function memberResult(launched: LaunchedRun, outcome: RunOutcome): MemberResult {
  return {
    runId: outcome.runId,
    optimizer: launched.config.optimizer.name,
    lr: launched.config.optimizer.hyperparams.lr,
    seed: launched.config.training.seed,
    status: outcome.status,
    steps: outcome.step,
    divergedStep: outcome.divergedStep,
    trainLoss: finite(outcome.final.train_loss),
    valLoss: finite(outcome.final.val_loss),
  };
}

function printTable(sweep: ExpandedSweep, members: MemberResult[]): void {
  const rows = [['run', 'optimizer', 'lr', 'seed', 'status', 'steps', 'train_loss', 'val_loss'], ...members.map((m) => [String(m.runId), m.optimizer, formatLr(m.lr), String(m.seed), m.status, String(m.steps), fmtValue(m.trainLoss ?? undefined), fmtValue(m.valLoss ?? undefined)])];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  printLine(`sweep: ${sweep.name}`);
  for (const r of rows) printLine('  ' + r.map((cell, c) => (c >= 2 && c !== 4 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  '));
}

export function registerSweep(program: Command): void {
  const cmd = program
    .command('sweep')
    .description('train the run `train` would, over several learning rates, seeds or optimizers at once, stored as one sweep')
    .addOption(new Option('--lrs <FROM:TO:COUNT|list>', 'learning rates: log-spaced FROM:TO:COUNT (e.g. 1e-4:1:5), FROM:TO:COUNT:linear, or a list 0.001,0.01,0.1').argParser(parseLrs))
    .addOption(new Option('--seeds <count|list>', 'seeds: a count (3: --seed, --seed+1, --seed+2) or a list 0,4,7').argParser(parseSeeds))
    .addOption(new Option('--optimizers <names>', `optimizers, e.g. sgd,adam (the others than --optimizer take their preset's defaults; one of ${OPTIMIZER_NAMES.join(', ')})`).argParser((t: string) => t.split(',').map((s) => s.trim())))
    .addOption(new Option('--workers <n>', 'runs trained at once (default: cores − 1); the rest wait in the queue').argParser((t: string) => {
      const n = Number(t);
      if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--workers takes a whole number ≥ 1, not "${t}"`);
      return n;
    }))
    .option('--plan', 'print the members the sweep would launch, and launch nothing');
  addRunOptions(cmd).option('--json', 'print one JSON object when every member has ended');
  const nameOption = cmd.options.find((o) => o.long === '--name');
  if (nameOption) nameOption.description = "the sweep's name (default: made from the axes, model and data set)";
  cmd.action(async (opts: SweepOpts) => {
    const spec = specFromOptions(opts);
    let sweep: ExpandedSweep;
    try {
      sweep = expandSweep(spec);
    } catch (err) {
      if (err instanceof SweepError) throw new UserError(`${sweepFlag(err.field)}: ${err.message}`, 2);
      throw err;
    }
    if (opts.plan) {
      if (opts.json) printLine(toJson({ name: sweep.name, lrs: sweep.lrs, seeds: sweep.seeds, optimizers: sweep.optimizers, members: sweep.members.map((m) => ({ name: m.name, ...m.point })) }));
      else {
        printLine(`sweep: ${sweep.name} (${sweep.members.length} runs; nothing launched)`);
        for (const m of sweep.members) printLine(`  ${m.name}`);
      }
      return;
    }
    let store: RunStore;
    try {
      store = openStore(resolveDbPath(opts.db));
    } catch (err) {
      throw err instanceof StoreError ? new UserError(err.message, 1) : err;
    }
    installKernels();
    const runner = createRunner({ store, poolSize: opts.workers ?? defaultPoolSize() });
    const launched: LaunchedRun[] = [];
    let interrupts = 0;
    let signalExitCode: number | null = null;
    // Ctrl-C, kill and a closed terminal alike: every member ends stopped with its points kept.
    const onSignal = (signal: StopSignal) => {
      signalExitCode ??= SIGNAL_EXIT_CODES[signal];
      if (++interrupts > 1 || launched.length === 0) {
        store.close();
        process.exit(SIGNAL_EXIT_CODES[signal]);
      }
      log(signal === 'SIGINT' ? '\nprecond: stopping the sweep (Ctrl-C again to quit at once)' : `\nprecond: ${signal}: stopping the sweep`);
      for (const l of launched) void runner.stop(l.runId).catch(() => {});
    };
    const unhook = onStopSignals(onSignal);
    const started = performance.now();
    try {
      const sweepId = store.createSweep({ name: sweep.name, spec });
      try {
        for (const m of sweep.members) launched.push(await runner.launch(m.config, { name: m.name, tags: opts.tag, sweepId }));
      } catch (err) {
        if (launched.length === 0) store.deleteSweep(sweepId);
        else for (const l of launched) await runner.stop(l.runId).catch(() => {});
        if (err instanceof DataLoadError || err instanceof StoreError) throw new UserError(err.message, 1);
        throw err;
      }
      if (!opts.json) log(`sweep ${sweepId}: ${sweep.members.length} runs on ${runner.poolSize} worker${runner.poolSize > 1 ? 's' : ''}`);
      let ended = 0;
      const outcomes = await Promise.all(
        launched.map((l) =>
          l.done.then((o) => {
            ended++;
            if (!opts.json) log(`  ${ended}/${launched.length} run ${o.runId} ${o.status} (lr ${formatLr(l.config.optimizer.hyperparams.lr)})`);
            return o;
          }),
        ),
      );
      const members = launched.map((l, i) => memberResult(l, outcomes[i]));
      // The same reading as the Sweep view's Goldilocks chart: the best lr by the mean over seeds.
      const analysis = analyzeSweep(
        launched.map((l, i) => ({ runId: l.runId, optimizer: l.config.optimizer.name, lr: l.config.optimizer.hyperparams.lr, seed: l.config.training.seed, status: outcomes[i].status, divergedStep: outcomes[i].divergedStep, summary: outcomes[i].final })),
      );
      const best = analysis.best;
      const several = (sweep.optimizers?.length ?? 0) > 1;
      const seconds = (performance.now() - started) / 1000;
      if (opts.json) {
        printLine(
          toJson({
            sweepId,
            name: sweep.name,
            seconds,
            members,
            metric: analysis.metric,
            best: best ? { optimizer: best.optimizer, lr: best.lr, value: best.mean, count: best.count, runIds: best.runIds } : null,
            diverged: analysis.diverged.map((m) => ({ runId: m.runId, optimizer: m.optimizer, lr: m.lr, seed: m.seed, divergedStep: m.divergedStep })),
            db: store.file,
          }),
        );
      } else {
        printTable(sweep, members);
        const mean = best && best.count > 1 ? ` (mean of ${best.count} seeds)` : best ? ` (run ${best.runIds[0]})` : '';
        printLine(best ? `best: lr ${formatLr(best.lr)}${several ? ` (${best.optimizer})` : ''}, final ${analysis.metric} ${fmtValue(best.mean)}${mean}` : 'best: none (no member finished)');
        if (analysis.diverged.length) printLine(`diverged: ${analysis.diverged.map((m) => `lr ${formatLr(m.lr)}${several ? ` (${m.optimizer})` : ''}${m.divergedStep !== null ? ` at step ${m.divergedStep}` : ''}`).join(', ')}`);
        printLine(`sweep ${sweepId} in ${fmtSeconds(seconds)}, stored in ${store.file}`);
      }
      if (members.some((m) => m.status === 'failed')) process.exitCode = 1;
      else if (signalExitCode !== null) process.exitCode = signalExitCode;
    } finally {
      unhook();
      await runner.close();
      store.close();
    }
  });
}
