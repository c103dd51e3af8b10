// Turning a journey on and off. Activation enables the step flows; the planner then takes in what
// happens from now on. Past orders enter only when the merchant asks (`sendHistory`), and then only
// for the steps still ahead: a step already due is left out, never recorded as missed.
import type { Journey, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { cancelPendingMessages } from "../messages/ledger";
import { enqueueJourneyHistory } from "./history";

export const JOURNEY_PAUSED_REASON = "journey paused";

/** Activates the journey; with `sendHistory`, a job plans past entries after this commits (journeys/history.ts). Null when not the shop's. */
export async function activateJourney(
  db: PrismaClient,
  clock: Clock,
  shop: Pick<Shop, "id">,
  id: string,
  options: { sendHistory: boolean },
): Promise<{ journey: Journey; historyQueued: boolean } | null> {
  const now = clock.now();
  return db.$transaction(async (tx) => {
    const found = await tx.journey.findFirst({ where: { id, shopId: shop.id } });
    if (!found) return null;
    // Activating an active journey again keeps its start: what entered since then stays in.
    const activatedAt = found.status === "active" && found.activatedAt ? found.activatedAt : now;
    const journey = await tx.journey.update({ where: { id }, data: { status: "active", activatedAt } });
    await tx.flow.updateMany({ where: { journeyId: id, journeyStep: { not: null } }, data: { enabled: true } });
    const historyQueued = options.sendHistory && found.trigger !== "tier_reached" && (await enqueueJourneyHistory(tx, clock, journey));
    return { journey, historyQueued };
  });
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
