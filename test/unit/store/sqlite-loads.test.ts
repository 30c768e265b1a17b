import { describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';

// better-sqlite3 builds a native binary at install time; this fails if that build was skipped
// (npm's allowScripts) or made for another runtime's ABI.
describe('better-sqlite3', () => {
  it('loads on this Node and runs a query', () => {
    const db = new Database(':memory:');
    expect(db.prepare('select 1 + 1 as two').get()).toEqual({ two: 2 });
    db.close();
  });
});
