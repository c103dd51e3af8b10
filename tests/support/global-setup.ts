// Runs once before integration/browser tests: a migrated template database (each test stack
// copies it) and a production build of the app (the tests run the real server).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { TestProject } from "vitest/node";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const ARTIFACTS = path.join(ROOT, "tests/artifacts");

export default function setup(project: TestProject) {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const template = path.join(ARTIFACTS, `template-${process.pid}.sqlite`);
  fs.rmSync(template, { force: true });
  execFileSync(process.execPath, [path.join(ROOT, "node_modules/prisma/build/index.js"), "migrate", "deploy"], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: `file:${template}` },
    stdio: "pipe",
  });
  if (!fs.existsSync(path.join(ROOT, "build/server/index.js"))) {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], { cwd: ROOT, stdio: "pipe" });
  }
  project.provide("templateDb", template);
  return () => fs.rmSync(template, { force: true });
}

declare module "vitest" {
  export interface ProvidedContext {
    templateDb: string;
  }
}
