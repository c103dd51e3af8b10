// Root resolvers (queries and mutations) for one shop's state.
import type { EmulatorState, Order, ShopState } from "./state";
import { discountCustomerIds } from "./mutations";
import { DAY, parseId, toIsoSeconds } from "./state";
import { type PageArgs, connection, customerView, discountNodeView, orderView, productView, shopView } from "./views";
import { type BulkDeps, bulkOperationView, currentBulkOperation, findBulkOperation, runBulkQuery } from "./bulk";
import { receiveFlowTrigger } from "./flow-trigger";

type SearchArgs = PageArgs & { query?: string | null; reverse?: boolean | null };

/** Parses Shopify search syntax terms like `updated_at:>'2026-01-01T00:00:00Z'` or `email:a@b.com`. */
export function parseSearch(query: string | null | undefined): { field: string; op: string; value: string }[] {
  if (!query) return [];
  const terms: { field: string; op: string; value: string }[] = [];
  const re = /([a-z_]+):(>=|<=|>|<)?\s*(?:'([^']*)'|"([^"]*)"|(\S+))/gi;
  for (let m = re.exec(query); m; m = re.exec(query)) {
    terms.push({ field: m[1].toLowerCase(), op: m[2] ?? "=", value: m[3] ?? m[4] ?? m[5] ?? "" });
  }
  return terms;
}

function compareDates(actual: string, op: string, value: string): boolean {
  const a = Date.parse(actual);
  const v = Date.parse(value);
  if (Number.isNaN(v)) return true;
  switch (op) {
    case ">":
      return a > v;
    case ">=":
      return a >= v;
    case "<":
      return a < v;
    case "<=":
      return a <= v;
    default:
      return toIsoSeconds(new Date(a)).slice(0, 10) === toIsoSeconds(new Date(v)).slice(0, 10);
  }
}

export function filterOrders(orders: Order[], query: string | null | undefined): Order[] {
  const terms = parseSearch(query);
  return orders.filter((o) =>
    terms.every((t) => {
      if (t.field === "updated_at") return compareDates(o.updatedAt, t.op, t.value);
      if (t.field === "created_at") return compareDates(o.createdAt, t.op, t.value);
      if (t.field === "processed_at") return compareDates(o.processedAt, t.op, t.value);
      if (t.field === "email") return o.email.toLowerCase() === t.value.toLowerCase();
      if (t.field === "name") return o.name === t.value || o.name === `#${t.value}`;
      return true; // other terms are ignored
    }),
  );
}

/** Without `read_all_orders` Shopify lists (and finds) only the orders created in the last 60 days. */
export const RECENT_ORDERS_DAYS = 60;

export function hasScope(scopes: string | null | undefined, scope: string): boolean {
  return (scopes ?? "").split(",").some((s) => s.trim() === scope);
}

/** The shop's orders an app with these scopes may read (all of them when scopes are unknown). */
export function readableOrders(shop: ShopState, now: Date, scopes: string | null | undefined): Order[] {
  if (scopes == null || hasScope(scopes, "read_all_orders")) return shop.orders;
  const oldest = now.getTime() - RECENT_ORDERS_DAYS * DAY;
  return shop.orders.filter((o) => Date.parse(o.createdAt) >= oldest);
}

const SORTERS: Record<string, (o: Order) => number> = {
  CREATED_AT: (o) => Date.parse(o.createdAt),
  UPDATED_AT: (o) => Date.parse(o.updatedAt),
  PROCESSED_AT: (o) => Date.parse(o.processedAt),
  ORDER_NUMBER: (o) => o.number,
};

/** A page of `list` (in reverse when asked), each item shown through `view`. */
function page<T extends { id: number }>(list: T[], args: SearchArgs, view: (item: T) => unknown) {
  return connection(args.reverse ? [...list].reverse() : list, args, (x) => x.id, view);
}

/** The item of `list` a gid names, shown through `view`, or null. */
function one<T extends { id: number }>(list: T[], id: unknown, view: (item: T) => unknown) {
  const item = list.find((x) => x.id === parseId(id));
  return item ? view(item) : null;
}

/** Where bulk operation files are served when the caller does not say (tests that call the resolvers directly). */
export const DEFAULT_BULK_ORIGIN = "http://emulator.invalid";

/** The bulk runner's view of a shop as an app with these scopes sees it. */
export function bulkDeps(state: EmulatorState, shop: ShopState, scopes?: string, origin = DEFAULT_BULK_ORIGIN): BulkDeps {
  return { state, shop, origin, readable: () => readableOrders(shop, state.now(), scopes), search: filterOrders, orderView };
}

/**
 * `scopes`: what the calling app was granted (undefined: not known, nothing is withheld).
 * `origin`: the emulator's own origin, for the URLs of bulk operation files.
 */
export function rootResolvers(state: EmulatorState, shop: ShopState, scopes?: string, origin?: string) {
  const orders = () => readableOrders(shop, state.now(), scopes);
  const ownOperation = (id: unknown) => {
    const op = findBulkOperation(state, id);
    return op && op.shop === shop.domain ? op : undefined;
  };
  return {
    shop: () => shopView(shop),
    shopLocales: (args: { published?: boolean }) => {
      // As Shopify: the field needs read_locales (an app that was never granted it gets an error, not an empty list).
      if (scopes != null && !hasScope(scopes, "read_locales"))
        throw new Error("Access denied for shopLocales field. Required access: `read_locales` access scope.");
      const names = new Intl.DisplayNames(["en"], { type: "language" });
      return shop.locales.filter((l) => !args.published || l.published).map((l) => ({ ...l, name: names.of(l.locale) ?? l.locale }));
    },
    products: (args: SearchArgs) => {
      const terms = parseSearch(args.query);
      const list = shop.products.filter((p) =>
        terms.every((t) => (t.field === "tag" ? p.tags.includes(t.value) : t.field === "title" ? p.title.toLowerCase().includes(t.value.toLowerCase()) : true)),
      );
      return page(list, args, (p) => productView(shop, p));
    },
    product: ({ id }: { id: string }) => one(shop.products, id, (p) => productView(shop, p)),
    customers: (args: SearchArgs) => {
      const terms = parseSearch(args.query);
      const list = shop.customers.filter((c) => terms.every((t) => (t.field === "email" ? c.email.toLowerCase() === t.value.toLowerCase() : true)));
      return page(list, args, (c) => customerView(shop, c));
    },
    customer: ({ id }: { id: string }) => one(shop.customers, id, (c) => customerView(shop, c)),
    orders: (args: SearchArgs & { sortKey?: string | null }) => {
      const key = SORTERS[args.sortKey ?? "ID"] ?? ((o: Order) => o.id);
      const list = filterOrders(orders(), args.query).sort((a, b) => key(a) - key(b) || a.id - b.id);
      return page(list, args, (o) => orderView(shop, o));
    },
    order: ({ id }: { id: string }) => one(orders(), id, (o) => orderView(shop, o)),
    ordersCount: ({ query, limit }: { query?: string | null; limit?: number | null }) => {
      const count = filterOrders(orders(), query).length;
      return limit != null && count > limit ? { count: limit, precision: "AT_LEAST" } : { count, precision: "EXACT" };
    },
    node: ({ id }: { id: string }) => {
      const op = /^gid:\/\/shopify\/BulkOperation\//.test(id) ? ownOperation(id) : undefined;
      return op ? bulkOperationView(op) : null;
    },
    currentBulkOperation: () => {
      const op = currentBulkOperation(state, shop.domain);
      return op ? bulkOperationView(op) : null;
    },
    bulkOperationRunQuery: ({ query }: { query: string }) => runBulkQuery(bulkDeps(state, shop, scopes, origin), query),
    flowTriggerReceive: receiveFlowTrigger,
    codeDiscountNodeByCode: ({ code }: { code: string }) => {
      const d = shop.discounts.find((x) => x.code.toLowerCase() === code.toLowerCase());
      return d ? discountNodeView(d, state.now().getTime()) : null;
    },

    discountCodeBasicCreate: ({ basicCodeDiscount: input }: { basicCodeDiscount: Record<string, unknown> }) => {
      const code = typeof input.code === "string" ? input.code.trim() : "";
      const title = typeof input.title === "string" ? input.title : "";
      const userErrors: { field: string[]; message: string; code: string }[] = [];
      if (!code) userErrors.push({ field: ["basicCodeDiscount", "code"], message: "Code can't be blank", code: "BLANK" });
      else if (code.length > 255) userErrors.push({ field: ["basicCodeDiscount", "code"], message: "Code is too long", code: "TOO_LONG" });
      else if (shop.discounts.some((d) => d.code.toLowerCase() === code.toLowerCase())) {
        userErrors.push({ field: ["basicCodeDiscount", "code"], message: "Code must be unique. Please try a different code.", code: "TAKEN" });
      }
      if (!title) userErrors.push({ field: ["basicCodeDiscount", "title"], message: "Title can't be blank", code: "BLANK" });
      // Who may use it: customerSelection (or its successor, context) — all, or a list of customers that must exist.
      const selectionField = input.customerSelection != null ? "customerSelection" : "context";
      const selection = input.customerSelection ?? input.context;
      if (selection == null) {
        userErrors.push({ field: ["basicCodeDiscount", "customerSelection"], message: "Customer selection can't be blank", code: "BLANK" });
      } else {
        const customers = discountCustomerIds(input);
        if (customers && !customers.length)
          userErrors.push({ field: ["basicCodeDiscount", selectionField, "customers", "add"], message: "Customers can't be blank", code: "BLANK" });
        for (const id of customers ?? []) {
          if (!shop.customers.some((c) => c.id === parseId(id) && id.startsWith("gid://shopify/Customer/"))) {
            userErrors.push({ field: ["basicCodeDiscount", selectionField, "customers", "add"], message: `Customer ${id} does not exist`, code: "INVALID" });
          }
        }
      }
      if (userErrors.length) return { codeDiscountNode: null, userErrors };
      const d = {
        id: state.nextId("discount"),
        redeemCodeId: state.nextId("redeemCode"),
        code,
        title,
        startsAt: typeof input.startsAt === "string" ? input.startsAt : state.nowIso(),
        endsAt: typeof input.endsAt === "string" ? input.endsAt : null,
        createdAt: state.nowIso(),
        input,
      };
      shop.discounts.push(d);
      return { codeDiscountNode: discountNodeView(d, state.now().getTime()), userErrors: [] };
    },

    metafieldsSet: ({ metafields }: { metafields: Record<string, string | null | undefined>[] }) => {
      const userErrors: { field: string[]; message: string; code: string; elementIndex: number }[] = [];
      if (metafields.length > 25) {
        return {
          metafields: null,
          userErrors: [
            { field: ["metafields"], message: "Exceeded the maximum metafields input limit of 25.", code: "LESS_THAN_OR_EQUAL_TO", elementIndex: 0 },
          ],
        };
      }
      const staged = metafields.map((m, i) => {
        const namespace = m.namespace ?? "app";
        const existing = shop.metafields.find((x) => x.ownerId === m.ownerId && x.namespace === namespace && x.key === m.key);
        if (!ownerExists(shop, m.ownerId ?? ""))
          userErrors.push({ field: ["metafields", String(i), "ownerId"], message: "Owner does not exist.", code: "INVALID", elementIndex: i });
        if (!m.type && !existing)
          userErrors.push({ field: ["metafields", String(i), "type"], message: "Type can't be blank.", code: "BLANK", elementIndex: i });
        if ((m.key ?? "").length < 2)
          userErrors.push({
            field: ["metafields", String(i), "key"],
            message: "Key is too short (minimum is 2 characters).",
            code: "TOO_SHORT",
            elementIndex: i,
          });
        return { m, namespace, existing };
      });
      if (userErrors.length) return { metafields: [], userErrors };
      const result = staged.map(({ m, namespace, existing }) => {
        const now = state.nowIso();
        const mf = existing ?? {
          id: state.nextId("metafield"),
          ownerId: m.ownerId!,
          namespace,
          key: m.key!,
          value: "",
          type: m.type!,
          createdAt: now,
          updatedAt: now,
        };
        mf.value = m.value ?? "";
        mf.type = m.type ?? mf.type;
        mf.updatedAt = state.nextUpdatedAt(mf.updatedAt);
        if (!existing) shop.metafields.push(mf);
        return { ...mf, id: `gid://shopify/Metafield/${mf.id}` };
      });
      return { metafields: result, userErrors: [] };
    },
  };
}

function ownerExists(shop: ShopState, ownerId: string): boolean {
  const m = /^gid:\/\/shopify\/(\w+)\/(\d+)$/.exec(ownerId);
  if (!m) return false;
  const id = Number(m[2]);
  switch (m[1]) {
    case "Shop":
      return shop.id === id;
    case "Product":
      return shop.products.some((p) => p.id === id);
    case "Customer":
      return shop.customers.some((c) => c.id === id);
    case "Order":
      return shop.orders.some((o) => o.id === id);
    case "AppInstallation":
      return true;
    default:
      return false;
  }
}
