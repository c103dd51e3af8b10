// A browser test's set-up in one call: headless Chromium with a normal user agent, and a stack with
// the demo shop installed (unless asked not to) and the worker, when asked.
import type { Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { openPage, type BrowserPage } from "./chromium";
import { BROWSER_UA, startStack, type Stack } from "./stack";

export interface BrowserStack extends BrowserPage {
  stack: Stack;
  stop(): Promise<void>;
}

export async function startBrowserStack({ worker = false, install = true } = {}): Promise<BrowserStack> {
  const opened = await openPage(BROWSER_UA);
  let stack: Stack;
  try {
    stack = await startStack({ install, workers: worker ? 1 : 0 });
  } catch (error) {
    await opened.browser.close();
    throw error;
  }
  return {
    ...opened,
    stack,
    async stop() {
      await opened.browser.close();
      await stack.stop();
    },
  };
}

/** A test file's browser and stack: started before its tests (handed to `started`), stopped after them. */
export function useBrowserStack(options: Parameters<typeof startBrowserStack>[0], started: (env: BrowserStack) => void) {
  let env: BrowserStack | undefined;
  beforeAll(async () => {
    env = await startBrowserStack(options);
    started(env);
  });
  afterAll(async () => {
    await env?.stop();
  });
}

/** Opens an admin page the way Shopify admin does: through the sandbox opener, then to `pathname`. */
export async function openAdmin(page: Page, stack: Stack, pathname: string) {
  await page.goto(`${stack.appUrl}/sandbox`);
  await page.getByText("Trustloop Demo Outfitters").first().waitFor();
  const admin = new URL(page.url());
  admin.pathname = pathname;
  await page.goto(admin.toString());
}
