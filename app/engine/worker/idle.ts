// The worker's idle tick: a look for work that found nothing due, while no job ran and none had
// finished since that look began (a job that ends may add another, due at once). Whoever started
// the worker can wait for one instead of sleeping — the tests' stack does (tests/support/stack.ts).
import type { EventEmitter } from "node:events";

/** `lookedAt`: when the empty look began (ms since the epoch): everything committed before then was done or not yet due. */
export type IdleListener = (lookedAt: number) => void;

/** Calls `onIdle` on each idle tick of the pool whose graphile-worker events are `events`. */
export function watchIdle(events: Pick<EventEmitter, "on">, onIdle: IdleListener, now: () => number = Date.now) {
  let running = 0;
  let lastJobEnd = -Infinity;
  const looks = new Map<unknown, number>(); // pool worker → when its look for a job began
  const lookEnded = (worker: unknown) => {
    const lookedAt = looks.get(worker);
    looks.delete(worker);
    return lookedAt;
  };
  events.on("worker:getJob:start", ({ worker }: { worker: unknown }) => looks.set(worker, now()));
  events.on("worker:getJob:error", ({ worker }: { worker: unknown }) => lookEnded(worker));
  events.on("job:start", ({ worker }: { worker: unknown }) => {
    lookEnded(worker);
    running++;
  });
  events.on("job:complete", () => {
    running--;
    lastJobEnd = now();
  });
  events.on("worker:getJob:empty", ({ worker }: { worker: unknown }) => {
    const lookedAt = lookEnded(worker);
    if (lookedAt !== undefined && lookedAt > lastJobEnd && running === 0 && looks.size === 0) onIdle(lookedAt);
  });
}
