// Every failure a handler meets becomes one ApiErrorInfo: a code for programs, one line for a
// person. Known errors (data, config, store) keep their own message; anything else is a bug,
// reported as one line with the stack left to the server's log.
import { ZodError } from 'zod';
import { DataLoadError } from '../core/data/errors.ts';
import { ConfigError } from '../core/optim/errors.ts';
import { RunConfigError } from '../core/train/config.ts';
import { SweepError } from '../core/sweep/expand.ts';
import { RunnerError } from '../runner/pool.ts';
import { StoreError } from '../store/errors.ts';
import { describeZodError, type ApiErrorCode, type ApiErrorInfo } from './protocol.ts';

/** An error a handler throws on purpose, with its code. */
export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const STORE_CODES: Partial<Record<StoreError['code'], ApiErrorCode>> = {
  'not-found': 'not-found',
  conflict: 'conflict',
  invalid: 'bad-request',
};

const RUNNER_CODES: Record<RunnerError['code'], ApiErrorCode> = { 'not-found': 'not-found', conflict: 'conflict', closed: 'unavailable' };

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}

/** The error as it reaches a client. `log` receives the stack of unexpected errors. */
export function toApiError(err: unknown, log: (text: string) => void = () => {}): ApiErrorInfo {
  if (err instanceof ApiError) return { code: err.code, message: firstLine(err.message), ...(err.field ? { field: err.field } : {}) };
  if (err instanceof DataLoadError) return { code: 'data', message: firstLine(err.message), data: err.toJSON() };
  if (err instanceof ConfigError) return { code: 'config', message: firstLine(err.message), field: err.field };
  if (err instanceof RunConfigError) return { code: 'config', message: firstLine(err.message), field: err.field };
  if (err instanceof SweepError) return { code: 'config', message: firstLine(err.message), field: err.field };
  if (err instanceof RunnerError) return { code: RUNNER_CODES[err.code], message: firstLine(err.message) };
  if (err instanceof StoreError) return { code: STORE_CODES[err.code] ?? 'store', message: firstLine(err.message) };
  if (err instanceof ZodError) return { code: 'bad-request', message: describeZodError(err) };
  const message = err instanceof Error ? err.message : String(err);
  log(err instanceof Error && err.stack ? err.stack : message);
  return { code: 'internal', message: `internal error: ${firstLine(message) || 'unknown'}` };
}
