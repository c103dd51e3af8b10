import { render } from "preact";
import { useEffect, useState } from "preact/hooks";
import { appUrl, loadWithRetry, orderCall, parseAnswer, viewModel, type ApiAnswer, type PageOrder } from "./logic";

// The host's `shopify` global: typed per target by @shopify/ui-extensions, whose two targets differ,
// so the block declares the calls it makes and reads the rest structurally.
declare const shopify: {
  sessionToken: { get(): Promise<string> };
  i18n: { translate(key: string, values?: Record<string, unknown>): string; formatNumber(n: number): string; formatDate(d: Date): string };
};

// The mocks (and the host) only define the properties of the target: never read a missing one.
const has = (obj: unknown, key: string): obj is Record<string, unknown> => obj != null && typeof obj === "object" && key in obj;
const pick = (obj: unknown, key: string): unknown => (has(obj, key) ? obj[key] : undefined);
const read = (signal: unknown): unknown => (has(signal, "value") ? signal.value : signal);

/** The order on the page: thank-you (`orderConfirmation`: order.id, number) or order status (`order`). */
export function pageOrderOf(api: unknown): PageOrder | null {
  const text = (v: unknown) => (typeof v === "string" && v ? v : null);
  if (has(api, "orderConfirmation")) {
    const c = read(api.orderConfirmation);
    const orderId = text(pick(pick(c, "order"), "id"));
    return orderId ? { orderId, confirmation: text(pick(c, "number")), subtotal: subtotalOf(api) } : null;
  }
  if (has(api, "order")) {
    const o = read(api.order);
    const orderId = text(pick(o, "id"));
    return orderId ? { orderId, confirmation: text(pick(o, "confirmationNumber")) } : null;
  }
  return null;
}

function settingsOf(api: unknown) {
  const s = read(pick(api, "settings"));
  return { title: pick(s, "title"), show_points: pick(s, "show_points"), show_offer: pick(s, "show_offer") };
}

function subtotalOf(api: unknown): string | null {
  const amount = pick(read(pick(pick(api, "cost"), "subtotalAmount")), "amount");
  return typeof amount === "number" ? String(amount) : typeof amount === "string" ? amount : null;
}

export function Block() {
  const api = shopify;
  const settings = settingsOf(api);
  const [answer, setAnswer] = useState<ApiAnswer | "error" | null>(null);
  const [retrying, setRetrying] = useState(false);
  const order = pageOrderOf(api);
  // The effect runs again only when the order on the page changes, not on every new object.
  const orderId = order?.orderId ?? null;
  const confirmation = order?.confirmation ?? null;
  const subtotal = order?.subtotal;

  useEffect(() => {
    if (!orderId) {
      setAnswer("error");
      return;
    }
    let live = true;
    const fetchOnce = async (): Promise<ApiAnswer | null> => {
      const res = await fetch(...orderCall(appUrl(), await shopify.sessionToken.get(), { orderId, confirmation, subtotal }, "view"));
      if (res.status === 410) return { status: "gone" };
      if (!res.ok) return null;
      return parseAnswer(await res.json());
    };
    void loadWithRetry(fetchOnce, (a, more) => {
      if (!live) return;
      setAnswer(a);
      setRetrying(more);
    });
    return () => {
      live = false;
    };
  }, [orderId, confirmation, subtotal]);

  const vm = viewModel(answer, settings, { retrying });
  const t = (key: string, values?: Record<string, unknown>) => api.i18n.translate(key, values);
  if (vm.kind === "hidden") return null;
  if (vm.kind === "loading") return <s-text>{t("loading")}</s-text>;
  if (vm.kind === "unavailable") return <s-text>{t("unavailable")}</s-text>;

  // `count` picks the plural form of the locale file (Shopify applies the language's CLDR rules);
  // `points` is the number as the buyer's locale writes it.
  const points = vm.points ? { count: vm.points.value, points: api.i18n.formatNumber(vm.points.value) } : undefined;
  const onClick = () => {
    void (async () => {
      try {
        if (order) await fetch(...orderCall(appUrl(), await api.sessionToken.get(), order, "click"));
      } catch {
        // a lost click is fine
      }
    })();
  };
  return (
    <s-stack gap="base">
      <s-heading>{vm.title ?? t("title")}</s-heading>
      {vm.points ? (
        <s-text>{vm.points.pending ? t(vm.points.estimated ? "pointsPending" : "pointsEarned", points) : t("pointsApproved", points)}</s-text>
      ) : null}
      {vm.offer ? (
        <s-stack gap="small-200">
          <s-text type="strong">{t("offerHeading", { percent: vm.offer.percent, title: vm.offer.title })}</s-text>
          <s-text>{t("offerCode", { code: vm.offer.code })}</s-text>
          {vm.offer.expiresAt ? <s-text color="subdued">{t("offerExpires", { date: api.i18n.formatDate(new Date(vm.offer.expiresAt)) })}</s-text> : null}
          <s-button href={vm.offer.cartUrl} onClick={onClick}>
            {t("offerCta")}
          </s-button>
        </s-stack>
      ) : null}
    </s-stack>
  );
}

export function mount() {
  render(<Block />, document.body);
}
