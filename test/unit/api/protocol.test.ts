// The protocol module: the wire encoding (typed arrays and non-finite numbers survive JSON), the
// method table, error text, event filters.
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  API_EVENT_TYPES,
  METHOD_NAMES,
  METHODS,
  RequestSchema,
  ServerMessageSchema,
  base64ToBytes,
  bytesToBase64,
  decodeWire,
  describeZodError,
  encodeWire,
  matches,
} from '../../../src-main/api/protocol.ts';

describe('wire encoding', () => {
  test('base64 equals Node’s for every length 0..40 and random bytes', () => {
    for (let n = 0; n <= 40; n++) {
      const bytes = Uint8Array.from({ length: n }, (_, i) => (i * 97 + n * 13) & 255);
      const text = bytesToBase64(bytes);
      expect(text).toBe(Buffer.from(bytes).toString('base64'));
      expect([...base64ToBytes(text)]).toEqual([...bytes]);
    }
    const big = Uint8Array.from({ length: 100_003 }, (_, i) => (i * 2654435761) >>> 24);
    expect(bytesToBase64(big)).toBe(Buffer.from(big).toString('base64'));
  });

  test('refuses text that is not base64', () => {
    expect(() => base64ToBytes('abc')).toThrow(/multiple of 4/);
    expect(() => base64ToBytes('ab!d')).toThrow(/not base64/);
  });

  test('Float32Arrays (NaN and ±Infinity inside too), NaN and ±Infinity numbers round-trip', () => {
    const data = new Float32Array([1.5, -0, NaN, Infinity, -Infinity, 3.4028234663852886e38, 1e-45]);
    const message = { event: { type: 'snapshot', data, nested: [{ v: NaN }, { v: -Infinity }, { v: Infinity }], plain: 1e-300 } };
    const back = decodeWire(encodeWire(message)) as typeof message;
    expect(back.event.data).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(back.event.data.buffer)).toEqual(new Uint8Array(data.buffer));
    expect(back.event.nested.map((x) => x.v)).toEqual([NaN, -Infinity, Infinity]);
    expect(back.event.plain).toBe(1e-300);
  });

  test('a Float32Array view at an offset sends its own elements only', () => {
    const whole = new Float32Array([9, 1, 2, 3, 9]);
    const back = decodeWire(encodeWire({ d: whole.subarray(1, 4) })) as { d: Float32Array };
    expect([...back.d]).toEqual([1, 2, 3]);
  });

  test('Float64Arrays round-trip bit for bit (views at an offset send their own elements), a truncated payload is refused', () => {
    const whole = new Float64Array([7, 0.1 + 0.2, -0, NaN, Infinity, -Infinity, Number.MIN_VALUE, 1.7976931348623157e308, 7]);
    const back = decodeWire(encodeWire({ d: whole.subarray(1, 8) })) as { d: Float64Array };
    expect(back.d).toBeInstanceOf(Float64Array);
    expect(new Uint8Array(back.d.buffer, back.d.byteOffset, back.d.byteLength)).toEqual(new Uint8Array(whole.buffer, 8, 56));
    expect(() => decodeWire('{"d":{"$f64":"AAAAAA=="}}')).toThrow(/whole number of float64/);
  });

  test('objects that only look like encodings stay objects', () => {
    expect(decodeWire('{"a":{"$num":"NaN","b":1},"c":{"$num":"huge"}}')).toEqual({ a: { $num: 'NaN', b: 1 }, c: { $num: 'huge' } });
  });

  test('non-JSON text is a SyntaxError', () => {
    expect(() => decodeWire('{nope')).toThrow(SyntaxError);
  });
});

describe('the method table', () => {
  test('every method has a params and a result schema', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(20);
    for (const m of METHOD_NAMES) {
      expect(METHODS[m].params, m).toBeInstanceOf(z.ZodType);
      expect(METHODS[m].result, m).toBeInstanceOf(z.ZodType);
    }
  });

  test('params refuse unknown fields (strict), results accept the documented shapes', () => {
    expect(METHODS['runs.get'].params.safeParse({ id: 3 }).success).toBe(true);
    expect(METHODS['runs.get'].params.safeParse({ id: 3, extra: 1 }).success).toBe(false);
    expect(METHODS['runs.get'].params.safeParse({ id: 0 }).success).toBe(false);
    expect(METHODS['datasets.preview'].params.safeParse({ source: '' }).success).toBe(false);
  });

  test('request and server-message envelopes', () => {
    expect(RequestSchema.safeParse({ id: 1, method: 'app.info' }).success).toBe(true);
    expect(RequestSchema.safeParse({ id: -1, method: 'app.info' }).success).toBe(false);
    expect(RequestSchema.safeParse({ id: 1, method: 'x', params: {}, more: 1 }).success).toBe(false);
    expect(ServerMessageSchema.safeParse({ id: 1, ok: true, result: null }).success).toBe(true);
    expect(ServerMessageSchema.safeParse({ id: null, ok: false, error: { code: 'bad-request', message: 'x' } }).success).toBe(true);
    expect(ServerMessageSchema.safeParse({ events: [{ type: 'status', runId: 1, status: 'running' }] }).success).toBe(true);
    expect(ServerMessageSchema.safeParse({ events: [{ type: 'status', runId: 1, status: 'bogus' }] }).success).toBe(false);
  });
});

describe('describeZodError', () => {
  test('one line naming the path of the first problem', () => {
    const r = z.object({ a: z.array(z.object({ b: z.number() })) }).safeParse({ a: [{ b: 1 }, { b: 'x' }] });
    expect(r.success).toBe(false);
    const text = describeZodError(r.error!);
    expect(text).toBe('params.a[1].b: expected number, received string');
    expect(text).not.toContain('\n');
  });
});

describe('event filters', () => {
  test('by type and by run', () => {
    const status = { type: 'status', runId: 4 };
    expect(matches({ runIds: null, types: ['status'] }, status)).toBe(true);
    expect(matches({ runIds: [4], types: ['status'] }, status)).toBe(true);
    expect(matches({ runIds: [5], types: ['status'] }, status)).toBe(false);
    expect(matches({ runIds: null, types: ['metrics'] }, status)).toBe(false);
    expect(matches({ runIds: [2, 9], types: ['runs'] }, { type: 'runs', runIds: [1, 9] })).toBe(true);
    expect(matches({ runIds: [2], types: ['runs'] }, { type: 'runs', runIds: [1, 9] })).toBe(false);
    expect(API_EVENT_TYPES).toEqual(['status', 'progress', 'metrics', 'snapshot', 'runs']);
  });
});
