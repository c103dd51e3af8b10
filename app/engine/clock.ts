/** Time is passed in everywhere so tests and the sandbox can move it. */
export interface Clock {
  now(): Date;
}

/** The AppState key of the sandbox's clock offset in ms (also read in SQL: trustloop_queue_time, recordWebhook). */
export const SANDBOX_CLOCK_KEY = "sandbox.clockOffsetMs";

export const systemClock: Clock = { now: () => new Date() };

/** A clock that runs with real time, shifted by an offset that can change (sandbox, tests). */
export class OffsetClock implements Clock {
  constructor(private offsetMs = 0) {}
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  setOffset(offsetMs: number) {
    this.offsetMs = offsetMs;
  }
  get offset(): number {
    return this.offsetMs;
  }
}

/** A clock that only moves when told to (unit tests). */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}
