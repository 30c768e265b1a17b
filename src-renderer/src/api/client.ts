// The API client: typed calls (`api.call('runs.get', { id })`) whose answers are validated by the
// protocol's result schemas, and event subscriptions multiplexed over one transport (the server
// gets every listener's filter and sends what any of them lets through; each listener gets only
// what its own filter lets through).
import { shallowRef, type ShallowRef } from 'vue';
import {
  METHODS,
  describeZodError,
  matches,
  type ApiErrorInfo,
  type ApiEvent,
  type EventFilter,
  type Method,
  type Params,
  type RequestMessage,
  type ResponseMessage,
  type Result,
  type Subscription,
} from './protocol.ts';

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** How messages travel: Electron's IPC bridge or browser mode's WebSocket. */
export interface Transport {
  readonly kind: 'electron' | 'browser';
  request(message: RequestMessage): Promise<ResponseMessage>;
  onEvent(listener: (event: ApiEvent) => void): void;
  /** Called after a (re)connection, so subscriptions can be sent again. */
  onOpen(listener: () => void): void;
  readonly state: ShallowRef<ConnectionState>;
}

/** An API error as the UI handles it: one line, a code, and the data error's location if any. */
export class ApiCallError extends Error {
  readonly code: ApiErrorInfo['code'];
  readonly field?: string;
  readonly data?: ApiErrorInfo['data'];
  constructor(info: ApiErrorInfo) {
    super(info.message);
    this.name = 'ApiCallError';
    this.code = info.code;
    this.field = info.field;
    this.data = info.data;
  }
}

/** One line for the UI, whatever was thrown. */
export function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0];
}

interface Listener {
  filter: EventFilter;
  listener: (event: ApiEvent) => void;
}

/** The listeners' filters as one subscription: each distinct filter once, in a stable order. */
export function subscriptionOf(filters: readonly EventFilter[]): Subscription {
  const byKey = new Map<string, EventFilter>();
  for (const f of filters) {
    const norm: EventFilter = { runIds: f.runIds === null ? null : [...new Set(f.runIds)].sort((a, b) => a - b), types: [...new Set(f.types)].sort() };
    byKey.set(JSON.stringify(norm), norm);
  }
  return { filters: [...byKey.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f) };
}

export class ApiClient {
  private nextId = 1;
  private readonly subscriptions = new Set<Listener>();
  private sentFilter = '';
  private syncQueued = false;
  readonly state: ShallowRef<ConnectionState>;
  /** The last error a background subscription update met (shown by the shell). */
  readonly lastError = shallowRef<string | null>(null);

  constructor(readonly transport: Transport) {
    this.state = transport.state;
    transport.onEvent((event) => {
      for (const s of [...this.subscriptions]) if (matches(s.filter, event)) s.listener(event);
    });
    transport.onOpen(() => {
      this.sentFilter = '';
      this.queueSync();
    });
  }

  get kind(): Transport['kind'] {
    return this.transport.kind;
  }

  /** Calls a method; resolves to its validated result, rejects with an ApiCallError. */
  async call<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const response = await this.transport.request({ id: this.nextId++, method, params });
    if (!response.ok) throw new ApiCallError(response.error);
    const parsed = METHODS[method].result.safeParse(response.result);
    if (!parsed.success) throw new ApiCallError({ code: 'internal', message: `the answer to ${method} does not fit the protocol (${describeZodError(parsed.error, 'result')})` });
    return parsed.data as Result<M>;
  }

  /** Receives the events `filter` lets through until the returned function is called. */
  subscribe(filter: EventFilter, listener: (event: ApiEvent) => void): () => void {
    const s: Listener = { filter, listener };
    this.subscriptions.add(s);
    this.queueSync();
    return () => {
      if (this.subscriptions.delete(s)) this.queueSync();
    };
  }

  /** Sends the union filter once per tick, only when it changed. */
  private queueSync(): void {
    if (this.syncQueued) return;
    this.syncQueued = true;
    queueMicrotask(() => {
      this.syncQueued = false;
      const subscription = subscriptionOf([...this.subscriptions].map((s) => s.filter));
      const key = JSON.stringify(subscription);
      if (key === this.sentFilter) return;
      this.sentFilter = key;
      this.call('events.subscribe', subscription).catch((err) => {
        this.sentFilter = '';
        this.lastError.value = `could not subscribe to live events: ${errorText(err)}`;
      });
    });
  }
}
