// The wording of the CLI's messages, run for real: counts agree with their nouns, a value that is
// not a number says so, and examples fit the flag they are given for.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plural } from '../../../src-main/core/plural.ts';
import { BIN, precondChild } from '../../helpers/cli.ts';
import { useTempDir } from '../../unit/store/helpers.ts';

const run = (args: string[]) => precondChild(args).result;

describe('plural', () => {
  it('is singular for exactly one, with an irregular plural and a formatted count', () => {
    expect([plural(1, 'step'), plural(0, 'step'), plural(2, 'step')]).toEqual(['1 step', '0 steps', '2 steps']);
    expect([plural(1, 'class', 'classes'), plural(3, 'class', 'classes')]).toEqual(['1 class', '3 classes']);
    expect(plural(1.5, 'epoch', 'epochs', '1.5')).toBe('1.5 epochs');
  });
});

describe('precond messages', () => {
  const tempDir = useTempDir();

  it('one step, one feature, one epoch: singular nouns in train and path output', async () => {
    const dir = tempDir();
    const csv = join(dir, 'line.csv');
    // 40 rows, one feature x and a continuous target y = 2x + 0.5.
    writeFileSync(csv, 'x,y\n' + Array.from({ length: 40 }, (_, i) => `${i / 10},${(2 * i) / 10 + 0.5}`).join('\n') + '\n');
    const [train, path] = await Promise.all([
      run(['train', '--data', csv, '--model', 'linear', '--steps', '1', '--batch-size', '32', '--val-split', '0.2', '--db', join(dir, 'runs.sqlite')]),
      run(['path', '--surface', 'valley', '--optimizer', 'sgd', '--steps', '1']),
    ]);
    expect(train.status).toBe(0);
    expect(train.stderr).toMatch(/^run 1: .*line\.csv, adam on linear \(40 rows, 1 feature\)$/m);
    expect(train.stdout).toMatch(/^run 1 finished: finished 1 step\n {2}1 step, 1 epoch in /);
    expect(train.stdout).toMatch(/40 rows used \(0 dropped\), 32 train \/ 8 validation, 1 feature\n/);
    expect(path.status).toBe(0);
    expect(path.stdout).toMatch(/^after 1 step: \(/m);
  });

  it('a schedule option that is not a number says so; a pair flag gives an example that fits it', async () => {
    const [notNumber, notInList, start, betas] = await Promise.all([
      run(['train', '--data', 'iris', '--schedule', 'cosine', '--schedule-opts', 'T_max=abc', '--db', join(tempDir(), 'x.sqlite')]),
      run(['train', '--data', 'iris', '--schedule', 'multistep', '--schedule-opts', 'milestones=[3,x]', '--db', join(tempDir(), 'x.sqlite')]),
      run(['path', '--surface', 'valley', '--optimizer', 'adam', '--start', '1']),
      run(['path', '--surface', 'valley', '--optimizer', 'adam', '--betas', '0.9']),
    ]);
    expect([notNumber.status, notNumber.stderr.split('\n')[0]]).toEqual([2, 'precond: --schedule-opts T_max = "abc" is not a number; allowed: an integer in [1, ∞)']);
    expect([notInList.status, notInList.stderr.split('\n')[0]]).toEqual([2, 'precond: --schedule-opts milestones[1] = "x" is not a number; allowed: an integer in [1, ∞)']);
    expect(start.status).toBe(2);
    expect(start.stderr).toMatch(/--start takes two numbers separated by a comma \(e\.g\. -1\.5,2\), not "1"\n/);
    expect(betas.stderr).toMatch(/--betas takes two numbers separated by a comma \(e\.g\. 0\.9,0\.999\), not "0\.9"\n/);
  });

  it('a reader that stops reading (`| head -1`) ends the command quietly, with exit 0 and no stack trace', async () => {
    // 5,000 steps print ~400 KB, far beyond a pipe's buffer: the writes after the reader left fail with EPIPE.
    const child = spawn(process.execPath, [BIN, 'path', '--surface', 'valley', '--optimizer', 'sgd', '--lr', '0.0198', '--steps', '5000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
    child.stdout.destroy(); // as head does once it has its line
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(first).toMatch(/^SGD \(torch preset\) on Long narrow valley/);
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });
});
