// Signed webhook delivery to the app, as Shopify does it: subscriptions from shopify.app.toml,
// HMAC-SHA256 header, 5 s timeout, up to 2 retries with the same webhook id, and a delivery log.
import { createHmac, randomUUID } from "node:crypto";
import pRetry from "p-retry";
import type { WebhookSubscription } from "../app-toml";

/** The app answered something other than 2xx, or could not be reached (the status says which). */
class NotDelivered extends Error {}

export interface DeliveryLogEntry {
  id: string;
  eventId: string;
  topic: string;
  shop: string;
  url: string;
  status: number | string;
  attempt: number;
  at: string;
}

export interface DeliveryResult {
  id: string;
  topic: string;
  status: number | string;
  ok: boolean;
}

interface SentWebhook {
  id: string;
  topic: string;
  shop: string;
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface WebhookConfig {
  appUrl: string;
  apiSecret: string;
  apiVersion: string;
  subscriptions: WebhookSubscription[];
  now: () => string;
  log: (line: string) => void;
  timeoutMs?: number;
  retryDelayMs?: number;
}

/**
 * Shopify writes X-Shopify-Triggered-At with nanoseconds ("…:27.877041743Z"). Whole seconds would
 * make an uninstall raised just after an install look older than it, so keep the full precision.
 */
export function triggeredAt(iso: string): string {
  return new Date(iso).toISOString().replace(/\.(\d{3})Z$/, ".$1000000Z");
}

export function signWebhook(body: string, secret: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export class WebhookDispatcher {
  readonly deliveries: DeliveryLogEntry[] = [];
  private sent = new Map<string, SentWebhook>();

  constructor(private readonly cfg: WebhookConfig) {}

  urlFor(topic: string): string | null {
    const sub = this.cfg.subscriptions.find((s) => s.topics.includes(topic));
    if (!sub) return null;
    return /^https?:\/\//.test(sub.uri) ? sub.uri : `${this.cfg.appUrl.replace(/\/$/, "")}${sub.uri.startsWith("/") ? "" : "/"}${sub.uri}`;
  }

  isSubscribed(topic: string): boolean {
    return this.urlFor(topic) !== null;
  }

  /** Delivers (awaiting the app, with retries) or returns null when nothing subscribes to the topic. */
  async deliver(shop: string, topic: string, payload: unknown): Promise<DeliveryResult | null> {
    const url = this.urlFor(topic);
    if (!url) {
      this.cfg.log(`[webhooks] ${topic} for ${shop}: no subscription in shopify.app.toml, not delivered`);
      return null;
    }
    const id = randomUUID();
    const body = JSON.stringify(payload);
    const headers = {
      "Content-Type": "application/json",
      "User-Agent": "Shopify-Captain-Hook",
      "X-Shopify-Topic": topic,
      "X-Shopify-Hmac-Sha256": signWebhook(body, this.cfg.apiSecret),
      "X-Shopify-Shop-Domain": shop,
      "X-Shopify-API-Version": this.cfg.apiVersion,
      "X-Shopify-Webhook-Id": id,
      "X-Shopify-Event-Id": randomUUID(),
      "X-Shopify-Triggered-At": triggeredAt(this.cfg.now()),
    };
    const sent: SentWebhook = { id, topic, shop, url, body, headers };
    this.sent.set(id, sent);
    return this.send(sent);
  }

  /** Sends a logged delivery again: same webhook id, same body and headers (a duplicate). */
  async redeliver(id: string): Promise<DeliveryResult | null> {
    const sent = this.sent.get(id);
    return sent ? this.send(sent) : null;
  }

  /** The exact body and headers of a delivery, for tests. */
  sentWebhook(id: string): { body: string; headers: Record<string, string> } | null {
    const s = this.sent.get(id);
    return s ? { body: s.body, headers: { ...s.headers } } : null;
  }

  /** Three tries at most, `retryDelayMs` apart (default 200 ms); each try is logged. */
  private async send(w: SentWebhook): Promise<DeliveryResult> {
    let status: number | string = "not-sent";
    const eventId = w.headers["X-Shopify-Event-Id"];
    try {
      await pRetry(
        async (attempt) => {
          status = await this.attempt(w);
          this.deliveries.push({ id: w.id, eventId, topic: w.topic, shop: w.shop, url: w.url, status, attempt, at: this.cfg.now() });
          this.cfg.log(`[webhooks] ${w.topic} ${w.shop} -> ${w.url} (${w.id}) attempt ${attempt}: ${status}`);
          if (!(typeof status === "number" && status >= 200 && status < 300)) throw new NotDelivered();
        },
        { retries: 2, minTimeout: this.cfg.retryDelayMs ?? 200, factor: 1 },
      );
      return { id: w.id, topic: w.topic, status, ok: true };
    } catch (error) {
      if (!(error instanceof NotDelivered)) throw error;
      return { id: w.id, topic: w.topic, status, ok: false };
    }
  }

  private async attempt(w: SentWebhook): Promise<number | string> {
    try {
      const res = await fetch(w.url, {
        method: "POST",
        headers: w.headers,
        body: w.body,
        redirect: "manual",
        signal: AbortSignal.timeout(this.cfg.timeoutMs ?? 5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.status;
    } catch (err) {
      const e = err as { name?: string; cause?: { code?: string }; message?: string };
      if (e.name === "TimeoutError" || e.name === "AbortError") return "timeout";
      return e.cause?.code ?? e.message ?? "network-error";
    }
  }
}
