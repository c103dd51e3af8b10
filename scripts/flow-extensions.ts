// `npm run flow:extensions`: writes extensions/flow-*/shopify.extension.toml from the definitions
// (app/engine/flow/definitions.ts), for the app URL of shopify.app.toml.
import fs from "node:fs";
import path from "node:path";
import { flowExtensionFiles } from "../app/engine/flow/extension-toml";

const appUrl = /^application_url\s*=\s*"([^"]+)"/m.exec(fs.readFileSync("shopify.app.toml", "utf8"))?.[1];
if (!appUrl) throw new Error("shopify.app.toml has no application_url");
for (const [dir, text] of flowExtensionFiles(appUrl)) {
  fs.mkdirSync(path.join("extensions", dir), { recursive: true });
  fs.writeFileSync(path.join("extensions", dir, "shopify.extension.toml"), text);
  console.log(`wrote extensions/${dir}/shopify.extension.toml`);
}
