// Due messages for the send benchmarks (bench/dispatch.ts, bench/scale.ts): one shop with quiet
// hours off and the thank_you preset flow, then per message an order (2 line items), its customer
// and a due "scheduled" Message with a distinct recipient (so the frequency cap never defers).
// Written with createMany through the app's Prisma client: the Message trigger adds each one's
// `message_send` queue job, as planning does.
import type { Db } from "../app/db.server";
import { dedupeKey, messageIdLocalPart } from "../app/engine/flows/planner";
import { FLOW_PRESETS } from "../app/engine/flows/presets";

export const BENCH_SHOP_DOMAIN = "trustloop-bench.myshopify.com";

export async function seedShop(db: Db, now: Date) {
  const shop = await db.shop.create({
    data: {
      domain: BENCH_SHOP_DOMAIN,
      name: "Trustloop Bench Store",
      contactEmail: "support@trustloop-bench.example",
      timezone: "America/New_York",
      currency: "USD",
      primaryDomain: "shop.trustloop-bench.example",
      address: "1 Bench Street, Portland OR 97205, United States",
      installedAt: new Date(now.getTime() - 30 * 86_400_000),
      quietHoursStart: "00:00", // start == end: no quiet hours
      quietHoursEnd: "00:00",
    },
  });
  const preset = FLOW_PRESETS.find((p) => p.key === "thank_you")!;
  const flow = await db.flow.create({
    data: {
      shopId: shop.id,
      key: preset.key,
      name: preset.name,
      trigger: preset.trigger,
      delayMinutes: preset.delayMinutes,
      category: preset.category,
      subject: preset.subject,
      body: preset.body,
    },
  });
  return { shopId: shop.id, flowId: flow.id };
}

export interface SeedOptions {
  /**
   * Line items carry product ids (default true): the send then looks the products up through the
   * Admin API (links and images). false: no product ids, so no Admin API call is made at all.
   */
  products?: boolean;
}

/**
 * Orders (2 line items, a customer) and one due scheduled message each, numbered from `from`
 * (distinct numbers across calls: ids, recipients and dedupe keys derive from them). Returns the
 * messages' rfcMessageId local parts.
 */
export async function seedMessages(
  db: Db,
  now: Date,
  shopId: string,
  flowId: string,
  from: number,
  count: number,
  options: SeedOptions = {},
): Promise<string[]> {
  const CHUNK = 200;
  const products = options.products ?? true;
  const rfcIds: string[] = [];
  for (let start = from; start < from + count; start += CHUNK) {
    const ids = Array.from({ length: Math.min(CHUNK, from + count - start) }, (_, i) => start + i);
    const placedAt = new Date(now.getTime() - 3_600_000);
    await db.customer.createMany({
      data: ids.map((n) => ({
        id: `cus${n}`,
        shopId,
        shopifyId: `gid://shopify/Customer/${7_100_000 + n}`,
        email: `buyer${n}@example.com`,
        firstName: `Buyer${n}`,
        lastName: "Bench",
        locale: "en-US",
      })),
    });
    await db.order.createMany({
      data: ids.map((n) => ({
        id: `ord${n}`,
        shopId,
        shopifyId: `gid://shopify/Order/${5_800_000 + n}`,
        placeholder: false,
        name: `#B${1000 + n}`,
        customerShopifyId: `gid://shopify/Customer/${7_100_000 + n}`,
        email: `buyer${n}@example.com`,
        locale: "en-US",
        shipCountry: "US",
        shipProvince: "OR",
        currency: "USD",
        subtotalCents: 8700,
        totalCents: 9500,
        totalShippingCents: 800,
        financialStatus: "paid",
        placedAt,
        shopifyUpdatedAt: placedAt,
      })),
    });
    await db.lineItem.createMany({
      data: ids.flatMap((n) => [
        {
          orderId: `ord${n}`,
          shopifyId: `${n}1`,
          productId: products ? "gid://shopify/Product/8000000001" : null,
          variantId: products ? "gid://shopify/ProductVariant/45000000001" : null,
          title: "Merino Wool Sweater",
          variant: "Medium",
          sku: "BENCH-1",
          quantity: 1,
          priceCents: 6200,
        },
        {
          orderId: `ord${n}`,
          shopifyId: `${n}2`,
          productId: products ? "gid://shopify/Product/8000000002" : null,
          variantId: products ? "gid://shopify/ProductVariant/45000000002" : null,
          title: "Organic Cotton Socks",
          variant: null,
          sku: "BENCH-2",
          quantity: 2,
          priceCents: 1250,
        },
      ]),
    });
    const rows = ids.map((n) => {
      const key = dedupeKey(shopId, `gid://shopify/Order/${5_800_000 + n}`, "thank_you", "main");
      const dueAt = new Date(placedAt.getTime() + 15 * 60_000);
      return {
        shopId,
        orderId: `ord${n}`,
        flowId,
        step: "main",
        dedupeKey: key,
        category: "service" as const,
        status: "scheduled" as const,
        customerShopifyId: `gid://shopify/Customer/${7_100_000 + n}`,
        recipient: `buyer${n}@example.com`,
        timezone: "America/Los_Angeles",
        anchor: "order_created",
        anchorAt: placedAt,
        dueAt,
        sendAt: dueAt,
        rfcMessageId: messageIdLocalPart(key),
      };
    });
    await db.message.createMany({ data: rows });
    rfcIds.push(...rows.map((r) => r.rfcMessageId));
  }
  return rfcIds;
}
