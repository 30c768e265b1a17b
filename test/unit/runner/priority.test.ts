// Where lowering a thread would lower the whole process, nothing is lowered. (On Linux, the
// runner's integration test checks that its training threads, and only they, run below normal.)
import { getPriority } from 'node:os';
import { describe, expect, it } from 'vitest';
import { lowerThisThreadPriority, TRAINING_THREAD_PRIORITY } from '../../../src-main/runner/priority.ts';

describe('lowerThisThreadPriority', () => {
  it('does nothing on macOS and Windows, where it would lower the whole process', () => {
    const before = getPriority(0);
    expect(lowerThisThreadPriority('darwin')).toBeNull();
    expect(lowerThisThreadPriority('win32')).toBeNull();
    expect(getPriority(0)).toBe(before);
  });

  it('is below normal priority', () => {
    expect(TRAINING_THREAD_PRIORITY).toBe(10);
  });
});
