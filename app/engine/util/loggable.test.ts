import pg from "pg";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { loggableError, loggableIssues } from "./loggable";

describe("loggableError", () => {
  it("keeps a PostgreSQL error's class and SQLSTATE, not its text quoting the row", () => {
    const error = Object.assign(new pg.DatabaseError('duplicate key value violates unique constraint "Customer_email_key"', 0, "error"), {
      code: "23505",
      detail: "Key (email)=(bea@example.com) already exists.",
    });
    const logged = loggableError(error);
    expect(logged).toEqual({ errorClass: "DatabaseError", code: "23505" });
    expect(JSON.stringify(logged)).not.toContain("@");
  });

  it("reads the SQLSTATE under Prisma's driver adapter error, and its kind", () => {
    const adapter = Object.assign(new Error("new row for Order: bea@example.com"), {
      name: "DriverAdapterError",
      cause: { kind: "postgres", code: "P0001", message: "bea@example.com" },
    });
    expect(loggableError(adapter)).toEqual({ errorClass: "DriverAdapterError", sqlState: "P0001", kind: "postgres" });
    const client = Object.assign(new Error("Unique constraint failed: bea@example.com"), {
      name: "PrismaClientKnownRequestError",
      code: "P2002",
      meta: { driverAdapterError: { cause: { kind: "UniqueConstraintViolation", originalCode: "23505", originalMessage: "Key (email)=(bea@example.com)" } } },
    });
    expect(loggableError(client)).toEqual({ errorClass: "PrismaClientKnownRequestError", code: "P2002", sqlState: "23505", kind: "UniqueConstraintViolation" });
  });

  it("names plain errors and non-errors by their class or type", () => {
    expect(loggableError(new TypeError("x of bea@example.com"))).toEqual({ errorClass: "TypeError" });
    expect(loggableError("bea@example.com")).toEqual({ errorClass: "string" });
  });
});

describe("loggableIssues", () => {
  it("gives the paths and codes of the first issues, never the values received", () => {
    const parsed = z
      .object({ email: z.string(), status: z.enum(["paid", "pending"]), lines: z.array(z.object({ qty: z.number() })) })
      .safeParse({ email: 42, status: "bea@example.com", lines: [{ qty: "x" }] });
    expect(parsed.success).toBe(false);
    const issues = loggableIssues(parsed.error!);
    expect(issues).toBe("email: invalid_type; status: invalid_enum_value; lines.0.qty: invalid_type");
    expect(issues).not.toContain("@");
  });
});
