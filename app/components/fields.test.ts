import { describe, expect, it } from "vitest";
import { fieldBinder, textValues, withAny } from "./fields";

describe("the field binder", () => {
  const values = { senderName: "Ada", replyTo: "", count: 3 };

  it("gives a field its name, value and the error of the same name", () => {
    const field = fieldBinder(values, () => undefined, { senderName: "Too long", other: "x" });
    expect(field("senderName")).toMatchObject({ name: "senderName", value: "Ada", error: "Too long", autoComplete: "off" });
    expect(field("replyTo")).toMatchObject({ name: "replyTo", value: "", error: undefined });
  });

  it("sends a change as a patch of the one field", () => {
    const patches: unknown[] = [];
    fieldBinder(values, (patch) => patches.push(patch), {})("replyTo").onChange("ada@example.com");
    expect(patches).toEqual([{ replyTo: "ada@example.com" }]);
  });

  it("names a row's fields and finds their errors under the list's prefix", () => {
    const row = { name: "Gold", threshold: "500" };
    const field = fieldBinder(row, () => undefined, { "tiers.1.threshold": "Must be a number", threshold: "not this one" }, "tiers.1.");
    expect(field("threshold")).toMatchObject({ name: "tiers.1.threshold", value: "500", error: "Must be a number" });
    expect(field("name")).toMatchObject({ name: "tiers.1.name", error: undefined });
  });

  it("makes a field with bounds a number field, and leaves the others text", () => {
    const field = fieldBinder(values, () => undefined, {});
    expect(field("senderName", { min: 1, max: 60 })).toMatchObject({ type: "number", min: 1, max: 60, name: "senderName" });
    expect(field("senderName")).not.toHaveProperty("type");
  });
});

describe("filter values", () => {
  it("shows missing filters as empty fields and numbers as text", () => {
    expect(textValues({ product: null, rating: 4, q: undefined, status: "hidden" })).toEqual({ product: "", rating: "4", q: "", status: "hidden" });
  });

  it("puts the no-filter choice first, with the empty value", () => {
    expect(withAny("All flows", [{ label: "Thank-you", value: "f1" }])).toEqual([
      { label: "All flows", value: "" },
      { label: "Thank-you", value: "f1" },
    ]);
  });
});
