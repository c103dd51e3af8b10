import { beforeEach, describe, expect, it } from "vitest";
import {
  ADMIN_GRAPHQL_PATH,
  API_KEY,
  API_SECRET,
  adminGraphql,
  sandboxRequest,
  tokenExchangeBody as exchangeBody,
  useTestSandbox,
  type TestSandbox,
} from "../testing/fake-app";
import { mintIdToken } from "./id-token";

let t: TestSandbox;
useTestSandbox((started) => void (t = started));

const SHOP = "trustloop-demo.myshopify.com";

async function exchange(body: Record<string, unknown>, form = false) {
  const res = await fetch(`${t.sandbox.adminApiUrl}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": form ? "application/x-www-form-urlencoded" : "application/json", accept: "application/json" },
    body: form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, any> };
}

async function accessToken(shop = SHOP): Promise<string> {
  const r = await exchange(exchangeBody(mintIdToken({ shop, apiKey: API_KEY, apiSecret: API_SECRET })));
  expect(r.status).toBe(200);
  return r.json.access_token as string;
}

const gql = (token: string, query: string, variables?: Record<string, unknown>) => adminGraphql(t, token, query, variables);

describe("token exchange", () => {
  it("issues offline and online tokens for a valid id token", async () => {
    const id = mintIdToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: 42 });
    const offline = await exchange(exchangeBody(id));
    expect(offline.status).toBe(200);
    expect(offline.json).toEqual({ access_token: expect.any(String), scope: "read_orders,read_customers,read_products,write_discounts,write_metafields" });
    const online = await exchange(exchangeBody(id, true), true);
    expect(online.status).toBe(200);
    // User 42 is a staff member with an address of their own; user 1 is the owner, with the shop's.
    expect(online.json).toMatchObject({
      expires_in: 86400,
      associated_user: { id: 42, email: "staff-42@trustloop-demo.example", email_verified: true, account_owner: false, collaborator: false },
    });
    expect(online.json.associated_user_scope).toBe(online.json.scope);
    const owner = await exchange(exchangeBody(mintIdToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, userId: 1 }), true), true);
    expect(owner.json).toMatchObject({ associated_user: { id: 1, email: "owner@trustloop-demo.example", account_owner: true } });
  });

  it("rejects a bad signature, wrong audience, expiry and bad client credentials", async () => {
    const bad = mintIdToken({ shop: SHOP, apiKey: API_KEY, apiSecret: "other-secret" });
    expect(await exchange(exchangeBody(bad))).toEqual({ status: 400, json: { error: "invalid_subject_token" } });
    const wrongAud = mintIdToken({ shop: SHOP, apiKey: "someone-else", apiSecret: API_SECRET });
    expect((await exchange(exchangeBody(wrongAud))).json).toEqual({ error: "invalid_subject_token" });
    const expired = mintIdToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET, nowMs: Date.now() - 120_000 });
    expect((await exchange(exchangeBody(expired))).status).toBe(400);
    const good = mintIdToken({ shop: SHOP, apiKey: API_KEY, apiSecret: API_SECRET });
    expect(await exchange({ ...exchangeBody(good), client_secret: "nope" })).toEqual({ status: 400, json: { error: "invalid_client" } });
  });

  it("creates other shops lazily, isolated from the demo shop", async () => {
    const token = await accessToken("second-store.myshopify.com");
    const r = await gql(token, "{ shop { name myshopifyDomain ianaTimezone currencyCode } orders(first: 10) { nodes { id } } }");
    expect(r.json.data.shop).toEqual({ name: "Second Store", myshopifyDomain: "second-store.myshopify.com", ianaTimezone: "UTC", currencyCode: "USD" });
    expect(r.json.data.orders.nodes).toEqual([]);
  });
});

describe("GraphQL Admin API", () => {
  let token: string;
  beforeEach(async () => {
    token = await accessToken();
    t.sandbox.emulator.clearAdminCalls();
    t.sandbox.emulator.clearFaults();
  });

  it("answers 401 for an unknown token", async () => {
    const r = await gql("shpat_unknown", "{ shop { name } }");
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
  });

  it("serves the demo shop with cost extensions and records the call", async () => {
    const r = await gql(token, "query ShopInfo { shop { id name email contactEmail myshopifyDomain ianaTimezone currencyCode primaryDomain { host url } } }");
    expect(r.json.data.shop).toMatchObject({
      name: "Trustloop Demo Outfitters",
      contactEmail: "owner@trustloop-demo.example",
      myshopifyDomain: SHOP,
      ianaTimezone: "America/New_York",
      currencyCode: "USD",
      primaryDomain: { host: "shop.trustloop-demo.example", url: "https://shop.trustloop-demo.example" },
    });
    expect(r.json.extensions.cost.throttleStatus).toMatchObject({ maximumAvailable: 2000, restoreRate: 100 });
    const calls = t.sandbox.emulator.adminCalls(SHOP);
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ shop: SHOP, operationName: "ShopInfo" });
  });

  it("paginates orders and filters by updated_at", async () => {
    const q = `query Orders($after: String, $q: String) { orders(first: 2, after: $after, query: $q, sortKey: UPDATED_AT) {
      edges { cursor node { id name updatedAt displayFinancialStatus customer { id email } shippingAddress { countryCodeV2 }
        totalPriceSet { shopMoney { amount currencyCode } } lineItems(first: 5) { nodes { title quantity variant { id } product { id } } }
        fulfillments { status displayStatus trackingInfo { company number url } } } }
      pageInfo { hasNextPage endCursor } } }`;
    const page1 = await gql(token, q);
    expect(page1.json.errors).toBeUndefined();
    expect(page1.json.data.orders.edges).toHaveLength(2);
    expect(page1.json.data.orders.pageInfo.hasNextPage).toBe(true);
    const page2 = await gql(token, q, { after: page1.json.data.orders.pageInfo.endCursor });
    expect(page2.json.data.orders.edges.length).toBeGreaterThanOrEqual(1);
    const ids = [...page1.json.data.orders.edges, ...page2.json.data.orders.edges].map((e: any) => e.node.id);
    expect(new Set(ids).size).toBe(ids.length);
    const first = page1.json.data.orders.edges[0].node;
    expect(first.id).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    expect(first.lineItems.nodes[0].product.id).toMatch(/^gid:\/\/shopify\/Product\//);

    const { orderId } = await t.sandbox.emulator.placeOrder(SHOP, { email: "filter@example.com" });
    const since = new Date(Date.now() - 60_000).toISOString();
    const filtered = await gql(token, q, { q: `updated_at:>'${since}'` });
    expect(filtered.json.data.orders.edges.map((e: any) => e.node.id)).toEqual([`gid://shopify/Order/${orderId}`]);
  });

  it("reads an order placed in another currency in both: the shop's and the buyer's", async () => {
    const token = await accessToken(SHOP);
    const { orderId } = await t.sandbox.emulator.placeOrder(SHOP, { email: "euro@example.com", currency: "EUR", lineItems: [{ price: "1234.50" }] });
    const both = "{ shopMoney { amount currencyCode } presentmentMoney { amount currencyCode } }";
    const r = await gql(
      token,
      `{ order(id: "gid://shopify/Order/${orderId}") { currencyCode presentmentCurrencyCode totalPriceSet ${both}
      lineItems(first: 1) { nodes { originalUnitPriceSet ${both} } } } }`,
    );
    const bag = { shopMoney: { amount: "1333.26", currencyCode: "USD" }, presentmentMoney: { amount: "1234.50", currencyCode: "EUR" } };
    expect(r.json.data.order).toEqual({
      currencyCode: "USD",
      presentmentCurrencyCode: "EUR",
      totalPriceSet: bag,
      lineItems: { nodes: [{ originalUnitPriceSet: bag }] },
    });
  });

  it("reads customers with consent and products with variants", async () => {
    const r = await gql(
      token,
      `{ customers(first: 20) { nodes { email locale numberOfOrders defaultAddress { countryCodeV2 provinceCode city }
      emailMarketingConsent { marketingState marketingOptInLevel consentUpdatedAt } } }
      products(first: 10) { nodes { id title tags variants(first: 5) { nodes { id price sku } } } } }`,
    );
    expect(r.json.errors).toBeUndefined();
    const countries = new Set(r.json.data.customers.nodes.map((c: any) => c.defaultAddress.countryCodeV2));
    expect(countries.size).toBeGreaterThanOrEqual(6);
    const states = new Set(r.json.data.customers.nodes.map((c: any) => c.emailMarketingConsent.marketingState));
    expect([...states].sort()).toEqual(["NOT_SUBSCRIBED", "SUBSCRIBED", "UNSUBSCRIBED"]);
    expect(r.json.data.products.nodes.length).toBeGreaterThanOrEqual(6);
    expect(r.json.data.products.nodes[0].variants.nodes[0].price).toMatch(/^\d+\.\d{2}$/);
  });

  const CREATE = `mutation Create($input: DiscountCodeBasicInput!) { discountCodeBasicCreate(basicCodeDiscount: $input) {
    codeDiscountNode { id codeDiscount { ... on DiscountCodeBasic { title endsAt codes(first: 1) { nodes { code } } } } }
    userErrors { field message code } } }`;
  const input = (code: string) => ({
    title: `Thanks ${code}`,
    code,
    startsAt: new Date().toISOString(),
    endsAt: "2030-01-01T00:00:00Z",
    customerSelection: { all: true },
    customerGets: { value: { percentage: 0.1 }, items: { all: true } },
    appliesOncePerCustomer: true,
    usageLimit: 1,
  });

  it("creates discount codes, rejects duplicates and finds them by code", async () => {
    const r = await gql(token, CREATE, { input: input("THANKS-ABC") });
    expect(r.json.data.discountCodeBasicCreate.userErrors).toEqual([]);
    expect(r.json.data.discountCodeBasicCreate.codeDiscountNode.codeDiscount).toEqual({
      title: "Thanks THANKS-ABC",
      endsAt: "2030-01-01T00:00:00Z",
      codes: { nodes: [{ code: "THANKS-ABC" }] },
    });
    const dup = await gql(token, CREATE, { input: input("THANKS-ABC") });
    expect(dup.json.data.discountCodeBasicCreate).toEqual({
      codeDiscountNode: null,
      userErrors: [{ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" }],
    });
    const found = await gql(token, `{ codeDiscountNodeByCode(code: "THANKS-ABC") { id codeDiscount { ... on DiscountCodeBasic { title } } } }`);
    expect(found.json.data.codeDiscountNodeByCode.codeDiscount.title).toBe("Thanks THANKS-ABC");
  });

  it("injects throttled, server-error and timeout-after-apply faults", async () => {
    const control = (path: string, body: unknown) => sandboxRequest(t, path, { body });
    expect((await control("/_control/faults", { operation: "discountCodeBasicCreate", mode: "throttled" })).status).toBe(200);
    const throttled = await gql(token, CREATE, { input: input("FAULT-1") });
    expect(throttled.json.errors).toEqual([{ message: "Throttled", extensions: expect.objectContaining({ code: "THROTTLED" }) }]);
    const retried = await gql(token, CREATE, { input: input("FAULT-1") });
    expect(retried.json.data.discountCodeBasicCreate.userErrors).toEqual([]);

    await control("/_control/faults", { operation: "Create", mode: "server-error" });
    expect((await gql(token, CREATE, { input: input("FAULT-2") })).status).toBe(500);

    t.sandbox.emulator.addFault("discountCodeBasicCreate", "timeout-after-apply");
    const controller = new AbortController();
    const pending = fetch(`${t.sandbox.adminApiUrl}${ADMIN_GRAPHQL_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-shopify-access-token": token },
      body: JSON.stringify({ query: CREATE, variables: { input: input("FAULT-3") } }),
      signal: controller.signal,
    });
    // The mutation is applied while its answer is held: the code exists, the caller hears nothing.
    const applied = async () => (await gql(token, `{ codeDiscountNodeByCode(code: "FAULT-3") { id } }`)).json.data.codeDiscountNodeByCode;
    await expect.poll(applied, { timeout: 10_000 }).not.toBeNull();
    controller.abort();
    await expect(pending).rejects.toThrow();
  });

  it("sets metafields", async () => {
    const shop = await gql(token, "{ shop { id } }");
    const ownerId = shop.json.data.shop.id;
    const r = await gql(
      token,
      `mutation Set($m: [MetafieldsSetInput!]!) { metafieldsSet(metafields: $m) { metafields { id namespace key value type ownerId } userErrors { field message code } } }`,
      {
        m: [{ ownerId, namespace: "trustloop", key: "settings", value: '{"a":1}', type: "json" }],
      },
    );
    expect(r.json.data.metafieldsSet.userErrors).toEqual([]);
    expect(r.json.data.metafieldsSet.metafields[0]).toMatchObject({ namespace: "trustloop", key: "settings", value: '{"a":1}', type: "json", ownerId });
    const read = await gql(token, `{ shop { metafield(namespace: "trustloop", key: "settings") { value } } }`);
    expect(read.json.data.shop.metafield.value).toBe('{"a":1}');
  });
});
