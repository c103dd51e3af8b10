// The idle tick from graphile-worker's pool events, replayed by hand.
import { EventEmitter } from "node:events";
import { describe, expect, it } from "vitest";
import { watchIdle } from "./idle";

function pool() {
  const events = new EventEmitter();
  let t = 1000;
  const ticks: number[] = [];
  watchIdle(
    events,
    (lookedAt) => ticks.push(lookedAt),
    () => t,
  );
  const emit = (name: string, worker: string, at = t) => {
    t = at;
    events.emit(name, { worker });
  };
  /** A look by `worker` that began at `at` and found nothing. */
  const emptyLook = (worker: string, at: number) => {
    emit("worker:getJob:start", worker, at);
    emit("worker:getJob:empty", worker, at + 5);
  };
  return { ticks, emit, emptyLook };
}

describe("watchIdle", () => {
  it("ticks when a look finds nothing and nothing runs, with the time the look began", () => {
    const p = pool();
    p.emptyLook("a", 1000);
    expect(p.ticks).toEqual([1000]);
  });

  it("does not tick while another worker of the pool runs a job", () => {
    const p = pool();
    p.emit("worker:getJob:start", "b");
    p.emit("job:start", "b");
    p.emptyLook("a", 1100);
    expect(p.ticks).toEqual([]);
  });

  it("waits for the looks in flight meanwhile: a tick if they find nothing, none if one finds a job", () => {
    const quiet = pool();
    quiet.emit("worker:getJob:start", "c", 1000);
    quiet.emptyLook("a", 1100);
    expect(quiet.ticks).toEqual([]);
    quiet.emit("worker:getJob:empty", "c", 1200);
    expect(quiet.ticks).toEqual([1100, 1000]);
    const busy = pool();
    busy.emit("worker:getJob:start", "c", 1000);
    busy.emptyLook("a", 1100);
    busy.emit("job:start", "c", 1200);
    expect(busy.ticks).toEqual([]);
  });

  it("does not count a look that began before the last job ended (that job may have added work)", () => {
    const p = pool();
    p.emit("worker:getJob:start", "b", 1000);
    p.emit("job:start", "b");
    p.emit("worker:getJob:start", "a", 1100);
    p.emit("job:complete", "b", 1200);
    p.emit("worker:getJob:empty", "a");
    expect(p.ticks).toEqual([]);
    p.emptyLook("b", 1300);
    expect(p.ticks).toEqual([1300]);
  });

  it("a failed look is no tick", () => {
    const p = pool();
    p.emit("worker:getJob:start", "a");
    p.emit("worker:getJob:error", "a");
    expect(p.ticks).toEqual([]);
  });
});
