// The send jobs one worker runs at the same time are handled as one batch: each "message_send" job
// hands its message id to the batcher and waits for that message's answer. Jobs picked up within
// a few milliseconds of each other share one claim, one read of their facts, one send gate and
// one write of their "sent" outcomes (dispatch.ts), instead of some twenty statements each.
// DataLoader does the collecting (cache off: a message is never answered from memory).
import DataLoader from "dataloader";
import type { Clock } from "../clock";
import { sendMessages, type DispatchDeps, type SendResult } from "./dispatch";

/** How long the first job of a batch waits for others to join it. */
export const SEND_BATCH_WINDOW_MS = 5;

export function sendBatcher(options: { deps: (clock: Clock) => DispatchDeps; clock: () => Promise<Clock>; maxBatch: number; windowMs?: number }) {
  const loader = new DataLoader<string, SendResult>(async (ids) => sendMessages(options.deps(await options.clock()), [...ids]), {
    cache: false,
    maxBatchSize: options.maxBatch,
    batchScheduleFn: (callback) => setTimeout(callback, options.windowMs ?? SEND_BATCH_WINDOW_MS),
  });
  return (messageId: string): Promise<SendResult> => loader.load(messageId);
}
