// Saves a journey and its step flows in one transaction (decision 045). Steps are matched by their
// flow's id, whatever their position: removing or moving a step never hands one step's waiting
// messages to another's content. A flow's key never changes (it is part of its messages' dedupe
// keys); new steps get the next unused number. A removed step's flow is deleted when it never
// planned a message, else kept disabled (the ledger's history stays whole).
import type { Flow, Journey, Prisma, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { validateTemplate } from "../email/render";
import { replanFlowMessages } from "../flows/editing";
import { cancelPendingMessages } from "../messages/ledger";
import {
  journeyFieldErrors,
  journeyInput,
  sharedStepColumns,
  stepColumns,
  stepKey,
  stepName,
  triggerColumns,
  type FieldErrors,
  type JourneyInput,
} from "./input";

type Tx = Prisma.TransactionClient;
export type SaveJourneyResult = { ok: true; journey: Journey } | { ok: false; errors: FieldErrors } | { ok: false; notFound: true };

export const STEP_REMOVED_REASON = "journey step removed";

/** Liquid errors of every step's subject and body, keyed like the form's fields. */
function templateErrors(steps: JourneyInput["steps"]): FieldErrors {
  const errors: FieldErrors = {};
  steps.forEach((s, i) => {
    for (const field of ["subject", "body"] as const) {
      const error = validateTemplate(s[field], field);
      if (error) errors[`steps.${i}.${field}`] = error.line ? `line ${error.line}: ${error.message}` : error.message;
    }
  });
  return errors;
}

/** Validates and saves; nothing is written when anything is invalid. `id` null creates a draft. */
export async function saveJourney(db: PrismaClient, clock: Clock, shop: Pick<Shop, "id">, id: string | null, input: unknown): Promise<SaveJourneyResult> {
  const parsed = journeyInput.safeParse(input);
  if (!parsed.success) return { ok: false, errors: journeyFieldErrors(parsed.error) };
  const errors = templateErrors(parsed.data.steps);
  if (Object.keys(errors).length) return { ok: false, errors };
  const j = parsed.data;
  const columns = {
    name: j.name,
    ...triggerColumns(j),
    conditions: sharedStepColumns(j).conditions,
    category: j.category,
    holdoutPercent: j.holdoutPercent,
  };
  return db.$transaction(async (tx) => {
    if (id && !(await tx.journey.findFirst({ where: { id, shopId: shop.id }, select: { id: true } }))) return { ok: false, notFound: true } as const;
    const journey = id ? await tx.journey.update({ where: { id }, data: columns }) : await tx.journey.create({ data: { shopId: shop.id, ...columns } });
    await writeSteps(tx, clock, journey, j);
    return { ok: true, journey } as const;
  });
}

/** The number in a step flow's key ("journey:<id>:<n>"), 0 when it has none. */
function keyNumber(journeyId: string, key: string): number {
  const n = Number.parseInt(key.slice(`journey:${journeyId}:`.length), 10);
  return key.startsWith(`journey:${journeyId}:`) && Number.isFinite(n) ? n : 0;
}

async function writeSteps(tx: Tx, clock: Clock, journey: Journey, j: JourneyInput) {
  const existing = await tx.flow.findMany({ where: { journeyId: journey.id } }); // removed steps too: their keys stay taken
  const live = new Map(existing.filter((f) => f.journeyStep !== null).map((f) => [f.id, f]));
  let nextKey = 1 + Math.max(0, ...existing.map((f) => keyNumber(journey.id, f.key)));
  const shared = sharedStepColumns(j);
  const kept = new Set<string>();
  for (const [i, s] of j.steps.entries()) {
    const step = i + 1;
    const data = { ...shared, ...stepColumns(s, j), name: stepName(j.name, step), journeyStep: step, enabled: journey.status === "active" };
    const flow = live.get(s.id);
    if (!flow || kept.has(flow.id)) {
      // A new step (or an id that is not one of this journey's steps).
      await tx.flow.create({ data: { shopId: journey.shopId, key: stepKey(journey.id, nextKey++), journeyId: journey.id, ...data } });
      continue;
    }
    kept.add(flow.id);
    await tx.flow.update({ where: { id: flow.id }, data });
    const moved = data.delayMinutes !== flow.delayMinutes || data.sendAtLocalTime !== flow.sendAtLocalTime;
    if (moved) await replanFlowMessages(tx, clock, { ...flow, ...data });
  }
  for (const flow of live.values()) if (!kept.has(flow.id)) await removeStep(tx, clock, flow);
}

/** A step no longer in the journey: gone when it has no history, else disabled and out of the step numbering (its key kept). */
async function removeStep(tx: Tx, clock: Clock, flow: Flow) {
  if ((await tx.message.count({ where: { flowId: flow.id } })) === 0) {
    await tx.flow.delete({ where: { id: flow.id } });
    return;
  }
  await cancelPendingMessages(tx, clock, { flowId: flow.id }, STEP_REMOVED_REASON);
  await tx.flow.update({
    where: { id: flow.id },
    data: { enabled: false, journeyStep: null, name: `${flow.name} (removed)` },
  });
}
