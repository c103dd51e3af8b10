// Stage 6b, send: the admitted messages go to the SMTP server side by side (over the mailer's
// pool), under their sending lease, renewed while the transactions and their recording last.
import { loggableError } from "../../util/loggable";
import { takeSendingLease } from "../claim";
import { outgoing } from "../compose";
import type { SmtpResult } from "./outcome";
import { SENDING_LEASE_MS, type DispatchDeps, type Planned } from "./types";

/** Sends each of `admitted`; `answered` records each one's answer (the lease is held until all are recorded). */
export async function sendAll(deps: DispatchDeps, admitted: Planned[], answered: (p: Planned, result: SmtpResult) => Promise<void>): Promise<void> {
  await whileLeased(
    deps,
    admitted.map((p) => p.message.id),
    () =>
      Promise.all(
        admitted.map(async (p) => {
          const result = await deps.mailer.send(outgoing(deps, p.message, p.shop, p.recipient, p.email)).then(
            (answer): SmtpResult => ({ answer }),
            (error: unknown): SmtpResult => ({ error }),
          );
          await answered(p, result);
        }),
      ),
  );
}

/** Renews the sending lease of `ids` while `send` lasts (a slow SMTP server), every third of the lease. */
async function whileLeased<T>(deps: DispatchDeps, ids: string[], send: () => Promise<T>): Promise<T> {
  const leaseMs = deps.sendingLeaseMs ?? SENDING_LEASE_MS;
  const renew = setInterval(() => {
    takeSendingLease(deps.db, ids, deps.workerId, leaseMs).catch((error: unknown) =>
      deps.log({ msg: "lease renewal failed", level: "error", messageIds: ids.slice(0, 20), ...loggableError(error) }),
    );
  }, leaseMs / 3);
  try {
    return await send();
  } finally {
    clearInterval(renew);
  }
}
