import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { emulatorJson, requireSandbox, sandboxShop } from "~/sandbox.server";
import { receivedTriggers, type AdminCallEntry } from "~/sandbox/flow-console";

const RECENT_ORDERS = 20;

// The console's Flow section: which triggers a workflow uses (as the app recorded Flow's lifecycle
// callbacks), the triggers Flow received (the emulator's flowTriggerReceive calls, newest first),
// and the shop's recent orders and customers to run actions on. Reads only.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  requireSandbox(request);
  const shop = await sandboxShop(request);
  const [calls, local] = await Promise.all([
    emulatorJson<AdminCallEntry[]>(`/_control/admin-calls?${new URLSearchParams({ shop })}`),
    db.shop.findUnique({
      where: { domain: shop },
      select: {
        flowTriggerUses: { select: { handle: true, enabled: true, changedAt: true } },
        orders: {
          where: { placeholder: false },
          orderBy: [{ placedAt: "desc" }, { createdAt: "desc" }],
          take: RECENT_ORDERS,
          select: { shopifyId: true, name: true, email: true, customerShopifyId: true },
        },
      },
    }),
  ]);
  const orders = local?.orders ?? [];
  const customers = new Map(orders.flatMap((o) => (o.customerShopifyId ? [[o.customerShopifyId, o.email ?? o.customerShopifyId] as const] : [])));
  return Response.json({
    shop,
    uses: local?.flowTriggerUses ?? [],
    received: receivedTriggers(calls),
    orders: orders.map((o) => ({ id: o.shopifyId, label: `${o.name ?? o.shopifyId}${o.email ? ` · ${o.email}` : ""}` })),
    customers: [...customers].map(([id, label]) => ({ id, label })),
  });
};
