// flowTriggerReceive as Shopify answers it: the handle must name one of the app's trigger
// extensions, the payload must be an object that fits in 50 KB, and the reference fields the
// trigger declares arrive as `<object>_id`. What it accepted stays in the admin call log
// (`/_control/admin-calls`), which the console reads to show the triggers Flow received.
import { triggerByHandle } from "../../app/engine/flow/definitions";

const MAX_PAYLOAD_BYTES = 50_000;

type UserError = { field: string[]; message: string };

export function receiveFlowTrigger(args: { handle?: string | null; payload?: unknown }): { userErrors: UserError[] } {
  const trigger = args.handle ? triggerByHandle(args.handle) : undefined;
  if (!trigger) return { userErrors: [{ field: ["handle"], message: `Invalid handle '${args.handle ?? ""}'` }] };
  const payload = args.payload;
  if (!payload || typeof payload !== "object" || Array.isArray(payload)) return { userErrors: [{ field: ["payload"], message: "Payload must be an object" }] };
  if (Buffer.byteLength(JSON.stringify(payload)) > MAX_PAYLOAD_BYTES) return { userErrors: [{ field: ["payload"], message: "Payload is too large" }] };
  const given = new Set(Object.keys(payload));
  const declared = new Set(trigger.fields.map((f) => f.key ?? `${f.type.replace(/_reference$/, "")}_id`));
  const unknown = [...given].filter((k) => !declared.has(k));
  if (unknown.length) return { userErrors: [{ field: ["payload", unknown[0]], message: `Field '${unknown[0]}' is not declared by the trigger` }] };
  return { userErrors: [] };
}
