// Turning a journey on and off. Activation enables the step flows; the planner then takes in what
// happens from now on. Past orders enter only when the merchant asks (`sendHistory`), and then only
// for the steps still ahead: a step already due is left out, never recorded as missed.
import type { Journey, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { parseConditions, unmetCondition } from "../flows/conditions";
import { createMessage, dedupeKey, orderFacts } from "../flows/planner";
import { cancelPendingMessages } from "../messages/ledger";
import { journeyEntries } from "./entries";

export const JOURNEY_PAUSED_REASON = "journey paused";

export async function activateJourney(
  db: PrismaClient,
  clock: Clock,
  shop: Shop,
  id: string,
  options: { sendHistory: boolean },
): Promise<{ journey: Journey; planned: number } | null> {
  const now = clock.now();
  const found = await db.journey.findFirst({ where: { id, shopId: shop.id } });
  if (!found) return null;
  const stepFlows = await db.flow.findMany({ where: { journeyId: id, journeyStep: { not: null } }, orderBy: { journeyStep: "asc" } });
  const entries = options.sendHistory ? (await journeyEntries(db, shop, found, stepFlows, now, now)).entries : [];
  return db.$transaction(
    async (tx) => {
      // Activating an active journey again keeps its start: what entered since then stays in.
      const activatedAt = found.status === "active" && found.activatedAt ? found.activatedAt : now;
      const journey = await tx.journey.update({ where: { id }, data: { status: "active", activatedAt } });
      await tx.flow.updateMany({ where: { journeyId: id, journeyStep: { not: null } }, data: { enabled: true } });
      const steps = new Map((await tx.flow.findMany({ where: { journeyId: id, journeyStep: { not: null } } })).map((f) => [f.id, f]));
      let planned = 0;
      for (const { order, step, times } of entries) {
        const ahead = times.filter((t) => t.dueAt > now); // history sends only what is still ahead
        if (!ahead.length) continue;
        // An old order that does not match writes nothing (no "skipped" rows for history).
        const facts = await orderFacts(tx, order);
        if (unmetCondition(parseConditions(found.conditions), facts)) continue;
        for (const { flow: before, anchor, timezone, dueAt } of ahead) {
          const flow = steps.get(before.id) ?? before; // enabled now
          if (await tx.message.findUnique({ where: { dedupeKey: dedupeKey(shop.id, order.shopifyId, flow.key, step) } })) continue;
          const created = await createMessage(tx, clock, { shop, order, flow, step, anchor, dueAt, timezone, facts });
          if (created.status === "scheduled") planned++;
        }
      }
      return { journey, planned };
    },
    { timeout: 60_000 },
  );
}

/** Pauses a journey: its steps are disabled and what is waiting is cancelled. Null when not the shop's. */
export async function pauseJourney(db: PrismaClient, clock: Clock, shop: Pick<Shop, "id">, id: string): Promise<Journey | null> {
  return db.$transaction(async (tx) => {
    if (!(await tx.journey.findFirst({ where: { id, shopId: shop.id }, select: { id: true } }))) return null;
    const journey = await tx.journey.update({ where: { id }, data: { status: "paused" } });
    await tx.flow.updateMany({ where: { journeyId: id }, data: { enabled: false } });
    await cancelPendingMessages(tx, clock, { shopId: shop.id, flow: { journeyId: id } }, JOURNEY_PAUSED_REASON);
    return journey;
  });
}
