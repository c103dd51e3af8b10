import fs from "node:fs";
import path from "node:path";
import { Prisma } from "@prisma/client";
import { describe, expect, it } from "vitest";
import { ERASURE_JOB_KIND } from "../../app/db.server";
import { TABLE_COVERAGE } from "../../app/engine/privacy/coverage";
import { resolveCustomerScope } from "../../app/engine/privacy/customer-scope";
import { FLOW_ACTIONS, FLOW_TRIGGERS } from "../../app/engine/flow/definitions";
import { actionRunBody, postFlowRequest, postLifecycle } from "../../sandbox/emulator/flow-requests";
import { mintIdToken } from "../../sandbox/emulator/id-token";
import { clickUrl, unsubscribeUrl } from "../../app/engine/links/urls";
import { checkoutToken, postCheckout } from "../support/checkout-token";
import { redactBuyer, requestCustomerData } from "../support/compliance";
import { API_KEY, API_SECRET, BROWSER_UA, testLinkKeys, type Stack, type PlacedOrder, postForm } from "../support/stack";
import { useStack } from "../support/use-stack";

let stack: Stack;
const OTHER_SHOP = "second-shop.myshopify.com";

useStack({ install: true }, async (started) => {
  stack = started;
  expect((await stack.install(OTHER_SHOP)).status).toBe(200);
  // The worker creates apology codes; no quiet hours or cap may hold the notices back.
  await stack.db.shop.updateMany({ data: { quietHoursStart: "00:00", quietHoursEnd: "00:00", frequencyCapCount: 10 } });
  for (const shop of await stack.db.shop.findMany()) {
    const variant = stack.services.emulator.shop(shop.domain).products[0].variants[0];
    await stack.db.offerRule.create({
      data: {
        shopId: shop.id,
        name: "Any order",
        anyOrder: true,
        offerVariantId: `gid://shopify/ProductVariant/${variant.id}`,
        offerTitle: "Next time",
        discountPercent: 10,
      },
    });
  }
  await stack.startWorker();
});

type Placed = PlacedOrder & { fulfillmentId?: string };

const secret = () => testLinkKeys();

/**
 * A customer with rows in every customer-data table, all made through the real paths: two orders
 * (shipment, carrier scan, refund), a data request, a click on our email (so the second order is
 * attributed to it) and an unsubscribe.
 */
async function fullCustomer(shop: string, email: string, name: { firstName?: string; lastName?: string } = {}): Promise<Placed> {
  const placed = await stack.place({ email, country: "DE", ...name }, shop);
  const { fulfillmentId } = await stack.control<{ fulfillmentId: string }>(`/sandbox/api/orders/${placed.orderId}/fulfill?shop=${shop}`, {
    trackingNumber: `T-${email}`,
  });
  await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events?shop=${shop}`, { status: "in_transit" });
  await stack.control(`/sandbox/api/orders/${placed.orderId}/refund?shop=${shop}`, { amount: "1.00" });
  await requestCustomerData(stack, shop, placed, 1);
  const message = await stack.db.message.findFirstOrThrow({ where: { recipient: email } });
  const shopRow = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
  const click = await fetch(clickUrl(stack.appUrl, secret(), message.id, `https://${shopRow.primaryDomain ?? shop}/products/socks`), { redirect: "manual" });
  expect(click.status).toBe(302);
  await stack.place({ email, country: "DE" }, shop); // attributed to the click
  const unsubscribe = await postForm(unsubscribeUrl(stack.appUrl, secret(), message.id), "List-Unsubscribe=One-Click");
  expect(unsubscribe.status).toBe(200);
  // One click stops surveys too: the preferences page takes them back, so the answers below can come.
  const surveysBack = await postForm(unsubscribeUrl(stack.appUrl, secret(), message.id), "intent=preferences&surveys=on");
  expect(surveysBack.status).toBe(200);
  // A carrier delay: an incident, and a notice whose apology code the worker creates in the shop.
  await stack.control(`/sandbox/api/fulfillments/${fulfillmentId}/events?shop=${shop}`, { status: "delayed" });
  const order = await stack.db.order.findFirstOrThrow({ where: { shopId: shopRow.id, shopifyId: `gid://shopify/Order/${placed.orderId}` } });
  await expect.poll(() => stack.db.discountCode.count({ where: { orderId: order.id, status: "created" } }), { timeout: 20_000 }).toBe(1);
  // The thank-you page asked for this order's offer: a grant with its own code.
  const offer = await postCheckout(stack.appUrl, checkoutToken(shop), { orderId: order.shopifyId, confirmation: order.confirmationNumber, event: "view" });
  expect(offer.status).toBe(200);
  return { ...placed, fulfillmentId };
}

/**
 * Delivered, then two weeks later: a review and an NPS answer (a detractor: a case opens), each told
 * to a Shopify Flow workflow; then Flow awards points and pauses Trustloop's emails for the customer.
 */
async function answerSurveys(shop: string, customers: Placed[]) {
  for (const handle of [FLOW_TRIGGERS.reviewSubmitted.handle, FLOW_TRIGGERS.npsReceived.handle]) {
    expect((await postLifecycle(stack.appUrl, API_SECRET, { domain: shop, id: 1 }, handle, true)).status).toBe(200);
  }
  for (const c of customers) await stack.control(`/sandbox/api/fulfillments/${c.fulfillmentId}/events?shop=${shop}`, { status: "delivered" });
  await stack.advance(15 * 86_400);
  for (const c of customers) {
    const mailTo = (subject: string) => stack.services.mail.messages().find((m) => m.to.includes(c.email) && m.subject.includes(subject));
    await expect.poll(() => !!mailTo("How do you like your purchase") && !!mailTo("One quick question"), { timeout: 30_000 }).toBe(true);
    const reviewLink = /(https?:\/\/\S+\/r\/[\w.-]+)/.exec(mailTo("How do you like your purchase")!.text)![1];
    const review = await fetch(reviewLink, { method: "POST", body: new URLSearchParams({ "rating-1": "4", "title-1": "Nice", "body-1": "Warm socks" }) });
    expect(review.status).toBe(200);
    const npsLink = /(https?:\/\/\S+\/n\/[\w.-]+)\?score=3/.exec(mailTo("One quick question")!.text)![1];
    const nps = await fetch(npsLink, { method: "POST", body: new URLSearchParams({ score: "3", comment: "Slow" }) });
    expect(nps.status).toBe(200);
    for (const [action, properties] of [
      [FLOW_ACTIONS.awardPoints, { customer_id: c.customerId, points: 50, reason: "Thanks for the review" }],
      [FLOW_ACTIONS.pauseEmails, { customer_id: c.customerId, days: 1 }],
    ] as const) {
      const run = await postFlowRequest(stack.appUrl, action.path, actionRunBody({ domain: shop, id: 1 }, action.handle, properties), API_SECRET);
      expect(run.status, action.handle).toBe(200);
    }
  }
  const shopRow = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
  const flowRows = () =>
    Promise.all([
      stack.db.flowTriggerDelivery.count({ where: { shopId: shopRow.id, status: "sent" } }),
      stack.db.flowActionRun.count({ where: { shopId: shopRow.id, status: "done" } }),
    ]);
  await expect.poll(flowRows, { timeout: 30_000 }).toEqual([customers.length * 2, customers.length * 2]);
}

/** The ids of this customer's rows in each customer-data table. */
async function customerRows(shopDomain: string, who: Placed): Promise<Record<string, string[]>> {
  const shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const orders = await stack.db.order.findMany({
    where: { shopId: shop.id, OR: [{ email: who.email }, { customerShopifyId: `gid://shopify/Customer/${who.customerId}` }] },
  });
  const orderIds = orders.map((o) => o.id);
  const fulfillments = await stack.db.fulfillment.findMany({ where: { orderId: { in: orderIds } } });
  const messages = await stack.db.message.findMany({ where: { shopId: shop.id, recipient: who.email } });
  const ids = (rows: { id: string }[]) => rows.map((r) => r.id);
  return {
    Customer: ids(
      await stack.db.customer.findMany({ where: { shopId: shop.id, OR: [{ shopifyId: `gid://shopify/Customer/${who.customerId}` }, { email: who.email }] } }),
    ),
    Order: orderIds,
    LineItem: ids(await stack.db.lineItem.findMany({ where: { orderId: { in: orderIds } } })),
    Fulfillment: ids(fulfillments),
    FulfillmentEvent: ids(await stack.db.fulfillmentEvent.findMany({ where: { fulfillmentId: { in: ids(fulfillments) } } })),
    Refund: ids(await stack.db.refund.findMany({ where: { orderId: { in: orderIds } } })),
    DataRequest: ids(await stack.db.dataRequest.findMany({ where: { shopId: shop.id, customerEmail: who.email } })),
    Message: ids(messages),
    Suppression: ids(await stack.db.suppression.findMany({ where: { shopId: shop.id, email: who.email } })),
    LinkClick: ids(await stack.db.linkClick.findMany({ where: { messageId: { in: ids(messages) } } })),
    Attribution: ids(await stack.db.attribution.findMany({ where: { orderId: { in: orderIds } } })),
    DelayIncident: ids(await stack.db.delayIncident.findMany({ where: { orderId: { in: orderIds } } })),
    Review: ids(
      await stack.db.review.findMany({
        where: { shopId: shop.id, OR: [{ orderId: { in: orderIds } }, { customerShopifyId: `gid://shopify/Customer/${who.customerId}` }] },
      }),
    ),
    ReviewAsk: ids(
      await stack.db.reviewAsk.findMany({
        where: { shopId: shop.id, OR: [{ customerShopifyId: `gid://shopify/Customer/${who.customerId}` }, { email: who.email }] },
      }),
    ),
    NpsResponse: ids(
      await stack.db.npsResponse.findMany({
        where: { shopId: shop.id, OR: [{ orderId: { in: orderIds } }, { customerShopifyId: `gid://shopify/Customer/${who.customerId}` }] },
      }),
    ),
    NpsCase: ids(
      await stack.db.npsCase.findMany({
        where: { shopId: shop.id, response: { OR: [{ orderId: { in: orderIds } }, { customerShopifyId: `gid://shopify/Customer/${who.customerId}` }] } },
      }),
    ),
    LoyaltyMember: ids(await stack.db.loyaltyMember.findMany({ where: { shopId: shop.id, email: who.email } })),
    PointsEntry: ids(await stack.db.pointsEntry.findMany({ where: { shopId: shop.id, member: { email: who.email } } })),
    OfferGrant: ids(
      await stack.db.offerGrant.findMany({
        where: {
          shopId: shop.id,
          OR: [{ orderGid: { in: orders.map((o) => o.shopifyId) } }, { customerShopifyId: `gid://shopify/Customer/${who.customerId}` }],
        },
      }),
    ),
    DiscountCode: ids(
      await stack.db.discountCode.findMany({
        where: { shopId: shop.id, OR: [{ orderId: { in: orderIds } }, { customerShopifyId: `gid://shopify/Customer/${who.customerId}` }] },
      }),
    ),
    CustomerStat: ids(
      await stack.db.customerStat.findMany({ where: { shopId: shop.id, customerKey: { in: [`gid://shopify/Customer/${who.customerId}`, who.email] } } }),
    ),
    FlowTriggerDelivery: ids(
      await stack.db.flowTriggerDelivery.findMany({ where: { shopId: shop.id, customerShopifyId: `gid://shopify/Customer/${who.customerId}` } }),
    ),
    FlowActionRun: ids(await stack.db.flowActionRun.findMany({ where: { shopId: shop.id, customerShopifyId: `gid://shopify/Customer/${who.customerId}` } })),
    EmailPause: ids(await stack.db.emailPause.findMany({ where: { shopId: shop.id, email: who.email } })),
    // The delivery log of her orders (and payloads still waiting for the worker, found by order too).
    WebhookDelivery: ids(await stack.db.webhookDelivery.findMany({ where: { shopDomain, resourceId: { in: orders.map((o) => o.shopifyId) } } })),
  };
}

const customerTables = () =>
  Object.entries(TABLE_COVERAGE)
    .filter(([, c]) => c.holds === "customer data")
    .map(([t]) => t)
    .sort();

// Names found nowhere else, so a search for them finds only these customers' data.
const ADA_NAME = { firstName: "Adalind", lastName: "Lovelacewick" };
const BOB_NAME = { firstName: "Bobrick", lastName: "Babbageford" };

/**
 * Every text, varchar, JSON and array column of every table in the public schema that holds
 * `needle` (case-insensitive, on the value as text), as "Table.column".
 */
async function columnsHolding(needle: string): Promise<string[]> {
  const columns = await stack.db.$queryRaw<{ table_name: string; column_name: string }[]>`
    SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns
    WHERE table_schema = 'public' AND data_type IN ('text', 'character varying', 'character', 'json', 'jsonb', 'ARRAY')
    ORDER BY table_name, column_name`;
  expect(columns.length).toBeGreaterThan(50);
  const quote = (id: string) => `"${id.replaceAll('"', '""')}"`;
  const found: string[] = [];
  for (const { table_name: table, column_name: column } of columns) {
    const [{ hit }] = await stack.db.$queryRawUnsafe<{ hit: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM ${quote(table)} WHERE position(lower($1) IN lower(${quote(column)}::text)) > 0) AS hit`,
      needle,
    );
    if (hit) found.push(`${table}.${column}`);
  }
  return found;
}

/**
 * The files on disk of every table in the public schema, of their indexes and of their TOAST
 * tables (after a CHECKPOINT, so every page is written): which hold each needle (case-insensitive
 * bytes; a value TOAST compressed would not show, the columns searched here are short).
 * `unreadable` when this process cannot read the cluster's data directory (a server elsewhere).
 */
async function relationFilesHolding(needles: string[]): Promise<Record<string, string[]> | { unreadable: string }> {
  let dataDir: string;
  try {
    await stack.db.$executeRawUnsafe("CHECKPOINT");
    dataDir = (await stack.db.$queryRaw<{ dir: string }[]>`SELECT current_setting('data_directory') AS dir`)[0].dir;
    fs.accessSync(path.join(dataDir, "base"), fs.constants.R_OK);
  } catch (error) {
    return { unreadable: error instanceof Error ? error.message : String(error) };
  }
  const relations = await stack.db.$queryRaw<{ relname: string; file: string }[]>`
    WITH public_tables AS (
      SELECT c.oid, c.reltoastrelid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind = 'r'
    ), heaps AS (
      SELECT oid FROM public_tables UNION SELECT reltoastrelid FROM public_tables WHERE reltoastrelid <> 0
    )
    SELECT c.relname::text AS relname, pg_relation_filepath(c.oid) AS file FROM pg_class c
    WHERE c.oid IN (SELECT oid FROM heaps) OR c.oid IN (SELECT indexrelid FROM pg_index WHERE indrelid IN (SELECT oid FROM heaps))`;
  expect(relations.length).toBeGreaterThan(50);
  const found: Record<string, string[]> = Object.fromEntries(needles.map((n) => [n, []]));
  for (const { relname, file } of relations) {
    const main = path.join(dataDir, file);
    // The main file, its 1 GB segments (.1, .2 …) and its other forks (_fsm, _vm).
    const parts = fs
      .readdirSync(path.dirname(main))
      .filter((name) => name === path.basename(main) || name.startsWith(`${path.basename(main)}.`) || name.startsWith(`${path.basename(main)}_`));
    for (const part of parts) {
      const bytes = fs
        .readFileSync(path.join(path.dirname(main), part))
        .toString("latin1")
        .toLowerCase();
      for (const needle of needles) if (bytes.includes(needle.toLowerCase())) found[needle].push(`${relname} (${part})`);
    }
  }
  return found;
}

/** Two customers of the demo shop with rows in every customer-data table (made once, shared by the tests below). */
let adaAndBobMade: Promise<{ ada: Placed; bob: Placed }> | undefined;
function adaAndBob() {
  adaAndBobMade ??= (async () => {
    const shop = stack.services.demoShop;
    const ada = await fullCustomer(shop, "ada@example.com", ADA_NAME);
    const bob = await fullCustomer(shop, "bob@example.com", BOB_NAME);
    await answerSurveys(shop, [ada, bob]);
    return { ada, bob };
  })();
  return adaAndBobMade;
}

/** What each coverage finder finds for the customer: the rows a data request reports. */
async function foundByCoverage(shopDomain: string, who: Placed) {
  const shop = await stack.db.shop.findUniqueOrThrow({ where: { domain: shopDomain } });
  const scope = await resolveCustomerScope(stack.db, {
    shopId: shop.id,
    customerGid: `gid://shopify/Customer/${who.customerId}`,
    email: who.email,
    orderGids: [`gid://shopify/Order/${who.orderId}`],
  });
  const found: Record<string, object[]> = {};
  for (const [table, c] of Object.entries(TABLE_COVERAGE)) if (c.holds === "customer data") found[table] = await c.rows(stack.db, scope);
  return found;
}

/** The merchant's download button: a POST with the session token of `shop`. */
const download = (id: string, shop: string) =>
  fetch(`${stack.appUrl}/app/data-requests/${id}/download`, {
    method: "POST",
    headers: { Authorization: `Bearer ${mintIdToken({ shop, apiKey: API_KEY, apiSecret: API_SECRET })}`, "User-Agent": BROWSER_UA },
  });

describe("privacy coverage", () => {
  it("classifies every table of the schema", () => {
    const models = Prisma.dmmf.datamodel.models.map((m) => m.name).sort();
    expect(Object.keys(TABLE_COVERAGE).sort()).toEqual(models);
  });

  it(
    "customers/data_request › a report of that customer's rows in every customer-data table, and nobody else's, downloaded by the shop with a POST",
    { timeout: 120_000 },
    async () => {
      const shop = stack.services.demoShop;
      const { ada, bob } = await adaAndBob();
      const shopRow = await stack.db.shop.findUniqueOrThrow({ where: { domain: shop } });
      // Her rows now: the worker keeps working meanwhile (codes, notices), but nothing deletes them.
      const hers = await customerRows(shop, ada);
      const earlier = (await stack.db.dataRequest.findMany({ select: { id: true } })).map((r) => r.id);
      await requestCustomerData(stack, shop, ada, 2);
      const ready = () => stack.db.dataRequest.findFirst({ where: { shopId: shopRow.id, id: { notIn: earlier }, status: "ready" } });
      await expect.poll(ready, { timeout: 20_000 }).toBeTruthy();
      const request = (await ready())!;

      // GET changes nothing; another shop cannot fetch it.
      expect((await stack.adminGet(`/app/data-requests/${request.id}/download`)).status).toBe(405);
      expect((await download(request.id, OTHER_SHOP)).status).toBe(404);
      expect((await stack.db.dataRequest.findUniqueOrThrow({ where: { id: request.id } })).downloadedAt).toBeNull();

      const response = await download(request.id, shop);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(response.headers.get("content-disposition")).toMatch(/^attachment; filename="data-request-[\w-]+\.json"$/);
      const report = (await response.json()) as { tables: Record<string, { id: string }[]> };
      expect((await stack.db.dataRequest.findUniqueOrThrow({ where: { id: request.id } })).downloadedAt).not.toBeNull();

      // Every customer-data table is in the report with every row of hers (the test's own lookup,
      // which must itself cover every customer-data table), and no row of Bob's.
      expect(Object.keys(report.tables).sort()).toEqual(customerTables());
      expect(Object.keys(hers).sort()).toEqual(customerTables());
      const his = await customerRows(shop, bob);
      for (const table of customerTables()) {
        const reported = report.tables[table].map((r) => r.id);
        expect(hers[table].length, `${table} rows of the customer`).toBeGreaterThan(0);
        expect(reported, `${table} in the report`).toEqual(expect.arrayContaining(hers[table]));
        expect(
          reported.filter((id) => his[table].includes(id)),
          `${table} rows of another customer`,
        ).toEqual([]);
      }
      expect(JSON.stringify(report)).not.toContain(bob.email);
      // Her shipping coordinates (the recipient's time zone comes from them) are reported as stored.
      const place = { id: true, shipCountry: true, shipLatitude: true, shipLongitude: true } as const;
      const byId = (a: { id: string }, b: { id: string }) => a.id.localeCompare(b.id);
      const stored = (await stack.db.order.findMany({ where: { id: { in: hers.Order } }, select: place })).sort(byId);
      expect(
        stored.every((o) => o.shipLatitude !== null && o.shipLongitude !== null),
        "her orders have coordinates",
      ).toBe(true);
      const reportedOrders = (report.tables.Order as unknown as typeof stored).filter((o) => hers.Order.includes(o.id)).sort(byId);
      expect(reportedOrders.map((o) => [o.id, o.shipCountry, o.shipLatitude, o.shipLongitude])).toEqual(
        stored.map((o) => [o.id, o.shipCountry, o.shipLatitude, o.shipLongitude]),
      );

      // Retention: a week after the download the worker purges the report.
      await stack.advance(8 * 86_400);
      await expect.poll(async () => (await stack.db.dataRequest.findUniqueOrThrow({ where: { id: request.id } })).status, { timeout: 20_000 }).toBe("expired");
      expect((await stack.db.dataRequest.findUniqueOrThrow({ where: { id: request.id } })).report).toBeNull();
      expect((await download(request.id, shop)).status).toBe(404);
    },
  );

  it(
    "customers/redact removes that customer's data from every table, and nobody else's — from the database files too",
    { timeout: 120_000 },
    async (context) => {
      const shop = stack.services.demoShop;
      const { ada, bob } = await adaAndBob();

      const before = await customerRows(shop, ada);
      expect(Object.keys(before).sort()).toEqual(customerTables());
      for (const [table, rows] of Object.entries(before)) expect(rows.length, `${table} before`).toBeGreaterThan(0);

      await redactBuyer(stack, shop, ada);

      const after = await customerRows(shop, ada);
      for (const [table, rows] of Object.entries(after)) expect(rows, `${table} after`).toEqual([]);
      // Her orders, with their shipping coordinates, are gone (not merely unlinked from her).
      expect(await stack.db.order.count({ where: { id: { in: before.Order } } })).toBe(0);
      // Discount codes stay for budgets, without the order or the customer.
      const codes = await stack.db.discountCode.findMany({ where: { id: { in: before.DiscountCode } } });
      expect(codes.map((c) => [c.orderId, c.customerShopifyId, c.redeemedOrderGid])).toEqual(codes.map(() => [null, null, null]));
      // Messages stay for the counts, with nothing personal left on them.
      const kept = await stack.db.message.findMany({ where: { id: { in: before.Message } } });
      expect(kept.map((m) => [m.recipient, m.subject, m.orderId, m.customerShopifyId])).toEqual(kept.map(() => [null, null, null, null]));
      for (const table of [
        "LinkClick",
        "Attribution",
        "Suppression",
        "LineItem",
        "Fulfillment",
        "FulfillmentEvent",
        "Refund",
        "DelayIncident",
        "Review",
        "ReviewAsk",
        "NpsResponse",
        "NpsCase",
        "LoyaltyMember",
        "PointsEntry",
        "OfferGrant",
        "FlowTriggerDelivery",
        "FlowActionRun",
        "EmailPause",
      ] as const) {
        const delegate = (stack.db as any)[table[0].toLowerCase() + table.slice(1)];
        expect(await delegate.count({ where: { id: { in: before[table] } } }), `${table} rows`).toBe(0);
      }
      const untouched = await customerRows(shop, bob);
      for (const [table, rows] of Object.entries(untouched)) expect(rows.length, `${table} of another customer`).toBeGreaterThan(0);
      // What a data request would report is empty now, table by table (coverage.ts's finders).
      for (const [table, rows] of Object.entries(await foundByCoverage(shop, ada))) expect(rows, `${table} found after`).toEqual([]);

      // No column of any table holds her address or name; his are found (the search works).
      for (const needle of [ada.email, ADA_NAME.firstName, ADA_NAME.lastName]) expect(await columnsHolding(needle), needle).toEqual([]);
      for (const needle of [bob.email, BOB_NAME.firstName, BOB_NAME.lastName]) expect(await columnsHolding(needle), needle).not.toEqual([]);

      // On disk: once the worker has rewritten the tables the erasure touched, no page of any table,
      // index or TOAST file holds her bytes (a plain VACUUM leaves them in the pages' free space).
      await expect
        .poll(async () => (await stack.db.job.findMany({ where: { kind: ERASURE_JOB_KIND, key: { startsWith: "customers/redact:" } } })).map((j) => j.status), {
          timeout: 60_000,
        })
        .toEqual(["done"]);
      const onDisk = await relationFilesHolding([ada.email, ADA_NAME.lastName, bob.email, BOB_NAME.lastName]);
      if ("unreadable" in onDisk) {
        context.skip(`database files not checked: this process cannot read the server's data directory (${onDisk.unreadable})`);
        return;
      }
      expect(onDisk[ada.email], "files holding her address").toEqual([]);
      expect(onDisk[ADA_NAME.lastName], "files holding her name").toEqual([]);
      expect(onDisk[bob.email], "files holding his address").not.toEqual([]);
      expect(onDisk[BOB_NAME.lastName], "files holding his name").not.toEqual([]);
    },
  );

  it("shop/redact removes everything of that shop and nothing of another", async () => {
    const shop = stack.services.demoShop;
    const kept = await fullCustomer(OTHER_SHOP, "carol@example.com");
    await answerSurveys(OTHER_SHOP, [kept]);
    await stack.emulator(`/shops/${shop}/webhooks`, { topic: "shop/redact", payload: { shop_id: 1, shop_domain: shop } });

    expect(await stack.db.shop.count({ where: { domain: shop } })).toBe(0);
    expect(await stack.db.session.count({ where: { shop } })).toBe(0);
    // Only the receipt of shop/redact itself remains (it holds no payload).
    expect((await stack.db.webhookDelivery.findMany({ where: { shopDomain: shop } })).map((d) => d.topic)).toEqual(["shop/redact"]);
    const otherShop = await stack.db.shop.findUniqueOrThrow({ where: { domain: OTHER_SHOP } });
    // Rollup marks have no foreign key: a step already under way may mark a day of the deleted shop
    // after the fact. They carry no personal data, and the worker drops marks of shops that are gone.
    await expect.poll(() => stack.db.rollupMark.count({ where: { shopId: { not: otherShop.id } } }), { timeout: 10_000 }).toBe(0);
    for (const model of [
      "order",
      "customer",
      "flow",
      "dataRequest",
      "fulfillment",
      "refund",
      "message",
      "suppression",
      "linkClick",
      "attribution",
      "delayIncident",
      "discountCode",
      "review",
      "reviewAsk",
      "productRating",
      "npsResponse",
      "npsCase",
      "loyaltyMember",
      "pointsEntry",
      "offerGrant",
      "customerStat",
      "dailyRollup",
      "rollupMark",
      "historyImport",
      "flowTriggerUse",
      "flowTriggerDelivery",
      "flowActionRun",
      "emailPause",
    ] as const) {
      const total = await (stack.db[model] as any).count();
      const ofOther = await (stack.db[model] as any).count({ where: { shopId: otherShop.id } });
      expect(total, model).toBe(ofOther);
    }
    const rows = await customerRows(OTHER_SHOP, kept);
    for (const [table, found] of Object.entries(rows)) expect(found.length, `${table} of the other shop`).toBeGreaterThan(0);
  });
});
