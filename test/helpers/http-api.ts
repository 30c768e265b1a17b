// The browser-mode API over plain HTTP, as a script would use it: the e2e tests set up runs and
// check what the page shows against it. Every request opens its own connection (agent: false):
// with Node's keep-alive agent, a request could go out on a socket the server was just closing
// after its idle timeout, and fail with ECONNRESET (it did once in CI, mid-test).
import { request } from 'node:http';
import { decodeWire, encodeWire, type Method, type Params, type Result } from '../../src-main/api/protocol.ts';

export interface HttpReply {
  status: number;
  body: string;
}

/** POSTs `body` to `origin + path`; resolves with the status and body text. */
export function httpPost(origin: string, path: string, body: string, headers: Record<string, string> = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = request(`${origin}${path}`, { method: 'POST', headers, agent: false }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** An error reply of the API: its message, with the reply's error (code, field…) as `info`. */
export class ApiCallError extends Error {
  constructor(
    message: string,
    readonly info: { message: string; field?: string; code?: string } | undefined,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

/** `api(method, params)` against the server `target()` returns (looked up at each call). */
export function httpApi(target: () => { origin: string; token: string }) {
  return async function api<M extends Method>(method: M, params: Params<M>): Promise<Result<M>> {
    const { origin, token } = target();
    const r = await httpPost(origin, `/${token}/api`, encodeWire({ id: 1, method, params }));
    const m = decodeWire(r.body) as { ok: boolean; result: Result<M>; error?: { message: string; field?: string; code?: string } };
    if (!m.ok) throw new ApiCallError(`${method}: ${m.error?.message}`, m.error);
    return m.result;
  };
}
