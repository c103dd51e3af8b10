// Everything that follows a change to an order in the mirror, whichever path brought it
// (webhook or reconciliation): messages, click attribution, loyalty points, delay incidents.
// Runs in the same transaction as the mirror write. Imported orders (placed before the install,
// whichever path brought them: orders/pre-install.ts) only feed the dashboard: no messages, no
// points, no attribution, ever.
import type { Prisma, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import { resolveIncidents } from "../delays/detect";
import { planOrderMessages } from "../flows/planner";
import { onOrderChanged } from "../loyalty/ledger";
import { attributeOrder } from "../messages/attribution";
import { orderFiguresChanged } from "../dashboard/customer-stats";

export async function afterOrderChanged(tx: Prisma.TransactionClient, clock: Clock, shop: Shop, orderId: string) {
  const imported = (await tx.order.findUnique({ where: { id: orderId }, select: { imported: true } }))?.imported ?? false;
  if (!imported) {
    await planOrderMessages(tx, clock, shop, orderId);
    await attributeOrder(tx, orderId);
    await onOrderChanged(tx, clock, shop, orderId);
  }
  await orderFiguresChanged(tx, shop.id, orderId);
  const order = await tx.order.findUniqueOrThrow({ where: { id: orderId }, include: { lineItems: true, fulfillments: true, refunds: true } });
  await resolveIncidents(tx, clock, order);
  return order;
}
