// The branching of ensureApologyCode against a real PostgreSQL database and a scripted Admin API.
import type { DelaySettings, Order, Shop } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { makeOrder, makeShop } from "../../../tests/support/factories";
import { ManualClock } from "../clock";
import type { ShopGraphql } from "../shopify/products";
import { apologyCode, delaySettingsFor, DiscountRetryLater, ensureApologyCode, monthBounds } from "./apology";
import { recordRedemptions } from "./redemptions";

let temp: TempDb;
let shop: Shop;
let settings: DelaySettings;
let order: Order;
let clock: ManualClock;
let seq = 0;

type Call = { query: string; variables: Record<string, unknown> | undefined };
type Responder = (call: Call) => unknown;

/** A fake Admin API: answers each call with the next scripted responder (or the default). */
function fakeGraphql(script: Responder[], fallback?: Responder) {
  const calls: Call[] = [];
  const graphql: ShopGraphql = async (_shop, query, variables) => {
    const call = { query, variables };
    calls.push(call);
    const next = script.shift() ?? fallback;
    if (!next) throw new Error(`unexpected call: ${query.slice(0, 80)}`);
    return next(call);
  };
  return { graphql, calls, ops: () => calls.map((c) => (c.query.includes("discountCodeBasicCreate") ? "create" : "lookup")) };
}

const notFound: Responder = () => ({ codeDiscountNodeByCode: null });
const found: Responder = () => ({ codeDiscountNodeByCode: { id: "gid://shopify/DiscountCodeNode/77", codeDiscount: { title: "Trustloop apology #1001" } } });
const created: Responder = () => ({ discountCodeBasicCreate: { codeDiscountNode: { id: "gid://shopify/DiscountCodeNode/42" }, userErrors: [] } });
const userErrors =
  (...errors: { message: string; code?: string; field?: string[] }[]): Responder =>
  () => ({
    discountCodeBasicCreate: {
      codeDiscountNode: null,
      userErrors: errors.map((e) => ({ field: e.field ?? ["basicCodeDiscount"], message: e.message, code: e.code ?? "INVALID" })),
    },
  });
const retryable =
  (message: string): Responder =>
  () => {
    throw Object.assign(new Error(message), { name: "AdminApiError", retryable: true });
  };

async function newMessageId() {
  return `msg-${++seq}`;
}

useTempDb("apology", async (created) => {
  temp = created;
  shop = await makeShop(temp.db, { timezone: "America/New_York", primaryDomain: "shop.example.com" });
  order = await makeOrder(temp.db, shop, { name: "#1001", customer: { shopifyId: "gid://shopify/Customer/9" }, subtotalCents: 8000, totalCents: 8500 });
});
beforeEach(async () => {
  clock = new ManualClock(new Date("2026-11-20T15:00:00Z"));
  await temp.db.discountCode.deleteMany({});
  await temp.db.delaySettings.deleteMany({});
  settings = await delaySettingsFor(temp.db, shop.id);
});

const ensure = (graphql: ShopGraphql, messageId: string, s: Partial<DelaySettings> = {}, o: Partial<Order> = {}) =>
  ensureApologyCode({ db: temp.db, clock, graphql, timeoutMs: 200 }, { shop, settings: { ...settings, ...s }, messageId, order: { ...order, ...o } });

describe("apologyCode", () => {
  it("is deterministic per message, SORRY- and 8 Crockford characters, different across messages", () => {
    expect(apologyCode("m1")).toBe(apologyCode("m1"));
    expect(apologyCode("m1")).toMatch(/^SORRY-[0-9A-HJKMNP-TV-Z]{8}$/);
    const codes = new Set(Array.from({ length: 2000 }, (_, i) => apologyCode(`message-${i}`)));
    expect(codes.size).toBe(2000);
  });
});

describe("delaySettingsFor", () => {
  it("creates the defaults once", async () => {
    const again = await delaySettingsFor(temp.db, shop.id);
    expect(again).toMatchObject({ discountType: "percentage", discountValue: 10, discountExpiryDays: 30, monthlyMaxCodes: 100, monthlyMaxValueCents: null });
    expect(await temp.db.delaySettings.count()).toBe(1);
  });
});

describe("monthBounds", () => {
  it("uses the shop's calendar month, not UTC's", () => {
    // 03:00 UTC on Dec 1 is still November 30 in New York.
    const { start, end } = monthBounds(new Date("2026-12-01T03:00:00Z"), "America/New_York");
    expect(start.toISOString()).toBe("2026-11-01T04:00:00.000Z"); // EDT until Nov 1 02:00
    expect(end.toISOString()).toBe("2026-12-01T05:00:00.000Z");
  });
});

describe("ensureApologyCode", () => {
  it("creates a new code: pending row first, then the mutation with the customer, 10 % and 30 days", async () => {
    const id = await newMessageId();
    const api = fakeGraphql([
      async () => {
        // The row exists (pending) before Shopify is called.
        expect(await temp.db.discountCode.findUnique({ where: { messageId: id } })).toMatchObject({ status: "pending" });
        return { codeDiscountNodeByCode: null };
      },
      created,
    ]);
    const outcome = await ensure(api.graphql, id);
    expect(outcome).toEqual({
      kind: "code",
      code: apologyCode(id),
      endsAt: new Date("2026-12-20T15:00:00Z"),
      valueLabel: "10%",
      url: `https://shop.example.com/discount/${apologyCode(id)}`,
    });
    expect(api.ops()).toEqual(["lookup", "create"]);
    const input = (api.calls[1].variables as { input: Record<string, unknown> }).input;
    expect(input).toMatchObject({
      title: "Trustloop apology #1001",
      code: apologyCode(id),
      startsAt: "2026-11-20T15:00:00.000Z",
      endsAt: "2026-12-20T15:00:00.000Z",
      usageLimit: 1,
      appliesOncePerCustomer: true,
      customerSelection: { customers: { add: ["gid://shopify/Customer/9"] } },
      customerGets: { value: { percentage: 0.1 }, items: { all: true } },
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
    });
    expect(await temp.db.discountCode.findUnique({ where: { messageId: id } })).toMatchObject({
      status: "created",
      shopifyId: "gid://shopify/DiscountCodeNode/42",
      estimatedValueCents: 800,
      purpose: "apology",
      orderId: order.id,
    });

    // Called again: no API call at all.
    const quiet = fakeGraphql([]);
    expect(await ensure(quiet.graphql, id)).toEqual(outcome);
    expect(quiet.calls).toHaveLength(0);
  });

  it("fixed amount, no customer → all customers, value in the shop currency", async () => {
    const id = await newMessageId();
    const api = fakeGraphql([notFound, created]);
    const outcome = await ensure(api.graphql, id, { discountType: "fixed_amount", discountValue: 500 }, { customerShopifyId: null });
    expect(outcome).toMatchObject({ kind: "code", valueLabel: "$5.00" });
    const input = (api.calls[1].variables as { input: Record<string, unknown> }).input;
    expect(input).toMatchObject({
      customerSelection: { all: true },
      customerGets: { value: { discountAmount: { amount: "5.00", appliesOnEachItem: false } }, items: { all: true } },
    });
    expect(await temp.db.discountCode.findUnique({ where: { messageId: id } })).toMatchObject({ estimatedValueCents: 500, valueType: "fixed_amount" });
  });

  it("a pending row whose code Shopify already has (timeout earlier) → marked created, never created twice", async () => {
    const id = await newMessageId();
    const first = fakeGraphql([notFound, retryable("Admin API unreachable: fetch failed")]);
    await expect(ensure(first.graphql, id)).rejects.toBeInstanceOf(DiscountRetryLater);
    expect(await temp.db.discountCode.findUnique({ where: { messageId: id } })).toMatchObject({ status: "pending" });

    const second = fakeGraphql([found]);
    expect(await ensure(second.graphql, id)).toMatchObject({ kind: "code", code: apologyCode(id) });
    expect(second.ops()).toEqual(["lookup"]);
    expect(await temp.db.discountCode.findUnique({ where: { messageId: id } })).toMatchObject({
      status: "created",
      shopifyId: "gid://shopify/DiscountCodeNode/77",
    });
  });

  it("an answer that never comes counts as a timeout → DiscountRetryLater, row pending", async () => {
    const id = await newMessageId();
    const api = fakeGraphql([notFound, () => new Promise(() => {})]);
    await expect(ensure(api.graphql, id)).rejects.toThrow(/within 200 ms/);
    expect((await temp.db.discountCode.findUnique({ where: { messageId: id } }))?.status).toBe("pending");
  });

  it("THROTTLED → DiscountRetryLater; the next call creates it", async () => {
    const id = await newMessageId();
    await expect(ensure(fakeGraphql([notFound, retryable("Admin API 200 THROTTLED: Throttled")]).graphql, id)).rejects.toBeInstanceOf(DiscountRetryLater);
    const later = fakeGraphql([notFound, created]);
    expect(await ensure(later.graphql, id)).toMatchObject({ kind: "code" });
    expect(later.ops()).toEqual(["lookup", "create"]);
  });

  it("a TAKEN userError for our own code → looked up and treated as created", async () => {
    const id = await newMessageId();
    const api = fakeGraphql([
      notFound,
      userErrors({ message: "Code must be unique. Please try a different code.", code: "TAKEN", field: ["basicCodeDiscount", "code"] }),
      found,
    ]);
    expect(await ensure(api.graphql, id)).toMatchObject({ kind: "code" });
    expect(api.ops()).toEqual(["lookup", "create", "lookup"]);
    expect((await temp.db.discountCode.findUnique({ where: { messageId: id } }))?.status).toBe("created");
  });

  it("userErrors → failed with the messages, recorded, never retried silently", async () => {
    const id = await newMessageId();
    const api = fakeGraphql([notFound, userErrors({ message: "Customer does not exist" }, { message: "Ends at must be after starts at" })]);
    const outcome = await ensure(api.graphql, id);
    expect(outcome).toEqual({ kind: "failed", reason: "Shopify refused the discount code: Customer does not exist; Ends at must be after starts at" });
    expect(await temp.db.discountCode.findUnique({ where: { messageId: id } })).toMatchObject({
      status: "failed",
      error: outcome.kind === "failed" ? outcome.reason : "",
    });
    const quiet = fakeGraphql([]);
    expect(await ensure(quiet.graphql, id)).toEqual(outcome);
    expect(quiet.calls).toHaveLength(0);
  });

  it("a non-retryable error is thrown as is (the row stays pending)", async () => {
    const id = await newMessageId();
    const api = fakeGraphql([
      () => {
        throw Object.assign(new Error("no offline session"), { retryable: false });
      },
    ]);
    await expect(ensure(api.graphql, id)).rejects.toThrow("no offline session");
    expect((await temp.db.discountCode.findUnique({ where: { messageId: id } }))?.status).toBe("pending");
  });

  it("over the monthly code budget → none, no row, no API call", async () => {
    const api = fakeGraphql([], (c) => (c.query.includes("discountCodeBasicCreate") ? created(c) : notFound(c)));
    await ensure(api.graphql, await newMessageId(), { monthlyMaxCodes: 2 });
    await ensure(api.graphql, await newMessageId(), { monthlyMaxCodes: 2 });
    const calls = api.calls.length;
    const id = await newMessageId();
    expect(await ensure(api.graphql, id, { monthlyMaxCodes: 2 })).toEqual({ kind: "none", reason: "monthly apology budget reached (2 codes / $16.00)" });
    expect(api.calls.length).toBe(calls);
    expect(await temp.db.discountCode.findUnique({ where: { messageId: id } })).toBeNull();

    // Failed codes do not count; a new month starts afresh (shop timezone).
    clock = new ManualClock(new Date("2026-12-01T05:30:00Z"));
    expect(await ensure(api.graphql, id, { monthlyMaxCodes: 2 })).toMatchObject({ kind: "code" });
  });

  it("over the monthly value budget → none (percentage codes count percent × subtotal)", async () => {
    const api = fakeGraphql([], (c) => (c.query.includes("discountCodeBasicCreate") ? created(c) : notFound(c)));
    expect(await ensure(api.graphql, await newMessageId(), { monthlyMaxCodes: null, monthlyMaxValueCents: 1500 })).toMatchObject({ kind: "code" }); // 8.00
    expect(await ensure(api.graphql, await newMessageId(), { monthlyMaxCodes: null, monthlyMaxValueCents: 1500 })).toEqual({
      kind: "none",
      reason: "monthly apology budget reached (1 codes / $8.00)",
    });
    // A smaller order still fits.
    expect(await ensure(api.graphql, await newMessageId(), { monthlyMaxCodes: null, monthlyMaxValueCents: 1500 }, { subtotalCents: 7000 })).toMatchObject({
      kind: "code",
    });
  });
});

describe("the monthly budget under concurrency", () => {
  it("notices of one shop prepared at once never take more codes than the budget", async () => {
    const api = fakeGraphql([], (c) => (c.query.includes("discountCodeBasicCreate") ? created(c) : notFound(c)));
    const ids = await Promise.all(Array.from({ length: 8 }, () => newMessageId()));
    const outcomes = await Promise.all(ids.map((id) => ensure(api.graphql, id, { monthlyMaxCodes: 3 })));
    expect(outcomes.filter((o) => o.kind === "code").length).toBe(3);
    expect(outcomes.filter((o) => o.kind === "none").length).toBe(5);
    expect(await temp.db.discountCode.count({ where: { shopId: shop.id, purpose: "apology" } })).toBe(3);
  });

  it("the same message prepared twice at once makes one code", async () => {
    const api = fakeGraphql([], (c) => (c.query.includes("discountCodeBasicCreate") ? created(c) : notFound(c)));
    const id = await newMessageId();
    const [a, b] = await Promise.all([ensure(api.graphql, id), ensure(api.graphql, id)]);
    expect(a).toMatchObject({ kind: "code", code: apologyCode(id) });
    expect(b).toMatchObject({ kind: "code", code: apologyCode(id) });
    expect(await temp.db.discountCode.count({ where: { messageId: id } })).toBe(1);
  });

  it("the first use of the delay settings by concurrent callers creates them once", async () => {
    await temp.db.delaySettings.deleteMany({});
    const all = await Promise.all(Array.from({ length: 6 }, () => delaySettingsFor(temp.db, shop.id)));
    expect(all.every((s) => s.shopId === shop.id)).toBe(true);
  });
});

describe("recordRedemptions", () => {
  it("marks a created code once, case-insensitively; unknown and other shops' codes are ignored", async () => {
    const id = await newMessageId();
    await ensure(fakeGraphql([notFound, created]).graphql, id);
    const code = apologyCode(id);
    const placedAt = new Date("2026-11-25T10:00:00Z");
    expect(await recordRedemptions(temp.db, "another-shop", { shopifyId: "gid://shopify/Order/5", totalCents: 100, placedAt }, [code])).toBe(0);
    expect(
      await recordRedemptions(temp.db, shop.id, { shopifyId: "gid://shopify/Order/2", totalCents: 4200, placedAt }, [code.toLowerCase(), "WELCOME10"]),
    ).toBe(1);
    expect(await recordRedemptions(temp.db, shop.id, { shopifyId: "gid://shopify/Order/3", totalCents: 9900, placedAt: new Date() }, [code])).toBe(0);
    expect(await temp.db.discountCode.findUnique({ where: { messageId: id } })).toMatchObject({
      redeemedAt: placedAt,
      redeemedOrderGid: "gid://shopify/Order/2",
      redeemedRevenueCents: 4200,
    });
    expect(await recordRedemptions(temp.db, shop.id, { shopifyId: "gid://shopify/Order/4", totalCents: 1, placedAt }, [])).toBe(0);
  });
});
