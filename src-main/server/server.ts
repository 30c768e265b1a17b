// Browser mode: the built renderer and the backend API over loopback HTTP + WebSocket.
//
//   GET  /<token>/                  the dashboard (out/renderer), with a strict CSP
//   GET  /<token>/assets/...        its files
//   POST /<token>/api               one request { id, method, params } -> one response (JSON)
//   GET  /<token>/ws                WebSocket: requests, responses and pushed events
//   POST /<token>/api/upload?name=  a dropped CSV file (raw body), kept beside the database
//   GET  /<token>/api/export?id=&format=csv|json   a run's full export, as a download
//
// Every request must carry the per-launch token as its first path segment, name this server in
// its Host header, and (when a browser says where it comes from) come from this origin.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Backend } from '../api/backend.ts';
import { ApiError, toApiError } from '../api/errors.ts';
import { EXPORT_MIME, exportFilename, runCsvChunks, runJson } from '../api/export.ts';
import { saveUpload } from '../api/files.ts';
import { decodeWire, encodeWire, type ApiErrorCode, type ApiEvent, type ResponseMessage } from '../api/protocol.ts';
import { fetchSiteAllowed, hostAllowed, newToken, originAllowed, SECURITY_HEADERS, splitTokenPath, tokenMatches } from './security.ts';

export interface ServerOptions {
  backend: Backend;
  /** Interface to bind; default 127.0.0.1 (loopback only). */
  host?: string;
  /** Port; 0 (default) picks a free one. */
  port?: number;
  /** The built renderer (index.html and assets/). */
  rendererDir: string;
  /** Where uploads go (`datasets` beside the database). */
  uploadsDir: string;
  /** The token; default a new random one. */
  token?: string;
  log?: (line: string) => void;
}

export interface RunningServer {
  /** The URL to open, token included: http://127.0.0.1:PORT/TOKEN/ */
  url: string;
  origin: string;
  port: number;
  token: string;
  /** Whether the renderer was found (if not, `/` explains how to build it). */
  rendererBuilt: boolean;
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

const HTTP_STATUS: Record<ApiErrorCode, number> = {
  'bad-request': 400,
  data: 422,
  config: 422,
  'not-found': 404,
  conflict: 409,
  forbidden: 403,
  store: 500,
  unavailable: 503,
  internal: 500,
};

const MAX_API_BODY = 4 * 1024 * 1024;
/** A socket whose unsent data grows past this is closed (the client reconnects and reloads). */
const MAX_BUFFERED = 64 * 1024 * 1024;

export const RENDERER_MISSING = 'The dashboard is not built. Build it with `npm run build` (it goes to out/renderer), then start `precond serve` again.';

function send(res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': String(Buffer.byteLength(body)), ...extra });
  res.end(body);
}

function sendText(res: ServerResponse, status: number, text: string): void {
  send(res, status, text + '\n', 'text/plain; charset=utf-8');
}

function sendResponse(res: ServerResponse, message: ResponseMessage): void {
  send(res, message.ok ? 200 : HTTP_STATUS[message.error.code], encodeWire(message), 'application/json; charset=utf-8');
}

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new ApiError('bad-request', `request body larger than ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Why a request is refused (status and one line), or the path after the token. */
type Gate = { ok: false; status: number; message: string } | { ok: true; rest: string };

function gate(req: IncomingMessage, port: number, boundHost: string, token: string): Gate {
  const host = req.headers.host;
  if (!hostAllowed(host, port, boundHost)) return { ok: false, status: 403, message: `refused: Host ${JSON.stringify(host ?? '')} is not this server` };
  if (!originAllowed(req.headers.origin, host)) return { ok: false, status: 403, message: `refused: requests from ${req.headers.origin} are not allowed` };
  const site = req.headers['sec-fetch-site'];
  if (!fetchSiteAllowed(Array.isArray(site) ? site[0] : site)) return { ok: false, status: 403, message: 'refused: a cross-site request' };
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    return { ok: false, status: 400, message: 'bad URL' };
  }
  const { token: presented, rest } = splitTokenPath(pathname);
  if (!tokenMatches(presented, token)) return { ok: false, status: 401, message: 'this Precond Lab server needs the URL with its token, as printed when it started' };
  return { ok: true, rest };
}

export async function startServer(o: ServerOptions): Promise<RunningServer> {
  const boundHost = o.host ?? '127.0.0.1';
  const token = o.token ?? newToken();
  const log = o.log ?? ((line: string) => void process.stderr.write(`${line}\n`));
  const rendererDir = resolve(o.rendererDir);
  const rendererBuilt = existsSync(join(rendererDir, 'index.html'));
  let port = o.port ?? 0;

  function serveStatic(res: ServerResponse, rest: string): void {
    if (!rendererBuilt) return sendText(res, 503, RENDERER_MISSING);
    const file = normalize(join(rendererDir, rest === '/' ? 'index.html' : rest));
    if (file !== rendererDir && !file.startsWith(rendererDir + sep)) return sendText(res, 403, 'forbidden');
    let size: number;
    try {
      const st = statSync(file);
      if (!st.isFile()) return sendText(res, 404, 'not found');
      size = st.size;
    } catch {
      return sendText(res, 404, 'not found');
    }
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-length': String(size) });
    createReadStream(file).pipe(res);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let message: unknown;
    try {
      message = decodeWire(await readBody(req, MAX_API_BODY));
    } catch (err) {
      return sendResponse(res, { id: null, ok: false, error: err instanceof ApiError ? toApiError(err) : { code: 'bad-request', message: 'the request body is not JSON' } });
    }
    const connection = o.backend.connect(() => {});
    try {
      sendResponse(res, await connection.handle(message));
    } finally {
      connection.close();
    }
  }

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = url.searchParams.get('name');
    if (!name) return sendResponse(res, { id: null, ok: false, error: { code: 'bad-request', message: 'upload: the file name is missing (?name=...)' } });
    const saved = await saveUpload(o.uploadsDir, name, req);
    send(res, 200, JSON.stringify(saved), 'application/json; charset=utf-8');
  }

  function handleExport(res: ServerResponse, url: URL): void {
    const id = Number(url.searchParams.get('id'));
    const format = url.searchParams.get('format') ?? 'csv';
    if (!Number.isSafeInteger(id) || id < 1) throw new ApiError('bad-request', 'export: id must be a run id (a whole number ≥ 1)');
    if (format !== 'csv' && format !== 'json') throw new ApiError('bad-request', `export: format ${JSON.stringify(format)} is not csv or json`);
    const { store } = o.backend.options;
    const run = store.getRun(id);
    const headers = { ...SECURITY_HEADERS, 'content-type': EXPORT_MIME[format], 'content-disposition': `attachment; filename="${exportFilename(run, format)}"` };
    if (format === 'json') {
      const { text } = runJson(store, id);
      res.writeHead(200, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
      return;
    }
    res.writeHead(200, headers);
    for (const chunk of runCsvChunks(store, id)) res.write(chunk);
    res.end();
  }

  const server: Server = createServer((req, res) => {
    const g = gate(req, port, boundHost, token);
    if (!g.ok) return sendText(res, g.status, g.message);
    const url = new URL(req.url ?? '/', 'http://x');
    const route = `${req.method} ${g.rest}`;
    const fail = (err: unknown) => {
      const error = toApiError(err, log);
      if (!res.headersSent) sendResponse(res, { id: null, ok: false, error });
      else res.destroy();
    };
    try {
      if (route === 'POST /api') handleApi(req, res).catch(fail);
      else if (route === 'POST /api/upload') handleUpload(req, res, url).catch(fail);
      else if (route === 'GET /api/export') handleExport(res, url);
      else if (g.rest.startsWith('/api')) sendText(res, 404, `no such endpoint: ${route}`);
      else if (req.method === 'GET' || req.method === 'HEAD') serveStatic(res, g.rest);
      else sendText(res, 405, 'method not allowed');
    } catch (err) {
      fail(err);
    }
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_API_BODY });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const g = gate(req, port, boundHost, token);
    const refuse = (status: number, message: string) => {
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : 'Not Found'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}\n`);
    };
    if (!g.ok) return refuse(g.status, g.message);
    if (g.rest !== '/ws') return refuse(404, 'no WebSocket here');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    const deliver = (text: string) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_BUFFERED) {
        ws.close(1013, 'the client is not keeping up; reconnect');
        return;
      }
      ws.send(text);
    };
    // The events of one burst (the live feed's batch of a run: points, snapshots, progress) go
    // out as one message: each message costs the page a task, a parse and a validation.
    let burst: ApiEvent[] = [];
    const connection = o.backend.connect((event) => {
      burst.push(event);
      if (burst.length > 1) return;
      queueMicrotask(() => {
        const events = burst;
        burst = [];
        deliver(encodeWire({ events }));
      });
    });
    ws.on('message', (data, isBinary) => {
      let message: unknown;
      try {
        if (isBinary) throw new Error('binary');
        message = decodeWire(data.toString());
      } catch {
        deliver(encodeWire({ id: null, ok: false, error: { code: 'bad-request', message: 'a message is not JSON text' } } satisfies ResponseMessage));
        return;
      }
      void connection.handle(message).then((response) => deliver(encodeWire(response)));
    });
    ws.on('close', () => connection.close());
    ws.on('error', () => connection.close());
  }

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(port, boundHost, () => {
      server.off('error', fail);
      ok();
    });
  });
  port = (server.address() as AddressInfo).port;
  const hostInUrl = boundHost.includes(':') ? `[${boundHost}]` : boundHost === '0.0.0.0' || boundHost === '::' ? '127.0.0.1' : boundHost;
  const origin = `http://${hostInUrl}:${port}`;
  return {
    url: `${origin}/${token}/`,
    origin,
    port,
    token,
    rendererBuilt,
    close: () =>
      new Promise<void>((ok) => {
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
