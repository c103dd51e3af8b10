// The real @shopify/shopify-api client against the emulator, redirected with setAbstractFetchFunc
// (the same seam the app uses): token exchange, GraphQL and webhook validation.
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, RequestedTokenType, Session, shopifyApi } from "@shopify/shopify-api";
import { abstractFetch, setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { afterAll, beforeAll, expect, it } from "vitest";
import { API_KEY, API_SECRET, startTestSandbox, type TestSandbox } from "../testing/fake-app";
import { mintIdToken } from "./id-token";

let t: TestSandbox;
const original = abstractFetch;
beforeAll(async () => {
  t = await startTestSandbox();
  const base = t.sandbox.adminApiUrl;
  setAbstractFetchFunc((input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    return fetch(url.hostname.endsWith(".myshopify.com") ? `${base}${url.pathname}${url.search}` : url, init);
  });
});
afterAll(async () => {
  setAbstractFetchFunc(original);
  await t.close();
});

it("works with @shopify/shopify-api token exchange, GraphQL client and webhook validation", async () => {
  const shopify = shopifyApi({
    apiKey: API_KEY,
    apiSecretKey: API_SECRET,
    apiVersion: "2026-07" as ApiVersion,
    hostName: "localhost:3000",
    isEmbeddedApp: true,
    logger: { level: 0 },
  });
  const shop = "trustloop-demo.myshopify.com";
  const { session } = await shopify.auth.tokenExchange({
    shop,
    sessionToken: mintIdToken({ shop, apiKey: API_KEY, apiSecret: API_SECRET }),
    requestedTokenType: RequestedTokenType.OfflineAccessToken,
  });
  expect(session).toBeInstanceOf(Session);
  expect(session.accessToken).toMatch(/^shpat_/);
  const online = await shopify.auth.tokenExchange({
    shop,
    sessionToken: mintIdToken({ shop, apiKey: API_KEY, apiSecret: API_SECRET, userId: 7 }),
    requestedTokenType: RequestedTokenType.OnlineAccessToken,
  });
  expect(online.session.onlineAccessInfo?.associated_user.id).toBe(7);

  const client = new shopify.clients.Graphql({ session });
  const res = await client.request<{ shop: { name: string } }>("query { shop { name } }");
  expect(res.data?.shop.name).toBe("Trustloop Demo Outfitters");

  await t.sandbox.emulator.placeOrder(shop);
  const hook = t.app.received[0];
  const check = await shopify.webhooks.validate({
    rawBody: hook.rawBody,
    rawRequest: { headers: hook.headers } as never,
  });
  expect(check).toMatchObject({ valid: true, topic: "ORDERS_CREATE", domain: shop, apiVersion: "2026-07" });
});
