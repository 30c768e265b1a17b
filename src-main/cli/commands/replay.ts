import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { ConfigError } from '../../core/optim/errors.ts';
import type { Engine } from '../../core/optim/optimizer.ts';
import { CaseError, replayCase } from '../../core/optim/replay.ts';
import { log, printJson } from '../output.ts';

/** A case file that cannot be read or is not valid JSON; the message is meant for the user. */
export class JsonFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JsonFileError';
  }
}

/** Line and column (both 1-based) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line += 1;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}

function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    throw new JsonFileError(code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory, not a case file' : `cannot read: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const { line, column } = lineColumn(text, jsonErrorOffset(text));
    const reason = (err as Error).message.replace(/ in JSON at position \d+.*$/s, '').replace(/,\s*(\.\.\.)?".*$/s, '');
    throw new JsonFileError(`invalid JSON at line ${line}, column ${column}: ${reason}`);
  }
}

/**
 * The offset of the first syntax error in `text` (which JSON.parse rejected): a minimal
 * recursive-descent JSON reader, because V8's messages do not always give a position.
 */
export function jsonErrorOffset(text: string): number {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  // The reader throws the offset where it stopped (caught below).
  const fail = (): never => {
    throw i;
  };
  const literal = (word: string) => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text.charCodeAt(i) < 0x20) fail();
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text[i] ?? '')) fail();
          }
        } else if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail();
        string();
        ws();
        if (text[i] !== ':') fail();
        i++;
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (c === '"') return string();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (at) {
    if (typeof at === 'number') return Math.min(at, text.length);
    throw at;
  }
  return text.length;
}

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('replay conformance-format cases through the optimizer core: one JSON line per case on stdout')
    .argument('<cases...>', 'case files (format: test/fixtures/conformance/README.md); expected values may be absent')
    .addOption(new Option('--engine <engine>', 'fused kernels, the chain of transformations, or auto').choices(['auto', 'fused', 'chain']).default('auto'))
    .action((files: string[], opts: { engine: Engine }) => {
      let failed = 0;
      for (const file of files) {
        try {
          printJson(replayCase(readJsonFile(file), { engine: opts.engine }));
        } catch (err) {
          failed += 1;
          const known = err instanceof CaseError || err instanceof ConfigError || err instanceof JsonFileError;
          const message = err instanceof Error ? err.message : String(err);
          log(`precond: ${file}: ${known ? message : `internal error: ${message}`}`);
        }
      }
      if (failed) process.exitCode = 1;
    });
}
