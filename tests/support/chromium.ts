// Browser tests use Debian's Chromium. Found where Debian puts it (or CHROMIUM_PATH); installed
// with apt-get when possible; otherwise the test fails saying exactly what is missing.
import { execSync } from "node:child_process";
import fs from "node:fs";
import { chromium, type Browser } from "playwright-core";

const CANDIDATES = ["/usr/bin/chromium", "/usr/bin/chromium-browser"];

function find(): string | undefined {
  return [process.env.CHROMIUM_PATH, ...CANDIDATES].find((p): p is string => !!p && fs.existsSync(p));
}

export function chromiumPath(): string {
  const found = find();
  if (found) return found;
  const isRoot = process.getuid?.() === 0;
  const hasApt = fs.existsSync("/usr/bin/apt-get");
  if (isRoot && hasApt) {
    console.warn("[browser tests] Chromium not found: installing Debian's chromium package with apt-get…");
    execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" });
    const installed = find();
    if (installed) return installed;
  }
  throw new Error(
    `[browser tests] Chromium is not installed (looked at ${CANDIDATES.join(", ")}) and could not be installed ` +
      `(${isRoot ? "" : "not root; "}${hasApt ? "" : "no apt-get; "}install Debian's "chromium" package or set CHROMIUM_PATH).`,
  );
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
