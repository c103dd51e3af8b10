// The sandbox console: act as the shop and its carriers (place, fulfill, scan, cancel, refund),
// move the clock, and watch the emails arrive. Every button goes through the control API, so
// the emulator sends real signed webhooks to the app. Orders are shown a page at a time, newest
// first, with a search: after the demo's history import the shop has thousands.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useCallback, useEffect, useRef, useState } from "react";
import { AppProvider, Button, ButtonGroup, Checkbox, FormLayout, InlineStack, Page, Pagination, Select, Text, TextField } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json" with { type: "json" };
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { requireSandbox, sandboxShop } from "~/sandbox.server";
import { Columns, Entry, FormSection, Note, Section } from "~/components/Section";
import { FlowPanel } from "~/components/sandbox/FlowPanel";
import type { OrderSummary as EmulatorOrder } from "../../sandbox/emulator/emulator";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { adminApiUrl } = requireSandbox(request);
  return { shop: await sandboxShop(request), inboxUrl: `${adminApiUrl}/inbox` };
};

interface Mail {
  id: string;
  to: string[];
  subject: string;
  html?: string;
  text?: string;
  receivedAt: string;
}

const COUNTRIES = [
  { label: "United States (NY)", value: "US:NY" },
  { label: "United States (CA)", value: "US:CA" },
  { label: "Canada (ON)", value: "CA:ON" },
  { label: "United Kingdom", value: "GB:" },
  { label: "France", value: "FR:" },
  { label: "Germany", value: "DE:" },
  { label: "Australia (NSW)", value: "AU:NSW" },
  { label: "Japan", value: "JP:" },
];
// The demo shop publishes the shipped languages (Swedish is not, so it shows the fallback) and sells in two currencies.
const LANGUAGE_NAMES = new Intl.DisplayNames(["en"], { type: "language" });
const LANGUAGES = ["en", "fr", "de", "es", "it", "nl", "pt-BR", "ja", "sv"].map((value) => ({
  label: value === "sv" ? "Swedish (not published)" : (LANGUAGE_NAMES.of(value) ?? value),
  value,
}));
const CURRENCIES = ["USD", "EUR"].map((value) => ({ label: value, value }));
const ORDERS_PER_PAGE = 10;
const CARRIER_EVENTS = ["in_transit", "out_for_delivery", "delayed", "attempted_delivery", "failure", "delivered"];

async function post(path: string, body: unknown = {}) {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error ?? `${path} answered ${response.status}`);
  return json;
}

export default function Console() {
  const { shop, inboxUrl } = useLoaderData<typeof loader>();
  const [now, setNow] = useState<string>("");
  const [orders, setOrders] = useState<EmulatorOrder[]>([]);
  const [totalOrders, setTotalOrders] = useState(0);
  const [search, setSearch] = useState("");
  const [offset, setOffset] = useState(0);
  // The offset of the page on screen: the label follows the rows shown, not the page being fetched.
  const [shownOffset, setShownOffset] = useState(0);
  const [mail, setMail] = useState<Mail[]>([]);
  const [openMail, setOpenMail] = useState<Mail | null>(null);
  const [activity, setActivity] = useState<string[]>([]);
  const [email, setEmail] = useState("");
  const [firstName, setFirstName] = useState("Alex");
  const [country, setCountry] = useState("US:NY");
  const [consent, setConsent] = useState(true);
  const [locale, setLocale] = useState("en");
  const [currency, setCurrency] = useState("USD");
  const [tracking, setTracking] = useState<Record<string, string>>({});

  // Refreshes overlap (the timer, a page change): one for a page or search no longer asked for is dropped.
  const currentQuery = useRef("");
  const refresh = useCallback(async () => {
    const query = `${offset}\n${search}`;
    currentQuery.current = query;
    const [status, orderList, messages] = await Promise.all([
      fetch("/sandbox/api/status").then((r) => r.json()),
      fetch(`/sandbox/api/orders?${new URLSearchParams({ limit: String(ORDERS_PER_PAGE), offset: String(offset), q: search })}`).then((r) => r.json()),
      fetch("/sandbox/api/mail").then((r) => (r.ok ? r.json() : [])),
    ]);
    if (query !== currentQuery.current) return;
    setNow(status.now);
    setOrders(Array.isArray(orderList?.orders) ? orderList.orders : []);
    setTotalOrders(typeof orderList?.total === "number" ? orderList.total : 0);
    setShownOffset(offset);
    setMail(Array.isArray(messages) ? messages : []);
  }, [offset, search]);

  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 2000);
    return () => clearInterval(timer);
  }, [refresh]);

  const act = async (label: string, path: string, body?: unknown) => {
    try {
      const result = await post(path, body);
      setActivity((a) => [`${label}: ok ${JSON.stringify(result)}`, ...a].slice(0, 20));
    } catch (error) {
      setActivity((a) => [`${label}: failed — ${(error as Error).message}`, ...a].slice(0, 20));
    }
    await refresh();
  };

  const placeOrder = () => {
    const [c, p] = country.split(":");
    return act("Place order", "/sandbox/api/orders", {
      ...(email ? { email } : {}),
      firstName,
      country: c,
      ...(p ? { province: p } : {}),
      marketingConsent: consent,
      locale,
      currency,
    });
  };

  return (
    <AppProvider i18n={en}>
      <Page
        title="Trustloop sandbox console"
        subtitle={`${shop} · sandbox time ${now ? new Date(now).toLocaleString() : "…"}`}
        secondaryActions={[
          { content: "Open the app", url: "/sandbox", target: "_blank" },
          { content: "Mail inbox", url: inboxUrl, target: "_blank" },
        ]}
      >
        <Columns
          main={
            <>
              <FormSection title="Place an order">
                <FormLayout.Group>
                  <TextField label="Email (blank: a new shopper)" value={email} onChange={setEmail} autoComplete="off" />
                  <TextField label="First name" value={firstName} onChange={setFirstName} autoComplete="off" />
                </FormLayout.Group>
                <FormLayout.Group>
                  <Select label="Ships to" options={COUNTRIES} value={country} onChange={setCountry} />
                  <Checkbox label="Accepts email marketing" checked={consent} onChange={setConsent} />
                </FormLayout.Group>
                <FormLayout.Group>
                  <Select label="Checks out in" options={LANGUAGES} value={locale} onChange={setLocale} />
                  <Select label="Pays in" options={CURRENCIES} value={currency} onChange={setCurrency} />
                </FormLayout.Group>
                <Button variant="primary" onClick={placeOrder}>
                  Place order
                </Button>
              </FormSection>
              <Section title="Orders">
                <TextField
                  label="Search orders"
                  labelHidden
                  placeholder="Search by order number or email"
                  value={search}
                  onChange={(value) => {
                    setSearch(value);
                    setOffset(0);
                  }}
                  clearButton
                  onClearButtonClick={() => {
                    setSearch("");
                    setOffset(0);
                  }}
                  autoComplete="off"
                />
                {orders.length === 0 && <Note>{search ? "No order matches." : "No orders yet."}</Note>}
                {orders.map((o) => (
                  <Entry
                    key={o.id}
                    title={o.name}
                    aside={
                      <Text as="span" tone="subdued">
                        {o.financialStatus} · {o.fulfillmentStatus ?? "unfulfilled"}
                        {o.cancelled ? " · cancelled" : ""}
                      </Text>
                    }
                  >
                    <InlineStack gap="200" blockAlign="end">
                      <TextField
                        label="Tracking number"
                        labelHidden
                        placeholder="Tracking number"
                        value={tracking[o.id] ?? ""}
                        onChange={(v) => setTracking((t) => ({ ...t, [o.id]: v }))}
                        autoComplete="off"
                      />
                      <ButtonGroup>
                        <Button
                          onClick={() =>
                            act(`Fulfill ${o.name}`, `/sandbox/api/orders/${o.id}/fulfill`, {
                              trackingNumber: tracking[o.id] || undefined,
                              company: "UPS",
                              estimatedDeliveryAt: new Date(Date.parse(now || new Date().toISOString()) + 4 * 86400_000).toISOString(),
                            })
                          }
                        >
                          Fulfill
                        </Button>
                        <Button onClick={() => act(`Refund ${o.name}`, `/sandbox/api/orders/${o.id}/refund`)}>Refund</Button>
                        <Button tone="critical" onClick={() => act(`Cancel ${o.name}`, `/sandbox/api/orders/${o.id}/cancel`)}>
                          Cancel
                        </Button>
                      </ButtonGroup>
                    </InlineStack>
                    {(o.fulfillments ?? []).map((f) => (
                      <InlineStack key={f.id} gap="100" blockAlign="center">
                        <Text as="span" tone="subdued">
                          Shipment {f.id} {f.shipmentStatus ? `(${f.shipmentStatus})` : ""}:
                        </Text>
                        {CARRIER_EVENTS.map((status) => (
                          <Button key={status} size="slim" onClick={() => act(`${status} ${o.name}`, `/sandbox/api/fulfillments/${f.id}/events`, { status })}>
                            {status.replace(/_/g, " ")}
                          </Button>
                        ))}
                      </InlineStack>
                    ))}
                  </Entry>
                ))}
                {totalOrders > 0 && (
                  <InlineStack align="center">
                    <Pagination
                      hasPrevious={offset > 0}
                      onPrevious={() => setOffset(Math.max(0, offset - ORDERS_PER_PAGE))}
                      hasNext={offset + ORDERS_PER_PAGE < totalOrders}
                      onNext={() => setOffset(offset + ORDERS_PER_PAGE)}
                      label={`${shownOffset + 1}–${Math.min(shownOffset + ORDERS_PER_PAGE, totalOrders)} of ${totalOrders}`}
                    />
                  </InlineStack>
                )}
              </Section>
              <FlowPanel />
            </>
          }
          side={
            <>
              <Section title="Clock" gap="200">
                <ButtonGroup>
                  {[
                    ["+1 h", 3600],
                    ["+1 day", 86400],
                    ["+3 days", 3 * 86400],
                    ["+7 days", 7 * 86400],
                  ].map(([label, seconds]) => (
                    <Button key={label} onClick={() => act(`Clock ${label}`, "/sandbox/api/clock", { advanceSeconds: seconds })}>
                      {String(label)}
                    </Button>
                  ))}
                </ButtonGroup>
              </Section>
              <Section title={`Emails (${mail.length})`} gap="200">
                {mail.length === 0 && <Note>Nothing captured yet.</Note>}
                {[...mail]
                  .reverse()
                  .slice(0, 15)
                  .map((m) => (
                    <Button key={m.id} variant="plain" textAlign="left" onClick={() => setOpenMail(m)}>
                      {`${new Date(m.receivedAt).toLocaleTimeString()} · ${m.subject}`}
                    </Button>
                  ))}
                {openMail && (
                  <iframe
                    title="email"
                    sandbox=""
                    srcDoc={openMail.html ?? `<pre>${(openMail.text ?? "").replace(/</g, "&lt;")}</pre>`}
                    style={{ width: "100%", height: 360, border: "1px solid #ddd" }}
                  />
                )}
              </Section>
              <Section title="Activity" gap="100">
                {activity.map((line, i) => (
                  <Text as="p" key={i} variant="bodySm" breakWord>
                    {line}
                  </Text>
                ))}
              </Section>
            </>
          }
        />
      </Page>
    </AppProvider>
  );
}
