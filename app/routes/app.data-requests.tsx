// Admin › Data requests: the customers/data_request reports Shopify asked for, to download as JSON
// and hand to the customer. The download is a POST (it records the first download).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRevalidator } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { adminContext } from "~/route-context.server";
import { db } from "~/db.server";
import { listDataRequests, type DataRequestRow } from "~/engine/privacy/requests";
import { DOWNLOADED_REPORT_RETENTION_DAYS } from "~/engine/privacy/retention";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  return { rows: await listDataRequests(db, shop.id), retentionDays: DOWNLOADED_REPORT_RETENTION_DAYS };
};

const day = (iso: string | null) => (iso ? iso.slice(0, 10) : "—");

function StatusBadge({ row }: { row: DataRequestRow }) {
  if (row.status === "ready") return <Badge tone="success">Ready</Badge>;
  if (row.status === "expired") return <Badge>Purged</Badge>;
  return <Badge tone="attention">Compiling</Badge>;
}

/** Fetches the file with the session token (App Bridge adds it to fetch) and saves it. */
async function saveReport(id: string) {
  const response = await fetch(`/app/data-requests/${id}/download`, { method: "POST" });
  if (!response.ok) throw new Error(response.status === 404 ? "This report is no longer available." : `Download failed (${response.status}).`);
  const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") ?? "")?.[1] ?? "data-request.json";
  const url = URL.createObjectURL(await response.blob());
  const link = Object.assign(document.createElement("a"), { href: url, download: name });
  link.click();
  URL.revokeObjectURL(url);
}

export default function DataRequests() {
  const { rows, retentionDays } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const download = async (id: string) => {
    setBusy(id);
    setError(null);
    try {
      await saveReport(id);
      revalidator.revalidate();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Page title="Data requests" subtitle="Customers' requests for the data Trustloop holds on them (sent by Shopify)." backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        {error && (
          <Banner tone="critical" onDismiss={() => setError(null)}>
            {error}
          </Banner>
        )}
        <Card>
          <BlockStack gap="300">
            <Text as="p" tone="subdued">
              Each report lists every record Trustloop holds on the customer, as JSON. Send it to the customer; the report is deleted {retentionDays} days after
              its first download.
            </Text>
            {rows.length === 0 ? (
              <Text as="p">No data requests yet.</Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "numeric", "text", "text", "text"]}
                headings={["Requested", "Customer", "Orders named", "Status", "Downloaded", ""]}
                rows={rows.map((r) => [
                  day(r.requestedAt),
                  r.customer,
                  r.orders,
                  <StatusBadge key="s" row={r} />,
                  day(r.downloadedAt),
                  r.status === "ready" ? (
                    <Button key="d" size="slim" loading={busy === r.id} onClick={() => void download(r.id)}>
                      Download JSON
                    </Button>
                  ) : (
                    ""
                  ),
                ])}
              />
            )}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
