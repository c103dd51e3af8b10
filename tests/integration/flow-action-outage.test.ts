// A Shopify Flow action run POSTed while the database is unreachable is answered 503 (Flow retries
// 5xx for up to a day), with nothing recorded; once the database is back the same run is accepted.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { FLOW_ACTIONS } from "../../app/engine/flow/definitions";
import { actionRunBody, postFlowRequest } from "../../sandbox/emulator/flow-requests";
import { refuseConnections } from "../support/refuse-connections";
import { API_SECRET, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;

useStack({ install: true }, (started) => void (stack = started));

describe("Flow action route during a database outage", () => {
  it("answers 503 while the database refuses connections, and accepts the run once it is back", async (context) => {
    const placed = await stack.place({ email: "flow-outage@example.com", firstName: "Olu", country: "FR" });
    const { pauseEmails } = FLOW_ACTIONS;
    const runId = randomUUID();
    const body = actionRunBody({ domain: stack.services.demoShop, id: 1 }, pauseEmails.handle, { customer_id: placed.customerId, days: 2 }, runId);
    const post = () => postFlowRequest(stack.appUrl, pauseEmails.path, body, API_SECRET);
    try {
      await refuseConnections(stack.databaseUrl, true);
    } catch (error) {
      context.skip(`cannot make the database refuse connections with this role: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      const answer = await post();
      expect(answer.status).toBe(503);
      expect(await answer.json()).toEqual({ message: expect.stringContaining("Flow will try again") });
    } finally {
      await refuseConnections(stack.databaseUrl, false);
    }
    expect(await stack.db.flowActionRun.count({ where: { actionRunId: runId } })).toBe(0);
    await expect.poll(async () => (await post()).status, { timeout: 10_000 }).toBe(200);
    expect(await stack.db.flowActionRun.count({ where: { actionRunId: runId } })).toBe(1);
  });
});
