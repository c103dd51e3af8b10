// What a Flow action run needs of the database, judged before the run is accepted (so the merchant
// sees a refusal in the workflow run) and again when the worker applies it (things change in
// between). Only the shop's own rows are read: another shop's customer or order is "not known".
import type { Customer, Prisma, PrismaClient, Shop } from "@prisma/client";
import { isDelivered } from "../delays/detect";
import { orderStopReason, type OrderWithShipments } from "../flows/anchors";
import { loyaltySettingsFor } from "../loyalty/ledger";
import { numericId, type FlowActionProperties, type Parsed } from "./action-properties";

type Db = PrismaClient | Prisma.TransactionClient;

export const DELAY_FLOW_KEY = "shipping_delay";
export const LOYALTY_OFF = "loyalty points are turned off in Trustloop's settings";
export const DELAY_FLOW_OFF = "the shipping delay flow is turned off";

/** The shop's customer with this gid, mirrored with an email address. */
export async function knownCustomer(db: Db, shopId: string, gid: string): Promise<Parsed<Customer & { email: string }>> {
  const customer = await db.customer.findUnique({ where: { shopId_shopifyId: { shopId, shopifyId: gid } } });
  if (!customer) return { ok: false, message: `customer ${numericId(gid)} is not known to Trustloop yet` };
  if (!customer.email) return { ok: false, message: `customer ${numericId(gid)} has no email address in Trustloop` };
  return { ok: true, value: { ...customer, email: customer.email } };
}

/**
 * The shop's order with this gid, if a delay apology can go out for it: mirrored (not a placeholder),
 * placed since the install (imported history never gets notices), with an email address, not
 * cancelled, refunded or delivered.
 */
export async function apologyOrder(db: Db, shopId: string, gid: string): Promise<Parsed<OrderWithShipments>> {
  const order = await db.order.findUnique({
    where: { shopId_shopifyId: { shopId, shopifyId: gid } },
    include: { lineItems: true, fulfillments: true, refunds: true },
  });
  if (!order || order.placeholder) return { ok: false, message: `order ${numericId(gid)} is not known to Trustloop yet` };
  const label = `order ${order.name ?? numericId(gid)}`;
  if (order.imported) return { ok: false, message: `${label} was placed before Trustloop was installed: imported history gets no delay apology` };
  if (!order.email) return { ok: false, message: `${label} has no email address to send the apology to` };
  const stop = orderStopReason(order);
  if (stop) return { ok: false, message: `${label} is ${stop.replace(/^order /, "")}: no delay apology is sent` };
  if (isDelivered(order)) return { ok: false, message: `${label} was already delivered: no delay apology is sent` };
  return { ok: true, value: order };
}

export async function loyaltyEnabled(db: Db, shopId: string): Promise<boolean> {
  return (await loyaltySettingsFor(db, shopId)).enabled;
}

export async function delayFlowEnabled(db: Db, shopId: string): Promise<boolean> {
  return (await db.flow.count({ where: { shopId, key: DELAY_FLOW_KEY, enabled: true } })) > 0;
}

/** Whether the run can be accepted; the ids the run row keeps (for the admin and for redaction). */
export async function checkRunnable(
  db: Db,
  shop: Pick<Shop, "id">,
  properties: FlowActionProperties,
): Promise<Parsed<{ customerShopifyId: string | null; orderShopifyId: string | null }>> {
  switch (properties.action) {
    case "awardPoints": {
      const customer = await knownCustomer(db, shop.id, properties.customerGid);
      if (!customer.ok) return customer;
      if (!(await loyaltyEnabled(db, shop.id))) return { ok: false, message: LOYALTY_OFF };
      return { ok: true, value: { customerShopifyId: customer.value.shopifyId, orderShopifyId: null } };
    }
    case "sendDelayApology": {
      const order = await apologyOrder(db, shop.id, properties.orderGid);
      if (!order.ok) return order;
      if (!(await delayFlowEnabled(db, shop.id))) return { ok: false, message: DELAY_FLOW_OFF };
      return { ok: true, value: { customerShopifyId: order.value.customerShopifyId, orderShopifyId: order.value.shopifyId } };
    }
    case "pauseEmails": {
      const customer = await knownCustomer(db, shop.id, properties.customerGid);
      if (!customer.ok) return customer;
      return { ok: true, value: { customerShopifyId: customer.value.shopifyId, orderShopifyId: null } };
    }
  }
}
