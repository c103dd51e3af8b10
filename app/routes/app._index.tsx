// Admin home: the dashboard (do customers come back, and what each flow contributes) for the
// selected ?period=, then the operational overview (worker, webhooks, recent orders).
import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useNavigation } from "@remix-run/react";
import { BlockStack, Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { db } from "~/db.server";
import { adminContext } from "~/route-context.server";
import { shopOverview } from "~/engine/admin/overview";
import { dashboardData } from "~/engine/dashboard/read";
import { PERIODS, type PeriodKey } from "~/engine/dashboard/types";
import { Dashboard } from "~/components/dashboard/Dashboard";
import { HistoryImportCard } from "~/components/HistoryImportCard";
import { OperationsOverview } from "~/components/dashboard/OperationsOverview";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: vizStyles }];

const parsePeriod = (value: string | null): PeriodKey => (value !== null && Object.hasOwn(PERIODS, value) ? (value as PeriodKey) : "30d");

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session, clock } = await adminContext(request);
  const period = parsePeriod(new URL(request.url).searchParams.get("period"));
  const [dashboard, overview] = await Promise.all([dashboardData(db, clock, session.shop, period), shopOverview(db, clock, session.shop)]);
  if (!dashboard || !overview) throw new Response("Shop not installed", { status: 404 });
  return { dashboard, overview };
};

export default function Home() {
  const { dashboard, overview } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const busy = useNavigation().state === "loading";
  return (
    <Page title="Dashboard" subtitle={`${dashboard.shop.name} · are customers coming back?`}>
      <TitleBar title="Trustloop" />
      <BlockStack gap="500">
        <Dashboard
          data={dashboard}
          busy={busy}
          onPeriodChange={(period) => navigate(`/app?period=${period}`)}
          historyImport={<HistoryImportCard history={dashboard.history} timeZone={dashboard.shop.timezone} />}
        />
        <OperationsOverview overview={overview} />
      </BlockStack>
    </Page>
  );
}
