import { describe, expect, it } from "vitest";
import type { OrderSummary } from "./emulator";
import { orderPage, orderPageQuery } from "./order-page";

const order = (n: number, email = `shopper${n}@example.com`): OrderSummary => ({
  id: String(5000 + n),
  name: `#${1000 + n}`,
  email,
  financialStatus: "paid",
  fulfillmentStatus: null,
  cancelled: false,
  createdAt: "2026-12-01T10:00:00Z",
  updatedAt: "2026-12-01T10:00:00Z",
  total: "10.00",
  currency: "USD",
  fulfillments: [],
});
const orders = Array.from({ length: 35 }, (_, i) => order(i + 1)); // oldest first, as the emulator keeps them
const names = (page: { orders: OrderSummary[] }) => page.orders.map((o) => o.name);

describe("the console's page of orders", () => {
  it("is the whole list when no limit is asked for", () => {
    expect(orderPageQuery(new URLSearchParams(""))).toBeNull();
    expect(orderPageQuery(new URLSearchParams("q=1005"))).toBeNull();
  });

  it("gives the newest first, a page at a time, with the total", () => {
    const first = orderPage(orders, orderPageQuery(new URLSearchParams("limit=10"))!);
    expect(first.total).toBe(35);
    expect(names(first)).toEqual(["#1035", "#1034", "#1033", "#1032", "#1031", "#1030", "#1029", "#1028", "#1027", "#1026"]);
    expect(names(orderPage(orders, orderPageQuery(new URLSearchParams("limit=10&offset=30"))!))).toEqual(["#1005", "#1004", "#1003", "#1002", "#1001"]);
  });

  it("finds an order by its number (with or without #), its id or part of the email", () => {
    const find = (q: string) => names(orderPage(orders, orderPageQuery(new URLSearchParams({ limit: "10", q }))!));
    expect(find("1005")).toEqual(["#1005"]); // not #10050…: the number is matched whole
    expect(find("#1005")).toEqual(["#1005"]);
    expect(find("5012")).toEqual(["#1012"]);
    expect(find("SHOPPER3@")).toEqual(["#1003"]);
    expect(find("nobody")).toEqual([]);
  });

  it("keeps the page size within bounds", () => {
    expect(orderPageQuery(new URLSearchParams("limit=100000"))!.limit).toBe(100);
    expect(orderPageQuery(new URLSearchParams("limit=0"))!.limit).toBe(1);
    expect(orderPageQuery(new URLSearchParams("limit=x&offset=-3"))).toEqual({ q: "", limit: 20, offset: 0 });
  });
});
