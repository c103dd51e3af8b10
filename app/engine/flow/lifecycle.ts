// Flow's trigger lifecycle callbacks: a workflow using one of our triggers was enabled, or the
// shop's last one using it was disabled. Recorded per (shop, trigger); the worker records
// deliveries only while it is used (triggers.ts). Flow holds the merchant's "Turn on workflow"
// until it hears back, so this is one statement.
import crypto from "node:crypto";
import type { Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { triggerByHandle } from "./definitions";

const callbackSchema = z.object({
  flow_trigger_definition_id: z.string(),
  has_enabled_flow: z.boolean(),
  timestamp: z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not a date"),
});

export type LifecycleResult = { ok: true; changed: boolean; handle: string; enabled: boolean } | { ok: false; error: string };

/**
 * Records one callback for the shop `shopDomain` (from the verified request). The newest Flow
 * timestamp wins: a callback older than the one recorded (late, or retried) changes nothing, and
 * the check is part of the upsert, so two callbacks at once cannot move it backwards.
 */
export async function recordTriggerLifecycle(
  db: PrismaClient | Prisma.TransactionClient,
  clock: Clock,
  shopDomain: string,
  body: unknown,
): Promise<LifecycleResult> {
  const parsed = callbackSchema.safeParse(body);
  if (!parsed.success) return { ok: false, error: "Expected flow_trigger_definition_id, has_enabled_flow and timestamp." };
  const { flow_trigger_definition_id: handle, has_enabled_flow: enabled, timestamp } = parsed.data;
  if (!triggerByHandle(handle)) return { ok: false, error: `Unknown trigger '${handle.slice(0, 100)}'.` };
  const shop = await db.shop.findUnique({ where: { domain: shopDomain }, select: { id: true } });
  if (!shop) return { ok: false, error: "Unknown shop." };
  const changed = await db.$executeRaw`
    INSERT INTO "FlowTriggerUse" ("id", "shopId", "handle", "enabled", "changedAt", "updatedAt")
    VALUES (${crypto.randomUUID()}, ${shop.id}, ${handle}, ${enabled}, ${new Date(timestamp)}::timestamptz, ${clock.now()}::timestamptz)
    ON CONFLICT ("shopId", "handle") DO UPDATE SET "enabled" = EXCLUDED."enabled", "changedAt" = EXCLUDED."changedAt", "updatedAt" = EXCLUDED."updatedAt"
    WHERE "FlowTriggerUse"."changedAt" < EXCLUDED."changedAt"`;
  return { ok: true, changed: changed > 0, handle, enabled };
}
