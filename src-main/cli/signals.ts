// The signals that ask a long-running command (train, serve) to stop: Ctrl-C, `kill`, and a
// closed terminal. Each is handled alike (runs end `stopped`, points kept); the exit code is
// the shell's convention for a process ended by that signal, 128 + its number.
export type StopSignal = 'SIGINT' | 'SIGTERM' | 'SIGHUP';

export const SIGNAL_EXIT_CODES: Record<StopSignal, number> = { SIGHUP: 128 + 1, SIGINT: 128 + 2, SIGTERM: 128 + 15 };

const STOP_SIGNALS = Object.keys(SIGNAL_EXIT_CODES) as StopSignal[];

/** Calls `handler` on each stop signal until the returned function removes it. */
export function onStopSignals(handler: (signal: StopSignal) => void): () => void {
  const listeners = STOP_SIGNALS.map((signal) => [signal, () => handler(signal)] as const);
  for (const [signal, listener] of listeners) process.on(signal, listener);
  return () => {
    for (const [signal, listener] of listeners) process.off(signal, listener);
  };
}
