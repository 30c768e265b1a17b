// `precond runs ...`: list, inspect, export and manage the runs kept in the store.
import { type Command, InvalidArgumentError } from 'commander';
import { OutputFileError, writeFileAtomically } from '../../io/output-file.ts';
import { resolveDbPath } from '../../store/location.ts';
import {
  COLUMN_KEYS,
  openStore,
  RUN_STATUSES,
  StoreError,
  type Condition,
  type ConditionOp,
  type RunDetail,
  type RunFilter,
  type RunStatus,
  type RunStore,
  type RunSummary,
  runNameProblem,
  tagProblem,
} from '../../store/index.ts';
import { runCsvChunks, runJson, toJson } from '../../api/export.ts';

/** Shared with `precond train --json` (defined beside the export formats). */
export { toJson };
import { UserError } from '../errors.ts';
import { log, printLine } from '../output.ts';
import { plural } from '../../core/plural.ts';

interface DbOpts {
  db?: string;
}

function parseId(value: string): number {
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value)) || Number(value) === 0) {
    throw new InvalidArgumentError('a run id is a whole number >= 1');
  }
  return Number(value);
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A run name given on the command line (`train --name`, `runs rename`): refused up front, exit 2. */
export function parseRunName(value: string): string {
  const problem = runNameProblem(value);
  if (problem) throw new InvalidArgumentError(problem);
  return value;
}

/** A tag given on the command line; `several` is how to give more than one (a comma is not it). */
export function parseTag(several: string) {
  return (value: string): string => {
    const problem = tagProblem(value);
    if (problem) throw new InvalidArgumentError(value.includes(',') ? `${problem} (${several})` : problem);
    return value;
  };
}

function parseStatuses(values: string[] | undefined): RunStatus[] | undefined {
  if (!values) return undefined;
  const statuses = values.flatMap((v) => v.split(',')).map((s) => s.trim()).filter(Boolean);
  for (const s of statuses) {
    if (!(RUN_STATUSES as readonly string[]).includes(s)) {
      throw new UserError(`unknown status '${s}': use one of ${RUN_STATUSES.join(', ')}`, 2);
    }
  }
  return statuses as RunStatus[];
}

const OPS: ConditionOp[] = ['<=', '>=', '!=', '=', '<', '>'];

/** "hp.lr<=0.01" -> { key: 'hp.lr', op: '<=', value: 0.01 } */
export function parseCondition(text: string): Condition {
  let best: { at: number; op: ConditionOp } | null = null;
  for (const op of OPS) {
    const at = text.indexOf(op);
    if (at > 0 && (!best || at < best.at)) best = { at, op };
  }
  const expected = `expected KEY OP VALUE with OP one of ${OPS.join(' ')}, e.g. hp.lr<=0.01`;
  if (!best) throw new UserError(`--where '${text}': ${expected}`, 2);
  const key = text.slice(0, best.at).trim();
  const raw = text.slice(best.at + best.op.length).trim();
  // "hp.lr>>1", "hp.lr=<1", "hp.lr<": a second operator or nothing where the value belongs.
  if (raw === '' || /^[<>=!]/.test(raw)) {
    throw new UserError(`--where '${text}': ${expected}; after ${best.op} came ${raw === '' ? 'nothing' : `'${raw}'`}, not a value`, 2);
  }
  const value = raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  return { key, op: best.op, value };
}

/**
 * Refuses, as a usage error naming the flag, a `--sort` or `--where` key the store does not know
 * (the store checks keys against the metrics it holds; a query with no rows asks it).
 */
function checkFilterKeys(store: RunStore, filter: RunFilter): void {
  const ask = (flag: string, text: string, probe: RunFilter) => {
    try {
      store.listRuns({ ...probe, archived: 'include', limit: 0 });
    } catch (err) {
      if (err instanceof StoreError && err.code === 'invalid') throw new UserError(`${flag} '${text}': ${err.message}`, 2);
      throw err;
    }
  };
  if (filter.sort) ask('--sort', filter.sort.key, { sort: filter.sort });
  for (const c of filter.where ?? []) ask('--where', `${c.key}${c.op}${String(c.value)}`, { where: [c] });
}

/** Opens the store for a command; StoreErrors become one-line user errors (exit 1). */
function withStore<T>(opts: DbOpts, access: 'read' | 'write', fn: (store: RunStore) => T, whenMissing?: (path: string) => T): T {
  const path = resolveDbPath(opts.db);
  let store: RunStore;
  try {
    // Reading commands also work on a database this user may not write (opened read-only).
    store = openStore(path, { create: false, readOnlyIfNotWritable: access === 'read' });
  } catch (err) {
    if (err instanceof StoreError && err.code === 'missing' && whenMissing) return whenMissing(path);
    if (err instanceof StoreError && err.code === 'missing') throw new UserError(`${path} does not exist: no runs have been stored there`);
    throw asUserError(err);
  }
  try {
    for (const r of store.recovered) {
      log(`run ${r.id} was left ${r.was} by a process that is gone (pid ${r.owner?.pid ?? '?'}): marked interrupted`);
    }
    return fn(store);
  } catch (err) {
    throw asUserError(err);
  } finally {
    store.close();
  }
}

function asUserError(err: unknown): unknown {
  return err instanceof StoreError ? new UserError(err.message, 1) : err;
}

const fmtTime = (iso: string | null) => (iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '-');

function fmtNumber(v: number | undefined): string {
  if (v === undefined) return '-';
  if (!Number.isFinite(v)) return String(v);
  return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 ? String(Number(v.toPrecision(6))) : v.toExponential(3);
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);

function printRunList(list: RunSummary[], sortKey: string | undefined): void {
  // A sort by a hyperparameter or a metric shows that value as an extra column.
  const extra = sortKey && !(sortKey in COLUMN_KEYS) && !sortKey.startsWith('config.') ? sortKey : undefined;
  const extraValue = (r: RunSummary): string => {
    if (!extra) return '';
    if (extra.startsWith('hp.')) {
      const v = extra
        .slice('hp.'.length)
        .split(/[.[\]]+/)
        .filter(Boolean)
        .reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), r.hyperparams);
      return typeof v === 'number' ? fmtNumber(v) : v === undefined ? '-' : JSON.stringify(v);
    }
    return fmtNumber(r.summary[extra.startsWith('metric.') ? extra.slice('metric.'.length) : extra]);
  };
  const header = ['ID', 'STATUS', 'NAME', 'OPTIMIZER', 'DATASET', 'STEPS', 'CREATED', ...(extra ? [extra.toUpperCase()] : []), 'TAGS'];
  const rows = list.map((r) => [
    String(r.id),
    r.status + (r.archived ? ' (archived)' : ''),
    clip(r.name, 40),
    r.optimizer,
    r.dataset,
    r.lastStep === null ? '-' : String(r.lastStep), // steps are counted from 1 (step 0: before training)
    fmtTime(r.createdAt),
    ...(extra ? [extraValue(r)] : []),
    r.tags.join(','),
  ]);
  for (const l of table(header, rows)) printLine(l);
}

function printRunDetail(r: RunDetail): void {
  const lines: [string, string][] = [
    ['id', String(r.id)],
    ['name', r.name],
    ['status', r.status + (r.divergedStep !== null ? ` at step ${r.divergedStep}` : '')],
    ['optimizer', `${r.optimizer} ${toJson(r.hyperparams)}`],
    ['model', r.modelKind],
    ['dataset', r.dataset === r.dataSource ? r.dataset : `${r.dataset} (${r.dataSource})`],
    ['created', fmtTime(r.createdAt)],
    ['started', fmtTime(r.startedAt)],
    ['ended', fmtTime(r.endedAt)],
    ['tags', r.tags.join(', ') || '-'],
    ['archived', r.archived ? 'yes' : 'no'],
  ];
  if (r.notes) lines.push(['notes', r.notes]);
  if (r.error) lines.push(['error', r.error]);
  if (r.owner && (r.status === 'queued' || r.status === 'running' || r.status === 'paused')) {
    lines.push(['owner', `pid ${r.owner.pid} on ${r.owner.host}`]);
  }
  lines.push(['snapshots', String(r.snapshotCount)]);
  for (const [k, v] of lines) printLine(`${k.padEnd(10)} ${v}`);
  if (r.series.length) {
    printLine('');
    const rows = r.series.map((s) => [
      s.key,
      String(s.count),
      `${s.first.step}..${s.last.step}`,
      fmtNumber(s.last.value),
      s.min ? `${fmtNumber(s.min.value)} @${s.min.step}` : '-',
      s.max ? `${fmtNumber(s.max.value)} @${s.max.step}` : '-',
      r.final[s.key] === undefined ? '' : fmtNumber(r.final[s.key]),
    ]);
    for (const key of Object.keys(r.final)) {
      if (!r.series.some((s) => s.key === key)) rows.push([key, '0', '-', '-', '-', '-', fmtNumber(r.final[key])]);
    }
    for (const l of table(['METRIC', 'POINTS', 'STEPS', 'LAST', 'MIN', 'MAX', 'FINAL'], rows)) printLine(l);
  }
  printLine('');
  printLine('config ' + toJson(r.config, 2));
}

/** The whole export, chunk by chunk, to `put`; returns the number of points (JSON) or rows (CSV). */
function writeExport(store: RunStore, id: number, format: string, put: (chunk: string) => void): number {
  if (format === 'json') {
    const json = runJson(store, id);
    put(json.text);
    return json.points;
  }
  const chunks = runCsvChunks(store, id);
  for (let r = chunks.next(); ; r = chunks.next()) {
    if (r.done) return r.value;
    put(r.value);
  }
}

function exportRun(store: RunStore, id: number, format: string, out: string | undefined): void {
  store.getRun(id); // an unknown id fails before anything is written
  if (!out) {
    // `precond runs export 3 | head`: a reader that stops early is not an error.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(0);
      throw err;
    });
    writeExport(store, id, format, (s) => void process.stdout.write(s));
    return;
  }
  let rows = 0;
  let written: string;
  try {
    written = writeFileAtomically(out, (put) => (rows = writeExport(store, id, format, put)), { suggestedName: `run-${id}.${format}` });
  } catch (err) {
    if (err instanceof OutputFileError) throw new UserError(`--out: ${err.message}`);
    throw err;
  }
  log(`wrote run ${id} (${plural(rows, format === 'json' ? 'point' : 'row')}) to ${written}`);
}

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('list, inspect, export and manage stored runs');
  const dbOption = (cmd: Command) => cmd.option('--db <file>', 'SQLite file to use instead of the default location');

  dbOption(runs.command('list'))
    .description('list runs, newest first (archived runs are hidden unless --archived or --all)')
    .option('--json', 'print a JSON array')
    .option('--status <status>', `only runs with this status (repeat or comma-separate: ${RUN_STATUSES.join(', ')})`, collect)
    .option('--tag <tag>', 'only runs with this tag (repeat: runs with every tag)', collect)
    .option('--optimizer <name>', 'only runs of this optimizer')
    .option('--dataset <name>', 'only runs on this data set (name like "digits", or the full source)')
    .option('--search <text>', 'only runs whose name or notes contain this text')
    .option('--where <condition>', 'only runs matching KEY OP VALUE, e.g. hp.lr<=0.01 or val_accuracy>0.9 (repeatable)', collect)
    .option('--sort <key>', `sort by ${Object.keys(COLUMN_KEYS).join('|')}, hp.<name>, config.<path>, or a metric`)
    .option('--desc', 'sort descending')
    .option('--archived', 'only archived runs')
    .option('--all', 'archived and not archived runs')
    .option('--limit <n>', 'at most this many runs', (v) => {
      if (!/^\d+$/.test(v)) throw new InvalidArgumentError('a whole number');
      return Number(v);
    })
    .action(
      (opts: DbOpts & {
        json?: boolean;
        status?: string[];
        tag?: string[];
        optimizer?: string;
        dataset?: string;
        search?: string;
        where?: string[];
        sort?: string;
        desc?: boolean;
        archived?: boolean;
        all?: boolean;
        limit?: number;
      }) => {
        if (opts.archived && opts.all) throw new UserError('--archived and --all exclude each other', 2);
        const filter: RunFilter = {
          status: parseStatuses(opts.status),
          tag: opts.tag,
          optimizer: opts.optimizer,
          dataset: opts.dataset,
          text: opts.search,
          where: opts.where?.map(parseCondition),
          sort: opts.sort ? { key: opts.sort, desc: opts.desc } : undefined,
          archived: opts.archived ? 'only' : opts.all ? 'include' : 'exclude',
          limit: opts.limit,
        };
        const list = withStore(
          opts,
          'read',
          (store) => {
            checkFilterKeys(store, filter);
            return store.listRuns(filter);
          },
          (path) => {
            log(`no runs yet: ${path} does not exist`);
            return [];
          },
        );
        if (opts.json) printLine(toJson(list));
        else if (list.length === 0) log('no runs match');
        else printRunList(list, opts.sort);
      },
    );

  dbOption(runs.command('show').argument('<id>', 'run id', parseId))
    .description("show a run's status, config, metrics and snapshots")
    .option('--json', 'print one JSON object')
    .action((id: number, opts: DbOpts & { json?: boolean }) => {
      const run = withStore(opts, 'read', (store) => store.getRun(id));
      if (opts.json) printLine(toJson(run));
      else printRunDetail(run);
    });

  dbOption(runs.command('export').argument('<id>', 'run id', parseId))
    .description('export every metric point of a run (CSV: one row per step, one column per metric)')
    .option('--format <format>', 'csv or json', 'csv')
    .option('--out <file>', 'write to this file instead of stdout')
    .action((id: number, opts: DbOpts & { format: string; out?: string }) => {
      if (opts.format !== 'csv' && opts.format !== 'json') throw new UserError(`--format '${opts.format}': use csv or json`, 2);
      withStore(opts, 'read', (store) => exportRun(store, id, opts.format, opts.out));
    });

  dbOption(runs.command('delete').argument('<id>', 'run id', parseId))
    .description('delete a run with all its metrics, snapshots and tags')
    .action((id: number, opts: DbOpts) => {
      const name = withStore(opts, 'write', (store) => {
        const { name } = store.getRun(id);
        store.deleteRun(id);
        return name;
      });
      printLine(`deleted run ${id} (${name})`);
    });

  dbOption(runs.command('tag').argument('<id>', 'run id', parseId).argument('<tag>', 'tag text', parseTag('one tag per command')))
    .description('add a tag to a run (or remove it with --remove)')
    .option('--remove', 'remove the tag instead')
    .action((id: number, tag: string, opts: DbOpts & { remove?: boolean }) => {
      const changed = withStore(opts, 'write', (store) => (opts.remove ? store.removeTag(id, tag) : store.addTag(id, tag)));
      if (opts.remove) printLine(changed ? `run ${id}: removed tag ${tag}` : `run ${id} had no tag ${tag}`);
      else printLine(changed ? `run ${id}: tagged ${tag}` : `run ${id} already had tag ${tag}`);
    });

  dbOption(runs.command('rename').argument('<id>', 'run id', parseId).argument('<name>', 'new name', parseRunName))
    .description('rename a run')
    .action((id: number, name: string, opts: DbOpts) => {
      withStore(opts, 'write', (store) => store.renameRun(id, name));
      printLine(`run ${id} renamed to ${name.trim()}`);
    });

  dbOption(runs.command('archive').argument('<id>', 'run id', parseId))
    .description('hide a run from the default list (undo with `runs unarchive`)')
    .action((id: number, opts: DbOpts) => {
      withStore(opts, 'write', (store) => store.archiveRun(id));
      printLine(`run ${id} archived`);
    });

  dbOption(runs.command('unarchive').argument('<id>', 'run id', parseId))
    .description('show an archived run in the default list again')
    .action((id: number, opts: DbOpts) => {
      withStore(opts, 'write', (store) => store.unarchiveRun(id));
      printLine(`run ${id} unarchived`);
    });
}
