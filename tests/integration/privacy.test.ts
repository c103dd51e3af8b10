import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TABLE_COVERAGE } from "../../app/engine/privacy/coverage";
import { startStack, type Stack } from "../support/stack";

let stack: Stack;
const OTHER_SHOP = "second-shop.myshopify.com";

beforeAll(async () => {
  stack = await startStack();
  expect((await stack.install()).status).toBe(200);
  expect((await stack.install(OTHER_SHOP)).status).toBe(200);
});
afterAll(async () => {
  await stack?.stop();
});

interface Placed {
  orderId: string;
  customerId: string;
  email: string;
}

/** An order with a shipment, a carrier scan and a refund: rows in every customer-data table. */
async function fullOrder(shop: string, email: string): Promise<Placed> {
  const placed = await stack.control<Placed>(`/sandbox/api/orders?shop=${shop}`, { email, country: "DE" });
  const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill?shop=${shop}`, { trackingNumber: `T-${email}` });
  await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events?shop=${shop}`, { status: "in_transit" });
  await stack.control(`/sandbox/api/orders/${placed.orderId}/refund?shop=${shop}`, { amount: "1.00" });
  await stack.emulator(`/shops/${shop}/webhooks`, {
    topic: "customers/data_request",
    payload: { shop_domain: shop, customer: { id: Number(placed.customerId), email }, orders_requested: [Number(placed.orderId)], data_request: { id: 1 } },
  });
  return placed;
}

/** Rows in each customer-data table that belong to this customer. */
async function customerRows(shopDomain: string, who: Placed) {
  const shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const orderGid = `gid://shopify/Order/${who.orderId}`;
  const orders = await stack.db.order.findMany({ where: { shopId: shop.id, shopifyId: orderGid } });
  const orderIds = orders.map((o) => o.id);
  const fulfillments = await stack.db.fulfillment.findMany({ where: { orderId: { in: orderIds } } });
  return {
    Customer: await stack.db.customer.count({ where: { shopId: shop.id, OR: [{ shopifyId: `gid://shopify/Customer/${who.customerId}` }, { email: who.email }] } }),
    Order: orders.length,
    LineItem: await stack.db.lineItem.count({ where: { orderId: { in: orderIds } } }),
    Fulfillment: fulfillments.length,
    FulfillmentEvent: await stack.db.fulfillmentEvent.count({ where: { fulfillmentId: { in: fulfillments.map((f) => f.id) } } }),
    Refund: await stack.db.refund.count({ where: { orderId: { in: orderIds } } }),
    DataRequest: await stack.db.dataRequest.count({ where: { shopId: shop.id, customerEmail: who.email } }),
  };
}

describe("privacy coverage", () => {
  it("classifies every table of the schema", () => {
    const models = Prisma.dmmf.datamodel.models.map((m) => m.name).sort();
    expect(Object.keys(TABLE_COVERAGE).sort()).toEqual(models);
  });

  it("customers/redact removes that customer's data from every table, and nobody else's", async () => {
    const shop = stack.services.demoShop;
    const ada = await fullOrder(shop, "ada@example.com");
    const bob = await fullOrder(shop, "bob@example.com");
    const customerTables = Object.entries(TABLE_COVERAGE).filter(([, c]) => c.holds === "customer data").map(([t]) => t).sort();

    const before = await customerRows(shop, ada);
    expect(Object.keys(before).sort()).toEqual(customerTables);
    for (const [table, count] of Object.entries(before)) expect(count, `${table} before`).toBeGreaterThan(0);

    await stack.emulator(`/shops/${shop}/webhooks`, {
      topic: "customers/redact",
      payload: { shop_domain: shop, customer: { id: Number(ada.customerId), email: ada.email }, orders_to_redact: [Number(ada.orderId)] },
    });

    const after = await customerRows(shop, ada);
    for (const [table, count] of Object.entries(after)) expect(count, `${table} after`).toBe(0);
    const untouched = await customerRows(shop, bob);
    for (const [table, count] of Object.entries(untouched)) expect(count, `${table} of another customer`).toBeGreaterThan(0);
  });

  it("shop/redact removes everything of that shop and nothing of another", async () => {
    const shop = stack.services.demoShop;
    const kept = await fullOrder(OTHER_SHOP, "carol@example.com");
    await stack.emulator(`/shops/${shop}/webhooks`, { topic: "shop/redact", payload: { shop_id: 1, shop_domain: shop } });

    expect(await stack.db.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await stack.db.session.count({ where: { shop } })).toBe(0);
    // Only the receipt of shop/redact itself remains (it holds no payload).
    expect((await stack.db.webhookDelivery.findMany({ where: { shopDomain: shop } })).map((d) => d.topic)).toEqual(["shop/redact"]);
    const otherShop = await stack.db.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    for (const model of ["order", "customer", "flow", "dataRequest", "fulfillment", "refund"] as const) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const total = await (stack.db[model] as any).count();
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const ofOther = await (stack.db[model] as any).count({ where: { shopId: otherShop.id } });
      expect(total, model).toBe(ofOther);
    }
    const rows = await customerRows(OTHER_SHOP, kept);
    for (const [table, count] of Object.entries(rows)) expect(count, `${table} of the other shop`).toBeGreaterThan(0);
  });
});
