// Writing a file the user named (an export, a chart): through a temp file beside it, renamed over
// it at the end, so a failed write leaves no half file and the old content as it was. Every
// failure is an OutputFileError whose message names the user's path (never the temp file) and
// what is wrong with it: a folder, a folder that does not exist, no permission, a full disk.
import { accessSync, closeSync, constants, openSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

export class OutputFileError extends Error {
  constructor(
    /** The path as the user named it, resolved. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'OutputFileError';
  }
}

export interface OutputFileOptions {
  /** A file name to suggest when `path` is a folder ("runs-3.csv" -> "FOLDER/runs-3.csv"). */
  suggestedName?: string;
}

/** `stat` of `p`, or null when there is nothing there (or a file where a folder should be: ENOTDIR). */
function statOrNull(p: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(p, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

const isDirectory = (p: string) => statOrNull(p)?.isDirectory() === true;

/** The first ancestor of `path` that exists, and whether it is a folder. */
function nearestExisting(path: string): { at: string; isFolder: boolean } {
  let at = dirname(path);
  for (;;) {
    const st = statOrNull(at);
    if (st) return { at, isFolder: st.isDirectory() };
    const up = dirname(at);
    if (up === at) return { at, isFolder: true };
    at = up;
  }
}

/** A one-line reason, naming `target`, for an fs error met while writing it. */
function reasonFor(err: unknown, target: string, opts: OutputFileOptions): string {
  const code = (err as NodeJS.ErrnoException).code;
  const folder = dirname(target);
  if (code === 'EISDIR' || isDirectory(target)) return folderMessage(target, opts);
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    const { at, isFolder } = nearestExisting(target);
    if (!isFolder) return `cannot write ${target}: ${at} is a file, not a folder`;
    if (at === folder) return `cannot write ${target}: files cannot be created in ${folder}`;
    return `cannot write ${target}: the folder ${folder} does not exist (create it first, or choose another path)`;
  }
  if (code === 'EACCES' || code === 'EPERM') return `cannot write ${target}: permission denied (the folder ${folder} or the file is not writable by you)`;
  if (code === 'EROFS') return `cannot write ${target}: ${folder} is on a read-only file system`;
  if (code === 'ENOSPC' || code === 'EDQUOT') return `cannot write ${target}: no space left on the device (nothing was written)`;
  if (code === 'ENAMETOOLONG') return `cannot write ${target}: the file name is too long`;
  const detail = (err as Error).message?.replace(/, \w+ '[^']*'$/, '') ?? String(err);
  return `cannot write ${target}: ${detail}`;
}

function folderMessage(target: string, opts: OutputFileOptions): string {
  const example = opts.suggestedName ? ` (e.g. ${join(target, opts.suggestedName)})` : '';
  return `${target} is a folder: give a file name to write${example}`;
}

/**
 * Writes `path` with what `write` produces (it is handed a `put(chunk)` and may call it many
 * times; it may throw, and then nothing is left behind). Returns the resolved path written.
 */
export function writeFileAtomically(path: string, write: (put: (chunk: string | Uint8Array) => void) => void, opts: OutputFileOptions = {}): string {
  const target = resolve(path);
  if (isDirectory(target)) throw new OutputFileError(target, folderMessage(target, opts));
  // Replacing a file the user made read-only would go around that protection (rename ignores it).
  if (statOrNull(target)) {
    try {
      accessSync(target, constants.W_OK);
    } catch (err) {
      throw new OutputFileError(target, `cannot write ${target}: the file is read-only`, { cause: err });
    }
  }
  // Hidden, beside the target (a rename only works within one file system).
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  let fd: number;
  try {
    fd = openSync(temp, 'wx');
  } catch (err) {
    throw new OutputFileError(target, reasonFor(err, target, opts), { cause: err });
  }
  let open = true;
  const closeOnce = () => {
    if (open) {
      open = false;
      closeSync(fd);
    }
  };
  try {
    write((chunk) => {
      try {
        if (typeof chunk === 'string') writeSync(fd, chunk);
        else for (let at = 0; at < chunk.length; ) at += writeSync(fd, chunk, at);
      } catch (err) {
        throw new OutputFileError(target, reasonFor(err, target, opts), { cause: err });
      }
    });
    closeOnce();
    try {
      renameSync(temp, target);
    } catch (err) {
      throw new OutputFileError(target, reasonFor(err, target, opts), { cause: err });
    }
    return target;
  } catch (err) {
    try {
      closeOnce();
    } finally {
      rmSync(temp, { force: true });
    }
    throw err;
  }
}
