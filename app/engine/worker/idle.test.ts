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
  return { ticks, emit };
}

/** One pool event: its name, the worker, and when (default: the time of the event before). */
type Step = [event: string, worker: string, at?: number];
const look = (worker: string, at: number): Step[] => [
  ["worker:getJob:start", worker, at],
  ["worker:getJob:empty", worker, at + 5],
];
// Worker "c" looks at 1000; "a" looks at 1100 and finds nothing.
const inFlight: Step[] = [["worker:getJob:start", "c", 1000], ...look("a", 1100)];
// "b" runs a job; "a" begins a look before the job ends, and finds nothing after.
const staleLook: Step[] = [
  ["worker:getJob:start", "b", 1000],
  ["job:start", "b"],
  ["worker:getJob:start", "a", 1100],
  ["job:complete", "b", 1200],
  ["worker:getJob:empty", "a"],
];

describe("watchIdle", () => {
  const scenarios: { what: string; steps: Step[]; ticks: number[] }[] = [
    { what: "ticks when a look finds nothing and nothing runs, with the time the look began", steps: look("a", 1000), ticks: [1000] },
    {
      what: "does not tick while another worker of the pool runs a job",
      steps: [["worker:getJob:start", "b"], ["job:start", "b"], ...look("a", 1100)],
      ticks: [],
    },
    { what: "waits for the looks in flight meanwhile", steps: inFlight, ticks: [] },
    { what: "ticks for every look once those in flight find nothing too", steps: [...inFlight, ["worker:getJob:empty", "c", 1200]], ticks: [1100, 1000] },
    { what: "does not tick when a look in flight finds a job", steps: [...inFlight, ["job:start", "c", 1200]], ticks: [] },
    { what: "does not count a look that began before the last job ended (that job may have added work)", steps: staleLook, ticks: [] },
    { what: "counts the next look after that job", steps: [...staleLook, ...look("b", 1300)], ticks: [1300] },
    {
      what: "a failed look is no tick",
      steps: [
        ["worker:getJob:start", "a"],
        ["worker:getJob:error", "a"],
      ],
      ticks: [],
    },
  ];
  for (const { what, steps, ticks } of scenarios) {
    it(what, () => {
      const p = pool();
      for (const [event, worker, at] of steps) p.emit(event, worker, at);
      expect(p.ticks).toEqual(ticks);
    });
  }
});
