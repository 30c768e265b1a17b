// `precond train`: trains one model on a CSV (or a sample) through the runner, into the store,
// with a progress bar (or plain periodic lines) on stderr and a summary (or one JSON object)
// on stdout. Ctrl-C (or SIGTERM, SIGHUP) stops the run cleanly: it ends `stopped` with every point kept.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { DataLoadError } from '../../core/data/errors.ts';
import { TARGET_SCALING_METHODS, type DatasetSummary, type TargetScaling, type TargetScalingMethod } from '../../core/data/types.ts';
import { ACTIVATIONS, INIT_SCHEMES } from '../../core/models/spec.ts';
import { OPTIMIZER_NAMES, PRESETS, type OptimizerName } from '../../core/optim/registry.ts';
import { SCHEDULE_NAMES } from '../../core/schedules/registry.ts';
import { RUN_DEFAULTS, RunConfigError } from '../../core/train/index.ts';
import { createRunner, type LaunchedRun, type RunEvent, type RunOutcome } from '../../runner/index.ts';
import { installKernels } from '../../runner/native-kernels.ts';
import { openStore, resolveDbPath, StoreError, type RunStore } from '../../store/index.ts';
import { UserError } from '../errors.ts';
import { onStopSignals, SIGNAL_EXIT_CODES, type StopSignal } from '../signals.ts';
import { addOptimizerFlags, configFromFlags, kebab } from '../optimizer-flags.ts';
import { log, printLine } from '../output.ts';
import { parseRunName, parseTag, toJson } from './runs.ts';
import { plural } from '../../core/plural.ts';

export interface TrainOpts {
  data: string;
  target?: string;
  task?: 'classification' | 'regression';
  model: 'linear' | 'mlp';
  hidden?: number[];
  activation?: string;
  init?: string;
  optimizer: OptimizerName;
  preset?: string;
  schedule?: string;
  scheduleOpts?: Record<string, unknown>;
  epochs?: number;
  steps?: number;
  batchSize?: number;
  valSplit?: number;
  missing?: 'drop' | 'impute';
  targetScaling?: TargetScalingMethod;
  seed?: number;
  dtype?: 'float32' | 'float64';
  evalEvery?: number;
  snapshotEvery?: number;
  earlyStopping?: number;
  minDelta?: number;
  biasDecay?: boolean;
  name?: string;
  tag?: string[];
  db?: string;
  json?: boolean;
  [flag: string]: unknown;
}

function wholeNumber(flag: string, min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (text.trim() === '' || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`${flag} takes a whole number ≥ ${min}, not "${text}"`);
    return n;
  };
}

function number(flag: string) {
  return (text: string): number => {
    const x = Number(text);
    if (text.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError(`${flag} takes a number, not "${text}"`);
    return x;
  };
}

function widths(text: string): number[] {
  const parts = text.split(',').map((p) => p.trim());
  const xs = parts.map(Number);
  if (parts.some((p) => p === '') || xs.some((x) => !Number.isSafeInteger(x) || x < 1))
    throw new InvalidArgumentError(`--hidden takes layer widths separated by commas (e.g. 64,32), not "${text}"`);
  return xs;
}

/** One `--schedule-opts` value: a number, true/false, [a,b,...] (numbers), else the text. */
function optionValue(raw: string): unknown {
  const v = raw.trim();
  if (v === 'true' || v === 'false') return v === 'true';
  if (v.startsWith('[') && v.endsWith(']')) return v.slice(1, -1).split(',').filter((p) => p.trim() !== '').map((p) => optionValue(p));
  return v !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
}

/** `k=v,k=v` (lists in brackets: milestones=[30,60]) or a JSON object. */
export function parseScheduleOpts(text: string): Record<string, unknown> {
  const t = text.trim();
  if (t.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(t);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // reported below
    }
    throw new InvalidArgumentError(`--schedule-opts: "${text}" is not a JSON object`);
  }
  const out: Record<string, unknown> = {};
  let depth = 0;
  let start = 0;
  const pairs: string[] = [];
  for (let i = 0; i <= t.length; i++) {
    const ch = t[i];
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if ((ch === ',' && depth === 0) || i === t.length) {
      pairs.push(t.slice(start, i));
      start = i + 1;
    }
  }
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const key = pair.slice(0, eq).trim();
    if (eq <= 0 || key === '') throw new InvalidArgumentError(`--schedule-opts takes k=v pairs separated by commas (e.g. T_max=900,eta_min=0), not "${pair.trim()}"`);
    out[key] = optionValue(pair.slice(eq + 1));
  }
  return out;
}

/** The flag a config field comes from, for error messages. */
export function flagOf(field: string): string {
  const [section, name] = field.split('.');
  if (section === 'schedule') return name && name !== 'name' ? `--schedule-opts ${name}` : '--schedule';
  if (section === 'model') return name === 'kind' ? '--model' : `--${kebab(name ?? 'model')}`;
  if (section === 'training' && name === 'earlyStopping') return '--early-stopping';
  if (section === 'training' && name === 'biasWeightDecay') return '--bias-decay';
  if (section === 'data' && name === 'source') return '--data';
  if ((section === 'training' || section === 'data') && name) return `--${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  return field;
}

/** The run config the flags describe (undefined values are left to the config's defaults). */
export function configFromOptions(opts: TrainOpts): Record<string, unknown> {
  if (opts.model === 'linear' && (opts.hidden || opts.activation)) throw new UserError(`${opts.hidden ? '--hidden' : '--activation'} needs --model mlp`, 2);
  if (opts.scheduleOpts && !opts.schedule) throw new UserError('--schedule-opts needs --schedule NAME', 2);
  if (opts.minDelta !== undefined && opts.earlyStopping === undefined) throw new UserError('--min-delta needs --early-stopping PATIENCE', 2);
  const optimizer = configFromFlags(opts, opts.optimizer, opts.preset);
  const model = opts.model === 'linear' ? { kind: 'linear', init: opts.init } : { kind: 'mlp', hidden: opts.hidden, activation: opts.activation, init: opts.init };
  return {
    model,
    optimizer,
    schedule: opts.schedule ? { name: opts.schedule, ...opts.scheduleOpts } : null,
    data: { source: opts.data, target: opts.target, task: opts.task, missing: opts.missing, valSplit: opts.valSplit, targetScaling: opts.targetScaling },
    training: {
      epochs: opts.epochs,
      steps: opts.steps,
      batchSize: opts.batchSize,
      seed: opts.seed,
      dtype: opts.dtype,
      evalEvery: opts.evalEvery,
      snapshotEvery: opts.snapshotEvery,
      earlyStopping: opts.earlyStopping === undefined ? null : { patience: opts.earlyStopping, minDelta: opts.minDelta },
      biasWeightDecay: opts.biasDecay,
    },
  };
}

/** Drops undefined members (zod fills the defaults of absent fields, not of undefined ones given as such). */
export function compact(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(compact);
  if (value && typeof value === 'object' && !ArrayBuffer.isView(value))
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, compact(v)]));
  return value;
}

function fmtCount(x: number): string {
  return x >= 1e6 ? `${(x / 1e6).toFixed(2)}M` : x >= 1e3 ? `${(x / 1e3).toFixed(1)}k` : x.toFixed(0);
}

export function fmtSeconds(s: number | null): string {
  if (s === null || !Number.isFinite(s)) return '?';
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function fmtValue(v: number | undefined): string {
  if (v === undefined) return '-';
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(5))) : v.toExponential(3);
}

type Progress = Extract<RunEvent, { type: 'progress' }>;

/** Progress on stderr: a bar rewritten in place on a terminal, else a plain line every few seconds. */
class ProgressReport {
  private lastLine = 0;
  private drawn = false;
  constructor(
    private readonly tty: boolean,
    private readonly everyMs: number,
  ) {}

  update(p: Progress): void {
    const now = performance.now();
    if (!this.tty && now - this.lastLine < this.everyMs) return;
    this.lastLine = now;
    const pct = p.totalSteps > 0 ? p.step / p.totalSteps : 0;
    const text = `epoch ${p.epoch}/${p.epochs}  step ${p.step}/${p.totalSteps}  ${fmtCount(p.samplesPerSecond)} samples/s  ETA ${fmtSeconds(p.etaSeconds)}`;
    if (!this.tty) {
      log(`${(pct * 100).toFixed(0).padStart(3)}%  ${text}`);
      return;
    }
    const width = 30;
    const full = Math.round(pct * width);
    process.stderr.write(`\r\x1b[K[${'#'.repeat(full)}${'.'.repeat(width - full)}] ${(pct * 100).toFixed(0).padStart(3)}%  ${text}`);
    this.drawn = true;
  }

  clear(): void {
    if (this.drawn) process.stderr.write('\r\x1b[K');
    this.drawn = false;
  }
}

function result(launched: LaunchedRun, outcome: RunOutcome, store: RunStore): Record<string, unknown> {
  const f = outcome.final;
  const s: DatasetSummary = launched.summary;
  const metrics =
    s.task === 'classification'
      ? { valAccuracy: f.val_accuracy ?? null }
      : { valR2: f.val_r2 ?? null, valRmse: f.val_rmse ?? null };
  return {
    runId: outcome.runId,
    name: store.getRun(outcome.runId).name,
    status: outcome.status,
    reason: outcome.reason,
    message: outcome.message,
    epochs: f.epochs ?? 0,
    steps: outcome.step,
    trainLoss: f.train_loss ?? null,
    valLoss: f.val_loss ?? null,
    ...metrics,
    bestValLoss: f.best_val_loss ?? null,
    divergedStep: outcome.divergedStep,
    seconds: f.seconds ?? 0,
    samplesPerSecond: f.samples_per_second ?? 0,
    db: store.file,
    dataset: s,
  };
}

/** "standardized with the training mean 152.1 and std 77.09 (losses in those units)" or "used as is (not scaled)". */
export function describeTargetScaling(t: TargetScaling): string {
  if (t.method === 'none') return 'used as is (not scaled; losses in its units)';
  return `standardized with the training mean ${fmtValue(t.mean)} and std ${fmtValue(t.std)} (losses in those units, RMSE in the target's)`;
}

function printSummary(r: ReturnType<typeof result>, s: DatasetSummary): void {
  const v = (k: string) => fmtValue(r[k] as number | undefined);
  printLine(`run ${r.runId} ${r.status}: ${r.message}`);
  printLine(`  ${plural(r.steps as number, 'step')}, ${plural(r.epochs as number, 'epoch', 'epochs', fmtValue(r.epochs as number))} in ${fmtSeconds(r.seconds as number)} (${fmtCount(r.samplesPerSecond as number)} samples/s)`);
  const quality = s.task === 'classification' ? `val accuracy ${v('valAccuracy')}` : `val R² ${v('valR2')}, val RMSE ${v('valRmse')}`;
  printLine(`  train loss ${v('trainLoss')}, val loss ${v('valLoss')}, ${quality}`);
  const excluded = s.excluded.length ? `; excluded: ${s.excluded.map((e) => `${e.column} (${e.reason})`).join(', ')}` : '';
  printLine(`  data: ${s.sample ?? s.file}, ${plural(s.rowsUsed, 'row')} used (${s.rowsDropped} dropped), ${s.trainRows} train / ${s.validationRows} validation, ${plural(s.featureCount, 'feature')}${excluded}`);
  if (s.targetScaling) printLine(`  target ${s.target}: ${describeTargetScaling(s.targetScaling)}`);
  printLine(`  stored in ${r.db}`);
}

/**
 * The flags that describe a run (data, model, optimizer with every hyperparameter, schedule,
 * training) plus --name, --tag and --db: shared by `train` and `sweep`, read by configFromOptions.
 */
export function addRunOptions(cmd: Command): Command {
  cmd
    .addOption(new Option('--data <file|sample>', 'a CSV file or a sample dataset name (iris, wine, breast_cancer, digits, diabetes)').makeOptionMandatory())
    .option('--target <column>', 'the target column (default: the last one)')
    .addOption(new Option('--task <task>', 'default: inferred from the target').choices(['classification', 'regression']))
    .addOption(new Option('--model <kind>', 'linear (linear/logistic/softmax regression) or mlp').choices(['linear', 'mlp']).default('mlp'))
    .addOption(new Option('--hidden <widths>', `hidden layer widths of the mlp (default ${RUN_DEFAULTS.mlp.hidden.join(',')})`).argParser(widths))
    .addOption(new Option('--activation <name>', `activation of the mlp (default ${RUN_DEFAULTS.mlp.activation})`).choices(ACTIVATIONS))
    .addOption(new Option('--init <scheme>', 'weight initialization (default torch)').choices(INIT_SCHEMES))
    .addOption(new Option('--optimizer <name>', 'the optimizer').choices(OPTIMIZER_NAMES).default('adam'))
    .addOption(new Option('--preset <name>', 'defaults and conventions of torch (default), keras or optax').choices(PRESETS))
    .addOption(new Option('--schedule <name>', 'a learning-rate schedule (stepped every optimizer step; plateau watches the validation loss)').choices(SCHEDULE_NAMES))
    .addOption(new Option('--schedule-opts <k=v,...>', 'the schedule\'s parameters in torch\'s spelling, e.g. T_max=900 or milestones=[300,600],gamma=0.5 (or a JSON object)').argParser(parseScheduleOpts))
    .addOption(new Option('--epochs <n>', `passes over the training rows (default ${RUN_DEFAULTS.training.epochs})`).argParser(wholeNumber('--epochs', 1)))
    .addOption(new Option('--steps <n>', 'a budget of optimizer steps instead of epochs').argParser(wholeNumber('--steps', 1)).conflicts('epochs'))
    .addOption(new Option('--batch-size <n>', `minibatch size (default ${RUN_DEFAULTS.training.batchSize})`).argParser(wholeNumber('--batch-size', 1)))
    .addOption(new Option('--val-split <x>', `fraction of rows held out for validation (default ${RUN_DEFAULTS.data.valSplit})`).argParser(number('--val-split')))
    .addOption(new Option('--missing <policy>', 'rows with missing features: drop (default) or impute').choices(['drop', 'impute']))
    .addOption(
      new Option('--target-scaling <method>', 'regression: train on the target standardized with its training mean and std (standardize, default) or as is (none); RMSE is reported in the target\'s units either way').choices(TARGET_SCALING_METHODS),
    )
    .addOption(new Option('--seed <n>', `seeds the split, the initialization and the shuffles (default ${RUN_DEFAULTS.training.seed})`).argParser(wholeNumber('--seed', 0)))
    .addOption(new Option('--dtype <dtype>', 'float32 (default) or float64').choices(['float32', 'float64']))
    .addOption(new Option('--eval-every <n>', 'evaluate every n steps (default: every epoch)').argParser(wholeNumber('--eval-every', 1)))
    .addOption(new Option('--snapshot-every <n>', 'effective-lr snapshots every n steps (default: as --eval-every; 0: none)').argParser(wholeNumber('--snapshot-every', 0)))
    .addOption(new Option('--early-stopping <patience>', 'stop after this many evaluations without a better validation loss').argParser(wholeNumber('--early-stopping', 1)))
    .addOption(new Option('--min-delta <x>', 'with --early-stopping: the improvement that counts (default 0)').argParser(number('--min-delta')))
    .option('--bias-decay', 'apply weight decay to biases too (default: biases take none)')
    .option('--name <name>', 'the run\'s name (default: optimizer(lr=…) · model · dataset, e.g. adam(lr=0.001) · mlp · digits)', parseRunName)
    .option('--tag <tag>', 'tag the run (repeatable)', (v: string, prev: string[] = []) => [...prev, parseTag('repeat --tag for several tags')(v)])
    .option('--db <file>', 'SQLite file to use instead of the default location');
  addOptimizerFlags(cmd);
  return cmd;
}

export function registerTrain(program: Command): void {
  const cmd = program
    .command('train')
    .description('train a model on a CSV file or a sample dataset, saving the run in the store');
  addRunOptions(cmd).option('--json', 'print one JSON object when the run ends');
  cmd.action(async (opts: TrainOpts) => {
    const config = compact(configFromOptions(opts));
    const dbPath = resolveDbPath(opts.db);
    let store: RunStore;
    try {
      store = openStore(dbPath);
    } catch (err) {
      throw err instanceof StoreError ? new UserError(err.message, 1) : err;
    }
    for (const r of store.recovered) log(`run ${r.id} was left ${r.was} by a process that is gone (pid ${r.owner?.pid ?? '?'}): marked interrupted`);
    installKernels();
    const runner = createRunner({ store, poolSize: 1 });
    let runId: number | null = null;
    let interrupts = 0;
    // The first signal ends the run `stopped` with every point kept; the exit code says which one.
    let signalExitCode: number | null = null;
    const onSignal = (signal: StopSignal) => {
      interrupts++;
      signalExitCode ??= SIGNAL_EXIT_CODES[signal];
      if (runId === null || interrupts > 1) {
        // Nothing to stop yet (still loading), or a second signal: leave now.
        store.close();
        process.exit(SIGNAL_EXIT_CODES[signal]);
      }
      log(signal === 'SIGINT' ? '\nprecond: stopping the run (Ctrl-C again to quit at once)' : `\nprecond: ${signal}: stopping the run`);
      void runner.stop(runId);
    };
    const unhook = onStopSignals(onSignal);
    const progress = new ProgressReport(process.stderr.isTTY === true, 2000);
    try {
      let launched: LaunchedRun;
      try {
        launched = await runner.launch(config, { name: opts.name, tags: opts.tag });
      } catch (err) {
        // A --target that names no column is a bad flag value (2); a file that does not load is not (1).
        if (err instanceof DataLoadError) throw new UserError(err.message, err.code === 'unknown-target' ? 2 : 1);
        if (err instanceof RunConfigError) {
          const flag = flagOf(err.field);
          throw new UserError(err.message.startsWith(err.field) ? `${flag}${err.message.slice(err.field.length)}` : `${flag}: ${err.message}`, 2);
        }
        if (err instanceof StoreError) throw new UserError(err.message, 1);
        throw err;
      }
      runId = launched.runId;
      if (opts.targetScaling && launched.summary.task === 'classification') log(`precond: --target-scaling applies to regression targets; ${launched.summary.target} is a classification target, so it is ignored`);
      const unsubscribe = runner.subscribe((e) => {
        if (e.runId === runId && e.type === 'progress') progress.update(e);
      });
      if (!opts.json) log(`run ${runId}: ${launched.summary.sample ?? launched.summary.file}, ${launched.config.optimizer.name} on ${launched.config.model.kind} (${plural(launched.summary.rowsUsed, 'row')}, ${plural(launched.summary.featureCount, 'feature')})`);
      const outcome = await launched.done;
      unsubscribe();
      progress.clear();
      const r = result(launched, outcome, store);
      if (opts.json) printLine(toJson(r));
      else printSummary(r, launched.summary);
      if (outcome.status === 'failed') process.exitCode = 1;
      else if (outcome.status === 'stopped' && signalExitCode !== null) process.exitCode = signalExitCode;
    } finally {
      progress.clear();
      unhook();
      await runner.close();
      store.close();
    }
  });
}
