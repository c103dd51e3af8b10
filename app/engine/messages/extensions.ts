// Flow-specific work right before a send (a discount code to create, links to sign...). Each
// module registers an extension under its flow key; the dispatcher stays generic.
import type { Customer, Flow, Message, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../clock";
import type { OrderWithShipments } from "../flows/anchors";
import type { ShopGraphql } from "../shopify/products";

export interface PrepareInput {
  db: PrismaClient;
  clock: Clock;
  graphql: ShopGraphql;
  message: Message;
  flow: Flow;
  shop: Shop;
  order: OrderWithShipments;
  customer: Customer | null;
  timezone: string;
  /** The message's locale (i18n/language.ts messageLocale): its words and formats. */
  locale: string;
}

/** A row of numbered buttons in the email (the NPS 0–10 scale). */
export interface ScaleBlock {
  question: string;
  low: string; // label under the lowest value, e.g. "Not likely"
  high: string; // label under the highest value, e.g. "Very likely"
  links: { value: number; url: string }[];
}

export type Prepared =
  | { ok: true; context: Record<string, unknown>; cta?: { label: string; url: string } | null; scale?: ScaleBlock | null; note?: string | null }
  | { ok: false; status: "skipped" | "failed"; reason: string };

export interface FlowExtension {
  prepare(input: PrepareInput): Promise<Prepared>;
}

/** Thrown by an extension when a dependency (Admin API) is busy: the message is retried later. */
export class RetryLater extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RetryLater";
  }
}
