// Whether a failure is the database's (connection refused, pool timeout, server gone) rather than
// the request's: a caller that can be retried later (Shopify Flow retries 5xx) answers 503 for it.
import { loggableError } from "./loggable";

const DATABASE_CLASS = /^Prisma|DriverAdapterError|DatabaseError/;
/** Node's socket failures, and PostgreSQL's operator intervention (57P0x) and connection exception (08xxx) classes. */
const TRANSIENT_CODE = /^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|57P0\d|08\d{3})$/;

/** A database or driver failure: transient, worth another try. */
export function isDatabaseTrouble(error: unknown): boolean {
  const { errorClass, code } = loggableError(error);
  return DATABASE_CLASS.test(errorClass) || TRANSIENT_CODE.test(code ?? "");
}
