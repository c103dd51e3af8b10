// Journeys in integration tests: built and activated through the admin routes as a merchant does,
// and their ledger rows read back. Apart from stack.ts (no vitest there).
import { expect } from "vitest";
import type { Journey } from "@prisma/client";
import { postAdminAction } from "./admin-actions";
import type { Stack } from "./stack";

export type JourneyRef = Pick<Journey, "id">;

/** Bound to the file's stack and shop, read when called (they start before the tests, after the file loads). */
export function journeyHelpers(theStack: () => Stack, shop: () => string) {
  const post = (pathname: string, fields: Record<string, string>, asShop = shop()) => postAdminAction(theStack().appUrl, pathname, fields, asShop);
  const journeyNamed = (name: string) => theStack().db.journey.findFirstOrThrow({ where: { name, shop: { domain: shop() } } });
  /** The journey's messages to `email`, in the order they fall due. */
  const stepMessages = (journey: JourneyRef, email: string) =>
    theStack().db.message.findMany({
      where: { recipient: email, flow: { journeyId: journey.id } },
      include: { flow: true },
      orderBy: [{ anchorAt: "asc" }, { dueAt: "asc" }],
    });

  return {
    post,
    journeyNamed,
    stepMessages,
    /** A journey saved through the builder's form (steps waiting days, at 10:00 local); its row. */
    async buildJourney(name: string, fields: Record<string, string>, steps: [wait: string, subject: string][]) {
      const form: Record<string, string> = {
        intent: "save",
        name,
        trigger: "order_placed",
        category: "service",
        holdoutPercent: "0",
        stopOnReorder: "true",
        ...fields,
      };
      steps.forEach(([wait, subject], i) =>
        Object.assign(form, {
          [`steps.${i}.waitValue`]: wait,
          [`steps.${i}.waitUnit`]: "days",
          [`steps.${i}.sendAtLocalTime`]: "10:00",
          [`steps.${i}.subject`]: subject,
          [`steps.${i}.body`]: "Hi {{ customer.first_name }}",
        }),
      );
      const { status } = await post("/app/journeys/new", form);
      expect(status).toBeLessThan(400);
      return journeyNamed(name);
    },
    /** A shipped example, created as a draft from the Journeys page; its row. */
    async exampleJourney(key: string) {
      await post("/app/journeys", { intent: "example", key });
      return theStack().db.journey.findFirstOrThrow({ where: { exampleKey: key, shop: { domain: shop() } }, orderBy: { createdAt: "desc" } });
    },
    async activate(journey: JourneyRef, sendHistory = false) {
      expect((await post(`/app/journeys/${journey.id}`, { intent: "activate", sendHistory: String(sendHistory) })).status).toBe(200);
    },
    /** The journey's messages to `email` once there are `count` of them. */
    async planned(journey: JourneyRef, email: string, count: number) {
      await expect.poll(async () => (await stepMessages(journey, email)).length, { timeout: 20_000 }).toBe(count);
      return stepMessages(journey, email);
    },
    /** Moves the sandbox clock just past a message's due time. */
    sendDue: (message: { dueAt: Date }) => theStack().advanceTo(new Date(message.dueAt.getTime() + 60_000)),
  };
}
