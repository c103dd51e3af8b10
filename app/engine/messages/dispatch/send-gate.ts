// Stage 6a, the send gate: under a lock on each recipient (and customer), the flow throttle (the
// NPS survey's once per 90 days) and the frequency cap are checked again, counting emails that
// other workers are sending right now, and the messages become "sending" in the same transaction
// (from here their outcome may be uncertain: see markAbandonedSends). Two workers with two emails
// for one customer thus pass one at a time: the second sees the first.
import type { Prisma } from "@prisma/client";
import { isCapped } from "../../schedule/frequency-cap";
import { lockKeys, retryingTransaction } from "../../util/locks";
import { startSending } from "../claim";
import { throttleReason } from "../eligibility";
import { recordEvents } from "../ledger";
import { settle } from "./settle";
import { afterCap, capFor, capReason, deferUntil } from "./timing";
import { SENDING_LEASE_MS, type DispatchDeps, type Planned } from "./types";

/**
 * Messages that neither flow throttle nor cap concerns (service mail) pass together; the others
 * one by one after them, so each counts those before it. Returns the messages admitted.
 */
export async function openSendGate(deps: DispatchDeps, planned: Planned[]): Promise<Planned[]> {
  const { db, clock } = deps;
  const checked = (p: Planned) => !!p.flow.throttleDays || isCapped(p.message.category);
  return retryingTransaction(db, async (tx) => {
    await lockKeys(tx, lockOrder(planned));
    const admitted = await start(
      deps,
      tx,
      planned.filter((p) => !checked(p)),
    );
    for (const p of planned.filter(checked)) {
      const now = clock.now();
      const throttled = await throttleReason(tx, p.message, p.flow, p.recipient, now);
      if (throttled) {
        await settle(deps, p.message, { to: "skipped", reason: throttled }, tx);
        continue;
      }
      const capUntil = isCapped(p.message.category) ? await capFor(tx, p.shop, p.recipient, now, p.message.id) : null;
      if (capUntil) {
        await deferUntil(deps, p.message, capReason(p.shop), afterCap(p.shop, capUntil, p.timezone), p.recipient, tx);
        continue;
      }
      admitted.push(...(await start(deps, tx, [p])));
    }
    return admitted;
  });
}

/** The gate's locks: recipients first, then customers, each sorted, so every gate takes them in one global order (no deadlock). */
function lockOrder(planned: Planned[]): string[][] {
  const sortedKeys = (kind: string, values: [string, string][]) =>
    [...new Map(values.map(([shop, v]) => [`${shop}\n${v}`, ["send", shop, kind, v]])).entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, key]) => key);
  return [
    ...sortedKeys(
      "recipient",
      planned.map((p) => [p.shop.id, p.recipient]),
    ),
    ...sortedKeys(
      "customer",
      planned.flatMap((p) => (p.message.customerShopifyId ? [[p.shop.id, p.message.customerShopifyId] as [string, string]] : [])),
    ),
  ];
}

/** `batch` becomes "sending" under its sending lease, with its events; returns those that moved. */
async function start(deps: DispatchDeps, tx: Prisma.TransactionClient, batch: Planned[]): Promise<Planned[]> {
  const leaseMs = deps.sendingLeaseMs ?? SENDING_LEASE_MS;
  const moved = new Set(
    await startSending(
      tx,
      deps.workerId,
      leaseMs,
      batch.map((p) => ({ id: p.message.id, recipient: p.recipient, subject: p.email.subject })),
    ),
  );
  await recordEvents(
    tx,
    deps.clock,
    [...moved].map((messageId) => ({ messageId, status: "sending" })),
  );
  return batch.filter((p) => moved.has(p.message.id));
}
