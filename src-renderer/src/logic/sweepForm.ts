// The New run form's sweep part: its state, the sweep spec it becomes (src-main/core/sweep/spec.ts;
// the server expands and checks it — sweeps.plan shows the values before launch), and the link
// that opens a sweep's runs together in Compare.
import type { RunConfig, SweepDetail, SweepSpec } from '../api/protocol.ts';

export interface SweepForm {
  lr: { on: boolean; kind: 'log' | 'linear' | 'list'; from: string; to: string; count: number; list: string };
  seed: { on: boolean; kind: 'range' | 'list'; from: number; count: number; list: string };
  optimizers: { on: boolean; names: string[] };
  name: string;
}

export function newSweepForm(): SweepForm {
  return {
    lr: { on: true, kind: 'log', from: '1e-4', to: '1', count: 5, list: '0.001, 0.01, 0.1' },
    seed: { on: false, kind: 'range', from: 0, count: 3, list: '0, 1, 2' },
    optimizers: { on: false, names: [] },
    name: '',
  };
}

/** "0.001, 1e-2 0.1" -> numbers; the first piece that is not a number is reported. */
export function parseNumberList(text: string): { ok: true; values: number[] } | { ok: false; error: string } {
  const parts = text.split(/[,;\s]+/).filter(Boolean);
  if (parts.length === 0) return { ok: false, error: 'at least one value, e.g. 0.001, 0.01, 0.1' };
  const values = parts.map(Number);
  const bad = parts.findIndex((p, i) => !Number.isFinite(values[i]));
  if (bad >= 0) return { ok: false, error: `${parts[bad]} is not a number` };
  return { ok: true, values };
}

function parseNumber(text: string): number | null {
  const t = text.trim();
  const x = Number(t);
  return t !== '' && Number.isFinite(x) ? x : null;
}

export interface BuiltSweep {
  spec: SweepSpec | null;
  /** By spec field: 'lr.from', 'lr.values', 'seed.values', 'optimizers', ... (the server's fields too). */
  errors: Record<string, string>;
}

/** The spec the form describes over `base` (the single-run config the rest of the form builds). */
export function buildSweepSpec(form: SweepForm, base: RunConfig | null): BuiltSweep {
  const errors: Record<string, string> = {};
  const spec: Record<string, unknown> = {};
  if (form.lr.on) {
    if (form.lr.kind === 'list') {
      const list = parseNumberList(form.lr.list);
      if (list.ok) spec.lr = { kind: 'list', values: list.values };
      else errors['lr.values'] = list.error;
    } else {
      const from = parseNumber(form.lr.from);
      const to = parseNumber(form.lr.to);
      if (from === null) errors['lr.from'] = 'a number, e.g. 1e-4';
      if (to === null) errors['lr.to'] = 'a number, e.g. 1';
      spec.lr = { kind: form.lr.kind, from, to, count: form.lr.count };
    }
  }
  if (form.seed.on) {
    if (form.seed.kind === 'list') {
      const list = parseNumberList(form.seed.list);
      if (list.ok) spec.seed = { kind: 'list', values: list.values };
      else errors['seed.values'] = list.error;
    } else spec.seed = { kind: 'range', from: form.seed.from, count: form.seed.count };
  }
  if (form.optimizers.on) {
    if (form.optimizers.names.length === 0) errors.optimizers = 'choose at least one optimizer';
    spec.optimizers = form.optimizers.names.map((name) => ({ name }));
  }
  if (!form.lr.on && !form.seed.on && !form.optimizers.on) errors.axes = 'sweep over learning rates, seeds or optimizers (at least one)';
  if (form.name.trim()) spec.name = form.name.trim();
  if (!base || Object.keys(errors).length > 0) return { spec: null, errors };
  return { spec: { ...spec, base } as SweepSpec, errors };
}

/** Compare's URL for a sweep's runs, grouped by what the sweep varies (lr first; seeds give the bands). */
export function compareLink(detail: Pick<SweepDetail, 'runIds' | 'members'>): string {
  const distinct = (f: (m: SweepDetail['members'][number]) => unknown) => new Set(detail.members.map(f)).size;
  const group = distinct((m) => m.lr) > 1 || distinct((m) => m.optimizer) <= 1 ? 'optimizer.hyperparams.lr' : 'optimizer.name';
  return `/compare?runs=${detail.runIds.join(',')}&group=${group}`;
}
