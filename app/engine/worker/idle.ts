// The worker's idle tick: a look for work that found nothing due, while no job ran and none had
// finished since that look began (a job that ends may add another, due at once). Whoever started
// the worker can wait for one instead of sleeping — the tests' stack does (tests/support/stack.ts).
import type { EventEmitter } from "node:events";

/** `lookedAt`: when the empty look began (ms since the epoch): everything committed before then was done or not yet due. */
export type IdleListener = (lookedAt: number) => void;

interface PendingTick {
  lookedAt: number;
  /** Other pool workers that were looking meanwhile: one of them may have taken a job this look then skipped. */
  waitingOn: Set<unknown>;
}

/** Calls `onIdle` on each idle tick of the pool whose graphile-worker events are `events`. */
export function watchIdle(events: Pick<EventEmitter, "on">, onIdle: IdleListener, now: () => number = Date.now) {
  let running = 0;
  let lastJobEnd = -Infinity;
  const looks = new Map<unknown, number>(); // pool worker → when its look for a job began
  let pending: PendingTick[] = [];
  const lookEnded = (worker: unknown) => {
    const lookedAt = looks.get(worker);
    looks.delete(worker);
    for (const tick of pending) tick.waitingOn.delete(worker);
    const ready = pending.filter((tick) => tick.waitingOn.size === 0);
    pending = pending.filter((tick) => tick.waitingOn.size > 0);
    for (const tick of ready) onIdle(tick.lookedAt);
    return lookedAt;
  };
  events.on("worker:getJob:start", ({ worker }: { worker: unknown }) => looks.set(worker, now()));
  events.on("worker:getJob:error", ({ worker }: { worker: unknown }) => lookEnded(worker));
  events.on("job:start", ({ worker }: { worker: unknown }) => {
    pending = []; // a look found work: no tick of that moment holds
    lookEnded(worker);
    running++;
  });
  events.on("job:complete", () => {
    running--;
    lastJobEnd = now();
  });
  events.on("worker:getJob:empty", ({ worker }: { worker: unknown }) => {
    const lookedAt = looks.get(worker);
    if (lookedAt !== undefined && lookedAt > lastJobEnd && running === 0) {
      pending.push({ lookedAt, waitingOn: new Set([...looks.keys()].filter((w) => w !== worker)) });
    }
    lookEnded(worker);
  });
}
