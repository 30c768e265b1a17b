// Browser mode's gatekeeping functions: token, Host (DNS rebinding), Origin, fetch metadata.
import { describe, expect, test } from 'vitest';
import { fetchSiteAllowed, hostAllowed, newToken, originAllowed, parseHostHeader, splitTokenPath, tokenMatches } from '../../../src-main/server/security.ts';

describe('token', () => {
  test('43 URL-safe characters, different each time', () => {
    const a = newToken();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });
  test('matching is exact', () => {
    const t = newToken();
    expect(tokenMatches(t, t)).toBe(true);
    expect(tokenMatches(t.slice(1), t)).toBe(false);
    expect(tokenMatches(`${t}x`, t)).toBe(false);
    expect(tokenMatches(undefined, t)).toBe(false);
    expect(tokenMatches('', t)).toBe(false);
  });
  test('the first path segment', () => {
    expect(splitTokenPath('/abc/')).toEqual({ token: 'abc', rest: '/' });
    expect(splitTokenPath('/abc')).toEqual({ token: 'abc', rest: '/' });
    expect(splitTokenPath('/abc/assets/x.js')).toEqual({ token: 'abc', rest: '/assets/x.js' });
    expect(splitTokenPath('/')).toEqual({ token: undefined, rest: '/' });
  });
});

describe('Host', () => {
  test('parsing', () => {
    expect(parseHostHeader('127.0.0.1:8080')).toEqual({ hostname: '127.0.0.1', port: 8080 });
    expect(parseHostHeader('[::1]:99')).toEqual({ hostname: '::1', port: 99 });
    expect(parseHostHeader('LocalHost')).toEqual({ hostname: 'localhost', port: null });
    expect(parseHostHeader('a b')).toBeNull();
    expect(parseHostHeader(undefined)).toBeNull();
  });
  test.each([
    ['127.0.0.1:5000', true],
    ['localhost:5000', true],
    ['[::1]:5000', true],
    ['192.168.1.4:5000', true],
    ['127.0.0.1:5001', false],
    ['127.0.0.1', false],
    ['evil.example:5000', false],
    ['localhost.evil.example:5000', false],
    ['', false],
  ])('%s -> %s', (host, ok) => {
    expect(hostAllowed(host, 5000, '127.0.0.1')).toBe(ok);
  });
  test('a name the server was bound to explicitly', () => {
    expect(hostAllowed('mybox.lan:5000', 5000, 'mybox.lan')).toBe(true);
  });
});

describe('Origin and fetch metadata', () => {
  test('absent is fine, present must be this origin', () => {
    expect(originAllowed(undefined, '127.0.0.1:5000')).toBe(true);
    expect(originAllowed('http://127.0.0.1:5000', '127.0.0.1:5000')).toBe(true);
    expect(originAllowed('http://evil.example', '127.0.0.1:5000')).toBe(false);
    expect(originAllowed('http://127.0.0.1:5001', '127.0.0.1:5000')).toBe(false);
    expect(originAllowed('https://127.0.0.1:5000', '127.0.0.1:5000')).toBe(false);
    expect(originAllowed('null', '127.0.0.1:5000')).toBe(false);
  });
  test('cross-site requests are refused', () => {
    expect(fetchSiteAllowed(undefined)).toBe(true);
    expect(fetchSiteAllowed('same-origin')).toBe(true);
    expect(fetchSiteAllowed('none')).toBe(true);
    expect(fetchSiteAllowed('cross-site')).toBe(false);
    expect(fetchSiteAllowed('same-site')).toBe(false);
  });
});
