import { describe, expect, it } from "vitest";
import { parseAppToml } from "./app-toml";
import { TEST_TOML } from "./testing/fake-app";

describe("parseAppToml", () => {
  it("reads scopes, api version and subscriptions incl. compliance topics and multi-line arrays", () => {
    const toml = parseAppToml(TEST_TOML + '\n[auth]\nredirect_urls = [ "https://x.example/a#b" ] # trailing comment\n');
    expect(toml.scopes).toBe("read_orders,read_customers,read_products,write_discounts,write_metafields");
    expect(toml.webhookApiVersion).toBe("2026-07");
    expect(toml.subscriptions).toHaveLength(3);
    expect(toml.subscriptions[1].topics).toContain("refunds/create");
    expect(toml.subscriptions[2]).toEqual({ topics: ["customers/data_request", "customers/redact", "shop/redact"], uri: "/webhooks/compliance" });
  });
});
