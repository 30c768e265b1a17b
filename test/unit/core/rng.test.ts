import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-main/core/rng.ts';

describe('Rng', () => {
  it('is reproducible from its seed and differs across seeds', () => {
    const a = new Rng(7), b = new Rng(7), c = new Rng(8);
    const xs = Array.from({ length: 5 }, () => a.uniform());
    expect(Array.from({ length: 5 }, () => b.uniform())).toEqual(xs);
    expect(Array.from({ length: 5 }, () => c.uniform())).not.toEqual(xs);
  });

  it('draws uniforms in [0, 1) and normals with mean ≈ 0, variance ≈ 1', () => {
    const r = new Rng(1);
    let s = 0, s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const u = r.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      const z = r.normal();
      s += z;
      s2 += z * z;
    }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
  });

  it('shuffles to a permutation, deterministically', () => {
    const p = new Rng(3).shuffle(Int32Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(p).sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(Array.from(new Rng(3).shuffle(Int32Array.from({ length: 50 }, (_, i) => i)))).toEqual(Array.from(p));
  });
});
