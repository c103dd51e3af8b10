import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { db } from "~/db.server";
import { readClockOffset, writeClockOffset } from "~/clock.server";
import { appClock } from "~/route-context.server";
import { emulatorJson, requireSandbox } from "~/sandbox.server";

const body = z.object({
  advanceSeconds: z
    .number()
    .int()
    .nonnegative()
    .max(10 * 365 * 86400),
});

// Moves sandbox time forward for the web server, the worker (shared through the database) and
// the emulator. Time never goes backwards.
export const action = async ({ request }: ActionFunctionArgs) => {
  requireSandbox(request);
  const parsed = body.safeParse(await request.json().catch(() => null));
  if (!parsed.success) return Response.json({ error: "advanceSeconds must be a non-negative integer" }, { status: 400 });
  const offsetMs = (await readClockOffset(db)) + parsed.data.advanceSeconds * 1000;
  await writeClockOffset(db, offsetMs);
  await emulatorJson("/_control/clock", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ offsetMs }) });
  const clock = await appClock();
  return Response.json({ now: clock.now().toISOString() });
};
