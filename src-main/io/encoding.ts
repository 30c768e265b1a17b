// Text encodings: detect a file's encoding from its first bytes, and decode its bytes chunk by
// chunk: to text (what the CSV parser reads) or to UTF-8 bytes. UTF-8 input is validated (and
// passed through as bytes without copying); other encodings are decoded with iconv-lite.
import { isUtf8 } from 'node:buffer';
import chardet from 'chardet';
import iconv from 'iconv-lite';

export type EncodingSource = 'option' | 'bom' | 'utf-8 check' | 'utf-16 pattern' | 'chardet' | 'fallback';

export interface DetectedEncoding {
  /** A name iconv-lite knows, lower case: utf-8, utf-16le, utf-16be, windows-1252, … */
  encoding: string;
  /** Bytes of byte-order mark at the start of the file (skipped when reading). */
  bomLength: number;
  source: EncodingSource;
}

/** Thrown when bytes cannot be decoded; the reader turns it into a DataLoadError with the line. */
export class DecodeError extends Error {
  constructor(
    message: string,
    /** 1-based line of the offending byte, counted in the text decoded before it. */
    readonly line: number,
    /** Offset of the offending byte from the start of the decoded bytes. */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'DecodeError';
  }
}

/** The head is not text: NUL bytes outside a UTF-16 pattern. */
export class BinaryFileError extends Error {
  constructor() {
    super('the file is not text (it contains NUL bytes)');
    this.name = 'BinaryFileError';
  }
}

const BOMS: { bytes: number[]; encoding: string }[] = [
  { bytes: [0xef, 0xbb, 0xbf], encoding: 'utf-8' },
  { bytes: [0xff, 0xfe, 0x00, 0x00], encoding: 'utf-32le' },
  { bytes: [0x00, 0x00, 0xfe, 0xff], encoding: 'utf-32be' },
  { bytes: [0xff, 0xfe], encoding: 'utf-16le' },
  { bytes: [0xfe, 0xff], encoding: 'utf-16be' },
];

/** chardet's single-byte Western and Central European guesses, which short samples confuse with one another. */
const LATIN_FAMILY = new Set(['iso-8859-1', 'iso-8859-2', 'iso-8859-9', 'iso-8859-15', 'windows-1250', 'windows-1252', 'windows-1254', 'windows-1257', 'windows-1258']);

/** Length of `buf` without a trailing, incomplete UTF-8 sequence (cut by a chunk boundary). */
export function completeUtf8Length(buf: Uint8Array): number {
  const n = buf.length;
  for (let back = 1; back <= Math.min(4, n); back++) {
    const b = buf[n - back];
    if ((b & 0xc0) === 0x80) continue; // continuation byte: keep looking for the lead byte
    const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
    return need > back ? n - back : n;
  }
  return n;
}

function countNewlines(buf: Uint8Array, end = buf.length): number {
  let count = 0;
  for (let i = buf.indexOf(10); i >= 0 && i < end; i = buf.indexOf(10, i + 1)) count++;
  return count;
}

/** Share of NUL bytes at even and at odd positions. */
function nulPattern(head: Uint8Array): { even: number; odd: number; any: boolean } {
  let even = 0, odd = 0;
  for (let i = 0; i < head.length; i++) {
    if (head[i] !== 0) continue;
    if (i % 2 === 0) even++;
    else odd++;
  }
  const half = Math.max(1, head.length / 2);
  return { even: even / half, odd: odd / half, any: even + odd > 0 };
}

/**
 * The encoding of a file from its first bytes: a BOM if there is one; else UTF-8 if the bytes
 * are valid UTF-8 (ASCII included); else UTF-16 if NUL bytes alternate; else chardet's guess,
 * where any Western/Central European single-byte guess becomes windows-1252 when chardet rates
 * windows-1252 or ISO-8859-1 at least half as likely (a superset of Latin-1, the usual export
 * encoding of Windows tools).
 */
export function detectEncoding(head: Uint8Array): DetectedEncoding {
  for (const bom of BOMS) {
    if (head.length >= bom.bytes.length && bom.bytes.every((b, i) => head[i] === b)) {
      return { encoding: bom.encoding, bomLength: bom.bytes.length, source: 'bom' };
    }
  }
  const nul = nulPattern(head);
  if (nul.any) {
    if (nul.odd > 0.3 && nul.even < 0.05) return { encoding: 'utf-16le', bomLength: 0, source: 'utf-16 pattern' };
    if (nul.even > 0.3 && nul.odd < 0.05) return { encoding: 'utf-16be', bomLength: 0, source: 'utf-16 pattern' };
    throw new BinaryFileError();
  }
  // A character cut off at the end of the head (or of a truncated file) does not make it not
  // UTF-8: the reader then finds the incomplete character, or not, where it is.
  if (isUtf8(head.subarray(0, completeUtf8Length(head)))) return { encoding: 'utf-8', bomLength: 0, source: 'utf-8 check' };
  // Bytes that are not UTF-8 are not ASCII either, whatever chardet says of a mostly-ASCII file
  // (decoding them as ASCII would turn every byte above 0x7F into U+FFFD without a word).
  const guesses = chardet
    .analyse(head)
    .map((m) => ({ name: m.name.toLowerCase(), confidence: m.confidence }))
    .filter((g) => g.name !== 'ascii' && g.name !== 'us-ascii');
  const top = guesses[0];
  if (!top) return { encoding: 'windows-1252', bomLength: 0, source: 'fallback' };
  if (LATIN_FAMILY.has(top.name)) {
    const western = guesses.find((g) => g.name === 'windows-1252' || g.name === 'iso-8859-1');
    if (western && western.confidence >= top.confidence / 2) return { encoding: 'windows-1252', bomLength: 0, source: 'chardet' };
  }
  if (iconv.encodingExists(top.name)) return { encoding: top.name === 'iso-8859-1' ? 'windows-1252' : top.name, bomLength: 0, source: 'chardet' };
  return { encoding: 'windows-1252', bomLength: 0, source: 'fallback' };
}

export function encodingExists(name: string): boolean {
  return iconv.encodingExists(name);
}

/** Bytes in any supported encoding -> UTF-8 bytes or text, chunk by chunk; counts lines for error messages. */
export class Utf8Transcoder {
  private pending: Buffer = Buffer.alloc(0);
  private readonly decoder: ReturnType<typeof iconv.getDecoder> | null;
  private bytesBefore = 0;
  private linesBefore = 0;

  constructor(readonly encoding: string) {
    this.decoder = encoding === 'utf-8' ? null : iconv.getDecoder(encoding, { stripBOM: true });
  }

  write(chunk: Buffer): Buffer {
    const out = this.decoder ? Buffer.from(this.decoder.write(chunk), 'utf8') : this.checkUtf8(chunk, false);
    this.linesBefore += countNewlines(out);
    return out;
  }

  end(): Buffer {
    if (this.decoder) return Buffer.from(this.decoder.end() ?? '', 'utf8');
    return this.checkUtf8(Buffer.alloc(0), true);
  }

  /** Like `write`, as text (a character cut by the chunk boundary waits for the next chunk). */
  writeText(chunk: Buffer): string {
    if (this.decoder) return this.decoder.write(chunk);
    const body = this.checkUtf8(chunk, false);
    this.linesBefore += countNewlines(body);
    return body.toString('utf8');
  }

  endText(): string {
    if (this.decoder) return this.decoder.end() ?? '';
    return this.checkUtf8(Buffer.alloc(0), true).toString('utf8');
  }

  private checkUtf8(chunk: Buffer, last: boolean): Buffer {
    const buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const cut = last ? buf.length : completeUtf8Length(buf);
    const body = buf.subarray(0, cut);
    if (!isUtf8(body)) throw this.invalid(body);
    this.pending = Buffer.from(buf.subarray(cut));
    this.bytesBefore += cut;
    return body;
  }

  /** Finds the first invalid byte (largest valid prefix, by bisection) to name its line. */
  private invalid(body: Buffer): DecodeError {
    let lo = 0, hi = body.length; // body[0, lo) is valid UTF-8, body[0, hi) is not
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if (isUtf8(body.subarray(0, completeUtf8Length(body.subarray(0, mid))))) lo = mid;
      else hi = mid;
    }
    const at = Math.min(completeUtf8Length(body.subarray(0, lo)), body.length - 1);
    const line = this.linesBefore + countNewlines(body, at) + 1;
    const byte = body[at].toString(16).toUpperCase().padStart(2, '0');
    return new DecodeError(`not valid UTF-8 (byte 0x${byte})`, line, this.bytesBefore + at);
  }
}
