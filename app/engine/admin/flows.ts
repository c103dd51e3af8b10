// The Flows pages: list with 30-day figures, the editor's save (validated, re-planned in one
// transaction) and the on/off toggle. Every function is scoped to one shop id.
import type { Flow, PrismaClient, Shop } from "@prisma/client";
import { z } from "zod";
import type { Clock } from "../clock";
import { validateTemplate, type TemplateError } from "../email/render";
import { replanFlowMessages } from "../flows/editing";
import { markFlowsReviewed } from "../shops/setup";
import { describeTiming, firstErrors, flowFormSchema, flowUpdateFromForm, type FieldErrors } from "./flow-form";
import { emptyStats, flowStats } from "./flow-stats";

export async function listFlows(db: PrismaClient, shopId: string, now: Date) {
  const [flows, stats] = await Promise.all([
    db.flow.findMany({ where: { shopId, journeyId: null }, orderBy: { createdAt: "asc" } }),
    flowStats(db, shopId, now),
  ]);
  return flows.map((f) => ({
    id: f.id,
    key: f.key,
    name: f.name,
    trigger: f.trigger,
    timing: describeTiming(f),
    category: f.category,
    enabled: f.enabled,
    holdoutPercent: f.holdoutPercent,
    stats: stats.get(f.id) ?? emptyStats(),
  }));
}

export function findFlow(db: PrismaClient, shopId: string, flowId: string): Promise<Flow | null> {
  return db.flow.findFirst({ where: { id: flowId, shopId } });
}

export const toggleSchema = z.object({ enabled: z.enum(["true", "false"]) });

/** Turns a flow on or off; false when the flow is not the shop's. */
export async function setFlowEnabled(db: PrismaClient, shopId: string, flowId: string, enabled: boolean): Promise<boolean> {
  const { count } = await db.flow.updateMany({ where: { id: flowId, shopId }, data: { enabled } });
  return count === 1;
}

/** "line 3: tag {% if %} not closed" — what the editor shows next to the field. */
export function templateErrorText(error: TemplateError): string {
  return error.line ? `line ${error.line}: ${error.message}` : error.message;
}

export function templateErrors(subject: string, body: string): FieldErrors {
  const errors: FieldErrors = {};
  const s = validateTemplate(subject, "subject");
  if (s) errors.subject = templateErrorText(s);
  const b = validateTemplate(body, "body");
  if (b) errors.body = templateErrorText(b);
  return errors;
}

/** Renders the parsed templates with the preview's data; a size or time limit it hits refuses the save. */
export type RenderCheck = (subject: string, body: string) => Promise<TemplateError | null>;

/** What refuses a subject and body: a Liquid error in either, else a size or time limit the render check hits. */
export async function checkTemplates(subject: string, body: string, renderCheck?: RenderCheck): Promise<FieldErrors> {
  const errors = templateErrors(subject, body);
  if (Object.keys(errors).length || !renderCheck) return errors;
  const limit = await renderCheck(subject, body);
  return limit && (limit.kind === "too_large" || limit.kind === "timeout") ? { [limit.field ?? "body"]: templateErrorText(limit) } : {};
}

export type SaveFlowResult = { ok: true; replanned: number } | { ok: false; errors: FieldErrors };

/**
 * Validates the editor's form (fields, conditions, both templates) and saves it; when the timing
 * changed, re-plans the flow's pending messages in the same transaction. Nothing is saved when
 * anything is invalid.
 */
export async function saveFlow(
  db: PrismaClient,
  clock: Clock,
  shop: Pick<Shop, "id" | "currency">,
  flow: Flow,
  input: Record<string, unknown>,
  renderCheck?: RenderCheck,
): Promise<SaveFlowResult> {
  const parsed = flowFormSchema.safeParse(input);
  const subject = typeof input.subject === "string" ? input.subject : "";
  const body = typeof input.body === "string" ? input.body : "";
  // The render check runs only on a form that is otherwise valid.
  const errors = { ...(await checkTemplates(subject, body, parsed.success ? renderCheck : undefined)), ...(parsed.success ? {} : firstErrors(parsed.error)) };
  if (!parsed.success || Object.keys(errors).length) return { ok: false, errors };

  const data = flowUpdateFromForm(parsed.data, flow, shop.currency);
  const timingChanged = data.delayMinutes !== flow.delayMinutes || data.sendAtLocalTime !== flow.sendAtLocalTime;
  const replanned = await db.$transaction(async (tx) => {
    const { count } = await tx.flow.updateMany({ where: { id: flow.id, shopId: shop.id }, data });
    if (count !== 1) throw new Error("flow not found");
    await markFlowsReviewed(tx, clock, shop.id); // setup checklist: the first save
    if (!timingChanged) return 0;
    return replanFlowMessages(tx, clock, { id: flow.id, shopId: shop.id, delayMinutes: data.delayMinutes, sendAtLocalTime: data.sendAtLocalTime });
  });
  return { ok: true, replanned };
}
