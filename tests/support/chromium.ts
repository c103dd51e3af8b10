// Browser tests use Debian's Chromium. Found where Debian puts it (or CHROMIUM_PATH); installed
// with apt-get when possible; otherwise the test fails saying exactly what is missing.
import { execSync } from "node:child_process";
import fs from "node:fs";
import { chromium, type Browser, type Page } from "playwright-core";

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
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface BrowserPage {
  browser: Browser;
  page: Page;
  /** Console errors, page errors and failed responses: a test expects this to stay empty. */
  problems: string[];
}

/** A desktop-sized page with a normal user agent (Shopify answers 410 to bot agents). */
export async function openPage(userAgent: string): Promise<BrowserPage> {
  const browser = await launchChromium();
  const context = await browser.newContext({ userAgent, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("response", (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  return { browser, page, problems };
}
