// The file's lines with their byte ends (what a ranged download resumes from) and the orders they regroup into.
import { describe, expect, it } from "vitest";
import { fileLines, readOrders } from "./jsonl";

async function* pieces(...parts: string[]) {
  for (const part of parts) yield Buffer.from(part);
}

async function all<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe("fileLines", () => {
  it("splits across pieces and counts bytes, not characters (a multi-byte name, a CRLF line, no final break)", async () => {
    const text = '{"a":"é"}\n{"b":1}\r\n{"c":2}';
    const lines = await all(fileLines(pieces(text.slice(0, 5), text.slice(5, 13), text.slice(13))));
    expect(lines.map((l) => l.text)).toEqual(['{"a":"é"}', '{"b":1}', '{"c":2}']);
    expect(lines.map((l) => l.end)).toEqual([11, 20, 27]);
    expect(Buffer.byteLength(text)).toBe(27);
    // From a byte offset (a ranged download): ends stay positions in the whole file.
    expect((await all(fileLines(pieces('{"c":2}\n'), 20))).map((l) => l.end)).toEqual([28]);
  });
});

describe("readOrders", () => {
  const file =
    [
      '{"id":"gid://shopify/Order/1"}',
      '{"id":"gid://shopify/LineItem/11","__parentId":"gid://shopify/Order/1"}',
      '{"id":"gid://shopify/Order/2"}',
      '{"id":"gid://shopify/LineItem/21","__parentId":"gid://shopify/Order/2"}',
    ].join("\n") + "\n";

  it("gives each order the line and byte its last child ends at; a ranged read goes on counting lines", async () => {
    const orders = await all(readOrders(fileLines(pieces(file))));
    expect(orders.map((o) => [o.endLine, o.endByte])).toEqual([
      [2, file.indexOf('{"id":"gid://shopify/Order/2"}')],
      [4, Buffer.byteLength(file)],
    ]);
    expect((orders[0].node.lineItems as { nodes: unknown[] }).nodes).toHaveLength(1);
    const from = orders[0].endByte!;
    const rest = await all(readOrders(fileLines(pieces(file.slice(from)), from), 0, orders[0].endLine));
    expect(rest.map((o) => [o.node.id, o.endLine, o.endByte])).toEqual([["gid://shopify/Order/2", 4, Buffer.byteLength(file)]]);
  });
});
