// Which process owns an active run, and whether that process is still alive. Used on open to
// tell runs left behind by a crashed process (-> interrupted) from runs of a live one.
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunOwner } from './types.ts';

/** Liveness of an owner: 'unknown' (another host) is treated as alive by recovery. */
export type Liveness = 'alive' | 'dead' | 'unknown';

/**
 * Linux identifies a process incarnation exactly: boot id + start time in clock ticks since boot
 * (field 22 of /proc/PID/stat). Returns null where /proc is not available or the pid is gone.
 */
function linuxStart(pid: number | 'self'): { start: string; zombie: boolean } | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may itself contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const bootId = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    return { start: `linux:${bootId}:${fields[19]}`, zombie: fields[0] === 'Z' || fields[0] === 'X' };
  } catch {
    return null;
  }
}

let self: RunOwner | undefined;

/** This process (shared by all its worker threads, which have the same pid and start). */
export function currentOwner(): RunOwner {
  if (!self) {
    const start =
      linuxStart('self')?.start ??
      // Elsewhere: the process start time, to the second (process.uptime() is process-wide).
      `time:${Math.round(Date.now() / 1000 - process.uptime())}`;
    self = { pid: process.pid, host: hostname(), start };
  }
  return self;
}

function pidExists(pid: number): boolean {
  try {
    process.kill(pid, 0); // signal 0: only checks that the process exists
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function ownerLiveness(owner: RunOwner | null): Liveness {
  if (!owner) return 'dead'; // runs from before owners were recorded (schema < 3)
  const me = currentOwner();
  if (owner.host !== me.host) return 'unknown';
  if (owner.pid === me.pid) return owner.start === me.start ? 'alive' : 'dead'; // our pid, reused
  if (!Number.isInteger(owner.pid) || owner.pid <= 0 || !pidExists(owner.pid)) return 'dead';
  if (owner.start.startsWith('linux:')) {
    const now = linuxStart(owner.pid);
    if (now) return now.zombie || now.start !== owner.start ? 'dead' : 'alive';
  }
  return 'alive'; // the pid exists and nothing shows it is another process
}
