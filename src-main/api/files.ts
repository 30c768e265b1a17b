// Which data files a transport may read, and where browser mode keeps the CSV files dropped on
// it (a browser cannot tell the server a path, so the file itself is sent and stored).
//
// Electron reads any file the user names (a dialog or a dropped file gives its path). Browser
// mode reads the sample datasets and its uploads only: the API is reachable by whoever holds the
// URL, and it should not turn into a way to read arbitrary files.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, realpathSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, isAbsolute } from 'node:path';
import { resolveDataPath } from '../io/index.ts';
import { ApiError } from './errors.ts';

/** `datasets` beside the database file: where uploads are kept. */
export function uploadsDirFor(dbPath: string): string {
  return join(dirname(resolve(dbPath)), 'datasets');
}

export type FileAccess = { kind: 'any' } | { kind: 'roots'; roots: string[] };

function inside(root: string, file: string): boolean {
  const rel = relative(root, file);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/**
 * Checks that a data source (a sample name or a path) may be read under `access`; returns it
 * unchanged. A refused path is an ApiError 'forbidden'; a missing one is left to the loader,
 * whose error names the file.
 */
export function checkSource(source: string, access: FileAccess, samplesDir: string): string {
  if (access.kind === 'any') return source;
  let path: string;
  try {
    path = resolveDataPath(source, samplesDir).path;
  } catch {
    // Neither a file nor a sample: only sample-like names get the loader's own message.
    if (/^[A-Za-z0-9_-]+(\.csv)?$/i.test(source)) return source;
    throw new ApiError('forbidden', `${basename(source)}: browser mode reads the sample datasets and files dropped on the page only`);
  }
  const file = real(path);
  if ([samplesDir, ...access.roots].some((root) => inside(real(root), file))) return source;
  throw new ApiError('forbidden', `${basename(source)}: browser mode reads the sample datasets and files dropped on the page only`);
}

const ALLOWED_EXT = ['.csv', '.tsv', '.txt'];

/** Letters without their accents ("données été" -> "donnees ete"): NFKD, then the combining marks dropped. */
export function asciiSlug(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '');
}

function formatMb(bytes: number): string {
  return `${Math.round(bytes / 1024 / 1024)} MB`;
}
/** Largest upload accepted (bytes). */
export const MAX_UPLOAD_BYTES = 512 * 1024 * 1024;

/** A file name reduced to safe characters, keeping a data extension: "my data (1).CSV" -> "my-data-1.csv". */
export function safeUploadName(name: string): string {
  const base = basename(name.replace(/\\/g, '/'));
  const ext = extname(base).toLowerCase();
  const stem = asciiSlug(base.slice(0, base.length - extname(base).length))
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return `${stem || 'upload'}${ALLOWED_EXT.includes(ext) ? ext : '.csv'}`;
}

export interface SavedUpload {
  path: string;
  name: string;
  sizeBytes: number;
  /** False when the same content was already stored under that name. */
  created: boolean;
}

async function fileDigest(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Stores an uploaded file in `dir` under its safe name, streaming it to a temp file first (a
 * half-written upload never becomes a data set, and a large file is not held in memory). The
 * same name with the same bytes is the same file; with other bytes it gets `-2`, `-3`, ...
 */
export async function saveUpload(dir: string, name: string, body: AsyncIterable<Uint8Array> | Uint8Array, maxBytes = MAX_UPLOAD_BYTES): Promise<SavedUpload> {
  mkdirSync(dir, { recursive: true });
  const safe = safeUploadName(name);
  const ext = extname(safe);
  const stem = safe.slice(0, -ext.length);
  const temp = join(dir, `.${stem}.${process.pid}.${randomBytes(4).toString('hex')}.part`);
  const hash = createHash('sha256');
  let size = 0;
  try {
    const out = await open(temp, 'wx');
    try {
      const chunks = body instanceof Uint8Array ? [body] : body;
      for await (const chunk of chunks) {
        size += chunk.length;
        if (size > maxBytes) throw new ApiError('bad-request', `${basename(name)} is larger than ${formatMb(maxBytes)}`);
        hash.update(chunk);
        await out.write(chunk);
      }
    } finally {
      await out.close();
    }
    const digest = hash.digest('hex');
    for (let k = 1; k < 10_000; k++) {
      const candidate = join(dir, k === 1 ? safe : `${stem}-${k}${ext}`);
      if (existsSync(candidate)) {
        if (statSync(candidate).size === size && (await fileDigest(candidate)) === digest) {
          rmSync(temp, { force: true });
          return { path: candidate, name: basename(candidate), sizeBytes: size, created: false };
        }
        continue;
      }
      renameSync(temp, candidate);
      return { path: candidate, name: basename(candidate), sizeBytes: size, created: true };
    }
    throw new ApiError('conflict', `too many uploads named ${safe}`);
  } finally {
    rmSync(temp, { force: true });
  }
}
