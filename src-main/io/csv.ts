// Streaming CSV reading: bytes -> (encoding) -> UTF-8 -> csv-parse -> records with their line
// numbers. The file is read in chunks and never held whole, as bytes or as text.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parse, type CsvError, type Options } from 'csv-parse';
import iconv from 'iconv-lite';
import { DataLoadError } from '../core/data/errors.ts';
import type { DecimalMark } from '../core/data/types.ts';
import { BinaryFileError, DecodeError, detectEncoding, encodingExists, Utf8Transcoder, type EncodingSource } from './encoding.ts';
import { completeLines, parseOptions, sniffDecimal, sniffDelimiter } from './sniff.ts';

/** Bytes read up front to detect the encoding, delimiter and decimal mark. */
export const HEAD_BYTES = 64 * 1024;
export const CHUNK_BYTES = 1024 * 1024;

export interface CsvFormat {
  encoding: string;
  encodingSource: EncodingSource;
  bomLength: number;
  delimiter: string;
  decimal: DecimalMark;
}

export interface CsvRecord {
  fields: string[];
  /** 1-based line where the record starts. */
  line: number;
}

export interface ReadProgress {
  bytesRead: number;
  totalBytes: number;
  /** Records read so far (the header included, blank lines not). */
  records: number;
}

export interface OpenCsvOptions {
  /** Skip detection: any encoding iconv-lite knows (utf-8, utf-16le, windows-1252, latin1, …). */
  encoding?: string;
  delimiter?: string;
  decimal?: DecimalMark;
}

export interface ReadOptions {
  onProgress?: (p: ReadProgress) => void;
  chunkBytes?: number;
}

export interface CsvFile {
  path: string;
  size: number;
  format: CsvFormat;
  /** The records in order, blank lines skipped; DataLoadError on unreadable, undecodable or malformed input. */
  records(options?: ReadOptions): AsyncGenerator<CsvRecord>;
  /** The same records, in arrays as they come off the parser (faster to consume). */
  batches(options?: ReadOptions): AsyncGenerator<CsvRecord[]>;
}

const FS_REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  EMFILE: 'too many open files',
};

export function unreadable(path: string, err: unknown): DataLoadError {
  const code = (err as NodeJS.ErrnoException)?.code ?? '';
  const reason = FS_REASONS[code] ?? (err instanceof Error ? err.message : String(err));
  return new DataLoadError({ code: 'unreadable', file: path, problem: `cannot read the file: ${reason}` });
}

async function readHead(path: string, bytes: number): Promise<{ head: Buffer; size: number }> {
  let handle;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('folder'), { code: 'EISDIR' });
    handle = await open(path, 'r');
    const buf = Buffer.alloc(Math.min(bytes, info.size));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return { head: buf.subarray(0, bytesRead), size: info.size };
  } catch (err) {
    throw unreadable(path, err);
  } finally {
    await handle?.close();
  }
}

/** Opens a CSV file: reads its head, detects encoding, delimiter and decimal mark (each overridable). */
export async function openCsv(path: string, options: OpenCsvOptions = {}): Promise<CsvFile> {
  const { head, size } = await readHead(path, HEAD_BYTES);
  if (size === 0) throw new DataLoadError({ code: 'empty', file: path, problem: 'the file is empty' });
  const complete = head.length === size;
  let detected;
  if (options.encoding) {
    const name = options.encoding.toLowerCase().replace(/^utf-?8$/, 'utf-8');
    if (!encodingExists(name)) throw new DataLoadError({ code: 'bad-option', file: path, problem: `unknown encoding ${JSON.stringify(options.encoding)}` });
    // iconv-lite strips a BOM itself; the UTF-8 pass-through does not.
    const utf8Bom = name === 'utf-8' && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf;
    detected = { encoding: name, bomLength: utf8Bom ? 3 : 0, source: 'option' as const };
  } else {
    try {
      detected = detectEncoding(head, complete);
    } catch (err) {
      if (err instanceof BinaryFileError) {
        throw new DataLoadError({ code: 'undecodable', file: path, problem: `cannot decode the file: ${err.message}`, hint: 'is it a CSV file?' });
      }
      throw err;
    }
  }
  const headText = iconv.decode(head.subarray(detected.bomLength), detected.encoding, { stripBOM: true });
  const sample = completeLines(headText, complete);
  const delimiter = options.delimiter ?? sniffDelimiter(sample);
  const decimal = options.decimal ?? sniffDecimal(sample, delimiter);
  const format: CsvFormat = { encoding: detected.encoding, encodingSource: detected.source, bomLength: detected.bomLength, delimiter, decimal };
  return { path, size, format, records: (o) => readRecords(path, size, format, o ?? {}), batches: (o) => readBatches(path, size, format, o ?? {}) };
}

function csvSyntaxError(path: string, err: CsvError, recordStart: number): DataLoadError {
  const errLine = typeof err.lines === 'number' ? err.lines : recordStart;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new DataLoadError({ code: 'malformed', file: path, line: recordStart, problem: 'a quoted field starts in this record and is never closed', hint: 'write a quote inside a quoted field as ""' });
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE':
      return new DataLoadError({ code: 'malformed', file: path, line: errLine, problem: 'text right after a closing quote', hint: 'write a quote inside a quoted field as ""' });
    default:
      return new DataLoadError({ code: 'malformed', file: path, line: errLine, problem: err.message.replace(/ at line \d+.*$/, '') });
  }
}

/** Line breaks inside a record's fields (quoted fields may hold them): \r\n, \r or \n each count once. */
function embeddedBreaks(fields: string[]): number {
  let breaks = 0;
  for (const f of fields) {
    if (f.includes('\n') || f.includes('\r')) breaks += f.match(/\r\n?|\n/g)!.length;
  }
  return breaks;
}

/** Everything buffered in an object-mode stream, one array per wake-up, until it ends (or fails). */
async function* drain<T>(stream: Readable, finishedStream: Promise<void>): AsyncGenerator<T[]> {
  for (;;) {
    const batch: T[] = [];
    for (let item = stream.read(); item !== null; item = stream.read()) batch.push(item as T);
    if (batch.length) {
      yield batch;
      continue;
    }
    if (stream.readableEnded || stream.destroyed) break;
    await Promise.race([once(stream, 'readable'), finishedStream]);
    if (stream.readableEnded) break;
  }
  await finishedStream;
}

interface Pipeline {
  parser: Readable;
  finished: Promise<void>;
  bytesRead: () => number;
  destroy: () => void;
}

/** file bytes -> UTF-8 -> csv-parse; `options` extends the parser's (for the error-locating pass). */
function csvPipeline(path: string, format: CsvFormat, chunkBytes: number, extra: Options = {}): Pipeline {
  const transcoder = new Utf8Transcoder(format.encoding);
  let bytesRead = 0;
  const source = createReadStream(path, { start: format.bomLength, highWaterMark: chunkBytes });
  const transcode = new Transform({
    transform(chunk: Buffer, _enc, done) {
      bytesRead += chunk.length;
      try {
        done(null, transcoder.write(chunk));
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done) {
      try {
        done(null, transcoder.end());
      } catch (err) {
        done(err as Error);
      }
    },
  });
  const parser = parse({ ...parseOptions(format.delimiter), ...extra });
  const finished = pipeline(source, transcode, parser);
  finished.catch(() => {}); // the same error reaches the reader through the parser
  return { parser, finished, bytesRead: () => bytesRead, destroy: () => (source.destroy(), parser.destroy()) };
}

/**
 * The line where the record holding an unclosed quote starts. The fast reader loses the records
 * csv-parse had buffered when it failed, so this second pass (only on that error) tracks lines
 * as csv-parse produces records.
 */
async function locateUnclosedQuote(path: string, format: CsvFormat): Promise<number> {
  let lastEnd = 0;
  const p = csvPipeline(path, format, CHUNK_BYTES, {
    on_record: (fields: string[], info: { lines: number }) => {
      lastEnd = info.lines;
      return fields;
    },
  } as Options);
  try {
    for await (const _ of drain(p.parser, p.finished));
  } catch {
    // the error we are locating
  } finally {
    p.destroy();
  }
  return lastEnd + 1;
}

async function* readBatches(path: string, size: number, format: CsvFormat, options: ReadOptions): AsyncGenerator<CsvRecord[]> {
  const p = csvPipeline(path, format, options.chunkBytes ?? CHUNK_BYTES);
  let line = 1; // where the next record starts
  let records = 0, reportedBytes = -1;
  const report = (final = false) => {
    const bytesRead = p.bytesRead();
    if (options.onProgress && (bytesRead !== reportedBytes || final)) {
      reportedBytes = bytesRead;
      options.onProgress({ bytesRead, totalBytes: size - format.bomLength, records });
    }
  };
  try {
    for await (const raw of drain<string[]>(p.parser, p.finished)) {
      const batch: CsvRecord[] = [];
      for (const fields of raw) {
        const start = line;
        line += 1 + embeddedBreaks(fields);
        if (fields.length === 1 && fields[0] === '') continue; // a blank line
        batch.push({ fields, line: start });
      }
      records += batch.length;
      report();
      if (batch.length) yield batch;
    }
    report(true);
  } catch (err) {
    if (err instanceof DataLoadError) throw err.withFile(path);
    if (err instanceof DecodeError) {
      throw new DataLoadError({ code: 'undecodable', file: path, line: err.line, problem: `cannot decode the file as ${format.encoding}: ${err.message}`, hint: 'save it as UTF-8, or name its encoding' });
    }
    const code = (err as CsvError)?.code;
    if (typeof code === 'string' && code.startsWith('CSV_')) {
      const start = code === 'CSV_QUOTE_NOT_CLOSED' ? await locateUnclosedQuote(path, format) : line;
      throw csvSyntaxError(path, err as CsvError, start);
    }
    throw unreadable(path, err);
  } finally {
    p.destroy();
  }
}

async function* readRecords(path: string, size: number, format: CsvFormat, options: ReadOptions): AsyncGenerator<CsvRecord> {
  for await (const batch of readBatches(path, size, format, options)) yield* batch;
}
