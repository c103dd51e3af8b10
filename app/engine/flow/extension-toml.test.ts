import fs from "node:fs";
import path from "node:path";
import { parse } from "smol-toml";
import { describe, expect, it } from "vitest";
import { readAppToml } from "../../../sandbox/app-toml";
import { FLOW_ACTIONS, FLOW_TRIGGERS, type FlowActionDefinition, type FlowTriggerDefinition } from "./definitions";
import { flowExtensionFiles } from "./extension-toml";

const appUrl = readAppToml("shopify.app.toml").applicationUrl;
const files = flowExtensionFiles(appUrl);

describe("the Flow extensions", () => {
  it.each([...files.keys()])("extensions/%s/shopify.extension.toml is what the definitions write (run `npm run flow:extensions`)", (dir) => {
    expect(fs.readFileSync(path.join("extensions", dir, "shopify.extension.toml"), "utf8")).toBe(files.get(dir));
  });

  it("has no other flow-* extension than the definitions'", () => {
    const dirs = fs.readdirSync("extensions").filter((d) => d.startsWith("flow-"));
    expect(dirs.sort()).toEqual([...files.keys()].sort());
  });

  it("declares what Flow requires: trigger keys of letters and spaces, action keys and names, https runtime URLs", () => {
    for (const t of Object.values(FLOW_TRIGGERS) as FlowTriggerDefinition[]) {
      for (const f of t.fields) if (!f.type.endsWith("_reference")) expect(f.key).toMatch(/^[a-zA-Z ]+$/);
    }
    for (const a of Object.values(FLOW_ACTIONS) as FlowActionDefinition[]) {
      const toml = parse(files.get(`flow-action-${a.handle}`)!) as { extensions: { runtime_url: string }[] };
      expect(toml.extensions[0].runtime_url).toBe(`${new URL(appUrl).origin}${a.path}`);
      expect(toml.extensions[0].runtime_url).toMatch(/^https:\/\//);
      for (const f of a.fields) if (!f.type.endsWith("_reference")) expect([f.key, f.name]).toEqual([expect.any(String), expect.any(String)]);
    }
  });
});
