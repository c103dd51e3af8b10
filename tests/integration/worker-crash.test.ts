// A worker killed in the middle of a batch loses nothing and sends nothing twice.
import { describe, expect, it } from "vitest";
import type { Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;

useStack({ install: true }, (started) => void (stack = started));

describe("worker crash", () => {
  it("when the worker is killed mid-batch › every message is sent exactly once after restart (or marked unknown, never duplicated)", async () => {
    const now = await stack.now();
    const target = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1, 13, 0));
    await stack.advanceTo(target);
    const emails = Array.from({ length: 30 }, (_, i) => `crash${i}@example.com`);
    for (const email of emails) await stack.place({ email, country: "FR" });
    await stack.advance(16 * 60);

    await stack.startWorker();
    await stack.services.mail.waitFor(() => true, 20_000);
    expect(await stack.stopWorker("SIGKILL")).toBeNull(); // killed, no exit code
    const sentBeforeCrash = stack.services.mail.messages().length;
    expect(sentBeforeCrash).toBeLessThan(30); // it really died mid-batch

    // Leases run on real time, whatever the sandbox's clock does: the new worker finds the killed one
    // silent once it has missed its beats, releases its queue jobs and messages (its sends in flight
    // become unknown), and picks up the rest.
    await stack.advance(5 * 60);
    await stack.startWorker();
    await expect.poll(() => stack.db.message.count({ where: { status: { in: ["scheduled", "deferred", "sending"] } } }), { timeout: 60_000 }).toBe(0);
    // The new worker finds the killed one silent and releases whatever it held.
    await expect.poll(() => stack.db.workerHeartbeat.count({ where: { recoveredAt: { not: null } } }), { timeout: 60_000 }).toBe(1);

    const messages = await stack.db.message.findMany({ include: { flow: true } });
    // Only this test's orders (reconciliation may also mirror the demo shop's own recent orders).
    const thankYous = messages.filter((m) => m.flow.key === "thank_you" && emails.includes(m.recipient ?? ""));
    expect(thankYous).toHaveLength(30);
    const received = new Map<string, number>();
    for (const mail of stack.services.mail.messages()) for (const to of mail.to) received.set(to, (received.get(to) ?? 0) + 1);
    for (const email of emails) expect(received.get(email) ?? 0, email).toBeLessThanOrEqual(1);
    for (const m of thankYous) {
      if (m.status === "sent") expect(received.get(m.recipient!), m.recipient!).toBe(1);
      else expect(m.status, m.recipient!).toBe("unknown"); // the one in flight when it died, if any
    }
    // At most one per job slot of the killed worker: its send jobs go out as one batch (decision 033)
    // of up to TRUSTLOOP_WORKER_CONCURRENCY (default 10), all of them in flight together.
    expect(thankYous.filter((m) => m.status === "unknown").length).toBeLessThanOrEqual(10);
  }, 120_000);
});
