import { describe, expect, it } from "vitest";
import { isDatabaseTrouble } from "./database-trouble";

const named = (name: string, props: Record<string, unknown> = {}) => Object.assign(Object.defineProperty(new Error("x"), "name", { value: name }), props);
class PrismaClientKnownRequestError extends Error {}
const coded = (code: string) => Object.assign(new Error("x"), { code });

describe("isDatabaseTrouble", () => {
  it.each([
    ["a Prisma client error", new PrismaClientKnownRequestError("x")],
    ["the driver adapter's error", named("DriverAdapterError")],
    ["pg's DatabaseError", named("DatabaseError")],
    ["connection refused", coded("ECONNREFUSED")],
    ["connection reset", coded("ECONNRESET")],
    ["a timeout", coded("ETIMEDOUT")],
    ["the server shutting the connection (57P01)", coded("57P01")],
    ["a connection exception (08006)", coded("08006")],
  ])("is trouble: %s", (_, error) => {
    expect(isDatabaseTrouble(error)).toBe(true);
  });

  it.each([
    ["a bad body", new SyntaxError("Unexpected token")],
    ["a bug", new TypeError("undefined is not a function")],
    ["an error with another code", coded("ENOENT")],
    ["a thrown string", "ECONNREFUSED"],
    ["nothing", undefined],
  ])("is not: %s", (_, error) => {
    expect(isDatabaseTrouble(error)).toBe(false);
  });
});
