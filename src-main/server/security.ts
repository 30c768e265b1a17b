// Browser mode's gatekeeping, as pure functions: a random per-launch token in the first path
// segment of every URL, and Host / Origin checks against DNS rebinding (a page on evil.example
// that re-points its name at 127.0.0.1 still sends `Host: evil.example`, and its scripts send
// `Origin: http://evil.example`).
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

/** 32 random bytes, URL-safe base64 (43 characters). */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of a presented token with the expected one. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `/TOKEN/rest?q` -> { token: 'TOKEN', rest: '/rest' }; the token is the first path segment. */
export function splitTokenPath(pathname: string): { token: string | undefined; rest: string } {
  const m = /^\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!m) return { token: undefined, rest: pathname };
  return { token: m[1], rest: m[2] ?? '/' };
}

/** `[::1]:8080` -> { hostname: '::1', port: 8080 }; null when it is not a host[:port]. */
export function parseHostHeader(value: string | undefined): { hostname: string; port: number | null } | null {
  if (!value) return null;
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]\s/]+)(?::(\d{1,5}))?$/.exec(value.trim());
  if (!m) return null;
  const hostname = m[1].startsWith('[') ? m[1].slice(1, -1) : m[1];
  return { hostname: hostname.toLowerCase(), port: m[2] === undefined ? null : Number(m[2]) };
}

/**
 * Is `Host` one this server answers to? Its port must be ours, and its name an IP literal (no DNS
 * name can be rebound to it), `localhost`, or the name the server was explicitly bound to.
 */
export function hostAllowed(value: string | undefined, port: number, boundHost: string): boolean {
  const h = parseHostHeader(value);
  if (!h || h.port !== port) return false;
  return isIP(h.hostname) !== 0 || h.hostname === 'localhost' || h.hostname === boundHost.toLowerCase();
}

/**
 * Is this request's Origin acceptable? Absent is fine (not a browser, or a same-origin GET);
 * present, it must be exactly this server's origin as the client addressed it (`http://` + Host).
 */
export function originAllowed(origin: string | undefined, host: string | undefined): boolean {
  if (origin === undefined) return true;
  if (!host) return false;
  return origin.toLowerCase() === `http://${host.toLowerCase()}`;
}

/** Fetch metadata: a browser marks requests another site made (`cross-site`); those are refused. */
export function fetchSiteAllowed(secFetchSite: string | undefined): boolean {
  return secFetchSite === undefined || secFetchSite === 'same-origin' || secFetchSite === 'none';
}

/** The renderer's Content-Security-Policy in browser mode (Electron sets the same one). */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Headers on every response. */
export const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
};
