import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env.server";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://trustloop.example.com/",
  SCOPES: "read_orders,read_customers",
  SMTP_URL: "smtps://user:pass@smtp.example.com:465",
  MAIL_FROM: "Trustloop <hello@example.com>",
  TRUSTLOOP_LINK_KEYS: "k2:second-link-secret-0123456789abcdef,k1:first-link-secret-0123456789abcdef",
  DATABASE_URL: "postgres://trustloop:pw@db.internal:5432/trustloop",
};

function problems(raw: Record<string, string | undefined>): string[] {
  try {
    parseEnv(raw);
    return [];
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
}

describe("environment validation", () => {
  it("accepts a complete production configuration and applies defaults", () => {
    const env = parseEnv(valid);
    expect(env).toMatchObject({ SHOPIFY_APP_URL: "https://trustloop.example.com", PORT: 3000, TRUSTLOOP_SANDBOX: false, TRUSTLOOP_DB_POOL_MAX: 10 });
  });

  it("requires a PostgreSQL DATABASE_URL", () => {
    expect(problems({ ...valid, DATABASE_URL: undefined })).toEqual([expect.stringMatching(/^DATABASE_URL is required/)]);
    expect(problems({ ...valid, DATABASE_URL: "file:./data/trustloop.sqlite" })).toEqual([expect.stringMatching(/^DATABASE_URL must be a PostgreSQL URL/)]);
    expect(parseEnv({ ...valid, DATABASE_URL: "postgresql://u@h/db", TRUSTLOOP_DB_POOL_MAX: "25" })).toMatchObject({
      DATABASE_URL: "postgresql://u@h/db",
      TRUSTLOOP_DB_POOL_MAX: 25,
    });
  });

  it("defaults the public-endpoint settings and parses proxy trust", () => {
    expect(parseEnv(valid)).toMatchObject({
      TRUSTLOOP_TRUST_PROXY: "loopback",
      TRUSTLOOP_RATE_LIMIT_LINKS: 120,
      TRUSTLOOP_RATE_LIMIT_CHECKOUT: 60,
      TRUSTLOOP_CHECKOUT_MAX_AGE_DAYS: 30,
    });
    expect(parseEnv({ ...valid, TRUSTLOOP_TRUST_PROXY: "1" }).TRUSTLOOP_TRUST_PROXY).toBe(1);
    expect(parseEnv({ ...valid, TRUSTLOOP_TRUST_PROXY: "false" }).TRUSTLOOP_TRUST_PROXY).toBe(false);
    expect(parseEnv({ ...valid, TRUSTLOOP_TRUST_PROXY: "loopback, 10.0.0.0/8" }).TRUSTLOOP_TRUST_PROXY).toBe("loopback, 10.0.0.0/8");
    expect(problems({ ...valid, TRUSTLOOP_TRUST_PROXY: "everyone", TRUSTLOOP_RATE_LIMIT_LINKS: "-1", TRUSTLOOP_CHECKOUT_MAX_AGE_DAYS: "0" })).toEqual([
      expect.stringMatching(/^TRUSTLOOP_TRUST_PROXY must be true, false/),
      expect.stringMatching(/^TRUSTLOOP_RATE_LIMIT_LINKS /),
      expect.stringMatching(/^TRUSTLOOP_CHECKOUT_MAX_AGE_DAYS /),
    ]);
  });

  it("names every missing or invalid variable at once", () => {
    const found = problems({ ...valid, SHOPIFY_API_SECRET: undefined, PORT: "eighty", SCOPES: "read orders" });
    expect(found).toEqual(
      expect.arrayContaining([
        "SHOPIFY_API_SECRET is required",
        expect.stringMatching(/^PORT /),
        expect.stringMatching(/^SCOPES must be a comma-separated list/),
      ]),
    );
  });

  it("reads the link keys in order and names what is wrong with them", () => {
    expect(parseEnv(valid).TRUSTLOOP_LINK_KEYS.map((k) => k.kid)).toEqual(["k2", "k1"]);
    expect(problems({ ...valid, TRUSTLOOP_LINK_KEYS: undefined })).toEqual(["TRUSTLOOP_LINK_KEYS is required"]);
    expect(problems({ ...valid, TRUSTLOOP_LINK_KEYS: "k1:short" })).toEqual([
      expect.stringMatching(/^TRUSTLOOP_LINK_KEYS key "k1": the secret must be at least 32 characters/),
    ]);
    const secret = "an-app-secret-that-is-long-enough-0123";
    expect(problems({ ...valid, SHOPIFY_API_SECRET: secret, TRUSTLOOP_LINK_KEYS: `k1:${secret}` })).toEqual([
      'TRUSTLOOP_LINK_KEYS key "k1" must not reuse SHOPIFY_API_SECRET',
    ]);
  });

  it("requires mail settings outside the sandbox", () => {
    expect(problems({ ...valid, SMTP_URL: undefined, MAIL_FROM: undefined })).toEqual([
      expect.stringMatching(/^SMTP_URL is required outside sandbox mode/),
      expect.stringMatching(/^MAIL_FROM is required outside sandbox mode/),
    ]);
  });

  it("refuses sandbox mode in production or off localhost, and the emulator URL outside the sandbox", () => {
    expect(problems({ ...valid, TRUSTLOOP_SANDBOX: "1", NODE_ENV: "production", SHOPIFY_APP_URL: "http://localhost:3000" })).toEqual([
      "TRUSTLOOP_SANDBOX cannot be enabled when NODE_ENV=production",
    ]);
    expect(problems({ ...valid, TRUSTLOOP_SANDBOX: "1" })).toEqual(["TRUSTLOOP_SANDBOX requires SHOPIFY_APP_URL on localhost"]);
    expect(problems({ ...valid, SHOPIFY_ADMIN_API_URL: "http://127.0.0.1:4100" })).toEqual([
      "SHOPIFY_ADMIN_API_URL is only allowed in sandbox mode (TRUSTLOOP_SANDBOX=1)",
    ]);
  });

  it("refuses a Shopify client secret in sandbox mode, where the app mints session tokens with it", () => {
    const sandbox = { ...valid, TRUSTLOOP_SANDBOX: "1", SHOPIFY_APP_URL: "http://localhost:3000" };
    expect(problems({ ...sandbox, SHOPIFY_API_SECRET: "shpss_0123456789abcdef0123456789abcdef" })).toEqual([
      "SHOPIFY_API_SECRET must not be a Shopify client secret (shpss_…) in sandbox mode: the sandbox mints session tokens with it",
    ]);
    expect(problems(sandbox)).toEqual([]);
  });

  it("takes DKIM settings all together or not at all, with \\n escapes in the key", () => {
    const key = "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg\\n-----END PRIVATE KEY-----";
    expect(parseEnv({ ...valid, DKIM_DOMAIN: "shop.example", DKIM_SELECTOR: "tl1", DKIM_PRIVATE_KEY: key })).toMatchObject({
      DKIM_DOMAIN: "shop.example",
      DKIM_SELECTOR: "tl1",
      DKIM_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBg\n-----END PRIVATE KEY-----",
    });
    expect(parseEnv(valid).DKIM_DOMAIN).toBeUndefined();
    expect(problems({ ...valid, DKIM_DOMAIN: "shop.example" })).toEqual([
      "DKIM_SELECTOR is required when DKIM_DOMAIN is set (DKIM signing needs all three)",
      "DKIM_PRIVATE_KEY is required when DKIM_DOMAIN is set (DKIM signing needs all three)",
    ]);
    expect(problems({ ...valid, DKIM_DOMAIN: "shop.example", DKIM_SELECTOR: "tl1" })).toEqual([
      "DKIM_PRIVATE_KEY is required when DKIM_DOMAIN and DKIM_SELECTOR are set (DKIM signing needs all three)",
    ]);
    expect(problems({ ...valid, DKIM_DOMAIN: "shop.example", DKIM_SELECTOR: "tl1", DKIM_PRIVATE_KEY: "secret" })).toEqual([
      expect.stringMatching(/^DKIM_PRIVATE_KEY must be a PEM private key/),
    ]);
  });
});
