// Reconciliation of the order mirror with the Admin API (webhooks can be missed).
export { enqueueReconciliation, reconcileJobHandler, RECONCILE_EVERY_MS, RECONCILE_JOB_KIND } from "./job";
export { FIRST_SYNC_LOOKBACK_MS, MAX_TRIES, reconcileShop, SEARCH_LAG_MS, SYNC_OVERLAP_MS, waitBeforeNextMs } from "./orders";
export type { ReconcileDeps, ReconcileResult, ShopGraphqlRaw } from "./orders";
export { fulfillmentStatusFromDisplay, shipmentStatusFromDisplay, toOrderPayload } from "./graphql-order";
export { ORDERS_PAGE_SIZE, ORDERS_QUERY, ORDER_QUERY, updatedSinceQuery } from "./order-query";
export type { OrderNode } from "./graphql-order";
