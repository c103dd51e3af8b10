/// <reference types="@shopify/ui-extensions/purchase.thank-you.block.render" />
import { getExtension } from "@shopify/ui-extensions-tester";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const offer = {
  title: "Mug",
  percent: 15,
  code: "THANKS-ABC",
  cartUrl: "https://shop.example/cart/1:1?discount=THANKS-ABC",
  expiresAt: "2030-01-01T00:00:00.000Z",
};
const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json" } });
const text = () => document.body.textContent ?? "";

for (const target of ["purchase.thank-you.block.render", "customer-account.order-status.block.render"] as const) {
  describe(target, () => {
    const extension = getExtension(target);
    beforeEach(() => {
      extension.setUp();
      // The page's order as the host gives it: thank-you (orderConfirmation.number), order status (order.confirmationNumber).
      const api = extension.shopify as any;
      if (target === "purchase.thank-you.block.render")
        api.orderConfirmation.value = { order: { id: "gid://shopify/Order/1" }, number: "X7K2PQ9ZB", isFirstOrder: false };
      else api.order.value = { id: "gid://shopify/Order/1", name: "#1000", confirmationNumber: "X7K2PQ9ZB" };
    });
    afterEach(() => {
      extension.tearDown();
      vi.useRealTimers();
    });

    it("shows loading, then points and the offer", async () => {
      let resolve!: (r: Response) => void;
      const spy = vi.fn((_url: string, _init: any) => new Promise<Response>((r) => (resolve = r)));
      extension.fetch = spy as any;
      await extension.render();
      expect(text()).toContain("loading");
      await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(1));
      const [url, init] = spy.mock.calls[0];
      expect(url).toMatch(/\/api\/checkout\/order$/);
      expect(init.method).toBe("POST");
      expect(init.headers.Authorization).toBe("Bearer mock-session-token");
      expect(JSON.parse(init.body)).toMatchObject({ orderId: "gid://shopify/Order/1", confirmation: "X7K2PQ9ZB", event: "view" });
      resolve(json({ status: "ready", points: { earned: 80, status: "pending" }, offer }));
      await vi.waitFor(() => expect(text()).toContain("offerHeading"));
      expect(text()).toContain("pointsEarned");
      expect(document.body.querySelector("s-button")?.getAttribute("href") ?? (document.body.querySelector("s-button") as any)?.href).toBe(offer.cartUrl);
    });

    it("shows no offer when there is none", async () => {
      extension.fetch = vi.fn(async () => json({ status: "ready", points: { earned: 80, status: "approved" }, offer: null })) as any;
      await extension.render();
      await vi.waitFor(() => expect(text()).toContain("pointsApproved"));
      expect(document.body.querySelector("s-button")).toBeNull();
    });

    it("shows estimated points as pending and retries with backoff", async () => {
      vi.useFakeTimers({ toFake: ["setTimeout"] });
      const answers = [json({ status: "pending", estimatedPoints: 25 }), json({ status: "ready", points: { earned: 25, status: "pending" }, offer })];
      extension.fetch = vi.fn(async () => answers.shift()!) as any;
      await extension.render();
      await vi.waitFor(() => expect(text()).toContain("pointsPending"));
      expect(extension.fetch).toHaveBeenCalledTimes(1);
      await vi.advanceTimersByTimeAsync(1000);
      await vi.waitFor(() => expect(text()).toContain("offerHeading"));
      expect(extension.fetch).toHaveBeenCalledTimes(2);
    });

    it("shows a gentle line, never an error wall, when the API fails", async () => {
      extension.fetch = vi.fn(async () => json({ error: "boom" }, 500)) as any;
      await extension.render();
      await vi.waitFor(() => expect(text()).toContain("unavailable"));
      expect(document.body.querySelector("s-banner")).toBeNull();
    });

    it("hides itself when the app says the order is too old (410)", async () => {
      extension.fetch = vi.fn(async () => json({ error: "order too old" }, 410)) as any;
      await extension.render();
      await vi.waitFor(() => expect(extension.fetch).toHaveBeenCalledTimes(1));
      await new Promise((r) => setTimeout(r, 10));
      expect(text()).toBe("");
    });

    it("reports a click on the offer with the same order and number", async () => {
      const spy = vi.fn(async (_url: string, _init: any) => json({ status: "ready", points: { earned: 80, status: "pending" }, offer }));
      extension.fetch = spy as any;
      await extension.render();
      await vi.waitFor(() => expect(text()).toContain("offerHeading"));
      (document.body.querySelector("s-button") as any).click();
      await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(2));
      expect(JSON.parse(spy.mock.calls[1][1].body)).toEqual({ orderId: "gid://shopify/Order/1", confirmation: "X7K2PQ9ZB", event: "click" });
    });

    it("hides itself when the merchant turned both parts off", async () => {
      extension.shopify.settings.value = { show_points: false, show_offer: false } as any;
      extension.fetch = vi.fn(async () => json({ status: "ready", points: { earned: 80, status: "pending" }, offer })) as any;
      await extension.render();
      await new Promise((r) => setTimeout(r, 10));
      expect(text()).toBe("");
    });
  });
}
