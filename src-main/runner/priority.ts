// Training threads yield the CPU to the app. On Linux a thread's nice value is its own (NPTL), so
// a worker thread that lowers its priority leaves the main thread (IPC, the server) and the
// renderer processes at normal priority: with more runs than cores, the charts still get a core
// whenever they draw, and the training threads take everything else. On macOS and Windows the
// same call would lower the whole process (the main thread too), so there it does nothing.
import { constants, getPriority, setPriority } from 'node:os';

/** The nice value of a training thread on Linux (os.constants.priority.PRIORITY_BELOW_NORMAL = 10). */
export const TRAINING_THREAD_PRIORITY = constants.priority.PRIORITY_BELOW_NORMAL;

/** Lowers the calling thread's priority where that is per thread; returns its nice value after, or null where nothing was done. */
export function lowerThisThreadPriority(platform: NodeJS.Platform = process.platform): number | null {
  if (platform !== 'linux') return null;
  try {
    // Lowering needs no privilege; a container that refuses it just keeps the priority.
    if (getPriority(0) < TRAINING_THREAD_PRIORITY) setPriority(0, TRAINING_THREAD_PRIORITY);
    return getPriority(0);
  } catch {
    return null;
  }
}
