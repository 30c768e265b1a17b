// The backend API: one object that answers every method of protocol.ts over the store, io, the
// runner and the core registries, and fans the runner's live events out to connections. The
// transports (Electron IPC, browser mode's WebSocket and HTTP) are thin: they hand raw messages
// to a Connection and deliver what it returns and pushes.
import type { RunStore } from '../store/index.ts';
import type { Runner, RunEvent } from '../runner/types.ts';
import { ApiError, toApiError } from './errors.ts';
import type { FileAccess } from './files.ts';
import { LiveFeed, type LiveFeedOptions } from './live.ts';
import { datasetHandlers } from './handlers/datasets.ts';
import { metaHandlers } from './handlers/meta.ts';
import { runHandlers } from './handlers/runs.ts';
import { runnerHandlers } from './handlers/runner.ts';
import { sweepHandlers } from './handlers/sweeps.ts';
import {
  DEFAULT_SUBSCRIPTION,
  METHODS,
  RequestSchema,
  describeZodError,
  isMethod,
  subscribed,
  type ApiEvent,
  type Subscription,
  type Method,
  type Params,
  type ResponseMessage,
  type Result,
  type ValidParams,
} from './protocol.ts';

export interface BackendOptions {
  store: RunStore;
  /** null where this process cannot train; runner methods then answer 'unavailable'. */
  runner: Runner | null;
  /** Why there is no runner (shown to the user). */
  trainingUnavailable?: string;
  /** Which data files may be read (browser mode: samples and uploads only). */
  fileAccess: FileAccess;
  /** Where uploads are kept (`datasets` beside the database). */
  uploadsDir: string;
  /** The name of the kernels in use (core's kernels().name). */
  kernels: string;
  /** Where the stack traces of unexpected errors go (default: stderr). */
  log?: (text: string) => void;
  /** How the runner's events are coalesced for connections (live.ts; default: protocol's LIVE_FEED). */
  live?: LiveFeedOptions;
}

/** What handlers see. */
export interface BackendContext extends BackendOptions {
  emit(event: ApiEvent): void;
}

export interface CallContext {
  connection: Connection | null;
}

export type Handler<M extends Method> = (params: ValidParams<M>, call: CallContext) => Result<M> | Promise<Result<M>>;
export type Handlers = { [M in Method]: Handler<M> };

/** A zod issue's path as a field name (`lr.count`, `runIds[2]`); undefined for the params themselves. */
function fieldOf(path: readonly PropertyKey[]): string | undefined {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : `${out ? '.' : ''}${String(p)}`;
  return out || undefined;
}

export class Backend {
  private readonly handlers: Handlers;
  private readonly connections = new Set<Connection>();
  private readonly unsubscribeRunner: (() => void) | null;
  private readonly feed: LiveFeed;
  private readonly ctx: BackendContext;
  readonly log: (text: string) => void;

  constructor(readonly options: BackendOptions) {
    this.log = options.log ?? ((text) => void process.stderr.write(`precond: ${text}\n`));
    this.ctx = { ...options, log: this.log, emit: (event) => this.emit(event) };
    this.handlers = {
      ...datasetHandlers(this.ctx),
      ...runHandlers(this.ctx),
      ...runnerHandlers(this.ctx),
      ...metaHandlers(this.ctx),
      ...sweepHandlers(this.ctx),
      'events.subscribe': (subscription, call) => {
        if (!call.connection) throw new ApiError('unavailable', 'events.subscribe needs a connection');
        call.connection.subscription = subscription;
        return { done: true };
      },
    };
    // The runner's events reach connections through the live feed (display rate, shared by all).
    this.feed = new LiveFeed((event) => this.emit(event), (event) => this.wanted(event), options.live);
    this.unsubscribeRunner = options.runner ? options.runner.subscribe((event) => this.feed.push(event)) : null;
  }

  /** Validates `params` for `method` and runs it; throws ApiError (or a known error) on failure. */
  async call<M extends Method>(method: M, params: Params<M> | unknown, connection: Connection | null = null): Promise<Result<M>> {
    const parsed = METHODS[method].params.safeParse(params ?? {});
    if (!parsed.success) throw new ApiError('bad-request', `${method}: ${describeZodError(parsed.error)}`, fieldOf(parsed.error.issues[0]?.path ?? []));
    const handler = this.handlers[method] as Handler<M>;
    return handler(parsed.data as ValidParams<M>, { connection });
  }

  /** A new client: events are pushed to `send` as they match its filter. */
  connect(send: (event: ApiEvent) => void): Connection {
    const c = new Connection(this, send);
    this.connections.add(c);
    return c;
  }

  /** @internal */
  disconnect(c: Connection): void {
    this.connections.delete(c);
  }

  /** Sends an event to every connection subscribed to it. */
  emit(event: ApiEvent | RunEvent): void {
    for (const c of this.connections) {
      if (!subscribed(c.subscription, event)) continue;
      try {
        c.send(event as ApiEvent);
      } catch (err) {
        this.log(`could not deliver an event: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }

  /** Whether any connection is subscribed to `event`. */
  private wanted(event: ApiEvent | RunEvent): boolean {
    for (const c of this.connections) if (subscribed(c.subscription, event)) return true;
    return false;
  }

  get connectionCount(): number {
    return this.connections.size;
  }

  /** Detaches from the runner and drops every connection (the store and runner are closed by their owner). */
  close(): void {
    this.unsubscribeRunner?.();
    this.feed.close();
    this.connections.clear();
  }
}

/** One client of the backend (a WebSocket, a window): its subscription and its requests. */
export class Connection {
  subscription: Subscription = structuredClone(DEFAULT_SUBSCRIPTION);
  private closed = false;

  constructor(
    private readonly backend: Backend,
    readonly send: (event: ApiEvent) => void,
  ) {}

  /**
   * Answers one request message (already decoded from JSON or structured clone). Never throws:
   * whatever is wrong with the message or the work is an error response.
   */
  async handle(message: unknown): Promise<ResponseMessage> {
    const id = typeof message === 'object' && message !== null && Number.isInteger((message as { id?: unknown }).id) ? ((message as { id: number }).id >= 0 ? (message as { id: number }).id : null) : null;
    const request = RequestSchema.safeParse(message);
    if (!request.success) return { id, ok: false, error: { code: 'bad-request', message: `bad request: ${describeZodError(request.error, 'message')}` } };
    const { method, params } = request.data;
    if (!isMethod(method)) return { id, ok: false, error: { code: 'bad-request', message: `unknown method ${JSON.stringify(method).slice(0, 80)}` } };
    if (this.closed) return { id, ok: false, error: { code: 'unavailable', message: 'the connection is closed' } };
    try {
      return { id, ok: true, result: await this.backend.call(method, params, this) };
    } catch (err) {
      return { id, ok: false, error: toApiError(err, this.backend.log) };
    }
  }

  close(): void {
    this.closed = true;
    this.backend.disconnect(this);
  }
}
