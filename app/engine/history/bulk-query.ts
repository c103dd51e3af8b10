// The Admin API side of the history import: the bulk query that exports the window's orders, the
// mutation that starts it, the status poll, and the parsers of their answers (validated: a
// response is input like any other).
import { z } from "zod";
import {
  FULFILLMENT_LINE_FIELDS,
  FULFILLMENT_OWN_FIELDS,
  LINE_ITEM_FIELDS,
  ORDER_OWN_FIELDS,
  REFUND_LINE_FIELDS,
  REFUND_OWN_FIELDS,
} from "../reconcile/order-query";

/**
 * The bulk query: every order of the window with the fields the mirror needs. Bulk queries take no
 * variables and page by themselves (no `first`); the nested connections (line items, fulfillment
 * and refund lines: four connections with the orders, nested two deep — Shopify allows five and
 * two) come back as lines of their own after their parent.
 */
export function bulkOrdersQuery(search: string): string {
  return `{
  orders(query: ${JSON.stringify(search)}, sortKey: CREATED_AT, reverse: true) {
    edges { node {
    ${ORDER_OWN_FIELDS}
    lineItems { edges { node { ${LINE_ITEM_FIELDS} } } }
    fulfillments { ${FULFILLMENT_OWN_FIELDS} fulfillmentLineItems { edges { node { ${FULFILLMENT_LINE_FIELDS} } } } }
    refunds { ${REFUND_OWN_FIELDS} refundLineItems { edges { node { ${REFUND_LINE_FIELDS} } } } }
    } }
  }
}`;
}

/**
 * groupObjects: children right after their parent, so the file can be read as a stream, one order
 * at a time (without it Shopify only promises they come somewhere after their parent).
 */
export const RUN_BULK_QUERY = `#graphql
  mutation HistoryBulkRun($query: String!) {
    bulkOperationRunQuery(query: $query, groupObjects: true) {
      bulkOperation { id status }
      userErrors { field message }
    }
  }`;

const OPERATION_FIELDS = "id status errorCode objectCount rootObjectCount fileSize url partialDataUrl createdAt completedAt query";

export const POLL_BULK_OPERATION = `#graphql
  query HistoryBulkPoll($id: ID!) {
    node(id: $id) { ... on BulkOperation { ${OPERATION_FIELDS} } }
  }`;

export const CURRENT_BULK_OPERATION = `#graphql
  query HistoryBulkCurrent {
    currentBulkOperation(type: QUERY) { ${OPERATION_FIELDS} }
  }`;

/** How many orders the window holds (the total the admin shows); `limit: null` asks for the exact count. */
export const ORDERS_COUNT = `#graphql
  query HistoryOrdersCount($query: String!) {
    ordersCount(query: $query, limit: null) { count precision }
  }`;

const count = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v == null ? null : Number(v)));

export const bulkOperation = z.object({
  id: z.string(),
  status: z.string(),
  errorCode: z.string().nullish(),
  objectCount: count,
  rootObjectCount: count,
  url: z.string().nullish(),
  query: z.string().nullish(),
});
export type BulkOperation = z.infer<typeof bulkOperation>;

export const runAnswer = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: z.string(), status: z.string() }).nullish(),
    userErrors: z.array(z.object({ message: z.string() })),
  }),
});
export const pollAnswer = z.object({ node: bulkOperation.nullable() });
export const currentAnswer = z.object({ currentBulkOperation: bulkOperation.nullable() });
export const countAnswer = z.object({ ordersCount: z.object({ count: z.number() }).nullable() });

/** Statuses of an operation that is still working. */
export const WORKING = new Set(["CREATED", "RUNNING", "CANCELING"]);
