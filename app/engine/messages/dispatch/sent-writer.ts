// The "sent" answers of one batch are written together: when the batch's last answer came, or at
// the latest SENT_WRITE_WINDOW_MS after an answer (a slow send does not hold the others' records
// back longer). DataLoader collects them; its batch is scheduled by the timer below, which the
// batch's last answer cuts short (DataLoader alone offers a fixed window, not "or when all came").
import DataLoader from "dataloader";
import type { Planned } from "./types";

export const SENT_WRITE_WINDOW_MS = 100;

export interface SentWriter {
  /** A "sent" answer: resolves once it is written, or once writing it failed (left "sending": see recordOutcome). */
  sent(p: Planned): Promise<void>;
  /** Any other answer (written on its own): only counted, so the batch's last answer writes at once. */
  other(): void;
}

/** A writer for a batch of `expected` sends; `write` records a set of "sent" answers. */
export function sentWriter(expected: number, write: (batch: Planned[]) => Promise<void>): SentWriter {
  let unanswered = expected;
  let due: { write: () => void; timer: NodeJS.Timeout } | null = null;
  const writeNow = () => {
    if (!due) return;
    clearTimeout(due.timer);
    const scheduled = due.write;
    due = null;
    scheduled();
  };
  const loader = new DataLoader<Planned, true>(async (batch) => (await write([...batch]), batch.map(() => true as const)), {
    cache: false,
    batchScheduleFn: (scheduled) => void (due = { write: scheduled, timer: setTimeout(writeNow, SENT_WRITE_WINDOW_MS) }),
  });
  const answered = () => {
    unanswered--;
    if (unanswered === 0) writeNow();
  };
  return {
    async sent(p) {
      const written = loader.load(p);
      answered();
      await written.catch(() => {});
    },
    other: answered,
  };
}
