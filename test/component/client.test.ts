// The renderer's API client and transports: results validated by the protocol, errors as
// ApiCallError, subscriptions merged into one server filter, the WebSocket transport's queue,
// reconnection and lost requests.
import { describe, expect, test } from 'vitest';
import { shallowRef } from 'vue';
import { ApiCallError, ApiClient, subscriptionOf, type Transport } from '../../src-renderer/src/api/client.ts';
import { browserBase, WebSocketTransport, type SocketLike } from '../../src-renderer/src/api/transports.ts';
import { encodeWire, type ApiEvent, type RequestMessage, type ResponseMessage } from '../../src-renderer/src/api/protocol.ts';

class ScriptedTransport implements Transport {
  readonly kind = 'browser' as const;
  readonly state = shallowRef<'open'>('open');
  readonly sent: RequestMessage[] = [];
  private eventListener: ((e: ApiEvent) => void) | null = null;
  private openListener: (() => void) | null = null;
  constructor(private readonly answer: (m: RequestMessage) => ResponseMessage) {}
  async request(m: RequestMessage): Promise<ResponseMessage> {
    this.sent.push(m);
    return this.answer(m);
  }
  onEvent(l: (e: ApiEvent) => void): void {
    this.eventListener = l;
  }
  onOpen(l: () => void): void {
    this.openListener = l;
  }
  push(e: ApiEvent): void {
    this.eventListener?.(e);
  }
  reopen(): void {
    this.openListener?.();
  }
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ApiClient', () => {
  test('a result that fits the protocol is returned; one that does not is an error', async () => {
    let result: unknown = { deleted: 3 };
    const client = new ApiClient(new ScriptedTransport((m) => ({ id: m.id, ok: true, result })));
    expect(await client.call('runs.delete', { id: 3 })).toEqual({ deleted: 3 });
    result = { deleted: 'three' };
    const err = await client.call('runs.delete', { id: 3 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiCallError);
    expect((err as ApiCallError).code).toBe('internal');
    expect((err as ApiCallError).message).toMatch(/the answer to runs.delete does not fit the protocol \(result.deleted: expected number/);
  });

  test('an error response becomes an ApiCallError with its code and data location', async () => {
    const client = new ApiClient(
      new ScriptedTransport((m) => ({ id: m.id, ok: false, error: { code: 'data', message: 'x.csv line 3: expected 2 fields, found 3', data: { code: 'ragged', message: 'm', line: 3 } } })),
    );
    const err = (await client.call('datasets.load', { source: 'x.csv' }).catch((e: unknown) => e)) as ApiCallError;
    expect(err).toBeInstanceOf(ApiCallError);
    expect(err.code).toBe('data');
    expect(err.data?.line).toBe(3);
  });

  test('subscriptions: every listener’s filter sent, once per change; each listener gets its own events; resent after reconnecting', async () => {
    const t = new ScriptedTransport((m) => ({ id: m.id, ok: true, result: { done: true } }));
    const client = new ApiClient(t);
    const a: ApiEvent[] = [];
    const b: ApiEvent[] = [];
    const offA = client.subscribe({ runIds: null, types: ['status'] }, (e) => a.push(e));
    client.subscribe({ runIds: [4], types: ['metrics'] }, (e) => b.push(e));
    await tick();
    // not one union ("status and metrics of every run"): both filters as they are
    expect(t.sent.map((m) => m.params)).toEqual([{ filters: [{ runIds: [4], types: ['metrics'] }, { runIds: null, types: ['status'] }] }]);
    t.push({ type: 'status', runId: 9, status: 'running' });
    t.push({ type: 'metrics', runId: 4, points: [] });
    t.push({ type: 'metrics', runId: 5, points: [] });
    expect(a.map((e) => e.type)).toEqual(['status']);
    expect(b).toEqual([{ type: 'metrics', runId: 4, points: [] }]);
    offA();
    await tick();
    expect(t.sent.at(-1)!.params).toEqual({ filters: [{ runIds: [4], types: ['metrics'] }] });
    const before = t.sent.length;
    t.reopen();
    await tick();
    expect(t.sent.length).toBe(before + 1);
  });

  test('subscriptionOf: distinct filters, normalized, in a stable order', () => {
    expect(subscriptionOf([])).toEqual({ filters: [] });
    const a = { runIds: [3, 1, 3], types: ['snapshot', 'metrics'] as ('snapshot' | 'metrics')[] };
    const b = { runIds: [1, 3], types: ['metrics', 'snapshot'] as ('snapshot' | 'metrics')[] };
    expect(subscriptionOf([a, b])).toEqual({ filters: [{ runIds: [1, 3], types: ['metrics', 'snapshot'] }] });
    expect(subscriptionOf([b, { runIds: null, types: ['status'] }])).toEqual(subscriptionOf([{ runIds: null, types: ['status'] }, a]));
  });
});

class FakeSocket implements SocketLike {
  static all: FakeSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  onopen: ((ev: unknown) => void) | null = null;
  onclose: ((ev: unknown) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(d: string): void {
    this.sent.push(d);
  }
  close(): void {
    this.readyState = 3;
    this.onclose?.({});
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  receive(m: unknown): void {
    this.onmessage?.({ data: encodeWire(m) });
  }
}

describe('WebSocketTransport', () => {
  test('the token from the page URL', () => {
    expect(browserBase('http://127.0.0.1:5123/abcTOKEN/#/runs/3')).toEqual({ base: 'http://127.0.0.1:5123/abcTOKEN/', token: 'abcTOKEN' });
    expect(browserBase('http://127.0.0.1:5123/abcTOKEN')).toEqual({ base: 'http://127.0.0.1:5123/abcTOKEN/', token: 'abcTOKEN' });
    expect(browserBase('http://127.0.0.1:5123/')).toBeNull();
  });

  test('queues until open, matches responses by id, delivers events, fails requests in flight when the socket drops, reconnects', async () => {
    FakeSocket.all = [];
    const t = new WebSocketTransport('ws://h/t/ws', (u) => new FakeSocket(u));
    const events: ApiEvent[] = [];
    t.onEvent((e) => events.push(e));
    let opened = 0;
    t.onOpen(() => opened++);
    const s = FakeSocket.all[0];
    const r1 = t.request({ id: 1, method: 'app.info' });
    expect(s.sent).toEqual([]);
    s.open();
    expect(t.state.value).toBe('open');
    expect(opened).toBe(1);
    expect(s.sent).toHaveLength(1);
    s.receive({ id: 1, ok: true, result: { x: 1 } });
    expect(await r1).toEqual({ id: 1, ok: true, result: { x: 1 } });
    s.receive({ events: [{ type: 'status', runId: 2, status: 'finished' }] });
    s.receive({ events: [{ type: 'bogus' }] }); // not in the protocol: dropped
    s.receive({ events: [{ type: 'status', runId: 3, status: 'running' }, { type: 'status', runId: 4, status: 'paused' }] }); // one burst, in order
    expect(events).toEqual([
      { type: 'status', runId: 2, status: 'finished' },
      { type: 'status', runId: 3, status: 'running' },
      { type: 'status', runId: 4, status: 'paused' },
    ]);

    const r2 = t.request({ id: 2, method: 'app.info' });
    s.readyState = 3;
    s.onclose?.({});
    expect(await r2).toMatchObject({ id: 2, ok: false, error: { code: 'unavailable', message: 'lost the connection to the Precond Lab server' } });
    expect(t.state.value).toBe('closed');
    await new Promise((r) => setTimeout(r, 300));
    expect(FakeSocket.all).toHaveLength(2);
    FakeSocket.all[1].open();
    expect(opened).toBe(2);
    t.close();
  });
});
