// Prisma 6.19 in its Rust-free mode: the CLI runs the wasm schema engine through the same
// PostgreSQL driver adapter the app uses, so nothing is downloaded (docs/decisions/001-prisma-offline.md).
// The CLI is used to generate the client and to write migrations (`npm run db:migration`);
// migrations are applied by our runner (app/db/migrations.server.ts, decision 024).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// `prisma generate` (run by npm install) must resolve the datasource URL, or it falls back to
// downloading a native query engine. It never connects: a placeholder is enough.
const PLACEHOLDER = "postgresql://unset@127.0.0.1:1/unset";
process.env.DATABASE_URL ??= PLACEHOLDER;

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url || url === PLACEHOLDER) throw new Error("DATABASE_URL is not set: the Prisma CLI needs a PostgreSQL server for this command");
    return new PrismaPg({ connectionString: url });
  },
});
