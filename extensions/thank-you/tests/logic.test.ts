import { describe, expect, it, vi } from "vitest";
import { backoffSchedule, loadWithRetry, orderCall, parseAnswer, viewModel, type ApiAnswer } from "../src/logic";
import { offer } from "./support";

describe("logic", () => {
  it("backs off 1 s, 2 s, 4 s, 8 s (5 tries)", () => {
    expect(backoffSchedule()).toEqual([1000, 2000, 4000, 8000]);
  });
  it("builds the view and click calls: a POST naming the order and its confirmation number", () => {
    const order = { orderId: "gid://shopify/Order/1", confirmation: "X7K2PQ9ZB", subtotal: "12.50" };
    const [url, init] = orderCall("https://app.example", "tok", order, "view");
    expect(url).toBe("https://app.example/api/checkout/order");
    expect(init).toMatchObject({ method: "POST", headers: { Authorization: "Bearer tok", "Content-Type": "application/json" } });
    expect(JSON.parse(init.body as string)).toEqual({ orderId: "gid://shopify/Order/1", confirmation: "X7K2PQ9ZB", event: "view", subtotal: "12.50" });
    expect(JSON.parse(orderCall("https://app.example", "tok", order, "click")[1].body as string)).toEqual({
      orderId: "gid://shopify/Order/1",
      confirmation: "X7K2PQ9ZB",
      event: "click",
    });
  });
  it("parses answers and rejects non-https cart links", () => {
    expect(parseAnswer({ status: "ready", points: { earned: 3, status: "pending" }, offer: { ...offer, cartUrl: "javascript:alert(1)" } })).toMatchObject({
      offer: null,
    });
    expect(parseAnswer({ nope: true })).toBeNull();
  });
  it("maps answers to the view", () => {
    const ready: ApiAnswer = { status: "ready", points: { earned: 80, status: "pending" }, offer };
    expect(viewModel(null, {})).toEqual({ kind: "loading" });
    expect(viewModel({ status: "gone" }, {})).toEqual({ kind: "hidden" });
    expect(viewModel("error", {})).toEqual({ kind: "unavailable" });
    expect(viewModel("error", { show_points: false })).toEqual({ kind: "hidden" });
    expect(viewModel(ready, { show_offer: false })).toMatchObject({ kind: "content", offer: null, points: { value: 80, pending: true } });
    expect(viewModel({ status: "pending", estimatedPoints: 25 }, {}, { retrying: true })).toMatchObject({
      points: { value: 25, estimated: true },
      retrying: true,
    });
    expect(viewModel({ status: "ready", points: { earned: 0, status: "pending" }, offer: null }, {})).toEqual({ kind: "hidden" });
  });
  it("retries while pending, then stops", async () => {
    const answers: ApiAnswer[] = [
      { status: "pending", estimatedPoints: 5 },
      { status: "pending", estimatedPoints: 5 },
      { status: "ready", points: { earned: 5, status: "pending" }, offer: null },
    ];
    const fetchOnce = vi.fn(async () => answers.shift()!);
    const waits: number[] = [];
    const seen: unknown[] = [];
    await loadWithRetry(
      fetchOnce,
      (a, more) => seen.push([typeof a === "string" ? a : a.status, more]),
      backoffSchedule(),
      async (ms) => void waits.push(ms),
    );
    expect(waits).toEqual([1000, 2000]);
    expect(seen).toEqual([
      ["pending", true],
      ["pending", true],
      ["ready", false],
    ]);
  });
  it("gives up after 5 tries and reports an API failure as error", async () => {
    const waits: number[] = [];
    await loadWithRetry(
      async () => ({ status: "pending", estimatedPoints: 1 }),
      () => {},
      backoffSchedule(),
      async (ms) => void waits.push(ms),
    );
    expect(waits).toHaveLength(4);
    const seen: unknown[] = [];
    await loadWithRetry(
      async () => {
        throw new Error("offline");
      },
      (a) => seen.push(a),
    );
    expect(seen).toEqual(["error"]);
  });
});
