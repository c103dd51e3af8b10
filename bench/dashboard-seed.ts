// Seed of bench/dashboard.ts: one shop's 400 days of history, deterministic (mulberry32), written
// through a second, plain `pg` connection with one INSERT … SELECT FROM unnest(…) per table and
// batch (one array parameter per column) in transactions of 5 000 orders (Prisma's createMany is
// far slower at a million rows). Rows are generated order by order, oldest first, and written in
// batches: only the per-order arrays (100 k numbers each) and the current batch are held in memory.
//
// Ids are explicit and sortable (o0000001, m00000001, …) so relations cost nothing to build and the
// indexes mostly append. Foreign keys are checked as the rows go in. DateTimes are written as ISO
// strings with a +00:00 offset into the `timestamp(3)` columns, which hold UTC as Prisma writes it.
import pg from "pg";
import { DAY_MS as DAY, HOUR_MS as HOUR, MINUTE_MS as MINUTE } from "../app/engine/util/durations";
import { mulberry32 } from "../app/engine/util/random";

export interface SeedOptions {
  /** postgres:// URL of the (migrated) database to fill. */
  url: string;
  shopId: string;
  now: Date;
  days: number; // history length, ending at `now`
  customers: number;
  orders: number;
  seed: number;
  /** Flow ids of the shop by preset key. */
  flows: Record<string, string>;
  /** Offer rule ids. */
  offerRules: string[];
  /** Holdout share of the thank_you flow (customers always in or out, as the planner's hash). */
  holdoutPercent: number;
}

export type SeedCounts = Record<string, number>;

// ---------------------------------------------------------------------------------------------
// Bulk writer: rows buffered per column; flush() sends them as one INSERT … SELECT FROM unnest.

class Bulk {
  private data: unknown[][];
  private rows = 0;
  count = 0;

  private constructor(
    private readonly client: pg.Client,
    readonly table: string,
    private readonly columns: string[],
    private readonly types: string[],
  ) {
    this.data = columns.map(() => []);
  }

  /** Every column named (`columnList`, separated by white space) must exist, every NOT NULL column without a default must be named. */
  static async open(client: pg.Client, table: string, columnList: string): Promise<Bulk> {
    const columns = columnList.trim().split(/\s+/);
    const { rows: info } = await client.query<{ name: string; type: string; notnull: boolean; hasdefault: boolean }>(
      `SELECT attname AS name, format_type(atttypid, NULL) AS type, attnotnull AS notnull, atthasdef AS hasdefault
         FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
      [`"${table}"`],
    );
    const byName = new Map(info.map((c) => [c.name, c]));
    for (const c of columns) if (!byName.has(c)) throw new Error(`${table}.${c} does not exist`);
    for (const c of info) if (c.notnull && !c.hasdefault && !columns.includes(c.name)) throw new Error(`${table}.${c.name} is required`);
    return new Bulk(
      client,
      table,
      columns,
      columns.map((c) => byName.get(c)!.type),
    );
  }

  add(values: unknown[]) {
    if (values.length !== this.columns.length) throw new Error(`${this.table}: ${values.length} values for ${this.columns.length} columns`);
    for (let k = 0; k < values.length; k++) {
      const v = values[k] ?? null;
      // The generator writes flags as 0/1 (as SQLite stored them).
      this.data[k].push(this.types[k] === "boolean" && typeof v === "number" ? v !== 0 : v);
    }
    this.count++;
    this.rows++;
  }

  async flush() {
    if (!this.rows) return;
    const arrays = this.columns.map((_, k) => `$${k + 1}::${this.types[k]}[]`).join(", ");
    await this.client.query(`INSERT INTO "${this.table}" (${this.columns.map((c) => `"${c}"`).join(",")}) SELECT * FROM unnest(${arrays})`, this.data);
    this.data = this.columns.map(() => []);
    this.rows = 0;
  }
}

// ---------------------------------------------------------------------------------------------

const iso = (ms: number) => new Date(ms).toISOString().replace("Z", "+00:00");
const pad = (n: number, width: number) => String(n).padStart(width, "0");

const FIRST_NAMES = ["Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Drew", "Robin"];
const LAST_NAMES = ["Smith", "Garcia", "Martin", "Nguyen", "Brown", "Müller", "Rossi", "Dubois", "Kowalski", "Silva"];
const COUNTRIES: [string, string | null, string][] = [
  ["US", "NY", "America/New_York"],
  ["US", "CA", "America/Los_Angeles"],
  ["US", "TX", "America/Chicago"],
  ["CA", "ON", "America/Toronto"],
  ["GB", null, "Europe/London"],
  ["DE", null, "Europe/Berlin"],
];
const CARRIERS = ["UPS", "USPS", "FedEx", "DHL Express", "Canada Post"];
const NPS_WEIGHTS = [2, 1, 1, 2, 2, 4, 5, 9, 16, 24, 34]; // scores 0–10
const RATING_WEIGHTS = [5, 4, 9, 24, 58]; // ratings 1–5

/** The discount codes written, by purpose: the code's prefix, its value, how long it is valid, how soon Shopify has it. */
const CODE_KINDS = {
  apology: { prefix: "SORRY", valueType: "percentage", value: 10, currency: null, validDays: 30, shopifyAfterMs: 100 },
  reward: { prefix: "REWARD", valueType: "fixed_amount", value: 500, currency: "USD", validDays: 90, shopifyAfterMs: 1000 },
  offer: { prefix: "OFFER", valueType: "percentage", value: 15, currency: null, validDays: 7, shopifyAfterMs: 1000 },
} as const;

/** The order a discount code was used on. */
interface Redemption {
  at: number;
  orderGid: string;
  revenueCents: number;
}

/** The tables written: each writer's table and columns (separated by white space). */
const WRITTEN = {
  customer: ["Customer", "id shopId shopifyId email firstName lastName locale marketingConsent createdAt updatedAt"],
  member: ["LoyaltyMember", "id shopId email customerShopifyId firstName enrolledAt createdAt updatedAt"],
  order: [
    "Order",
    `id shopId shopifyId placeholder name customerShopifyId email locale shipCountry shipProvince currency subtotalCents totalCents totalDiscountCents
     totalShippingCents totalTaxCents financialStatus fulfillmentStatus cancelledAt cancelReason test imported statsKey buyerAcceptsMarketing placedAt
     shopifyUpdatedAt createdAt updatedAt`,
  ],
  refund: ["Refund", "id shopId orderId shopifyId amountCents shopifyCreatedAt createdAt"],
  message: [
    "Message",
    `id shopId orderId flowId step dedupeKey category status reason customerShopifyId recipient timezone anchor anchorAt dueAt sendAt attempts
     rfcMessageId subject sentAt createdAt updatedAt`,
  ],
  click: ["LinkClick", "id shopId messageId url clickedAt"],
  attribution: ["Attribution", "id shopId orderId messageId flowId revenueCents clickedAt createdAt"],
  nps: ["NpsResponse", "id shopId orderId messageId flowId customerShopifyId score comment tenure respondedAt createdAt"],
  review: [
    "Review",
    `id shopId orderId messageId productId productTitle customerShopifyId authorName rating title body verifiedBuyer status submittedAt createdAt
     updatedAt`,
  ],
  fulfillment: [
    "Fulfillment",
    "id shopId orderId shopifyId placeholder status shipmentStatus shipmentStatusAt trackingCompany trackingNumbers shopifyCreatedAt createdAt updatedAt",
  ],
  incident: ["DelayIncident", "id shopId orderId cause detail fulfillmentId expectedAt detectedAt resolvedAt createdAt"],
  code: [
    "DiscountCode",
    `id shopId purpose messageId orderId customerShopifyId code valueType value currency estimatedValueCents endsAt status shopifyId error createdAt
     createdInShopifyAt redeemedAt redeemedOrderGid redeemedRevenueCents`,
  ],
  points: ["PointsEntry", "id shopId memberId dedupeKey kind points status orderGid availableAt reason actor discountCodeId createdAt updatedAt"],
  grant: [
    "OfferGrant",
    `id shopId ruleId orderGid customerShopifyId email discountCodeId code cartUrl impressions clicks convertedOrderGid convertedRevenueCents createdAt
     updatedAt`,
  ],
} satisfies Record<string, [table: string, columns: string]>;

interface Slot {
  flow: string;
  step: "main" | "reminder";
  category: string;
  anchor: "order_created" | "delivered";
  /** Due time from the order's placement and delivery. */
  due(placed: number, delivered: number, incidentAt: number | null): number;
}

/**
 * Ten ledger rows per order — denser than the presets alone plan (6 flows, reminders on 4 of them
 * in this shop, and a shipping-delay row for every order: cancelled when no delay was detected), so
 * that 100 k orders make the 1 M-row ledger. All are planned when the order arrives (the planner
 * plans delivery-anchored flows up front and re-anchors them), so createdAt = placedAt + seconds.
 */
const SLOTS: Slot[] = [
  { flow: "thank_you", step: "main", category: "service", anchor: "order_created", due: (p) => p + 15 * MINUTE },
  { flow: "check_in", step: "main", category: "service", anchor: "delivered", due: (_, d) => d + 2 * DAY },
  { flow: "check_in", step: "reminder", category: "service", anchor: "delivered", due: (_, d) => d + 7 * DAY },
  { flow: "review_request", step: "main", category: "survey", anchor: "delivered", due: (_, d) => d + 7 * DAY },
  { flow: "review_request", step: "reminder", category: "survey", anchor: "delivered", due: (_, d) => d + 12 * DAY },
  { flow: "nps", step: "main", category: "survey", anchor: "delivered", due: (_, d) => d + 14 * DAY },
  { flow: "nps", step: "reminder", category: "survey", anchor: "delivered", due: (_, d) => d + 19 * DAY },
  { flow: "points_earned", step: "main", category: "marketing", anchor: "order_created", due: (p) => p + 14 * DAY },
  { flow: "points_earned", step: "reminder", category: "marketing", anchor: "order_created", due: (p) => p + 21 * DAY },
  { flow: "shipping_delay", step: "main", category: "service", anchor: "order_created", due: (p, _, i) => i ?? p + 4 * DAY },
];
export const MESSAGES_PER_ORDER = SLOTS.length;

export async function seedShop(o: SeedOptions): Promise<SeedCounts> {
  const rand = mulberry32(o.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  const weighted = (weights: number[]) => {
    const total = weights.reduce((s, w) => s + w, 0);
    let r = rand() * total;
    for (let i = 0; i < weights.length; i++) if ((r -= weights[i]) < 0) return i;
    return weights.length - 1;
  };
  const expo = (mean: number) => -Math.log(1 - rand()) * mean;
  const normal = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

  const NOW = o.now.getTime();
  const LAST = NOW - HOUR; // no order in the last hour: every ledger row is created before NOW
  const START = NOW - o.days * DAY;
  const clamp = (ms: number) => Math.min(ms, NOW - MINUTE);

  // --- Customers: first order, repeat or not (holdout customers repeat a little less: a visible lift).
  const C = o.customers;
  const custFirst = new Float64Array(C);
  const custHoldout = new Uint8Array(C);
  const custRepeats = new Uint8Array(C);
  const repeaters: number[] = [];
  for (let c = 0; c < C; c++) {
    custFirst[c] = START + rand() * (LAST - START);
    custHoldout[c] = rand() * 100 < o.holdoutPercent ? 1 : 0;
    custRepeats[c] = rand() < (custHoldout[c] ? 0.27 : 0.305) ? 1 : 0;
    if (custRepeats[c]) repeaters.push(c);
  }

  // --- Orders: every customer's first, 1 % guest checkouts, the rest repeat orders of repeaters.
  const N = o.orders;
  const guests = Math.round(N * 0.01);
  if (N < C + guests) throw new Error("need at least one order per customer");
  const rawCust = new Int32Array(N);
  const rawAt = new Float64Array(N);
  for (let k = 0; k < N; k++) {
    if (k < C) {
      rawCust[k] = k;
      rawAt[k] = custFirst[k];
    } else if (k < C + guests) {
      rawCust[k] = -1;
      rawAt[k] = START + rand() * (LAST - START);
    } else {
      const c = pick(repeaters);
      rawCust[k] = c;
      const at = custFirst[c] + 3 * HOUR + expo(50 * DAY);
      rawAt[k] = at <= LAST ? at : custFirst[c] + rand() * (LAST - custFirst[c]);
    }
  }
  // Time order: order i is the i-th placed (ids grow with time, as in a real shop).
  const perm = Array.from({ length: N }, (_, k) => k).sort((a, b) => rawAt[a] - rawAt[b] || a - b);
  const orderCust = new Int32Array(N);
  const orderAt = new Float64Array(N);
  perm.forEach((k, i) => {
    orderCust[i] = rawCust[k];
    orderAt[i] = rawAt[k];
  });
  const orderTotal = new Int32Array(N);
  for (let i = 0; i < N; i++) orderTotal[i] = Math.max(500, Math.round(Math.exp(Math.log(6000) + 0.7 * normal()) / 100) * 100 - 1);
  // The same customer's next order (attribution, offer conversions) and whether this one is their first.
  const nextOf = new Int32Array(N).fill(-1);
  const isFirst = new Uint8Array(N);
  {
    const last = new Int32Array(C).fill(-1);
    for (let i = N - 1; i >= 0; i--) {
      const c = orderCust[i];
      if (c < 0) continue;
      nextOf[i] = last[c];
      last[c] = i;
    }
    const seen = new Uint8Array(C);
    for (let i = 0; i < N; i++) {
      const c = orderCust[i];
      if (c >= 0 && !seen[c]) isFirst[i] = seen[c] = 1;
    }
  }

  // --- Writers
  const conn = new pg.Client({ connectionString: o.url });
  await conn.connect();
  // This connection only: a commit does not wait for its WAL flush (a crash would lose the seed, not corrupt it).
  await conn.query("SET synchronous_commit = off");

  const w = {} as Record<keyof typeof WRITTEN, Bulk>;
  for (const [key, [table, columns]] of Object.entries(WRITTEN)) w[key as keyof typeof WRITTEN] = await Bulk.open(conn, table, columns);
  const writers = Object.values(w);
  const shopId = o.shopId;
  const custGid = (c: number) => `gid://shopify/Customer/${7_000_000 + c}`;
  const custEmail = (c: number) => `buyer${c}@example.com`;
  const orderId = (i: number) => `o${pad(i, 7)}`;
  const orderGid = (i: number) => `gid://shopify/Order/${5_100_000_000 + i}`;
  const memberId = (c: number) => `lm${pad(c, 6)}`;
  let codes = 0;
  let points = 0;
  let clicks = 0;

  /** A discount code for order `i` (failed: Shopify refused it), created at `at`; returns its id and code. */
  const addCode = (
    purpose: keyof typeof CODE_KINDS,
    i: number,
    at: number,
    of: { messageId?: string; orderId?: string; customer: string | null; orderTotal: number },
    redeemed: Redemption | null,
    failed = false,
  ) => {
    const kind = CODE_KINDS[purpose];
    const id = `dc${pad(codes++, 6)}`;
    const code = `${kind.prefix}-${pad(i, 7)}`;
    w.code.add([
      id,
      shopId,
      purpose,
      of.messageId ?? null,
      of.orderId ?? null,
      of.customer,
      code,
      kind.valueType,
      kind.value,
      kind.currency,
      kind.valueType === "percentage" ? Math.round((of.orderTotal * kind.value) / 100) : kind.value,
      iso(at + kind.validDays * DAY),
      failed ? "failed" : "created",
      failed ? null : `gid://shopify/DiscountCodeNode/${id}`,
      failed ? "Shopify refused the discount code" : null,
      iso(at),
      failed ? null : iso(at + kind.shopifyAfterMs),
      redeemed ? iso(redeemed.at) : null,
      redeemed?.orderGid ?? null,
      redeemed?.revenueCents ?? null,
    ]);
    return { id, code };
  };

  /** A points entry of customer `c`'s member, created at `at` (and last updated at `updatedAt`). */
  const addPoints = (
    c: number,
    entry: { dedupeKey: string; kind: string; points: number; status: string },
    refs: { orderGid?: string; availableAt?: number; reason?: string; actor?: string; discountCodeId?: string },
    at: number,
    updatedAt = at,
  ) => {
    w.points.add([
      `pe${pad(points++, 7)}`,
      shopId,
      memberId(c),
      entry.dedupeKey,
      entry.kind,
      entry.points,
      entry.status,
      refs.orderGid ?? null,
      refs.availableAt === undefined ? null : iso(refs.availableAt),
      refs.reason ?? null,
      refs.actor ?? null,
      refs.discountCodeId ?? null,
      iso(at),
      iso(updatedAt),
    ]);
  };

  // Written in this order, so every row's foreign keys point at rows already in; attributions point
  // at the customer's next order, which may be in a later batch, so they all go in at the end.
  const order = [w.customer, w.member, w.order, w.refund, w.fulfillment, w.incident, w.message, w.click, w.nps, w.review, w.code, w.points, w.grant];
  if (order.length + 1 !== writers.length) throw new Error("every writer must be in the flush order");
  await conn.query("BEGIN");
  const commit = async () => {
    for (const wr of order) await wr.flush();
    await conn.query("COMMIT");
    await conn.query("BEGIN");
  };

  // --- Customers and loyalty members (with their welcome bonus).
  for (let c = 0; c < C; c++) {
    const first = pick(FIRST_NAMES);
    const at = iso(custFirst[c]);
    w.customer.add([`c${pad(c, 6)}`, shopId, custGid(c), custEmail(c), first, pick(LAST_NAMES), "en", rand() < 0.6 ? "SUBSCRIBED" : "NOT_SUBSCRIBED", at, at]);
    w.member.add([memberId(c), shopId, custEmail(c), custGid(c), first, at, at, at]);
    addPoints(
      c,
      { dedupeKey: `welcome:${memberId(c)}`, kind: "adjust", points: 100, status: "approved" },
      { reason: "welcome bonus", actor: "trustloop" },
      custFirst[c],
    );
  }
  await commit();

  // --- Orders, oldest first, with everything that hangs off them.
  const productCount = 240;
  for (let i = 0; i < N; i++) {
    const c = orderCust[i];
    const guest = c < 0;
    const placed = orderAt[i];
    const id = orderId(i);
    const gid = orderGid(i);
    const customer = guest ? null : custGid(c);
    const email = guest ? `guest${i}@example.net` : custEmail(c);
    const [country, province, timezone] = pick(COUNTRIES);
    const test = rand() < 0.002;
    const cancelled = !test && rand() < 0.02;
    const cancelledAt = cancelled ? clamp(placed + HOUR + rand() * 47 * HOUR) : null;
    const total = orderTotal[i];
    const shipping = total > 7500 ? 0 : 599;
    const tax = Math.round((total - shipping) * 0.074);
    const refundCents = !test && !cancelled && rand() < 0.03 ? (rand() < 0.5 ? total : Math.round(total * (0.2 + rand() * 0.4))) : 0;
    const refundAt = refundCents ? clamp(placed + 3 * DAY + rand() * 17 * DAY) : null;
    const delivered = placed + 3 * DAY + rand() * 5 * DAY;
    const accepts = rand() < 0.6;
    const updated = iso(Math.max(placed, cancelledAt ?? 0, refundAt ?? 0, Math.min(delivered, NOW - MINUTE)));
    w.order.add([
      id,
      shopId,
      gid,
      0,
      `#${1001 + i}`,
      customer,
      email,
      "en",
      country,
      province,
      "USD",
      total - shipping - tax,
      total,
      0,
      shipping,
      tax,
      cancelled ? "voided" : refundCents === total ? "refunded" : refundCents ? "partially_refunded" : "paid",
      cancelled ? null : delivered <= NOW ? "fulfilled" : null,
      cancelledAt === null ? null : iso(cancelledAt),
      cancelled ? "customer" : null,
      test ? 1 : 0,
      0,
      customer ?? email,
      accepts ? 1 : 0,
      iso(placed),
      updated,
      iso(placed),
      updated,
    ]);
    if (refundCents) w.refund.add([`r${pad(i, 7)}`, shopId, id, `gid://shopify/Refund/${9_000_000 + i}`, refundCents, iso(refundAt!), iso(refundAt!)]);

    // A detected delay (about 2 % of orders), with its shipment when it shipped.
    let incidentAt: number | null = null;
    if (!test && !cancelled && rand() < 0.021) {
      const at = placed + 3 * DAY + rand() * 3 * DAY;
      if (at < NOW - MINUTE) {
        incidentAt = at;
        const incidentId = `di${pad(i, 7)}`;
        const cause = weighted([50, 35, 15]);
        const causeName = ["not_shipped", "late_in_transit", "carrier_exception"][cause];
        let fulfillmentId: string | null = null;
        if (cause > 0) {
          fulfillmentId = `f${pad(i, 7)}`;
          const shippedAt = iso(placed + DAY);
          w.fulfillment.add([
            fulfillmentId,
            shopId,
            id,
            `gid://shopify/Fulfillment/${8_000_000 + i}`,
            0,
            "success",
            cause === 2 ? "failure" : "in_transit",
            iso(at),
            pick(CARRIERS),
            "[]",
            shippedAt,
            shippedAt,
            iso(at),
          ]);
        }
        w.incident.add([
          incidentId,
          shopId,
          id,
          causeName,
          cause === 0 ? "3 business days unfulfilled" : cause === 1 ? "past the estimated delivery" : "carrier exception",
          fulfillmentId,
          iso(at + 3 * DAY),
          iso(at),
          rand() < 0.7 ? iso(clamp(at + 2 * DAY)) : null,
          iso(at),
        ]);
      }
    }

    // Ten ledger rows.
    let mainStatus = "";
    let reviewed = false;
    let answered = false;
    for (let s = 0; s < SLOTS.length; s++) {
      const slot = SLOTS[s];
      const mid = `m${pad(i * SLOTS.length + s, 8)}`;
      const created = placed + (s + 1) * 1000;
      const due = slot.due(placed, delivered, incidentAt);
      const holdout = slot.flow === "thank_you" && (guest ? rand() * 100 < o.holdoutPercent : custHoldout[c] === 1);
      let status: string;
      let reason: string | null = null;
      if (test) [status, reason] = ["cancelled", "test order"];
      else if (cancelledAt !== null && due > cancelledAt) [status, reason] = ["cancelled", "order cancelled"];
      else if (holdout) [status, reason] = ["held_out", `holdout group (${o.holdoutPercent} %)`];
      else if (slot.flow === "shipping_delay" && incidentAt === null) [status, reason] = ["cancelled", "no delay detected"];
      else if (due > NOW) status = "scheduled";
      else if (slot.step === "reminder" && mainStatus !== "sent") [status, reason] = ["skipped", "the first email was not sent"];
      else if (slot.step === "reminder" && slot.flow === "review_request" && reviewed) [status, reason] = ["skipped", "review received"];
      else if (slot.step === "reminder" && slot.flow === "nps" && answered) [status, reason] = ["skipped", "survey answered"];
      else if (slot.category === "marketing" && !accepts) [status, reason] = ["skipped", "no marketing consent"];
      else if (slot.flow === "shipping_delay" && rand() < 0.15) [status, reason] = ["skipped", "order already delivered"];
      else {
        const r = rand();
        if (r < 0.015 && slot.step === "main")
          [status, reason] = ["skipped", `missed: was due ${new Date(due).toISOString()}, before the order reached Trustloop`];
        else if (r < 0.035) [status, reason] = ["skipped", "no email address on the order"];
        else if (r < 0.06 && slot.category === "survey") [status, reason] = ["skipped", "unsubscribed"];
        else if (r < 0.07) [status, reason] = ["skipped", "conditions: ships to another country"];
        else if (r < 0.074) [status, reason] = ["failed", "rejected by the mail server (550): mailbox unavailable"];
        else status = "sent";
      }
      if (slot.step === "main") mainStatus = status;
      const sentAt = status === "sent" ? clamp(due + 1000 + rand() * 120_000) : null;
      const anchorAt = slot.anchor === "delivered" ? delivered : placed;
      w.message.add([
        mid,
        shopId,
        id,
        o.flows[slot.flow],
        slot.step,
        `${shopId}:${gid}:${slot.flow}:${slot.step}`,
        slot.category,
        status,
        reason,
        customer,
        email,
        timezone,
        slot.anchor,
        iso(Math.min(anchorAt, NOW)),
        iso(due),
        iso(due),
        sentAt === null ? 0 : 1,
        `tl.bench.${mid}`,
        sentAt === null ? null : `${slot.flow} ${slot.step}`,
        sentAt === null ? null : iso(sentAt),
        iso(created),
        iso(sentAt ?? created),
      ]);
      if (sentAt === null) continue;

      // Engagement on what went out: clicks (and the next order they led to), reviews, NPS answers.
      if (rand() < (slot.step === "main" ? 0.047 : 0.033)) {
        const times = rand() < 0.85 ? 1 : 2 + Math.floor(rand() * 2);
        let clickedAt = sentAt;
        for (let k = 0; k < times; k++) {
          clickedAt = clamp(clickedAt + expo(3 * HOUR));
          w.click.add([`lc${pad(clicks++, 7)}`, shopId, mid, `https://bench-shop.example/${slot.flow}?m=${mid}`, iso(clickedAt)]);
        }
        const next = nextOf[i];
        if (next >= 0 && orderAt[next] > clickedAt && orderAt[next] - clickedAt < 60 * DAY && rand() < 0.5) {
          w.attribution.add([`at${mid}`, shopId, orderId(next), mid, o.flows[slot.flow], orderTotal[next], iso(clickedAt), iso(orderAt[next])]);
        }
      }
      if (slot.flow === "review_request" && slot.step === "main" && rand() < 0.115) {
        const at = sentAt + expo(2 * DAY);
        if (at < NOW - MINUTE) {
          reviewed = true;
          const rating = weighted(RATING_WEIGHTS) + 1;
          const product = Math.floor(rand() * productCount);
          w.review.add([
            `rv${pad(i, 7)}`,
            shopId,
            id,
            mid,
            `gid://shopify/Product/${100 + product}`,
            `Product ${product}`,
            customer,
            `${pick(FIRST_NAMES)} ${pick(LAST_NAMES)[0]}.`,
            rating,
            rating >= 4 ? "Great" : "Could be better",
            rand() < 0.6 ? "Exactly as described." : null,
            1,
            rating <= 2 ? "pending" : "published",
            iso(at),
            iso(at),
            iso(at),
          ]);
        }
      }
      if (slot.flow === "nps" && slot.step === "main" && rand() < 0.145) {
        const at = sentAt + expo(DAY);
        if (at < NOW - MINUTE) {
          answered = true;
          w.nps.add([
            `np${pad(i, 7)}`,
            shopId,
            id,
            mid,
            o.flows.nps,
            customer,
            weighted(NPS_WEIGHTS),
            rand() < 0.3 ? "Fast shipping." : null,
            guest || isFirst[i] ? "first" : "returning",
            iso(at),
            iso(at),
          ]);
        }
      }
      // The apology code that went with a sent delay notice.
      if (slot.flow === "shipping_delay" && rand() < 0.8) {
        const redeemedAt = rand() < 0.3 ? sentAt + expo(10 * DAY) : null;
        const redeemed = redeemedAt !== null && redeemedAt < NOW - MINUTE;
        const redemption = redeemed
          ? { at: redeemedAt, orderGid: `gid://shopify/Order/${6_000_000_000 + i}`, revenueCents: Math.round(4000 + rand() * 8000) }
          : null;
        addCode("apology", i, sentAt - 500, { messageId: mid, orderId: id, customer, orderTotal: total }, redemption);
      }
    }

    // Loyalty: points earned on the order (pending through the 14-day return window), reversed on refund.
    if (!guest && !test) {
      const approvedAt = placed + 14 * DAY;
      const earned = Math.floor(total / 100);
      const status = cancelled ? "void" : approvedAt <= NOW ? "approved" : "pending";
      addPoints(
        c,
        { dedupeKey: `earn:${gid}`, kind: "earn", points: earned, status },
        { orderGid: gid, availableAt: approvedAt },
        placed,
        Math.min(approvedAt, NOW - MINUTE),
      );
      if (refundCents) {
        const reversed = -Math.min(earned, Math.floor(refundCents / 100));
        const refundKey = `reverse:gid://shopify/Refund/${9_000_000 + i}`;
        addPoints(c, { dedupeKey: refundKey, kind: "reverse", points: reversed, status: "approved" }, { orderGid: gid, reason: "refund" }, refundAt!);
      }
      // Now and then the customer redeems 500 points for a reward code.
      if (status === "approved" && rand() < 0.017) {
        const at = approvedAt + rand() * 20 * DAY;
        if (at < NOW - MINUTE) {
          const ok = rand() < 0.97;
          const redeemedAt = ok && rand() < 0.45 ? at + expo(15 * DAY) : null;
          const redeemed = redeemedAt !== null && redeemedAt < NOW - MINUTE;
          const redemption = redeemed
            ? { at: redeemedAt, orderGid: `gid://shopify/Order/${6_100_000_000 + i}`, revenueCents: Math.round(3000 + rand() * 9000) }
            : null;
          const reward = addCode("reward", i, at, { customer, orderTotal: total }, redemption, !ok);
          addPoints(
            c,
            { dedupeKey: `redeem:bench-${i}`, kind: "redeem", points: -500, status: "approved" },
            { reason: "reward", discountCodeId: reward.id },
            at,
          );
        }
      }
    }

    // A post-purchase offer on the thank-you page for one order in five.
    if (!test && rand() < 0.2) {
      const ruleIndex = weighted([60, 30, 10]);
      const at = placed + 30_000;
      const impressions = rand() < 0.9 ? 1 + Math.floor(rand() * 3) : 0;
      const clicked = impressions > 0 && rand() < 0.12;
      const next = nextOf[i];
      const converted = clicked && next >= 0 && rand() < 0.3;
      let codeId: string | null = null;
      let code: string | null = null;
      if (clicked) {
        const created = at + 60_000 + rand() * HOUR;
        const conversion = converted ? { at: orderAt[next], orderGid: orderGid(next), revenueCents: orderTotal[next] } : null;
        ({ id: codeId, code } = addCode("offer", i, created, { orderId: id, customer, orderTotal: total }, conversion));
      }
      w.grant.add([
        `og${pad(i, 7)}`,
        shopId,
        o.offerRules[ruleIndex],
        gid,
        customer,
        email,
        codeId,
        code,
        clicked ? `https://bench-shop.example/cart/1:1?discount=${code}` : null,
        impressions,
        clicked ? 1 : 0,
        converted ? orderGid(next) : null,
        converted ? orderTotal[next] : null,
        iso(at),
        iso(at),
      ]);
    }

    if (i % 5000 === 4999) await commit();
  }
  await commit();
  await w.attribution.flush();
  await conn.query("COMMIT");
  await conn.end();
  return Object.fromEntries(writers.map((wr) => [wr.table, wr.count]));
}
