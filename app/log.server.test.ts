import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLog, REDACT_PATHS } from "./log.server";

/** A logger writing into an array, one parsed line per event. */
function capture(settings: Parameters<typeof createLog>[0] = {}) {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(...String(chunk).split("\n").filter(Boolean));
      done();
    },
  });
  return { log: createLog({ ...settings, destination }), lines, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

const SECRETS = {
  email: "ann@example.com",
  recipient: "ann@example.com",
  to: "ann@example.com",
  address1: "1 Main St",
  address2: "Flat 2",
  city: "Springfield",
  zip: "12345",
  phone: "+15551234567",
  name: "Ann Lee",
  first_name: "Ann",
  last_name: "Lee",
  latitude: 45.1,
  longitude: -122.3,
  accessToken: "shpat_123",
  access_token: "shpat_123",
  secret: "s3cret",
  signature: "sig",
  authorization: "Bearer abc",
  cookie: "session=abc",
  body: "<p>Hello Ann</p>",
  payload: { id: 1, email: "ann@example.com" },
  html: "<p>Hello Ann</p>",
  text: "Hello Ann",
};
const IDS = { shopId: "shop_1", messageId: "msg_1", orderGid: "gid://shopify/Order/1", webhookId: "wh_1", topic: "orders/create", count: 3 };

describe("log", () => {
  it("censors addresses, names, tokens and bodies at the top level and keeps the ids", () => {
    const { log, lines, parsed } = capture();
    log({ msg: "event", ...IDS, ...SECRETS });
    expect(lines).toHaveLength(1);
    const line = parsed()[0];
    for (const key of Object.keys(SECRETS)) expect(line[key], key).toBe("[redacted]");
    expect(line).toMatchObject({ msg: "event", level: "info", ...IDS });
    expect(lines[0]).not.toMatch(/ann@example\.com|Ann|shpat_|s3cret|Bearer|session=|Main St|12345|45\.1/);
  });

  it("censors the same fields nested up to three levels deep, in objects and arrays", () => {
    const { log, lines } = capture();
    log({
      msg: "nested",
      ...IDS,
      customer: {
        email: "ann@example.com",
        default_address: { city: "Springfield" },
        orders: [{ shipping_address: { zip: "12345" }, text: "Hello Ann", id: 7 }],
      },
      request: { headers: { authorization: "Bearer abc", cookie: "session=abc", "x-shopify-access-token": "shpat_123", "set-cookie": "a=b" } },
      deep: { one: { two: { phone: "+15551234567", latitude: 45.1 } } },
    });
    expect(lines[0]).not.toMatch(/ann@example\.com|Ann|shpat_|Bearer|session=|a=b|Springfield|12345|5551234567|45\.1/);
    const line = JSON.parse(lines[0]);
    expect(line.customer.orders[0]).toEqual({ shipping_address: "[redacted]", text: "[redacted]", id: 7 });
    expect(line.request.headers).toEqual({
      authorization: "[redacted]",
      cookie: "[redacted]",
      "x-shopify-access-token": "[redacted]",
      "set-cookie": "[redacted]",
    });
    expect(line).toMatchObject(IDS);
    expect(REDACT_PATHS).toContain("*.*.*.email");
  });

  it("writes the level's name and the time, and drops lines below LOG_LEVEL", () => {
    const { log, parsed } = capture({ level: "warn" });
    log({ msg: "hidden" });
    log({ msg: "hidden too", level: "debug" });
    log({ msg: "shown", level: "warn", shopId: "shop_1" });
    log({ msg: "failed", level: "error", code: "P2002" });
    const lines = parsed();
    expect(lines.map((l) => [l.level, l.msg])).toEqual([
      ["warn", "shown"],
      ["error", "failed"],
    ]);
    expect(Date.parse(String(lines[0].at))).not.toBeNaN();
    expect(Object.keys(lines[0])).toEqual(["level", "at", "msg", "shopId"]);
  });

  it("pretty-prints, censored too, when asked", () => {
    const { log, lines } = capture({ pretty: true });
    log({ msg: "pretty event", shopId: "shop_1", email: "ann@example.com" });
    const text = lines.join("\n").replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, "g"), ""); // colour codes off
    expect(text).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: pretty event/);
    expect(text).toContain('shopId: "shop_1"');
    expect(text).toContain('email: "[redacted]"');
  });
});
