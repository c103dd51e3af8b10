// The Flow extensions' TOML files (extensions/flow-*/shopify.extension.toml), written from
// definitions.ts so the two cannot drift: `npm run flow:extensions` writes them, and
// extension-toml.test.ts fails when a committed file differs from what this writes.
import { stringify } from "smol-toml";
import { FLOW_ACTIONS, FLOW_LIFECYCLE_PATH, FLOW_TRIGGERS, type FlowField } from "./definitions";

export const FLOW_EXTENSION_API_VERSION = "2026-07";

const HEADER = "# Written by `npm run flow:extensions` from app/engine/flow/definitions.ts: edit that, not this.\n";

const settings = (fields: readonly FlowField[]) => ({ settings: { fields: fields.map((f) => ({ ...f })) } });

/** Each Flow extension's directory (under extensions/) and its TOML text; `appUrl` is the app's public origin. */
export function flowExtensionFiles(appUrl: string): Map<string, string> {
  const origin = new URL(appUrl).origin;
  const files = new Map<string, string>();
  const write = (dir: string, extension: Record<string, unknown>, fields?: readonly FlowField[]) =>
    files.set(dir, HEADER + stringify({ api_version: FLOW_EXTENSION_API_VERSION, extensions: [extension], ...(fields ? settings(fields) : {}) }) + "\n");

  for (const t of Object.values(FLOW_TRIGGERS)) {
    write(`flow-trigger-${t.handle}`, { name: t.name, type: "flow_trigger", handle: t.handle, description: t.description }, t.fields);
  }
  for (const a of Object.values(FLOW_ACTIONS)) {
    write(
      `flow-action-${a.handle}`,
      { name: a.name, type: "flow_action", handle: a.handle, description: a.description, runtime_url: origin + a.path },
      a.fields,
    );
  }
  write("flow-lifecycle", {
    name: "Trustloop trigger lifecycle",
    type: "flow_trigger_lifecycle_callback",
    handle: "trustloop-flow-lifecycle",
    url: origin + FLOW_LIFECYCLE_PATH,
  });
  return files;
}
