// The order in which the worker handles one claimed batch of due messages.
import { byPriority } from "../schedule/frequency-cap";

export interface Sequenced {
  orderId: string | null;
  anchor: string;
  category: string;
  dueAt: Date;
  sendAt: Date;
}

/**
 * Across customers, messages compete for cap slots: delay notices first (the most time-sensitive),
 * then service before survey before marketing, earlier first. Within one order, the messages go
 * in the order they were due, whatever their priority: a thank-you due at 23:45 and a delay notice
 * due at 03:00, both held by quiet hours until 08:00, arrive thank-you first. The order's messages
 * keep the places the priority sort gave them, only their sequence among those places changes.
 * Returns a new array; the input is not changed.
 */
export function sendingOrder<T extends Sequenced>(batch: readonly T[]): T[] {
  const urgent = (m: Sequenced) => (m.anchor === "delay_detected" ? 1 : 0);
  const sorted = [...batch].sort((a, b) => urgent(b) - urgent(a) || byPriority(a, b));

  const slotsByOrder = new Map<string, number[]>();
  sorted.forEach((m, slot) => {
    if (m.orderId === null) return;
    const slots = slotsByOrder.get(m.orderId);
    if (slots) slots.push(slot);
    else slotsByOrder.set(m.orderId, [slot]);
  });
  const result = [...sorted];
  for (const slots of slotsByOrder.values()) {
    if (slots.length < 2) continue;
    const byDue = slots.map((slot) => sorted[slot]).sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime());
    slots.forEach((slot, i) => (result[slot] = byDue[i]));
  }
  return result;
}
