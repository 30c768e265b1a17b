// PyTorch's numbers for the bench, measured in the same run: test/bench/torch_bench.py under
// Debian's /usr/bin/python3 (python3-torch, CPU, one thread). null when torch cannot be imported
// there (benchmarks only; never needed by the tests or CI).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_bench.py', import.meta.url));
const DATASETS = fileURLToPath(new URL('../../resources/datasets', import.meta.url));

export type TorchNumbers = Record<string, number | string>;

/** Why torch is not measured here (null when it is). */
export function torchUnavailable(): string | null {
  if (!existsSync(PYTHON)) return `${PYTHON} does not exist`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? null : `${PYTHON} cannot import torch (apt-get install python3-torch)`;
}

/** torch_bench.py's JSON for `what` ("optim" or "train"), or null when torch is unavailable. */
export function torchBench(what: 'optim' | 'train'): TorchNumbers | null {
  if (torchUnavailable()) return null;
  const r = spawnSync(PYTHON, [SCRIPT, DATASETS, what], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`torch_bench.py ${what} failed (status ${r.status}):\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as TorchNumbers;
}
