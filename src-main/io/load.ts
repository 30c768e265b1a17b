// The entry points for the CLI, the worker and the UI: a file (or sample name) to a
// training-ready dataset, and a quick preview of a file.
import { existsSync, statSync } from 'node:fs';
import { DataLoadError } from '../core/data/errors.ts';
import { buildDataset, findTargetColumn, type BuildOptions, type BuiltDataset } from '../core/data/prepare.ts';
import { inferSchema, inferTask } from '../core/data/schema.ts';
import { TableBuilder, type RawTable } from '../core/data/table.ts';
import type { ColumnSchema, Task } from '../core/data/types.ts';
import { openCsv, type CsvFile, type CsvFormat, type OpenCsvOptions } from './csv.ts';
import { ColumnInterner } from './intern.ts';
import { listSamples, resolveSample } from './samples.ts';

export interface LoadProgress {
  phase: 'reading' | 'preparing' | 'done';
  bytesRead: number;
  totalBytes: number;
  /** Data rows read so far. */
  rows: number;
}

export interface LoadOptions extends BuildOptions, OpenCsvOptions {
  onProgress?: (p: LoadProgress) => void;
  /** Where sample names are looked up (default: see samples.ts). */
  samplesDir?: string;
}

/** An existing file as given, else the sample of that name; else a DataLoadError that lists the samples. */
export function resolveDataPath(pathOrSample: string, samplesDir?: string): { path: string; sample?: string } {
  if (existsSync(pathOrSample) && !statSync(pathOrSample).isDirectory()) return { path: pathOrSample };
  const sample = resolveSample(pathOrSample, samplesDir);
  if (sample) return { path: sample, sample: pathOrSample.replace(/\.csv$/i, '') };
  if (existsSync(pathOrSample)) {
    throw new DataLoadError({ code: 'unreadable', file: pathOrSample, problem: 'cannot read the file: it is a folder, not a file' });
  }
  const samples = listSamples(samplesDir).join(', ');
  const looksLikePath = /[\\/]|\.[A-Za-z0-9]+$/.test(pathOrSample);
  throw new DataLoadError({
    code: looksLikePath ? 'unreadable' : 'unknown-sample',
    ...(looksLikePath ? { file: pathOrSample, problem: 'cannot read the file: no such file' } : { problem: `no such file or sample dataset: ${JSON.stringify(pathOrSample)}` }),
    hint: samples ? `the sample datasets are: ${samples}` : undefined,
  });
}

/** A file with bytes but no record: nothing but blank lines. */
function blankLinesOnly(file: CsvFile): DataLoadError {
  return new DataLoadError({ code: 'empty', file: file.path, problem: 'the file is empty (only blank lines)' });
}

async function collect(file: CsvFile, decimal: CsvFormat['decimal'], onProgress?: LoadOptions['onProgress'], target?: string): Promise<RawTable> {
  let builder: TableBuilder | null = null;
  let interner: ColumnInterner | null = null;
  const batches = file.batches({
    onProgress: onProgress && ((p) => onProgress({ phase: 'reading', bytesRead: p.bytesRead, totalBytes: p.totalBytes, rows: Math.max(0, p.records - 1) })),
  });
  try {
    for await (const batch of batches) {
      for (const record of batch) {
        if (builder) builder.addRow(interner!.intern(record.fields), record.line);
        else {
          builder = new TableBuilder(record.fields, { decimal });
          interner = new ColumnInterner(builder.header.length);
          findTargetColumn(builder.header, target); // an unknown target fails before the rest is read
        }
      }
    }
  } catch (err) {
    throw err instanceof DataLoadError ? (builder ? err.withHeader(builder.header) : err).withFile(file.path) : err;
  }
  if (!builder) throw blankLinesOnly(file);
  return builder.finish();
}

export interface ReadTable {
  table: RawTable;
  format: CsvFormat;
  notes: string[];
}

/** A byte that is not UTF-8 in a file that was read as UTF-8 only because its start is. */
function readAgainAsLatin1(err: DataLoadError, file: CsvFile): boolean {
  return err.code === 'undecodable' && file.format.encodingSource === 'utf-8 check';
}

/**
 * `read` over the file; when the start of the file looked like UTF-8 but a later byte is not, the
 * file is read again as windows-1252 and a note says so (the loader and the preview alike).
 */
async function withLatin1Fallback<T>(path: string, options: OpenCsvOptions, read: (file: CsvFile) => Promise<T>): Promise<{ value: T; file: CsvFile; notes: string[] }> {
  const file = await openCsv(path, options);
  try {
    return { value: await read(file), file, notes: [] };
  } catch (err) {
    if (!(err instanceof DataLoadError) || !readAgainAsLatin1(err, file)) throw err;
    const retry = await openCsv(path, { ...options, encoding: 'windows-1252' });
    const note = `line ${err.line} is not valid UTF-8 though the start of the file is; the file was read as windows-1252`;
    return { value: await read(retry), file: retry, notes: [note] };
  }
}

/** Streams a CSV file into a raw table (windows-1252 when a late byte is not UTF-8; see withLatin1Fallback). */
export async function readTable(path: string, options: OpenCsvOptions & { onProgress?: LoadOptions['onProgress']; target?: string } = {}): Promise<ReadTable> {
  const { value, file, notes } = await withLatin1Fallback(path, options, (f) => collect(f, f.format.decimal, options.onProgress, options.target));
  return { table: value, format: file.format, notes };
}

/**
 * The one entry point for training: a CSV path or a sample name to the dataset, the
 * preprocessing record and the summary. Every failure is a DataLoadError naming the file.
 */
export async function loadDataset(pathOrSample: string, options: LoadOptions = {}): Promise<BuiltDataset & { format: CsvFormat }> {
  const { path, sample } = resolveDataPath(pathOrSample, options.samplesDir);
  const { table, format, notes } = await readTable(path, options);
  options.onProgress?.({ phase: 'preparing', bytesRead: 0, totalBytes: 0, rows: table.rows });
  let built: BuiltDataset;
  try {
    built = buildDataset(table, { file: path, encoding: format.encoding, delimiter: format.delimiter, notes }, options);
  } catch (err) {
    throw err instanceof DataLoadError ? err.withFile(path) : err;
  }
  if (sample) built.summary.sample = sample;
  options.onProgress?.({ phase: 'done', bytesRead: 0, totalBytes: 0, rows: table.rows });
  return { ...built, format };
}

export interface CsvPreview {
  file: string;
  sizeBytes: number;
  format: CsvFormat;
  header: string[];
  /** The first data rows as read (fields trimmed), and the line each starts on. */
  rows: string[][];
  lines: number[];
  /** Column kinds inferred from the first `sampledRows` rows. */
  columns: ColumnSchema[];
  sampledRows: number;
  /** True when the whole file was read for the preview. */
  complete: boolean;
  /** The default target (the last column) and the task its sampled values suggest. */
  target: { column: string; task: Task | null; reason: string };
  /** How the file was read beyond what `format` says (a late byte that is not UTF-8 made it windows-1252). */
  notes: string[];
  /** The first problem met while reading the sample (the rows before it are still shown). */
  error?: ReturnType<DataLoadError['toJSON']>;
}

/** Header, first rows and inferred column kinds of a file, for the Datasets view. */
export async function previewCsv(pathOrSample: string, options: OpenCsvOptions & { rows?: number; sampleRows?: number; samplesDir?: string } = {}): Promise<CsvPreview> {
  const { path } = resolveDataPath(pathOrSample, options.samplesDir);
  const show = options.rows ?? 20;
  const sampleRows = Math.max(show, options.sampleRows ?? 1000);
  const { value: read, file, notes } = await withLatin1Fallback(path, options, (f) => sampleRecords(f, show, sampleRows));
  const { builder, rows, lines, complete, error } = read;
  const table = builder.finish();
  const columns = inferSchema(table);
  const last = table.columns.length - 1;
  const task = table.rows > 0 ? inferTask(table.columns[last], columns[last]) : null;
  return {
    file: path,
    sizeBytes: file.size,
    format: file.format,
    header: [...table.header],
    rows,
    lines,
    columns,
    sampledRows: table.rows,
    complete,
    target: { column: table.header[last], task: task?.task ?? null, reason: task?.reason ?? 'no usable values in the sampled rows' },
    notes,
    ...(error ? { error } : {}),
  };
}

/**
 * The header and the first `sampleRows` rows of a file (the first `show` of them kept as read).
 * A problem after the header ends the sample and is returned with the rows before it; one before
 * the header is thrown (nothing could be shown), as is a late byte that is not UTF-8 in a file
 * read as UTF-8 (the caller reads it again as windows-1252).
 */
async function sampleRecords(file: CsvFile, show: number, sampleRows: number) {
  let builder: TableBuilder | null = null;
  let interner: ColumnInterner | null = null;
  const rows: string[][] = [];
  const lines: number[] = [];
  let complete = true;
  let error: CsvPreview['error'];
  try {
    for await (const record of file.records()) {
      if (!builder) {
        builder = new TableBuilder(record.fields, { decimal: file.format.decimal });
        interner = new ColumnInterner(builder.header.length);
        continue;
      }
      if (builder.rowCount >= sampleRows) {
        complete = false;
        break;
      }
      builder.addRow(interner!.intern(record.fields), record.line);
      if (rows.length < show) {
        rows.push(record.fields);
        lines.push(record.line);
      }
    }
  } catch (err) {
    if (!(err instanceof DataLoadError)) throw err;
    if (!builder || readAgainAsLatin1(err, file)) throw err.withFile(file.path);
    error = err.withHeader(builder.header).withFile(file.path).toJSON();
    complete = false;
  }
  if (!builder) throw blankLinesOnly(file);
  return { builder, rows, lines, complete, error };
}
