// Pure logic of the thank-you block: backoff schedule, the view model from the app's answer, links.
export const APP_URL = "https://trustloop.example"; // replaced at build time via esbuild define (__TRUSTLOOP_APP_URL__)
declare const __TRUSTLOOP_APP_URL__: string | undefined;
export function appUrl(): string {
  return typeof __TRUSTLOOP_APP_URL__ === "string" && __TRUSTLOOP_APP_URL__ ? __TRUSTLOOP_APP_URL__ : APP_URL;
}

/** Delays (ms) before each retry while the order is pending: 1 s, 2 s, 4 s, 8 s (5 tries in all). */
export function backoffSchedule(maxTries = 5, baseMs = 1000, capMs = 8000): number[] {
  const out: number[] = [];
  for (let i = 0; i < maxTries - 1; i++) out.push(Math.min(capMs, baseMs * 2 ** i));
  return out;
}

export interface ApiOffer {
  title: string;
  percent: number;
  code: string;
  cartUrl: string;
  expiresAt: string;
}
export type ApiAnswer =
  | { status: "pending"; estimatedPoints: number }
  | { status: "gone" } // the order is too old for this block (410)
  | { status: "ready"; points: { earned: number; status: "pending" | "approved" }; offer: ApiOffer | null };

export interface Settings {
  title?: unknown;
  show_points?: unknown;
  show_offer?: unknown;
}

export type ViewModel =
  | { kind: "loading" }
  | { kind: "hidden" }
  | { kind: "unavailable" }
  | {
      kind: "content";
      title: string | null;
      points: { value: number; pending: boolean; estimated: boolean } | null;
      offer: ApiOffer | null;
      retrying: boolean;
    };

const flag = (v: unknown) => v !== false && v !== "false";

/** An object's fields, or none: the answer is untrusted JSON. */
const fields = (v: unknown): Record<string, unknown> => (v && typeof v === "object" ? (v as Record<string, unknown>) : {});

export function parseAnswer(value: unknown): ApiAnswer | null {
  const v = fields(value);
  if (v.status === "pending" && typeof v.estimatedPoints === "number") return { status: "pending", estimatedPoints: v.estimatedPoints };
  const points = fields(v.points);
  if (v.status === "ready" && typeof points.earned === "number") {
    const o = fields(v.offer);
    const offer =
      typeof o.code === "string" && typeof o.cartUrl === "string" && /^https:\/\//.test(o.cartUrl)
        ? { title: String(o.title ?? ""), percent: Number(o.percent) || 0, code: o.code, cartUrl: o.cartUrl, expiresAt: String(o.expiresAt ?? "") }
        : null;
    return { status: "ready", points: { earned: points.earned, status: points.status === "approved" ? "approved" : "pending" }, offer };
  }
  return null;
}

/** What to show for the app's answer (null answer = still loading; "error" = the API failed). */
export function viewModel(answer: ApiAnswer | null | "error", settings: Settings, opts: { retrying?: boolean } = {}): ViewModel {
  const showPoints = flag(settings.show_points);
  const showOffer = flag(settings.show_offer);
  if (!showPoints && !showOffer) return { kind: "hidden" };
  if (answer === "error") return showPoints ? { kind: "unavailable" } : { kind: "hidden" };
  if (!answer) return { kind: "loading" };
  if (answer.status === "gone") return { kind: "hidden" };
  const title = typeof settings.title === "string" && settings.title.trim() ? settings.title.trim() : null;
  if (answer.status === "pending") {
    if (!showPoints || answer.estimatedPoints <= 0) return { kind: "loading" };
    return { kind: "content", title, points: { value: answer.estimatedPoints, pending: true, estimated: true }, offer: null, retrying: !!opts.retrying };
  }
  const points = showPoints && answer.points.earned > 0 ? { value: answer.points.earned, pending: answer.points.status === "pending", estimated: false } : null;
  const offer = showOffer ? answer.offer : null;
  if (!points && !offer) return { kind: "hidden" };
  return { kind: "content", title, points, offer, retrying: false };
}

/** The order on the page: its id, and its confirmation number, which proves the shopper sees it. */
export interface PageOrder {
  orderId: string;
  confirmation: string | null;
  subtotal?: string | number | null;
}

/**
 * The app call as fetch arguments: "view" when the block is on screen (the app presents the offer and
 * counts an impression; retried while the order is pending), "click" when the offer is clicked.
 */
export function orderCall(base: string, token: string, order: PageOrder, event: "view" | "click"): [string, RequestInit] {
  const body: Record<string, unknown> = { orderId: order.orderId, confirmation: order.confirmation, event };
  if (event === "view" && order.subtotal !== undefined && order.subtotal !== null && order.subtotal !== "") body.subtotal = String(order.subtotal);
  return [
    new URL("/api/checkout/order", base).toString(),
    { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: JSON.stringify(body) },
  ];
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/**
 * Loads the answer, retrying with backoff while the order is pending. `onUpdate` sees each answer;
 * the API failing (network, non-2xx, bad JSON) ends with "error".
 */
export async function loadWithRetry(
  fetchOnce: () => Promise<ApiAnswer | null>,
  onUpdate: (answer: ApiAnswer | "error", retrying: boolean) => void,
  delays: number[] = backoffSchedule(),
  wait: (ms: number) => Promise<void> = sleep,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    let answer: ApiAnswer | null;
    try {
      answer = await fetchOnce();
    } catch {
      answer = null;
    }
    if (!answer) return onUpdate("error", false);
    const more = answer.status === "pending" && attempt < delays.length;
    onUpdate(answer, more);
    if (!more) return;
    await wait(delays[attempt]);
  }
}
