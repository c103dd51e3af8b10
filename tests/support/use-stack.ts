// A test file's stack in one call: started before the file's tests, stopped after them. Apart from
// stack.ts, which stays free of vitest (the benchmarks use it).
import type { Prisma } from "@prisma/client";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { startStack, type Stack, type StackOptions } from "./stack";

/** Starts the stack before the file's tests and hands it to `started` (which may prepare it); stops it after them. */
export function useStack(options: StackOptions, started: (stack: Stack) => void | Promise<void>, timeoutMs?: number) {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
    await started(stack);
  }, timeoutMs);
  afterAll(async () => {
    await stack?.stop();
  });
}

/**
 * A stack with the demo shop installed, handed to `started` with the shop's domain; before each test
 * the shop gets `shopData` again (a test may have changed it): the caps and quiet hours the file's
 * emails need to go out next to the order's other ones.
 */
export function useDemoShop(options: StackOptions, shopData: Prisma.ShopUpdateInput, started: (stack: Stack, shop: string) => void | Promise<void>) {
  let stack: Stack;
  useStack({ ...options, install: true }, (s) => {
    stack = s;
    return started(s, s.services.demoShop);
  });
  beforeEach(async () => {
    await stack.db.shop.update({ where: { domain: stack.services.demoShop }, data: shopData });
  });
}
