// A real backend (store in a temp folder, io, core registries) behind an in-process transport
// that copies every message with structuredClone, as Electron's IPC does; a FakeRunner stands in
// for the worker pool. Used by the API tests and, through test/component/harness.ts, by the
// component tests of the views.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { shallowRef } from 'vue';
import { Backend } from '../../src-main/api/backend.ts';
import type { FileAccess } from '../../src-main/api/files.ts';
import type { LiveFeedOptions } from '../../src-main/api/live.ts';
import type { ApiEvent, RequestMessage, ResponseMessage } from '../../src-main/api/protocol.ts';
import { openStore, type RunStore } from '../../src-main/store/index.ts';
import type { ConnectionState, Transport } from '../../src-renderer/src/api/client.ts';
import { FakeRunner } from './fakeRunner.ts';
import { seedRun, type SeedOptions } from './seed.ts';

export const CSV_FIXTURES = fileURLToPath(new URL('../fixtures/csv/', import.meta.url));

export class InProcessTransport implements Transport {
  readonly kind = 'electron' as const;
  readonly state = shallowRef<ConnectionState>('open');
  private readonly listeners: ((e: ApiEvent) => void)[] = [];
  readonly sent: RequestMessage[] = [];
  private readonly connection;
  constructor(backend: Backend) {
    this.connection = backend.connect((event) => {
      const copy = structuredClone(event);
      for (const l of this.listeners) l(copy);
    });
  }
  async request(message: RequestMessage): Promise<ResponseMessage> {
    this.sent.push(message);
    return structuredClone(await this.connection.handle(structuredClone(message)));
  }
  onEvent(listener: (e: ApiEvent) => void): void {
    this.listeners.push(listener);
  }
  onOpen(listener: () => void): void {
    queueMicrotask(listener);
  }
  close(): void {
    this.connection.close();
  }
}

export interface Harness {
  dir: string;
  store: RunStore;
  runner: FakeRunner;
  backend: Backend;
  transport: InProcessTransport;
  /** Stack traces the backend logged (unexpected errors). */
  logs: string[];
  seedRun(o?: SeedOptions): number;
  fixture(name: string): string;
  close(): Promise<void>;
}

export async function startHarness(o: { fileAccess?: 'any' | 'uploads'; runner?: boolean; live?: LiveFeedOptions } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'precond-api-'));
  const store = openStore(join(dir, 'precond.sqlite'));
  const runner = new FakeRunner(store);
  const uploadsDir = join(dir, 'datasets');
  const fileAccess: FileAccess = o.fileAccess === 'uploads' ? { kind: 'roots', roots: [uploadsDir] } : { kind: 'any' };
  const logs: string[] = [];
  const backend = new Backend({
    store,
    runner: o.runner === false ? null : runner,
    trainingUnavailable: o.runner === false ? 'no runner in this test' : undefined,
    fileAccess,
    uploadsDir,
    kernels: 'ts',
    log: (t) => logs.push(t),
    // The FakeRunner's events pass at once unless a test asks for the live feed's coalescing.
    live: o.live ?? { intervalMs: 0 },
  });
  const transport = new InProcessTransport(backend);
  return {
    dir,
    store,
    runner,
    backend,
    transport,
    logs,
    seedRun: (s) => seedRun(store, s),
    fixture: (name) => join(CSV_FIXTURES, name),
    async close() {
      transport.close();
      backend.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
