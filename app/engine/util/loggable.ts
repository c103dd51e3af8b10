// What the logs may say of a failure whose text can quote data: a PostgreSQL error's message or
// detail quotes the row's values (`Key ("email")=(…) already exists`, `invalid input syntax for
// type numeric: "…"`), and a validation issue's message may quote what it received. Logs get the
// error's class and codes, or the issue's path and code; the full text stays where it is needed
// (a delivery's stored reason, shown to the merchant whose data it is).
import type { z } from "zod";

export interface LoggableError {
  /** The error's class, e.g. "DatabaseError", "PrismaClientKnownRequestError", "TypeError". */
  errorClass: string;
  /** Its code: PostgreSQL's SQLSTATE (e.g. "23505"), Prisma's (e.g. "P2002"), Node's (e.g. "ECONNREFUSED"). */
  code?: string;
  /** PostgreSQL's SQLSTATE when the error wraps one (Prisma over the pg driver adapter). */
  sqlState?: string;
  /** The driver adapter's kind of failure, e.g. "UniqueConstraintViolation", "postgres". */
  kind?: string;
}

interface AdapterCause {
  kind?: unknown;
  originalCode?: unknown;
  code?: unknown;
}

const codeOf = (value: unknown): string | undefined => {
  const code = (value as { code?: unknown } | null | undefined)?.code;
  return typeof code === "string" || typeof code === "number" ? String(code) : undefined;
};

export function loggableError(error: unknown): LoggableError {
  if (!(error instanceof Error)) return { errorClass: typeof error };
  // The adapter's error (DriverAdapterError) holds the driver's failure as its cause; Prisma's
  // client errors hold the adapter's in their meta.
  const wrapped = (error as { meta?: { driverAdapterError?: { cause?: AdapterCause } } }).meta?.driverAdapterError?.cause;
  const cause = wrapped ?? (error.name === "DriverAdapterError" ? (error.cause as AdapterCause | undefined) : undefined);
  const sqlState = typeof cause?.originalCode === "string" ? cause.originalCode : codeOf(cause);
  const kind = typeof cause?.kind === "string" ? cause.kind : undefined;
  const code = codeOf(error);
  // pg's DatabaseError is named "error" (the protocol's message type): then the class's own name.
  const named = error.name && error.name !== "Error" && error.name !== "error" ? error.name : undefined;
  return { errorClass: named ?? (error.constructor?.name || "Error"), ...(code ? { code } : {}), ...(sqlState ? { sqlState } : {}), ...(kind ? { kind } : {}) };
}

/** A validation failure for a log: the first issues' paths and codes ("customer.email: invalid_type"), never the received values. */
export function loggableIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join(".") || "payload"}: ${issue.code}`)
    .join("; ");
}
