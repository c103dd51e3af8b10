// The README's "Shopify Flow" section documents every trigger and action with every field, as
// definitions.ts declares them: each one's block below must appear there word for word (after
// changing a definition, copy the expected block from the failure into the README).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { propertyKey } from "../../sandbox/flow-console";
import { FLOW_ACTIONS, FLOW_TRIGGERS, type FlowActionDefinition, type FlowField, type FlowTriggerDefinition } from "./definitions";

const readme = readFileSync(new URL("../../../README.md", import.meta.url), "utf8");
const start = readme.indexOf("\n### Shopify Flow\n");
const end = readme.indexOf("\n## ", start + 1);
const section = start < 0 ? "" : readme.slice(start, end < 0 ? undefined : end);

const key = (f: FlowField) => `\`${propertyKey(f)}\``;

/** Heading, description, then the fields as a table. */
const block = (item: { name: string; handle: string }, description: string, table: string[]) =>
  [`#### ${item.name} (\`${item.handle}\`)`, "", description, "", ...table].join("\n");

const triggerBlock = (t: FlowTriggerDefinition) =>
  block(t, t.description, ["| Field | Type | Meaning |", "|---|---|---|", ...t.fields.map((f) => `| ${key(f)} | \`${f.type}\` | ${f.description} |`)]);

const actionBlock = (a: FlowActionDefinition) =>
  block(a, `${a.description} Runtime URL: \`${a.path}\`.`, [
    "| Field | Label in Flow | Type | Required | Meaning |",
    "|---|---|---|---|---|",
    ...a.fields.map((f) => `| ${key(f)} | ${f.name ?? "—"} | \`${f.type}\` | ${f.required ? "yes" : "no"} | ${f.description} |`),
  ]);

describe("the README's Shopify Flow section", () => {
  it.each(Object.values(FLOW_TRIGGERS).map((t) => [t.name, t] as const))("documents the trigger %s with every field", (_, trigger) => {
    expect(section).toContain(triggerBlock(trigger));
  });

  it.each(Object.values(FLOW_ACTIONS).map((a) => [a.name, a] as const))("documents the action %s with every field", (_, action) => {
    expect(section).toContain(actionBlock(action));
  });
});
