import { describe, expect, it } from "vitest";
import { sendingOrder, type Sequenced } from "./batch-order";

const at = (hhmm: string) => new Date(`2026-12-03T${hhmm}:00Z`);
const eight = at("08:00");

function message(id: string, m: Partial<Sequenced> & { dueAt: Date }): Sequenced & { id: string } {
  return { id, orderId: null, anchor: "order_created", category: "service", sendAt: eight, ...m };
}
const ids = (batch: { id: string }[]) => batch.map((m) => m.id);

describe("sendingOrder", () => {
  it("sends one order's thank-you before its later delay notice when both were held until the same moment", () => {
    const thankYou = message("thank-you", { orderId: "o1", dueAt: new Date("2026-12-02T23:45:00Z") });
    const delay = message("delay", { orderId: "o1", anchor: "delay_detected", dueAt: at("03:00") });
    expect(ids(sendingOrder([delay, thankYou]))).toEqual(["thank-you", "delay"]);
    expect(ids(sendingOrder([thankYou, delay]))).toEqual(["thank-you", "delay"]);
  });

  it("keeps the priority across customers: delay notices, then service, survey, marketing", () => {
    const batch = [
      message("marketing", { orderId: "a", category: "marketing", dueAt: at("07:00") }),
      message("survey", { orderId: "b", category: "survey", dueAt: at("07:00") }),
      message("thank-you", { orderId: "c", dueAt: at("07:30") }),
      message("delay", { orderId: "d", anchor: "delay_detected", dueAt: at("07:59") }),
    ];
    expect(ids(sendingOrder(batch))).toEqual(["delay", "thank-you", "survey", "marketing"]);
  });

  it("moves an order's messages only among the places they hold", () => {
    const batch = [
      message("o1-delay", { orderId: "o1", anchor: "delay_detected", dueAt: at("03:00") }),
      message("o2-delay", { orderId: "o2", anchor: "delay_detected", dueAt: at("04:00") }),
      message("o1-survey", { orderId: "o1", category: "survey", dueAt: at("01:00") }),
      message("o3-thank-you", { orderId: "o3", dueAt: at("02:00") }),
      message("o1-thank-you", { orderId: "o1", dueAt: at("02:30") }),
    ];
    // Priority places: o1-delay, o2-delay, o3-thank-you, o1-thank-you, o1-survey; o1 holds places 0, 3, 4.
    expect(ids(sendingOrder(batch))).toEqual(["o1-survey", "o2-delay", "o3-thank-you", "o1-thank-you", "o1-delay"]);
  });

  it("leaves messages without an order where the priority puts them, and does not change its input", () => {
    const batch = [message("no-order-survey", { category: "survey", dueAt: at("01:00") }), message("no-order-service", { dueAt: at("05:00") })];
    const copy = [...batch];
    expect(ids(sendingOrder(batch))).toEqual(["no-order-service", "no-order-survey"]);
    expect(batch).toEqual(copy);
  });
});
