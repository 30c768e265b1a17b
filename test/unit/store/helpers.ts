// Shared by the store's unit and integration tests: temp folders, a sample config, file state.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { RunConfig } from '../../../src-main/store/index.ts';

/** A fresh temp folder per test, removed afterwards. Call at the top of a describe block. */
export function useTempDir(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  return () => {
    const d = mkdtempSync(join(tmpdir(), 'precond-store-'));
    dirs.push(d);
    return d;
  };
}

export function config(overrides: { optimizer?: string; lr?: number; source?: string; kind?: string } = {}): RunConfig {
  return {
    model: overrides.kind === 'linear' ? { kind: 'linear' } : { kind: overrides.kind ?? 'mlp', hidden: [32], activation: 'relu' },
    optimizer: {
      name: overrides.optimizer ?? 'adam',
      preset: 'torch',
      hyperparams: { lr: overrides.lr ?? 0.001, betas: [0.9, 0.999], eps: 1e-8 },
    },
    schedule: { name: 'constant' },
    data: { source: overrides.source ?? 'digits', target: 'label', task: 'classification', missing: 'drop', valSplit: 0.2 },
    training: { epochs: 20, batchSize: 32, seed: 7, dtype: 'float64', evalEvery: 45, snapshotEvery: 45 },
  };
}

/** The main file's hash and which -wal/-shm files sit next to it. */
export function fileState(file: string): { sha256: string; sidecars: string[] } {
  return {
    sha256: createHash('sha256').update(readFileSync(file)).digest('hex'),
    sidecars: ['-wal', '-shm', '-journal'].filter((s) => existsSync(file + s)),
  };
}
