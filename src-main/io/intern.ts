// One string per distinct value of a column, detached from the chunk of text it was cut from.
//
// Papaparse cuts fields out of a chunk's text, and V8 makes a cut of 13 characters or more a
// view into that text (a "sliced string") that keeps the whole chunk alive. core/data keeps each
// column's distinct values (up to DISTINCT_LIMIT): in a file whose new values keep appearing
// (products added over time, say), those views would keep most of the file's text in memory.
// Handing core/data one flat copy per distinct value prevents that, and its own lookups get
// cheaper too (the same string object every time, its hash already computed).
import { DISTINCT_LIMIT } from '../core/data/table.ts';

/** Values remembered per column: core/data's limit, plus room for the missing markers (`NA`, `na`, `null`, …) it does not count. */
export const INTERN_LIMIT = DISTINCT_LIMIT + 64;

/** V8 copies shorter cuts instead of slicing them (SlicedString::kMinLength). */
const SLICED_MIN_LENGTH = 13;

/** `s` as a string of its own (a flattened concatenation), not a view into a larger text. */
function detach(s: string): string {
  return s.length < SLICED_MIN_LENGTH ? s : (' ' + s).slice(1);
}

export class ColumnInterner {
  /** Per column: value -> its detached copy; null once the column has more than INTERN_LIMIT distinct values. */
  private readonly seen: (Map<string, string> | null)[];

  constructor(columns: number) {
    this.seen = Array.from({ length: columns }, () => new Map<string, string>());
  }

  /** Replaces each field (in place) by its column's copy of the value; returns `fields`. */
  intern(fields: string[]): string[] {
    const n = Math.min(fields.length, this.seen.length);
    for (let c = 0; c < n; c++) {
      const seen = this.seen[c];
      if (!seen) continue;
      const value = fields[c];
      let copy = seen.get(value);
      if (copy === undefined) {
        if (seen.size >= INTERN_LIMIT) {
          this.seen[c] = null; // too many values to be kept by core/data: stop remembering them
          continue;
        }
        copy = detach(value);
        seen.set(copy, copy);
      }
      fields[c] = copy;
    }
    return fields;
  }
}
