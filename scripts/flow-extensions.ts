// `npm run flow:extensions`: writes extensions/flow-*/shopify.extension.toml from the definitions
// (app/engine/flow/definitions.ts), for the app URL of shopify.app.toml.
import fs from "node:fs";
import path from "node:path";
import { flowExtensionFiles } from "../app/engine/flow/extension-toml";
import { readAppToml } from "../sandbox/app-toml";

for (const [dir, text] of flowExtensionFiles(readAppToml("shopify.app.toml").applicationUrl)) {
  fs.mkdirSync(path.join("extensions", dir), { recursive: true });
  fs.writeFileSync(path.join("extensions", dir, "shopify.extension.toml"), text);
  console.log(`wrote extensions/${dir}/shopify.extension.toml`);
}
