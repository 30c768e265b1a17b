import { describe, expect, it } from 'vitest';
import { ColumnInterner, INTERN_LIMIT } from '../../../src-main/io/intern.ts';

describe('ColumnInterner', () => {
  it('hands back every value unchanged, long or short, per column', () => {
    const interner = new ColumnInterner(3);
    const long = 'product-number-0042-version-2';
    const text = `${long},${long},x\n`; // cut from a larger text, as papaparse does
    for (let i = 0; i < 3; i++) {
      const fields = text.slice(0, -1).split(',');
      expect(interner.intern(fields)).toBe(fields);
      expect(fields).toEqual([long, long, 'x']);
    }
  });

  it('keeps working past INTERN_LIMIT distinct values, and leaves extra fields of a ragged row alone', () => {
    const interner = new ColumnInterner(2);
    for (let i = 0; i < INTERN_LIMIT + 50; i++) {
      const v = `value-number-${i}-of-many`;
      expect(interner.intern([v, 'same-level-every-row'])).toEqual([v, 'same-level-every-row']);
    }
    expect(interner.intern(['a', 'b', 'extra field'])).toEqual(['a', 'b', 'extra field']);
  });
});
