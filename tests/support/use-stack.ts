// A test file's stack in one call: started before the file's tests, stopped after them. Apart from
// stack.ts, which stays free of vitest (the benchmarks use it).
import { afterAll, beforeAll } from "vitest";
import { startStack, type Stack, type StackOptions } from "./stack";

/** Starts the stack before the file's tests and hands it to `started` (which may prepare it); stops it after them. */
export function useStack(options: StackOptions, started: (stack: Stack) => void | Promise<void>) {
  let stack: Stack | undefined;
  beforeAll(async () => {
    stack = await startStack(options);
    await started(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });
}
