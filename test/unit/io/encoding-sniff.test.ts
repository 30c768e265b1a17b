import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { BinaryFileError, completeUtf8Length, DecodeError, detectEncoding, Utf8Transcoder } from '../../../src-main/io/encoding.ts';
import { sniffDecimal, sniffDelimiter } from '../../../src-main/io/sniff.ts';

const TEXT = 'name,city\nJosé,Zürich\nFrançois,Orléans\nBjörk,Reykjavík\n';

describe('detectEncoding', () => {
  it('follows a byte-order mark', () => {
    const cases: [number[], string, number][] = [
      [[0xef, 0xbb, 0xbf], 'utf-8', 3],
      [[0xff, 0xfe], 'utf-16le', 2],
      [[0xfe, 0xff], 'utf-16be', 2],
    ];
    for (const [bom, encoding, bomLength] of cases) {
      const bytes = Buffer.concat([Buffer.from(bom), Buffer.from('a,b\n')]);
      expect(detectEncoding(bytes)).toEqual({ encoding, bomLength, source: 'bom' });
    }
  });

  it('takes valid UTF-8 (and plain ASCII) as UTF-8, even when the head ends inside a character', () => {
    expect(detectEncoding(Buffer.from(TEXT)).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from('a,b\n1,2\n')).encoding).toBe('utf-8');
    const bytes = Buffer.from('ab,é');
    expect(detectEncoding(bytes.subarray(0, bytes.length - 1)).encoding).toBe('utf-8');
  });

  it('recognizes UTF-16 without a BOM from its NUL bytes', () => {
    expect(detectEncoding(iconv.encode(TEXT, 'utf-16le')).encoding).toBe('utf-16le');
    expect(detectEncoding(iconv.encode(TEXT, 'utf-16be')).encoding).toBe('utf-16be');
  });

  it('takes Western European single-byte text as windows-1252', () => {
    const d = detectEncoding(iconv.encode(TEXT + 'Œuvre,“Paris”,€\n', 'windows-1252'));
    expect(d).toEqual({ encoding: 'windows-1252', bomLength: 0, source: 'chardet' });
  });

  it('refuses binary data', () => {
    expect(() => detectEncoding(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1]))).toThrow(BinaryFileError);
  });
});

describe('completeUtf8Length', () => {
  it('cuts a trailing incomplete sequence and nothing else', () => {
    const euro = Buffer.from('a€'); // 61 E2 82 AC
    expect(completeUtf8Length(euro)).toBe(4);
    expect(completeUtf8Length(euro.subarray(0, 3))).toBe(1);
    expect(completeUtf8Length(euro.subarray(0, 2))).toBe(1);
    expect(completeUtf8Length(Buffer.from('abc'))).toBe(3);
  });
});

describe('Utf8Transcoder', () => {
  const feed = (t: Utf8Transcoder, bytes: Buffer, step: number) => {
    const parts: Buffer[] = [];
    for (let i = 0; i < bytes.length; i += step) parts.push(t.write(bytes.subarray(i, i + step)));
    parts.push(t.end());
    return Buffer.concat(parts).toString('utf8');
  };

  it('passes UTF-8 through across chunk boundaries that split characters', () => {
    const bytes = Buffer.from(TEXT + '€😀\n');
    for (const step of [1, 2, 3, 5, 64]) expect(feed(new Utf8Transcoder('utf-8'), bytes, step)).toBe(TEXT + '€😀\n');
  });

  it('decodes UTF-16 and windows-1252 chunk by chunk', () => {
    expect(feed(new Utf8Transcoder('utf-16le'), iconv.encode(TEXT, 'utf-16le'), 3)).toBe(TEXT);
    expect(feed(new Utf8Transcoder('utf-16be'), iconv.encode(TEXT, 'utf-16be'), 7)).toBe(TEXT);
    expect(feed(new Utf8Transcoder('windows-1252'), iconv.encode('Œ “x” €\n', 'windows-1252'), 2)).toBe('Œ “x” €\n');
  });

  it('names the line of the first invalid UTF-8 byte', () => {
    const bytes = Buffer.concat([Buffer.from('a,b\n1,2\n3,'), Buffer.from([0xe9]), Buffer.from('t\n')]);
    const t = new Utf8Transcoder('utf-8');
    let err: unknown;
    try {
      feed(t, bytes, 4);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(DecodeError);
    expect(err).toMatchObject({ line: 3, offset: 10, message: 'not valid UTF-8 (byte 0xE9)' });
  });

  it('rejects a file that ends inside a character', () => {
    const t = new Utf8Transcoder('utf-8');
    t.write(Buffer.from([0x61, 0x0a, 0xe2, 0x82]));
    expect(() => t.end()).toThrow(DecodeError);
  });
});

describe('sniffDelimiter', () => {
  it('finds comma, semicolon, tab and pipe', () => {
    expect(sniffDelimiter('a,b,c\n1,2,3\n4,5,6\n')).toBe(',');
    expect(sniffDelimiter('a;b;c\n1,5;2,25;3\n4;5,5;6\n')).toBe(';');
    expect(sniffDelimiter('a\tb\tc\n1\t2\t3\n')).toBe('\t');
    expect(sniffDelimiter('a|b|c\n1|2|3\n')).toBe('|');
  });

  it('is not fooled by delimiters inside quotes, and survives a sample cut inside a quoted field', () => {
    expect(sniffDelimiter('name;note\n"Smith, J.";"a, b, c"\n"Doe, K.";x\n')).toBe(';');
    expect(sniffDelimiter('a,b\n1,"long\nfield\n')).toBe(',');
  });

  it('defaults to comma for a single column', () => {
    expect(sniffDelimiter('value\n1\n2\n')).toBe(',');
  });
});

describe('sniffDecimal', () => {
  it('sees decimal commas in a semicolon file, and never in a comma file', () => {
    expect(sniffDecimal('a;b\n1,5;2\n3,25;-0,5\n', ';')).toBe(',');
    expect(sniffDecimal('a;b\n1.5;2\n3.25;4\n', ';')).toBe('.');
    expect(sniffDecimal('a;b\n1;2\n', ';')).toBe('.');
    expect(sniffDecimal('a,b\n"1,5",2\n', ',')).toBe('.');
  });
});
