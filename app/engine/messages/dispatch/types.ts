// What the send path is given (DispatchDeps) and what its stages hand each other. Kept apart from
// the stages so that the modules they use (compose.ts) depend on these shapes, not on the path.
import type { Customer, Flow, FlowTemplate, Message, PrismaClient, Shop } from "@prisma/client";
import type { Clock } from "../../clock";
import type { RenderedEmail, RenderInput, RenderResult } from "../../email/render";
import type { Mailer } from "../../email/transport";
import type { OrderWithShipments } from "../../flows/anchors";
import type { SuppressionState } from "../../consent/suppression";
import type { ShopGraphql } from "../../shopify/products";
import type { Claim } from "../claim";
import type { FlowExtension } from "../extensions";

export interface DispatchDeps {
  db: PrismaClient;
  clock: Clock;
  workerId: string;
  mailer: Mailer;
  render: (input: RenderInput) => Promise<RenderResult>;
  graphql: ShopGraphql;
  links: { unsubscribe(messageId: string): string; preferences(messageId: string): string; click(messageId: string, url: string): string };
  from: { address: string; name: string | null };
  messageIdDomain: string;
  log: (event: { msg: string } & Record<string, unknown>) => void;
  /** Flow-specific preparation (apology codes, review links…), by flow key. */
  extensions?: Record<string, FlowExtension>;
  /** The lease a send job takes on its message while it checks and renders (default 120 s). */
  leaseMs?: number;
  /** The sending lease, renewed every third of it while the SMTP transaction lasts (default SENDING_LEASE_MS). */
  sendingLeaseMs?: number;
}

/** The sending lease: a message "sending" longer than this without renewal is taken as abandoned. */
export const SENDING_LEASE_MS = 120_000;

/** What one message's send job found: why it was not claimed, waiting for an earlier one, or handled. */
export type SendResult = Exclude<Claim, { ok: true }>["why"] | "waiting" | "handled";

/** What the checks of one message need, read for the whole batch at once (load.ts). */
export interface Facts {
  shop: Shop;
  flow: Flow;
  /** The flow's templates per language (flows/templates.ts). */
  templates: FlowTemplate[];
  order: (OrderWithShipments & { lineItems: { productId: string | null }[] }) | null;
  customer: Customer | null;
  suppression: SuppressionState;
  /** When a Shopify Flow pause of the recipient ends (consent/pause.ts); null when none was asked. */
  pausedUntil: Date | null;
  previousOrders: number;
  superseded: boolean;
}

/** A message that passed its checks and rendered: what the gate, the send and the outcome need. */
export interface Planned {
  message: Message;
  shop: Shop;
  flow: Flow;
  order: Facts["order"];
  recipient: string;
  timezone: string;
  email: RenderedEmail;
}
