// Admin › Offers against a real database: the form read into the editor's input, saving (create,
// update), and the shop's rules with their counters — another shop's rule is neither listed nor
// changed.
import { describe, expect, it } from "vitest";
import type { Shop } from "@prisma/client";
import { makeShopPair } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { offerRuleFields, offerRulesWithPerformance, saveOfferRule } from "./admin";
import { offerRuleInput, type OfferRuleInput } from "./rules";

let temp: TempDb;
let mine: Shop;
let theirs: Shop;

const form = (fields: Record<string, string>) => offerRuleFields((name) => fields[name] ?? "");
const rule = (name: string, priority = 0): OfferRuleInput => ({
  name,
  anyOrder: true,
  triggerProducts: [],
  triggerTags: [],
  offerVariantId: "gid://shopify/ProductVariant/1",
  offerTitle: name,
  discountPercent: 10,
  expiryDays: 7,
  priority,
  perCustomerLimit: 1,
  enabled: true,
});

useTempDb("offer_admin", async (created) => {
  temp = created;
  [mine, theirs] = await makeShopPair(temp.db, { currency: "EUR" });
});

describe("offer rules form", () => {
  it("reads ticked boxes, lists and the defaults of empty numbers", () => {
    const fields = form({ name: "Socks", anyOrder: "on", triggerTags: "a, b\nb", discountPercent: "15", expiryDays: "7", enabled: "on" });
    expect(fields).toMatchObject({
      anyOrder: true,
      enabled: true,
      triggerTags: ["a", "b"],
      triggerProducts: [],
      discountPercent: 15,
      priority: 0,
      perCustomerLimit: 1,
    });
    expect(form({ perCustomerLimit: "0" })).toMatchObject({ anyOrder: false, enabled: false, perCustomerLimit: 0 });
    expect(
      offerRuleInput.safeParse(
        form({ name: "No trigger", offerVariantId: "gid://shopify/ProductVariant/1", offerTitle: "x", discountPercent: "10", expiryDays: "7" }),
      ).success,
    ).toBe(false);
  });
});

describe("saving and listing offer rules", () => {
  it("creates, updates the shop's own rule, and never another shop's", async () => {
    expect(await saveOfferRule(temp.db, mine.id, "", rule("Low", 1))).toBe(true);
    expect(await saveOfferRule(temp.db, mine.id, "", rule("High", 5))).toBe(true);
    expect(await saveOfferRule(temp.db, theirs.id, "", rule("Theirs", 9))).toBe(true);
    const [high, low] = await offerRulesWithPerformance(temp.db, mine.id);
    expect([high.name, low.name]).toEqual(["High", "Low"]);
    expect(low.perf).toEqual({ grants: 0, impressions: 0, clicks: 0, conversions: 0, revenueCents: 0 });

    expect(await saveOfferRule(temp.db, mine.id, low.id, { ...rule("Low renamed", 1), triggerTags: ["gift"] })).toBe(true);
    const [theirsRule] = await offerRulesWithPerformance(temp.db, theirs.id);
    expect(await saveOfferRule(temp.db, mine.id, theirsRule.id, rule("Taken over"))).toBe(false);

    expect((await offerRulesWithPerformance(temp.db, mine.id)).map((r) => [r.name, r.triggerTags])).toEqual([
      ["High", []],
      ["Low renamed", ["gift"]],
    ]);
    expect((await offerRulesWithPerformance(temp.db, theirs.id)).map((r) => r.name)).toEqual(["Theirs"]);
  });

  it("counts each rule's grants, impressions and clicks", async () => {
    const [high] = await offerRulesWithPerformance(temp.db, mine.id);
    await temp.db.offerGrant.create({ data: { shopId: mine.id, ruleId: high.id, orderGid: "gid://shopify/Order/1", impressions: 3, clicks: 1 } });
    const [counted] = await offerRulesWithPerformance(temp.db, mine.id);
    expect(counted.perf).toMatchObject({ grants: 1, impressions: 3, clicks: 1, conversions: 0 });
  });
});
