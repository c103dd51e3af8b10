import { describe, expect, it } from "vitest";
import type { TemplateError } from "../email/render";
import { checkTemplates } from "./flows";

const limit = (kind: TemplateError["kind"], field: TemplateError["field"]) => async () => ({ kind, field, message: `${field} ${kind}` });

describe("checkTemplates", () => {
  it("names the line of a Liquid error, without rendering", async () => {
    let rendered = false;
    const errors = await checkTemplates("Hi", "Hello\n{% if x %}", async () => ((rendered = true), null));
    expect(errors.body).toMatch(/^line 2: /);
    expect(rendered).toBe(false);
  });

  it.each([
    ["too_large", "subject", { subject: "subject too_large" }],
    ["timeout", "body", { body: "body timeout" }],
    ["render", "body", {}], // the sample data may not fit every template: only limits refuse a save
  ] as const)("a render check that hits %s in the %s", async (kind, field, expected) => {
    expect(await checkTemplates("Hi", "Hello", limit(kind, field))).toEqual(expected);
  });

  it("accepts a valid template without a render check", async () => {
    expect(await checkTemplates("Hi {{ shop.name }}", "Hello")).toEqual({});
  });
});
