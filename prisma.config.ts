// Prisma 6.19 in its Rust-free mode: the CLI runs the wasm schema engine through the same
// libSQL driver adapter the app uses, so nothing is downloaded (docs/decisions/001-prisma-offline.md).
import path from "node:path";
import { defineConfig } from "prisma/config";
import { PrismaLibSQL } from "@prisma/adapter-libsql";
import { DEFAULT_DATABASE_URL, ensureDirectoryFor } from "./app/db/sqlite-file.server";

process.env.DATABASE_URL ??= DEFAULT_DATABASE_URL;
ensureDirectoryFor(process.env.DATABASE_URL);

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  experimental: { adapter: true },
  engine: "js",
  async adapter() {
    return new PrismaLibSQL({ url: process.env.DATABASE_URL! });
  },
});
