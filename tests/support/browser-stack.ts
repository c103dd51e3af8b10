// A browser test's set-up in one call: headless Chromium with a normal user agent, and a stack with
// the demo shop installed (and the worker, when asked).
import type { Page } from "playwright-core";
import { openPage, type BrowserPage } from "./chromium";
import { BROWSER_UA, startStack, type Stack } from "./stack";

export interface BrowserStack extends BrowserPage {
  stack: Stack;
  stop(): Promise<void>;
}

export async function startBrowserStack({ worker = false } = {}): Promise<BrowserStack> {
  const opened = await openPage(BROWSER_UA);
  const stack = await startStack();
  if ((await stack.install()).status !== 200) throw new Error(`install failed:\n${stack.output()}`);
  if (worker) await stack.startWorker();
  return {
    ...opened,
    stack,
    async stop() {
      await opened.browser.close();
      await stack.stop();
    },
  };
}

/** Opens an admin page the way Shopify admin does: through the sandbox opener, then to `pathname`. */
export async function openAdmin(page: Page, stack: Stack, pathname: string) {
  await page.goto(`${stack.appUrl}/sandbox`);
  await page.getByText("Trustloop Demo Outfitters").first().waitFor();
  const admin = new URL(page.url());
  admin.pathname = pathname;
  await page.goto(admin.toString());
}
