// The test email's hourly allowance per shop, kept in the database (RateLimit) so the web
// server's processes share it: a fixed one-hour window from the shop's first test send.
import type { PrismaClient } from "@prisma/client";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import { TEST_EMAILS_PER_HOUR, type TestEmailQuota } from "./preview";

export function testEmailQuota(db: PrismaClient): TestEmailQuota {
  const limiter = new RateLimiterPrisma({
    storeClient: db,
    tableName: "rateLimit", // the Prisma client's accessor for model RateLimit
    keyPrefix: "test-email",
    points: TEST_EMAILS_PER_HOUR,
    duration: 3600,
    // An expired window is replaced on the shop's next send; no timer per limiter.
    clearExpiredByTimeout: false,
  });
  return async (shopId) => {
    try {
      await limiter.consume(shopId);
      return { ok: true };
    } catch (error) {
      // Over the limit rejects with the window's state; a database error is an Error.
      if (error instanceof RateLimiterRes) return { ok: false, retryInMs: error.msBeforeNext };
      throw error;
    }
  };
}
