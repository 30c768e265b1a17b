// The two transports: Electron's preload bridge (window.precond) and browser mode's WebSocket,
// which finds its server and token from the page's own URL (http://host:port/<token>/).
import { shallowRef } from 'vue';
import type { ConnectionState, Transport } from './client.ts';
import { ServerMessageSchema, decodeWire, encodeWire, type ApiEvent, type PrecondBridge, type RequestMessage, type ResponseMessage } from './protocol.ts';

declare global {
  interface Window {
    precond?: PrecondBridge;
  }
}

export class ElectronTransport implements Transport {
  readonly kind = 'electron' as const;
  readonly state = shallowRef<ConnectionState>('open');
  constructor(private readonly bridge: PrecondBridge) {}
  request(message: RequestMessage): Promise<ResponseMessage> {
    return this.bridge.invoke(message);
  }
  onEvent(listener: (event: ApiEvent) => void): void {
    this.bridge.onEvent(listener);
  }
  onOpen(listener: () => void): void {
    queueMicrotask(listener);
  }
}

/** `http://h:p/<token>/...` -> { base: 'http://h:p/<token>/', token }; null without a token segment. */
export function browserBase(href: string): { base: string; token: string } | null {
  const url = new URL(href);
  const token = url.pathname.split('/')[1];
  if (!token) return null;
  return { base: `${url.origin}/${token}/`, token };
}

/** Minimal WebSocket surface, so tests can hand in a fake. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  onopen: ((ev: unknown) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
}

const OPEN = 1;

export class WebSocketTransport implements Transport {
  readonly kind = 'browser' as const;
  readonly state = shallowRef<ConnectionState>('connecting');
  private socket: SocketLike | null = null;
  private readonly pending = new Map<number, (r: ResponseMessage) => void>();
  private readonly queue: string[] = [];
  private readonly eventListeners: ((e: ApiEvent) => void)[] = [];
  private readonly openListeners: (() => void)[] = [];
  private retryMs = 250;
  private closedByUs = false;

  constructor(
    readonly url: string,
    private readonly makeSocket: (url: string) => SocketLike = (u) => new WebSocket(u) as unknown as SocketLike,
  ) {
    this.connect();
  }

  private connect(): void {
    this.state.value = 'connecting';
    const socket = this.makeSocket(this.url);
    this.socket = socket;
    socket.onopen = () => {
      this.state.value = 'open';
      this.retryMs = 250;
      for (const text of this.queue.splice(0)) socket.send(text);
      for (const l of this.openListeners) l();
    };
    socket.onmessage = (ev) => this.receive(ev.data);
    socket.onerror = () => {};
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.state.value = 'closed';
      // Requests in flight are lost with the socket: they fail now rather than hang.
      for (const [id, resolve] of this.pending) resolve({ id, ok: false, error: { code: 'unavailable', message: 'lost the connection to the Precond Lab server' } });
      this.pending.clear();
      if (this.closedByUs) return;
      setTimeout(() => this.connect(), this.retryMs);
      this.retryMs = Math.min(5000, this.retryMs * 2);
    };
  }

  private receive(data: unknown): void {
    let decoded: unknown;
    try {
      decoded = decodeWire(String(data));
    } catch {
      return;
    }
    const message = ServerMessageSchema.safeParse(decoded);
    if (!message.success) return;
    const m = message.data;
    if ('events' in m) {
      for (const event of m.events) for (const l of this.eventListeners) l(event);
      return;
    }
    if (m.id === null) return;
    const resolve = this.pending.get(m.id);
    if (resolve) {
      this.pending.delete(m.id);
      resolve(m);
    }
  }

  request(message: RequestMessage): Promise<ResponseMessage> {
    return new Promise((resolve) => {
      this.pending.set(message.id, resolve);
      const text = encodeWire(message);
      if (this.socket && this.socket.readyState === OPEN) this.socket.send(text);
      else this.queue.push(text);
    });
  }

  onEvent(listener: (event: ApiEvent) => void): void {
    this.eventListeners.push(listener);
  }

  onOpen(listener: () => void): void {
    this.openListeners.push(listener);
    if (this.state.value === 'open') queueMicrotask(listener);
  }

  close(): void {
    this.closedByUs = true;
    this.socket?.close();
  }
}
