import { describe, expect, it } from "vitest";
import { isLoopbackHost } from "./loopback";

describe("isLoopbackHost", () => {
  it.each(["localhost", "localhost:3000", "LOCALHOST:3000", "127.0.0.1:3000", "[::1]:3000"])("accepts %s", (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });

  it.each([
    null,
    "",
    "example.com",
    "localhost.example.com:3000",
    "127.0.0.1.nip.io",
    "evil.example@localhost",
    "localhost/x",
    "10.0.0.5:3000",
    "0.0.0.0:3000",
  ])("refuses %s", (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});
