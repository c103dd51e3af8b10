import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Card, DataTable, Page } from "@shopify/polaris";
import { db } from "~/db.server";
import { requireShop } from "~/admin.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const flows = await db.flow.findMany({ where: { shopId: shop.id }, orderBy: { createdAt: "asc" } });
  return { flows };
};

function timing(minutes: number, fallbackDays: number | null) {
  const text = minutes === 0 ? "immediately" : minutes % 1440 === 0 ? `${minutes / 1440} days` : `${minutes} min`;
  return fallbackDays ? `${text} (fallback: ${fallbackDays} days after last shipment)` : text;
}

export default function Flows() {
  const { flows } = useLoaderData<typeof loader>();
  return (
    <Page title="Flows" backAction={{ url: "/app" }}>
      <Card padding="0">
        <DataTable
          columnContentTypes={["text", "text", "text", "text", "text"]}
          headings={["Flow", "Trigger", "Timing", "Category", "Status"]}
          rows={flows.map((f) => [
            f.name,
            f.trigger.replace(/_/g, " "),
            timing(f.delayMinutes, f.fallbackDays),
            f.category,
            f.enabled ? <Badge tone="success">on</Badge> : <Badge>off</Badge>,
          ])}
        />
      </Card>
    </Page>
  );
}
