import { describe, expect, it } from "vitest";
import { apologyCode } from "./apology";
import { rewardCode } from "../loyalty/rewards";
import { offerCode } from "../offers/rules";
import { derivedCode, singleUseCodeInput } from "./shopify-codes";

describe("derivedCode", () => {
  // Codes already in shops are derived again on retries: the derivation must never change.
  it("gives the codes the apology, reward and offer derivations always gave", () => {
    expect(apologyCode("m1")).toBe("SORRY-MEG853YB");
    expect(rewardCode("s1", "r1")).toBe("REWARD-2NJPNXGV5D");
    expect(offerCode("rule1", "gid://shopify/Order/1")).toBe("THANKS-CKQTN3F11X");
  });

  it("uses every bit of the digest it takes: the length sets how many characters", () => {
    expect(derivedCode("X", "seed", 8)).toMatch(/^X-[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(derivedCode("X", "seed", 10)).toMatch(/^X-[0-9A-HJKMNP-TV-Z]{10}$/);
    expect(derivedCode("X", "seed", 10)).not.toBe(derivedCode("X", "seed2", 10));
  });
});

describe("singleUseCodeInput", () => {
  const now = new Date("2026-12-05T10:00:00Z");
  const endsAt = new Date("2027-01-05T10:00:00Z");

  it("is single use, by the code's customer, from now until it ends, combining with nothing", () => {
    expect(singleUseCodeInput({ code: "SORRY-1", endsAt, customerShopifyId: "gid://shopify/Customer/7" }, now)).toEqual({
      code: "SORRY-1",
      startsAt: "2026-12-05T10:00:00.000Z",
      endsAt: "2027-01-05T10:00:00.000Z",
      usageLimit: 1,
      appliesOncePerCustomer: true,
      customerSelection: { customers: { add: ["gid://shopify/Customer/7"] } },
      combinesWith: { orderDiscounts: false, productDiscounts: false, shippingDiscounts: false },
    });
  });

  it("is open to anyone when the code has no customer", () => {
    expect(singleUseCodeInput({ code: "C", endsAt, customerShopifyId: null }, now).customerSelection).toEqual({ all: true });
  });
});
