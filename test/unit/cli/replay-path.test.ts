// `precond replay` and `precond path`, run as a user would (child processes: kept few).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { precond } from '../../helpers/cli.ts';
import { describeMismatch, worstMismatch } from '../../conformance/close.ts';

const FIXTURES = fileURLToPath(new URL('../../fixtures/conformance/torch/', import.meta.url));
const fixture = (name: string) => join(FIXTURES, name);

describe('precond replay', () => {
  it('prints one JSON line per case in the three shapes; a bad case goes to stderr, the others still print, exit 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'precond-replay-'));
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"format": "precond-conformance/1",\n  "id": "x", "kind": }');
    const outOfRange = join(dir, 'lr.json');
    writeFileSync(
      outOfRange,
      JSON.stringify({ format: 'precond-conformance/1', id: 'neg-lr', kind: 'open-loop', optimizer: 'adam', hyperparams: { lr: -1 }, dtype: 'float64', params0: [{ shape: [1], values: [1] }], steps: [{ grads: [[1]] }] }),
    );
    const r = precond(['replay', fixture('adam-default-float32.json'), bad, fixture('path-valley-sgd.json'), outOfRange, join(dir, 'missing.json'), fixture('sched-onecycle.json')]);
    expect(r.status).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.id, Object.keys(l)[1]])).toEqual([
      ['adam-default-float32', 'params'],
      ['path-valley-sgd', 'path'],
      ['sched-onecycle', 'lrs'],
    ]);
    expect(r.stderr.trim().split('\n')).toEqual([
      `precond: ${bad}: invalid JSON at line 2, column 22: Unexpected token '}'`,
      `precond: ${outOfRange}: hyperparams.lr = -1 is out of range; allowed: (0, ∞)`,
      `precond: ${join(dir, 'missing.json')}: no such file`,
    ]);
    expect(lines[0].params).toHaveLength(40);
    expect(lines[0].params[0]).toHaveLength(2);
  });
});

describe('precond path', () => {
  it('--json agrees with the closed-loop case (Adam on the valley)', async () => {
    const ref = (await import(fixture('path-valley-adam.json'), { with: { type: 'json' } })).default as { path: { params: number[] }[] };
    const r = precond(['path', '--surface', 'valley', '--optimizer', 'adam', '--lr', '0.05', '--start', '2,1', '--steps', '150', '--json']);
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.optimizer).toMatchObject({ name: 'adam', preset: 'torch', hyperparams: { lr: 0.05, betas: [0.9, 0.999] } });
    const m = worstMismatch(out.path, ref.path.map((p) => p.params), 1e-7, 0);
    expect(m.ratio, describeMismatch(m)).toBeLessThanOrEqual(1);
    const eff = worstMismatch(out.effective_lr[0], [0.05 / (2 + 1e-8), 0.05 / (100 + 1e-8)], 1e-14, 0);
    expect(eff.ratio, describeMismatch(eff)).toBeLessThanOrEqual(1);
    expect(out.diverged_at).toBeNull();
  });

  it('prints a readable table by default, with every hyperparameter flag from the registry', () => {
    const r = precond(['path', '--surface', 'rosenbrock', '--optimizer', 'sgd', '--lr', '1e-3', '--momentum', '0.9', '--nesterov', '--steps', '3']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('SGD (torch preset) on Rosenbrock: f = (1 − x)² + 100·(y − x²)²');
    expect(lines[1]).toContain('momentum=0.9');
    expect(lines[1]).toContain('nesterov=true');
    expect(lines).toHaveLength(3 + 4 + 1);
    expect(lines[7]).toMatch(/^after 3 steps: \(/);
  });

  it('refuses a flag of another optimizer and out-of-range values with exit 2, naming the flag', () => {
    const wrong = precond(['path', '--surface', 'valley', '--optimizer', 'adam', '--momentum', '0.9']);
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toMatch(/^precond: --momentum does not apply to adam \(its hyperparameters: --lr, --betas/);
    const range = precond(['path', '--surface', 'valley', '--optimizer', 'adam', '--betas', '0.9,1']);
    expect(range.status).toBe(2);
    expect(range.stderr).toBe('precond: --betas: betas[1] = 1 is out of range; allowed: [0, 1)\nrun "precond path --help" for the flags\n');
    const diverge = precond(['path', '--surface', 'valley', '--optimizer', 'sgd', '--lr', '0.05', '--steps', '2000', '--json']);
    expect(diverge.status).toBe(0);
    const out = JSON.parse(diverge.stdout);
    expect(out.diverged_at).toBeGreaterThan(10);
    expect(out.path).toHaveLength(out.diverged_at);
  });
});
