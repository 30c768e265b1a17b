// Browser mode's server on a real port: the token on every request and socket, Host and Origin
// checks, the API over HTTP and WebSocket, uploads, export downloads, the static renderer.
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCsvChunks } from '../../src-main/api/export.ts';
import { decodeWire, encodeWire } from '../../src-main/api/protocol.ts';
import { RENDERER_MISSING, startServer, type RunningServer } from '../../src-main/server/server.ts';
import { startHarness, type Harness } from '../helpers/backendHarness.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function http(url: string, o: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: o.method ?? 'GET', headers: o.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(o.body);
  });
}

/** Opens a socket; resolves to it once open, or to the HTTP status the upgrade was refused with. */
function socket(url: string, headers: Record<string, string> = {}): Promise<WebSocket | number> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.once('error', () => resolve(-1));
  });
}

function next(ws: WebSocket): Promise<unknown> {
  return new Promise((resolve) => ws.once('message', (data) => resolve(decodeWire(String(data)))));
}

let h: Harness;
let server: RunningServer;
let rendererDir: string;

beforeAll(async () => {
  h = await startHarness({ fileAccess: 'uploads' });
  rendererDir = mkdtempSync(join(tmpdir(), 'precond-renderer-stub-'));
  mkdirSync(join(rendererDir, 'assets'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Precond Lab</title><script type="module" src="./assets/app.js"></script>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  server = await startServer({ backend: h.backend, rendererDir, uploadsDir: h.backend.options.uploadsDir, log: () => {} });
});

afterAll(async () => {
  await server.close();
  await h.close();
  rmSync(rendererDir, { recursive: true, force: true });
});

describe('the token', () => {
  test('the URL has the form http://127.0.0.1:PORT/TOKEN/', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/${server.token}/`);
  });

  test('every HTTP request needs it', async () => {
    for (const path of ['/', '/index.html', '/assets/app.js', '/api', '/ws', `/${server.token.slice(0, -1)}/`, `/x${server.token}/api`]) {
      const r = await http(`${server.origin}${path}`, { method: path === '/api' ? 'POST' : 'GET', body: path === '/api' ? '{}' : undefined });
      expect(r.status, path).toBe(401);
      expect(r.body).toMatch(/needs the URL with its token/);
    }
    const ok = await http(server.url);
    expect(ok.status).toBe(200);
    expect(ok.body).toContain('<title>Precond Lab</title>');
    expect((await http(`${server.url}assets/app.js`)).body).toBe('console.log(1)');
  });

  test('every response carries the CSP and the other security headers', async () => {
    const r = await http(server.url);
    expect(r.headers['content-security-policy']).toMatch(/default-src 'self'; script-src 'self'/);
    expect(r.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['referrer-policy']).toBe('no-referrer');
    expect((await http(server.origin)).headers['content-security-policy']).toBeDefined();
  });

  test('a socket without it is refused before the upgrade; with it, requests and events flow', async () => {
    const ws0 = `ws://127.0.0.1:${server.port}`;
    expect(await socket(`${ws0}/ws`)).toBe(401);
    expect(await socket(`${ws0}/nottoken/ws`)).toBe(401);
    expect(await socket(`${ws0}/${server.token}/other`)).toBe(404);
    const ws = await socket(`${server.url.replace('http', 'ws')}ws`);
    expect(ws).toBeInstanceOf(WebSocket);
    const s = ws as WebSocket;
    s.send(encodeWire({ id: 1, method: 'datasets.samples' }));
    const reply = (await next(s)) as { id: number; ok: boolean; result: { name: string }[] };
    expect(reply).toMatchObject({ id: 1, ok: true });
    expect(reply.result.map((x) => x.name)).toContain('iris');

    s.send(encodeWire({ id: 2, method: 'events.subscribe', params: { filters: [{ runIds: null, types: ['snapshot'] }] } }));
    expect(await next(s)).toEqual({ id: 2, ok: true, result: { done: true } });
    h.runner.emit({ type: 'snapshot', runId: 3, step: 5, layer: 'l.weight', kind: 'effective_lr', shape: [2], originalShape: [2], data: new Float32Array([0.5, NaN]) });
    const ev = (await next(s)) as { events: { data: Float32Array }[] };
    expect(ev.events).toHaveLength(1);
    expect(ev.events[0].data).toBeInstanceOf(Float32Array);
    expect([...ev.events[0].data][0]).toBe(0.5);
    expect([...ev.events[0].data][1]).toBeNaN();
    // a burst of events (the live feed's batch) is one message, in order
    h.runner.emit({ type: 'snapshot', runId: 3, step: 6, layer: 'l.weight', kind: 'effective_lr', shape: [1], originalShape: [1], data: new Float32Array([1]) });
    h.runner.emit({ type: 'snapshot', runId: 3, step: 6, layer: 'l.bias', kind: 'effective_lr', shape: [1], originalShape: [1], data: new Float32Array([2]) });
    const burst = (await next(s)) as { events: { layer: string }[] };
    expect(burst.events.map((e) => e.layer)).toEqual(['l.weight', 'l.bias']);

    s.send('not json');
    expect(await next(s)).toMatchObject({ id: null, ok: false, error: { code: 'bad-request' } });
    s.send(encodeWire({ id: 4, method: 'runs.get', params: { id: -2 } }));
    expect(await next(s)).toMatchObject({ id: 4, ok: false, error: { code: 'bad-request' } });
    s.close();
  });
});

describe('DNS rebinding and cross-site requests', () => {
  test('another Host is refused, even with the token', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`]) {
      const r = await http(server.url, { headers: { host } });
      expect(r.status, host).toBe(403);
      expect(r.body).toMatch(/Host .* is not this server/);
    }
    expect((await http(server.url, { headers: { host: `localhost:${server.port}` } })).status).toBe(200);
  });

  test('another Origin is refused, for HTTP and WebSocket', async () => {
    const r = await http(`${server.url}api`, { method: 'POST', headers: { origin: 'http://evil.example' }, body: encodeWire({ id: 1, method: 'runs.list' }) });
    expect(r.status).toBe(403);
    expect(await socket(`${server.url.replace('http', 'ws')}ws`, { origin: 'http://evil.example' })).toBe(403);
    expect(await socket(`${server.url.replace('http', 'ws')}ws`, { origin: `http://localhost:${server.port}` })).toBe(403);
    const same = await socket(`${server.url.replace('http', 'ws')}ws`, { origin: server.origin });
    expect(same).toBeInstanceOf(WebSocket);
    (same as WebSocket).close();
  });

  test('a browser’s cross-site fetch metadata is refused', async () => {
    const r = await http(`${server.url}api`, { method: 'POST', headers: { 'sec-fetch-site': 'cross-site' }, body: '{}' });
    expect(r.status).toBe(403);
  });
});

describe('the API over HTTP', () => {
  test('one request, one response; errors have their HTTP status', async () => {
    const ok = await http(`${server.url}api`, { method: 'POST', body: encodeWire({ id: 9, method: 'app.info' }) });
    expect(ok.status).toBe(200);
    expect(decodeWire(ok.body)).toMatchObject({ id: 9, ok: true, result: { fileAccess: 'uploads', canTrain: true } });
    const bad = await http(`${server.url}api`, { method: 'POST', body: '{oops' });
    expect(bad.status).toBe(400);
    expect(decodeWire(bad.body)).toMatchObject({ ok: false, error: { code: 'bad-request', message: 'the request body is not JSON' } });
    const missing = await http(`${server.url}api`, { method: 'POST', body: encodeWire({ id: 1, method: 'runs.get', params: { id: 12345 } }) });
    expect(missing.status).toBe(404);
    const forbidden = await http(`${server.url}api`, { method: 'POST', body: encodeWire({ id: 1, method: 'datasets.preview', params: { source: '/etc/passwd' } }) });
    expect(forbidden.status).toBe(403);
    expect((await http(`${server.url}api/nothing`)).status).toBe(404);
  });

  test('an uploaded CSV is kept beside the database and can then be read', async () => {
    const csv = readFileSync(h.fixture('semicolon_decimal_comma.csv'));
    const r = await http(`${server.url}api/upload?name=${encodeURIComponent('../../Semi colon.csv')}`, { method: 'POST', body: csv });
    expect(r.status).toBe(200);
    const saved = JSON.parse(r.body) as { path: string; name: string; sizeBytes: number };
    expect(saved).toMatchObject({ path: join(h.dir, 'datasets', 'Semi-colon.csv'), name: 'Semi-colon.csv', sizeBytes: csv.length });
    expect(readFileSync(saved.path)).toEqual(csv);
    const preview = await http(`${server.url}api`, { method: 'POST', body: encodeWire({ id: 1, method: 'datasets.preview', params: { source: saved.path } }) });
    expect(decodeWire(preview.body)).toMatchObject({ ok: true, result: { format: { delimiter: ';', decimal: ',' } } });
    const noName = await http(`${server.url}api/upload`, { method: 'POST', body: 'a' });
    expect(noName.status).toBe(400);
  });

  test('export downloads: the full CSV as an attachment', async () => {
    const id = h.seedRun({ steps: 25 });
    const r = await http(`${server.url}api/export?id=${id}&format=csv`);
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toBe(`attachment; filename="run-${id}-seeded-adam-run.csv"`);
    expect(r.body).toBe([...runCsvChunks(h.store, id)].join(''));
    const json = await http(`${server.url}api/export?id=${id}&format=json`);
    expect(JSON.parse(json.body).series.length).toBe(5);
    expect((await http(`${server.url}api/export?id=${id}&format=xml`)).status).toBe(400);
    expect((await http(`${server.url}api/export?id=99999&format=csv`)).status).toBe(404);
  });

  test('paths outside the renderer folder are not served', async () => {
    for (const p of ['..%2F..%2Fpackage.json', '%2e%2e/%2e%2e/etc/passwd', 'assets/../../x']) {
      const r = await http(`${server.url}${p}`);
      // 401 when the URL parser's own ../ resolution drops the token segment
      expect([401, 403, 404], p).toContain(r.status);
      expect(r.body).not.toMatch(/root:|"name": "precond-lab"/);
    }
  });
});

describe('without a built renderer', () => {
  test('the page says how to build it; the API still works', async () => {
    const s = await startServer({ backend: h.backend, rendererDir: join(rendererDir, 'missing'), uploadsDir: h.backend.options.uploadsDir, log: () => {} });
    try {
      expect(s.rendererBuilt).toBe(false);
      const r = await http(s.url);
      expect(r.status).toBe(503);
      expect(r.body.trim()).toBe(RENDERER_MISSING);
      const api = await http(`${s.url}api`, { method: 'POST', body: encodeWire({ id: 1, method: 'app.info' }) });
      expect(api.status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
