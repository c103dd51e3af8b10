import { describe, expect, it } from "vitest";
import { FLOW_PRESETS } from "../../app/engine/flows/presets";
import { postWebhook, type Stack } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
let shop: string;

useStack({}, (started) => {
  stack = started;
  shop = stack.services.demoShop;
});

async function snapshot() {
  const shopRow = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop }, include: { flows: { orderBy: { key: "asc" } } } });
  const sessions = await stack.db.session.findMany({ where: { shop } });
  return { shopRow, sessions };
}

describe("install through token exchange", () => {
  it("stores the offline session, creates the shop with its settings and the enabled presets", async () => {
    const response = await stack.install();
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Trustloop Demo Outfitters");

    const { shopRow, sessions } = await snapshot();
    expect(sessions.filter((s) => !s.isOnline)).toHaveLength(1);
    expect(sessions.find((s) => !s.isOnline)!.accessToken).toMatch(/.+/);
    expect(shopRow).toMatchObject({
      name: "Trustloop Demo Outfitters",
      timezone: "America/New_York",
      currency: "USD",
      contactEmail: "owner@trustloop-demo.example",
      primaryDomain: "shop.trustloop-demo.example",
      status: "installed",
    });
    expect(shopRow.flows.map((f) => f.key).sort()).toEqual(FLOW_PRESETS.map((p) => p.key).sort());
    expect(shopRow.flows.every((f) => f.enabled)).toBe(true);

    const calls = await stack.emulator<{ query: string; shop: string }[]>("/admin-calls");
    expect(calls.some((c) => c.shop === shop && c.query.includes("ianaTimezone"))).toBe(true);
  });

  it("changes nothing when it runs again, and keeps the merchant's edits", async () => {
    const flow = await stack.db.flow.findFirstOrThrow({ where: { shop: { domain: shop }, key: "thank_you" } });
    await stack.db.flow.update({ where: { id: flow.id }, data: { enabled: false, subject: "Merci !" } });
    const before = await snapshot();

    await stack.db.session.deleteMany({ where: { shop } }); // forces a fresh token exchange
    expect((await stack.install()).status).toBe(200);
    const after = await snapshot();

    expect(after.shopRow.id).toBe(before.shopRow.id);
    expect(after.shopRow.installedAt).toEqual(before.shopRow.installedAt);
    expect(after.shopRow.flows.map(({ id, enabled, subject, updatedAt }) => ({ id, enabled, subject, updatedAt }))).toEqual(
      before.shopRow.flows.map(({ id, enabled, subject, updatedAt }) => ({ id, enabled, subject, updatedAt })),
    );
    expect(after.sessions.filter((s) => !s.isOnline)).toHaveLength(1);
    expect(await stack.db.shop.count()).toBe(1);
  });

  it("refuses an admin request without a valid session token", async () => {
    const response = await fetch(`${stack.appUrl}/app?embedded=1&shop=${shop}&id_token=forged.token.value`, {
      headers: { "User-Agent": "Mozilla/5.0 Chrome/131" },
      redirect: "manual",
    });
    expect([302, 401, 400]).toContain(response.status);
    expect(await response.text()).not.toContain("Trustloop Demo Outfitters");
  });

  it("app/uninstalled removes sessions, marks the shop uninstalled and cancels its pending work", async () => {
    const shopRow = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    await stack.db.job.create({ data: { kind: "test.pending", key: "uninstall-1", shopId: shopRow.id, runAt: new Date(Date.now() + 3600_000) } });
    await stack.db.flow.updateMany({ where: { shopId: shopRow.id, key: "thank_you" }, data: { enabled: true } });
    const placed = await stack.place({ email: "pending@example.com", country: "FR" });
    const pending = await stack.db.message.findFirstOrThrow({ where: { order: { shopifyId: `gid://shopify/Order/${placed.orderId}` } } });
    expect(pending.status).toBe("scheduled");

    await stack.emulator(`/shops/${shop}/uninstall`, {});

    expect(await stack.db.session.count({ where: { shop } })).toBe(0);
    const after = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(after.status).toBe("uninstalled");
    expect(after.uninstalledAt).not.toBeNull();
    const job = await stack.db.job.findFirstOrThrow({ where: { key: "uninstall-1" } });
    expect(job).toMatchObject({ status: "cancelled", cancelReason: "shop uninstalled" });
    expect(await stack.db.message.findUniqueOrThrow({ where: { id: pending.id } })).toMatchObject({ status: "cancelled", reason: "shop uninstalled" });

    // Re-installing brings it back with the same flows.
    expect((await stack.install()).status).toBe(200);
    expect((await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } })).status).toBe("installed");
  });

  it("ignores an app/uninstalled raised before the current install (a late delivery) and keeps the reinstalled shop", async () => {
    const reinstalled = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(reinstalled.status).toBe("installed");
    await stack.db.job.create({ data: { kind: "test.pending", key: "late-uninstall", shopId: reinstalled.id, runAt: new Date(Date.now() + 3600_000) } });
    // Raised a second before the reinstall, as Shopify writes it (nanoseconds).
    const staleAt = new Date(reinstalled.installedAt!.getTime() - 1000).toISOString().replace("Z", "123456Z");

    const response = await postWebhook(stack.appUrl, "app/uninstalled", { id: 1, domain: shop }, { shop, webhookId: "late-uninstall", triggeredAt: staleAt });
    expect(response.status).toBe(200);
    // The delivery log says why it changed nothing.
    expect(await stack.db.webhookDelivery.findFirstOrThrow({ where: { shopDomain: shop, webhookId: "late-uninstall" } })).toMatchObject({
      status: "applied",
      reason: "ignored: raised before the current install",
    });

    const after = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
    expect(after).toMatchObject({ status: "installed", uninstalledAt: null });
    expect(await stack.db.session.count({ where: { shop, isOnline: false } })).toBe(1);
    expect(await stack.db.job.findFirstOrThrow({ where: { key: "late-uninstall" } })).toMatchObject({ status: "pending" });

    // One raised after the install still uninstalls.
    const current = await postWebhook(
      stack.appUrl,
      "app/uninstalled",
      { id: 1, domain: shop },
      { shop, triggeredAt: new Date(after.installedAt!.getTime() + 1000).toISOString() },
    );
    expect(current.status).toBe(200);
    expect((await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } })).status).toBe("uninstalled");
    expect(await stack.db.session.count({ where: { shop } })).toBe(0);
  });
});
