// The order-history import on the admin home: where it stands, how far back it has reached, and
// the button that starts it (again). Past orders only feed the dashboard; the card says so.
import { Form } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import { formatDayInZone } from "~/engine/admin/format";
import type { HistoryImportView } from "~/engine/dashboard/types";
import { importProgress } from "~/engine/history/window";
import { plural } from "./dashboard/format";

function StatusBadge({ view }: { view: HistoryImportView | null }) {
  if (!view) return <Badge>Not imported</Badge>;
  if (view.status === "done")
    return (
      <Badge tone="success" progress="complete">
        Imported
      </Badge>
    );
  if (view.status === "failed") return <Badge tone="critical">Failed</Badge>;
  return (
    <Badge tone="info" progress="partiallyComplete">
      Importing
    </Badge>
  );
}

/** "40 seconds", "3 minutes", "2 hours". */
function timeLeft(seconds: number): string {
  if (seconds < 90) return plural(Math.max(1, Math.round(seconds)), "second", "seconds");
  if (seconds < 5400) return plural(Math.round(seconds / 60), "minute", "minutes");
  return plural(Math.round(seconds / 3600), "hour", "hours");
}

function Range({ view, timeZone }: { view: HistoryImportView; timeZone: string }) {
  const day = (iso: string) => formatDayInZone(iso, timeZone);
  const orders = plural(view.orders, "order", "orders");
  const reached = view.oldestSeen ? `, back to ${day(view.oldestSeen)}` : "";
  if (view.status === "running") {
    const progress = importProgress(view);
    const range = view.since ? `${day(view.since)} – ${day(view.until)}` : `all of your history up to ${day(view.until)}`;
    const exporting =
      view.orders === 0 && view.total != null ? `Shopify is preparing ${plural(view.total, "order", "orders")} (${view.exported ?? 0} ready). ` : "";
    const of = view.total != null ? ` of ${view.total}` : "";
    const left = view.secondsLeft != null ? ` About ${timeLeft(view.secondsLeft)} left.` : "";
    return (
      <BlockStack gap="200">
        <Text as="p">
          {exporting}
          {orders}
          {of} so far{reached}. Importing {range}, newest first.{left}
        </Text>
        {progress !== null ? <ProgressBar progress={Math.round(progress * 100)} size="small" tone="primary" /> : null}
      </BlockStack>
    );
  }
  if (view.status === "failed")
    return (
      <Text as="p">
        {orders} imported before it stopped{reached}.
      </Text>
    );
  const from = view.since ?? view.oldestSeen;
  return (
    <Text as="p">
      {orders} imported {from ? `from ${day(from)} to ${day(view.until)}` : `up to ${day(view.until)}`}
      {view.finishedAt ? ` (finished ${day(view.finishedAt)})` : ""}.
    </Text>
  );
}

/** `history` is DashboardData.history: null until the shop's first import starts. Days are the shop's. */
export function HistoryImportCard({ history: view, timeZone }: { history: HistoryImportView | null; timeZone: string }) {
  const running = view?.status === "running";
  return (
    <div id="history-import">
      <Card>
        <BlockStack gap="300">
          <InlineStack align="space-between" blockAlign="center" gap="200">
            <Text as="h2" variant="headingMd">
              Order history
            </Text>
            <StatusBadge view={view} />
          </InlineStack>
          <Text as="p" tone="subdued">
            Orders placed before Trustloop was installed give the dashboard its baseline (cohorts, repeat rates). They never trigger emails, points or
            attribution.
          </Text>
          {view ? <Range view={view} timeZone={timeZone} /> : null}
          {view?.status === "failed" && view.error ? (
            <Banner tone="critical" title="The import stopped">
              <p>{view.error}</p>
            </Banner>
          ) : null}
          {running && view?.error ? (
            <Banner tone="warning" title="Paused: the import retries by itself">
              <p>{view.error}</p>
            </Banner>
          ) : null}
          {view?.since && view.status === "done" ? (
            <Text as="p" tone="subdued">
              Shopify shares the last 60 days of orders unless the app is granted access to all orders. Once it is, import again to bring in the rest.
            </Text>
          ) : null}
          {running ? null : (
            <Form method="post" action="/app/history">
              <InlineStack align="end">
                <Button submit variant={view ? "secondary" : "primary"}>
                  {view ? "Import again" : "Import history"}
                </Button>
              </InlineStack>
            </Form>
          )}
        </BlockStack>
      </Card>
    </div>
  );
}
