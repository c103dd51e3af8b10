// Work that runs now and then rather than every tick (delay detection, reconciliation): after
// `everyMs` of real time, or as soon as the (sandbox) clock jumped by `clockJumpMs`, so moving
// time forward in the sandbox takes effect at once.
import type { Clock } from "../clock";

export function periodic(clock: Clock, options: { everyMs: number; clockJumpMs: number }, task: () => Promise<number>): () => Promise<number> {
  let lastRealMs = -Infinity;
  let lastClockMs = -Infinity;
  return async () => {
    const real = Date.now();
    const simulated = clock.now().getTime();
    if (real - lastRealMs < options.everyMs && simulated - lastClockMs < options.clockJumpMs) return 0;
    lastRealMs = real;
    lastClockMs = simulated;
    return task();
  };
}
