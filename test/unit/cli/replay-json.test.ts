import { describe, expect, it } from 'vitest';
import { jsonErrorOffset, lineColumn } from '../../../src-main/cli/commands/replay.ts';

describe('locating a JSON syntax error', () => {
  it.each([
    ['{"a": tru}', 1, 10],
    ['{"a": "\\u12G4"}', 1, 12],
    ['{"a": "x\\q"}', 1, 10],
    ['[1, 2', 1, 6],
    ['{"a": 1,\n  "b" 2}', 2, 7],
    ['{"a": 1} x', 1, 10],
    ['[01]', 1, 3],
    ['{"a": [1, {"b": nul}]}', 1, 20],
  ])('%j → line %i, column %i', (text, line, column) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(lineColumn(text, jsonErrorOffset(text))).toEqual({ line, column });
  });
});
