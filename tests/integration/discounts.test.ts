// Apology codes through the real Admin API path: the app's shopGraphql (offline token from the
// install, the sandbox seam) against the emulator over HTTP, with its faults; then a customer uses the
// code at checkout and the redemption is recorded.
import type { DelaySettings, Order, Shop } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import type { ApologyOutcome } from "../../app/engine/discounts/apology";
import { type Stack, discountCodeCreateCalls } from "../support/stack";
import { useStack } from "../support/use-stack";

type ApologyModule = typeof import("../../app/engine/discounts/apology");
type RedemptionsModule = typeof import("../../app/engine/discounts/redemptions");
type AdminClientModule = typeof import("../../app/shopify/admin-client.server");

let stack: Stack;
let shopDomain: string;
let apology: ApologyModule;
let redemptions: RedemptionsModule;
let graphql: ReturnType<AdminClientModule["shopGraphql"]>;
let shop: Shop;
let settings: DelaySettings;
let order: Order;
let customerEmail: string;
let seq = 0;

const clock = { now: () => new Date() }; // sandbox time is not moved in this file
const nextMessageId = () => `it-apology-${process.pid}-${++seq}`;

async function ensure(messageId: string, overrides: Partial<DelaySettings> = {}, timeoutMs = 10_000): Promise<ApologyOutcome> {
  return apology.ensureApologyCode({ db: stack.db, clock, graphql, timeoutMs }, { shop, settings: { ...settings, ...overrides }, messageId, order });
}

const emulatorCodes = (code: string) => stack.services.emulator.shop(shopDomain).discounts.filter((d) => d.code === code);
const createCalls = (code: string) => discountCodeCreateCalls(stack, shopDomain, code);

useStack({ install: true }, async (started) => {
  stack = started;
  shopDomain = stack.services.demoShop;
  // env.server.ts reads process.env lazily: point this process at the stack before importing app code.
  Object.assign(process.env, stack.env);
  apology = await import("../../app/engine/discounts/apology");
  redemptions = await import("../../app/engine/discounts/redemptions");
  graphql = (await import("../../app/shopify/admin-client.server")).shopGraphql(stack.db);

  shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  settings = await apology.delaySettingsFor(stack.db, shop.id);
  customerEmail = `apology-${process.pid}@example.com`;
  const placed = await stack.place({ email: customerEmail, country: "US", province: "NY", lineItems: [{ title: "Lamp", price: "80.00" }] });
  order = await stack.db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: `gid://shopify/Order/${placed.orderId}` } });
  expect(order).toMatchObject({ subtotalCents: 8000, customerShopifyId: `gid://shopify/Customer/${placed.customerId}` });
});
beforeEach(() => {
  stack.services.emulator.clearFaults();
});

describe("apology codes against the emulator", () => {
  it("creates a working, customer-limited, single-use code the emulator recorded and can find", async () => {
    const messageId = nextMessageId();
    const outcome = await ensure(messageId);
    const code = apology.apologyCode(messageId);
    expect(outcome).toMatchObject({ kind: "code", code, valueLabel: "10%", url: `https://shop.trustloop-demo.example/discount/${code}` });

    const calls = await stack.emulator<{ operationName: string | null; variables: { input?: Record<string, unknown> } | null }[]>(
      `/admin-calls?shop=${shopDomain}`,
    );
    const create = calls.find((c) => c.operationName === "TrustloopApologyCode" && c.variables?.input?.code === code);
    expect(create?.variables?.input).toMatchObject({
      title: `Trustloop apology ${order.name}`,
      usageLimit: 1,
      appliesOncePerCustomer: true,
      customerSelection: { customers: { add: [order.customerShopifyId] } },
      customerGets: { value: { percentage: 0.1 }, items: { all: true } },
    });
    const found = (await graphql(
      shopDomain,
      `
        query ($code: String!) {
          codeDiscountNodeByCode(code: $code) {
            id
            codeDiscount {
              ... on DiscountCodeBasic {
                title
                usageLimit
              }
            }
          }
        }
      `,
      { code },
    )) as {
      codeDiscountNodeByCode: { id: string; codeDiscount: { title: string; usageLimit: number } } | null;
    };
    expect(found.codeDiscountNodeByCode?.codeDiscount).toEqual({ title: `Trustloop apology ${order.name}`, usageLimit: 1 });
    expect(await stack.db.discountCode.findUniqueOrThrow({ where: { messageId } })).toMatchObject({
      status: "created",
      shopifyId: found.codeDiscountNodeByCode!.id,
      estimatedValueCents: 800,
    });

    // Asked again (a retried send): the same code, no second create.
    expect(await ensure(messageId)).toEqual(outcome);
    expect(createCalls(code)).toHaveLength(1);
  });

  it("timeout-after-apply → DiscountRetryLater; the retry finds the code it created: exactly one in the shop", async () => {
    const messageId = nextMessageId();
    const code = apology.apologyCode(messageId);
    await stack.emulator("/faults", { operation: "discountCodeBasicCreate", mode: "timeout-after-apply" });
    await expect(ensure(messageId, {}, 1500)).rejects.toBeInstanceOf(apology.DiscountRetryLater);
    expect((await stack.db.discountCode.findUniqueOrThrow({ where: { messageId } })).status).toBe("pending");
    expect(emulatorCodes(code)).toHaveLength(1); // Shopify did create it; we never heard back

    expect(await ensure(messageId)).toMatchObject({ kind: "code", code });
    expect(emulatorCodes(code)).toHaveLength(1);
    expect(createCalls(code)).toHaveLength(1);
    expect((await stack.db.discountCode.findUniqueOrThrow({ where: { messageId } })).status).toBe("created");
  });

  it("THROTTLED → DiscountRetryLater, and a later attempt succeeds", async () => {
    const messageId = nextMessageId();
    const code = apology.apologyCode(messageId);
    await stack.emulator("/faults", { operation: "discountCodeBasicCreate", mode: "throttled" });
    await expect(ensure(messageId)).rejects.toThrow(apology.DiscountRetryLater);
    expect(emulatorCodes(code)).toHaveLength(0);
    expect(await ensure(messageId)).toMatchObject({ kind: "code", code });
    expect(emulatorCodes(code)).toHaveLength(1);
  });

  it("a userErrors answer → failed with Shopify's message, recorded on the code row", async () => {
    const messageId = nextMessageId();
    await stack.emulator("/faults", { operation: "discountCodeBasicCreate", mode: "user-error", message: "Discount could not be created: shop is frozen" });
    const outcome = await ensure(messageId);
    expect(outcome).toEqual({ kind: "failed", reason: "Shopify refused the discount code: Discount could not be created: shop is frozen" });
    expect(await stack.db.discountCode.findUniqueOrThrow({ where: { messageId } })).toMatchObject({
      status: "failed",
      error: outcome.kind === "failed" ? outcome.reason : "",
    });
    expect(emulatorCodes(apology.apologyCode(messageId))).toHaveLength(0);
  });

  it("budget exhausted → none with the reason, no code anywhere", async () => {
    const messageId = nextMessageId();
    const used = await apology.monthlyUsage(stack.db, shop, clock.now());
    const outcome = await ensure(messageId, { monthlyMaxCodes: used.codes });
    expect(outcome).toEqual({ kind: "none", reason: `monthly apology budget reached (${used.codes} codes / $${(used.valueCents / 100).toFixed(2)})` });
    expect(await stack.db.discountCode.findUnique({ where: { messageId } })).toBeNull();
    expect(emulatorCodes(apology.apologyCode(messageId))).toHaveLength(0);
  });

  it("an order placed with the code is recorded as a redemption with its revenue", async () => {
    const messageId = nextMessageId();
    const outcome = await ensure(messageId);
    if (outcome.kind !== "code") throw new Error(`expected a code, got ${JSON.stringify(outcome)}`);

    // Checkout refuses it to anyone else; the customer it was made for gets 10 % off.
    await expect(stack.place({ email: `someone-else-${process.pid}@example.com`, discountCode: outcome.code })).rejects.toThrow(/422/);
    const placed = await stack.place({ email: customerEmail, discountCode: outcome.code, lineItems: [{ title: "Vase", price: "50.00" }] });
    const created = placed.webhooks.find((w) => w.topic === "orders/create")!;
    const payload = JSON.parse(stack.services.emulator.sentWebhook(created.id)!.body) as { discount_codes: { code: string; amount: string; type: string }[] };
    expect(payload.discount_codes).toEqual([{ code: outcome.code, amount: "5.00", type: "percentage" }]);

    const mirrored = await stack.db.order.findFirstOrThrow({ where: { shopId: shop.id, shopifyId: `gid://shopify/Order/${placed.orderId}` } });
    expect(mirrored.totalCents).toBe(4500);
    // The webhook path does not call recordRedemptions yet (the lead wires it): call it as it will.
    await redemptions.recordRedemptions(
      stack.db,
      shop.id,
      { shopifyId: mirrored.shopifyId, totalCents: mirrored.totalCents, placedAt: mirrored.placedAt! },
      payload.discount_codes.map((d) => d.code),
    );
    expect(await stack.db.discountCode.findUniqueOrThrow({ where: { messageId } })).toMatchObject({
      redeemedOrderGid: mirrored.shopifyId,
      redeemedRevenueCents: 4500,
      redeemedAt: mirrored.placedAt,
    });
    // Single use: a second order with it is refused at checkout.
    await expect(stack.place({ email: customerEmail, discountCode: outcome.code })).rejects.toThrow(/422/);
  });
});
