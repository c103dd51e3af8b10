// Builds the thank-you extension bundle (single minified ESM file per target, Preact, no React) with
// esbuild and prints its gzip-compressed size; fails above our 20 KB budget (Shopify's limit is 64 KB).
// The locale files are uploaded beside the bundle, not in it.
import { build } from "esbuild";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const dir = path.resolve(import.meta.dirname, "..");
const outdir = path.join(dir, "dist");
const LIMIT_KB = 20;
const entries = { "thank-you": "src/ThankYou.tsx", "order-status": "src/OrderStatus.tsx" };
let worst = 0;
for (const [name, entry] of Object.entries(entries)) {
  const outfile = path.join(outdir, `${name}.js`);
  await build({
    absWorkingDir: dir,
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: "esm",
    minify: true,
    target: "es2020",
    jsx: "automatic",
    jsxImportSource: "preact",
    alias: { react: "preact/compat", "react-dom": "preact/compat" },
    define: { __TRUSTLOOP_APP_URL__: JSON.stringify(process.env.SHOPIFY_APP_URL ?? "") },
    legalComments: "none",
    logLevel: "warning",
  });
  const raw = fs.readFileSync(outfile);
  const kb = gzipSync(raw, { level: 9 }).length / 1024;
  worst = Math.max(worst, kb);
  console.log(`  ${name}: ${(raw.length / 1024).toFixed(1)} KB raw`);
}
console.log(`thank-you extension: ${worst.toFixed(1)} KB compressed`);
if (worst > LIMIT_KB) {
  console.error(`over the ${LIMIT_KB} KB compressed limit`);
  process.exit(1);
}
