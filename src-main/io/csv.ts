// Streaming CSV reading: bytes -> (encoding) -> text -> papaparse (records.ts) -> records with
// their line numbers. The file is read in chunks and never held whole, as bytes or as text.
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import iconv from 'iconv-lite';
import { DataLoadError } from '../core/data/errors.ts';
import type { DecimalMark } from '../core/data/types.ts';
import { BinaryFileError, DecodeError, detectEncoding, encodingExists, Utf8Transcoder, type EncodingSource } from './encoding.ts';
import { checkDelimiter, RecordSplitter, type CsvRecord } from './records.ts';
import { completeLines, sniffDecimal, sniffDelimiter } from './sniff.ts';

export type { CsvRecord } from './records.ts';

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
  /** The same records, one array per chunk of the file (faster to consume). */
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
      detected = detectEncoding(head);
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
  try {
    checkDelimiter(delimiter);
  } catch (err) {
    throw err instanceof DataLoadError ? err.withFile(path) : err;
  }
  const decimal = options.decimal ?? sniffDecimal(sample, delimiter);
  const format: CsvFormat = { encoding: detected.encoding, encodingSource: detected.source, bomLength: detected.bomLength, delimiter, decimal };
  return { path, size, format, records: (o) => readRecords(path, size, format, o ?? {}), batches: (o) => readBatches(path, size, format, o ?? {}) };
}

async function* readBatches(path: string, size: number, format: CsvFormat, options: ReadOptions): AsyncGenerator<CsvRecord[]> {
  const transcoder = new Utf8Transcoder(format.encoding);
  const splitter = new RecordSplitter(format.delimiter);
  const source = createReadStream(path, { start: format.bomLength, highWaterMark: options.chunkBytes ?? CHUNK_BYTES });
  let bytesRead = 0, records = 0;
  const report = () => options.onProgress?.({ bytesRead, totalBytes: size - format.bomLength, records });
  try {
    // One chunk at a time: decoded, split, handed over; the next is read when the consumer asks.
    for await (const chunk of source as AsyncIterable<Buffer>) {
      bytesRead += chunk.length;
      const { records: batch, error } = splitter.push(transcoder.writeText(chunk));
      records += batch.length;
      report();
      if (batch.length) yield batch;
      if (error) throw error;
    }
    const { records: batch, error } = splitter.end(transcoder.endText());
    records += batch.length;
    report();
    if (batch.length) yield batch;
    if (error) throw error;
  } catch (err) {
    if (err instanceof DataLoadError) throw err.withFile(path);
    if (err instanceof DecodeError) {
      throw new DataLoadError({ code: 'undecodable', file: path, line: err.line, problem: `cannot decode the file as ${format.encoding}: ${err.message}`, hint: 'save it as UTF-8, or name its encoding' });
    }
    throw unreadable(path, err);
  } finally {
    source.destroy();
  }
}

async function* readRecords(path: string, size: number, format: CsvFormat, options: ReadOptions): AsyncGenerator<CsvRecord> {
  for await (const batch of readBatches(path, size, format, options)) yield* batch;
}
