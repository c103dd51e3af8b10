// The migration that moved the preset flows to catalogue messages: a preset the merchant never
// edited takes the new template, an edited one keeps the merchant's text.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { makeFlow, makeShop } from "../../../tests/support/factories";
import { useTempDb, type TempDb } from "../../../tests/support/temp-db";
import { FLOW_PRESETS } from "./presets";

const SQL = fs.readFileSync("prisma/migrations/20261205150100_localized_presets/migration.sql", "utf8");
const OLD_THANK_YOU = {
  subject: "Thank you for your order {{ order.name }}",
  body: [
    "Hi {{ customer.first_name | default: 'there' }},",
    "Thank you for shopping with {{ shop.name }}. Your order {{ order.name }} is confirmed and we are getting it ready.",
    "We will let you know as soon as it ships.",
  ].join("\n\n"),
};

let t: TempDb;
useTempDb("presets-migration", (temp) => {
  t = temp;
});

describe("the localized presets migration", () => {
  it("replaces an unedited preset and keeps an edited one", async () => {
    const untouched = await makeFlow(t.db, await makeShop(t.db), { key: "thank_you", ...OLD_THANK_YOU });
    const edited = await makeFlow(t.db, await makeShop(t.db), { key: "thank_you", ...OLD_THANK_YOU, body: `${OLD_THANK_YOU.body}\n\nSee you soon!` });
    await t.db.$executeRawUnsafe(SQL);
    const preset = FLOW_PRESETS.find((p) => p.key === "thank_you")!;
    expect(await t.db.flow.findUniqueOrThrow({ where: { id: untouched.id } })).toMatchObject({ subject: preset.subject, body: preset.body });
    expect(await t.db.flow.findUniqueOrThrow({ where: { id: edited.id } })).toMatchObject({ subject: OLD_THANK_YOU.subject, body: edited.body });
  });
});
