// Every failure the store reports to its callers is a StoreError: a one-line message meant for a
// person (it names the database file and what is wrong) plus a code for programs.

export type StoreErrorCode =
  | 'corrupt' // the file is not a SQLite database, or SQLite reports it damaged
  | 'newer-schema' // written by a newer Precond Lab: this version will not touch it
  | 'foreign' // a SQLite database, but not one Precond Lab created
  | 'locked' // another connection holds the write lock for longer than the busy timeout
  | 'missing' // the file does not exist and the caller asked not to create it
  | 'readonly' // opened read-only (not writable by this user) and it would need a write, e.g. a migration
  | 'not-found' // no run (or dataset) with that id
  | 'invalid' // a bad argument: unknown sort key, non-increasing step, bad config...
  | 'conflict' // not allowed in the run's current state (delete a live run, finish a finished one)
  | 'io'; // any other SQLite or file-system failure

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    /** The database file concerned, when there is one. */
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StoreError';
  }
}

/** The SQLite result code of a better-sqlite3 error (`SQLITE_BUSY`, `SQLITE_CORRUPT`...), if any. */
export function sqliteCode(err: unknown): string | undefined {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string' && err.code.startsWith('SQLITE_')) {
    return err.code;
  }
  return undefined;
}

/**
 * Turns a SQLite failure into a StoreError that says what happened to which file.
 * `doing` completes "while ...", e.g. "opening it" or "writing metrics".
 */
export function storeErrorFrom(err: unknown, file: string, doing: string, busyTimeoutMs?: number): StoreError {
  if (err instanceof StoreError) return err;
  const code = sqliteCode(err) ?? '';
  const detail = err instanceof Error ? err.message : String(err);
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    const waited = busyTimeoutMs === undefined ? '' : ` (waited ${busyTimeoutMs} ms)`;
    return new StoreError(
      'locked',
      `${file} is locked by another process writing to it${waited} while ${doing}; ` +
        'close the other Precond Lab window or command using it and try again',
      file,
      { cause: err },
    );
  }
  if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('corrupt', `${file} is damaged or not a Precond Lab database (SQLite: ${detail})`, file, {
      cause: err,
    });
  }
  if (code === 'SQLITE_CANTOPEN') {
    return new StoreError('io', `cannot open ${file} (while ${doing}): SQLite could not open or create it; check that you may read and write it and its folder`, file, { cause: err });
  }
  return new StoreError('io', `${file}: ${detail} (while ${doing})`, file, { cause: err });
}
