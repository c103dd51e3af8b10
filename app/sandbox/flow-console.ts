// The sandbox console's side of Shopify Flow, without I/O: which property an action field is sent
// under, and the flowTriggerReceive calls Flow received, read from the emulator's admin call log.
import type { FlowField } from "../engine/flow/definitions";

/** Flow sends a reference field as `<object>_id` (customer_id, order_id), any other under its key. */
export const propertyKey = (field: FlowField): string => field.key ?? `${field.type.replace(/_reference$/, "")}_id`;

/** One entry of the emulator's admin call log (`GET /_control/admin-calls`). */
export interface AdminCallEntry {
  at: string;
  shop: string;
  operationName: string | null;
  query: string;
  variables: Record<string, unknown> | null;
}

export interface ReceivedTrigger {
  at: string;
  handle: string | null;
  payload: Record<string, unknown> | null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);

function parsed(text: unknown): Record<string, unknown> | null {
  if (typeof text !== "string") return null;
  try {
    const value: unknown = JSON.parse(text);
    return isRecord(value) ? value : null;
  } catch {
    return null;
  }
}

/** The arguments of one call: from its variables, else written inline in the query. */
function triggerOf(call: AdminCallEntry): ReceivedTrigger {
  const vars = call.variables ?? {};
  // The older form of the mutation takes one JSON `body` holding the handle and the payload.
  const body = parsed(vars.body);
  const inlineHandle = /flowTriggerReceive\s*\([^)]*handle\s*:\s*"([^"]+)"/.exec(call.query)?.[1];
  const handle = [vars.handle, body?.handle, body?.trigger_id, inlineHandle].find((h): h is string => typeof h === "string") ?? null;
  const payload = [vars.payload, parsed(vars.payload), body?.payload, body?.properties].find(isRecord) ?? null;
  return { at: call.at, handle, payload };
}

/** The flowTriggerReceive calls of the log, newest first. */
export function receivedTriggers(calls: AdminCallEntry[]): ReceivedTrigger[] {
  return calls
    .filter((c) => /\bflowTriggerReceive\b/.test(c.query))
    .map(triggerOf)
    .reverse() // the log is oldest first: calls of the same instant stay newest first
    .sort((a, b) => b.at.localeCompare(a.at));
}

/** `GET /sandbox/api/flow/state`. */
export interface FlowConsoleState {
  shop: string;
  uses: { handle: string; enabled: boolean; changedAt: string }[];
  received: ReceivedTrigger[];
  orders: { id: string; label: string }[];
  customers: { id: string; label: string }[];
}

/** What the app answered a signed Flow request, in one line: the status and the message of a refusal. */
export function answerLine(answer: { status: number; body: unknown }): string {
  const body = answer.body;
  // An HTML page (a 404 of a route not there) says nothing more than its status.
  const text = typeof body === "string" ? (/^\s*</.test(body) ? "" : body.slice(0, 200)) : null;
  const message = isRecord(body) && typeof body.message === "string" ? body.message : (text ?? JSON.stringify(body));
  return `The app answered ${answer.status}${message ? `: ${message}` : ""}`;
}
