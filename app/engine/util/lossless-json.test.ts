import { describe, expect, it } from "vitest";
import { parseJsonLossless } from "./lossless-json";

describe("parseJsonLossless", () => {
  it("keeps ids above 2^53 exact, as strings", () => {
    const parsed = parseJsonLossless('{"id": 820982911946154508, "n": 12, "x": -9007199254740993}') as Record<string, unknown>;
    expect(parsed).toEqual({ id: "820982911946154508", n: 12, x: "-9007199254740993" });
  });

  it("leaves strings, decimals and safe integers alone", () => {
    const text = '{"a":"820982911946154508 \\"quoted\\" 99999999999999999","b":1.5e3,"c":[9007199254740991,0.1],"d":null}';
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });

  it("reads nested and escaped text as JSON.parse does, the last of a repeated key winning", () => {
    const text = '{"a":{"b":[1,{"c":"\\u00e9\\n"}]},"k":1,"k":2,"__proto__":{"x":1},"e":-0,"f":12345678901234567890.5}';
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });

  it("still rejects malformed JSON", () => {
    expect(() => parseJsonLossless('{"id": 1,')).toThrow(SyntaxError);
  });
});
