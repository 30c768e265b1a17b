// Uploads kept beside the database, and what browser mode may read.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { checkSource, safeUploadName, saveUpload, uploadsDirFor } from '../../../src-main/api/files.ts';
import { DEFAULT_SAMPLES_DIR } from '../../../src-main/io/index.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'precond-files-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

async function* chunks(...parts: string[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield Buffer.from(p);
}

describe('upload names', () => {
  test.each([
    ['iris.csv', 'iris.csv'],
    ['My Data (1).CSV', 'My-Data-1.csv'],
    ['../../etc/passwd', 'passwd.csv'],
    ['C:\\Users\\me\\sales.tsv', 'sales.tsv'],
    ['données été.txt', 'donnees-ete.txt'],
    ['.hidden', 'hidden.csv'],
    ['???.csv', 'upload.csv'],
  ])('%s -> %s', (name, safe) => {
    expect(safeUploadName(name)).toBe(safe);
  });

  test('the uploads folder is datasets/ beside the database', () => {
    expect(uploadsDirFor('/x/y/precond.sqlite')).toBe('/x/y/datasets');
  });
});

describe('saveUpload', () => {
  test('streams to the folder; same bytes -> same file, other bytes -> a numbered name; no temp files left', async () => {
    const dir = join(tempDir(), 'datasets');
    const a = await saveUpload(dir, 'data.csv', chunks('a,b\n', '1,2\n'));
    expect(a).toEqual({ path: join(dir, 'data.csv'), name: 'data.csv', sizeBytes: 8, created: true });
    expect(readFileSync(a.path, 'utf8')).toBe('a,b\n1,2\n');
    const again = await saveUpload(dir, 'data.csv', chunks('a,b\n1,2\n'));
    expect(again).toEqual({ ...a, created: false });
    const other = await saveUpload(dir, 'data.csv', Buffer.from('a,b\n3,4\n'));
    expect(other.name).toBe('data-2.csv');
    expect(readdirSync(dir).sort()).toEqual(['data-2.csv', 'data.csv']);
  });

  test('too large: refused, nothing kept', async () => {
    const dir = join(tempDir(), 'datasets');
    await expect(saveUpload(dir, 'big.csv', chunks('x'.repeat(600), 'y'.repeat(600)), 1000)).rejects.toThrow(/big.csv is larger than/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('checkSource', () => {
  test('any: everything goes to the loader', () => {
    expect(checkSource('/etc/passwd', { kind: 'any' }, DEFAULT_SAMPLES_DIR)).toBe('/etc/passwd');
  });

  test('roots: samples by name or path, files under the roots; the rest forbidden, symlinks followed', () => {
    const root = tempDir();
    const outside = tempDir();
    writeFileSync(join(root, 'mine.csv'), 'a,b\n1,2\n');
    writeFileSync(join(outside, 'secret.csv'), 'a,b\n1,2\n');
    symlinkSync(join(outside, 'secret.csv'), join(root, 'link.csv'));
    const access = { kind: 'roots' as const, roots: [root] };
    expect(checkSource('iris', access, DEFAULT_SAMPLES_DIR)).toBe('iris');
    expect(checkSource(join(DEFAULT_SAMPLES_DIR, 'wine.csv'), access, DEFAULT_SAMPLES_DIR)).toContain('wine.csv');
    expect(checkSource(join(root, 'mine.csv'), access, DEFAULT_SAMPLES_DIR)).toBe(join(root, 'mine.csv'));
    expect(checkSource('nosuchsample', access, DEFAULT_SAMPLES_DIR)).toBe('nosuchsample');
    for (const bad of [join(outside, 'secret.csv'), join(root, 'link.csv'), join(root, '..', 'x.csv'), '/etc/passwd']) {
      expect(() => checkSource(bad, access, DEFAULT_SAMPLES_DIR), bad).toThrow(/browser mode reads the sample datasets and files dropped on the page only/);
    }
    expect(existsSync(join(root, 'link.csv'))).toBe(true);
  });
});

describe('export file names', () => {
  test('the id, then the name in safe characters', async () => {
    const { exportFilename } = await import('../../../src-main/api/export.ts');
    expect(exportFilename({ id: 7, name: 'adam · mlp · iris' }, 'csv')).toBe('run-7-adam-mlp-iris.csv');
    expect(exportFilename({ id: 8, name: 'Réglage été / lr=0.1' }, 'json')).toBe('run-8-reglage-ete-lr-0.1.json');
    expect(exportFilename({ id: 9, name: '···' }, 'csv')).toBe('run-9.csv');
  });
});
