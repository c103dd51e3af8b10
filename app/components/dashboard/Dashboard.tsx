// The admin home's dashboard: whether customers come back, and what each flow contributes.
// Pure presentation of DashboardData (computed by the engine); the route supplies navigation
// and the history import card.
import type { ReactNode } from "react";
import { Banner, BlockStack, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import type { DashboardData, PeriodKey } from "~/engine/dashboard/types";
import { CohortTable } from "./CohortTable";
import { CodesCard, DelaysCard, LoyaltyCard, OffersCard, ReviewsCard } from "./EngagementCards";
import { FlowTable } from "./FlowTable";
import { dayLabel, plural } from "./format";
import { KpiCards } from "./KpiCards";
import { NpsCard } from "./NpsCard";
import { OrdersChart } from "./OrdersChart";
import { PeriodSelect } from "./PeriodSelect";
import { SetupChecklist } from "./SetupChecklist";

interface Props {
  data: DashboardData;
  onPeriodChange: (period: PeriodKey) => void;
  /** A period change is loading. */
  busy?: boolean;
  historyImport?: ReactNode;
}

export function Dashboard({ data, onPeriodChange, busy, historyImport }: Props) {
  const { figures, shop } = data;
  const { period } = figures;
  // Until the history is imported, the import card is part of getting started; then it moves down.
  const historyPending = data.history?.status !== "done";
  return (
    <BlockStack gap="400">
      <InlineStack align="space-between" blockAlign="center" gap="200">
        <Text as="p" tone="subdued" id="dashboard-range">
          {dayLabel(period.from, true)} – {dayLabel(period.to, true)}
        </Text>
        <PeriodSelect value={period.key} onChange={onPeriodChange} disabled={busy} />
      </InlineStack>
      {data.pendingDays > 0 ? (
        <Banner tone="info" title="Figures are being updated">
          <p>Recent changes on {plural(data.pendingDays, "day", "days")} are being counted; the figures catch up within seconds.</p>
        </Banner>
      ) : null}
      <SetupChecklist items={data.checklist} />
      {historyPending ? historyImport : null}
      <KpiCards figures={figures} currency={shop.currency} />
      <OrdersChart series={figures.orders.series} />
      <CohortTable cohorts={figures.cohorts} currency={shop.currency} />
      <FlowTable flows={figures.flows} currency={shop.currency} />
      <InlineGrid columns={{ xs: 1, md: 2, lg: 3 }} gap="400">
        <NpsCard nps={figures.nps} />
        <ReviewsCard reviews={figures.reviews} />
        <DelaysCard delays={figures.delays} />
        <CodesCard codes={figures.codes} currency={shop.currency} />
        <LoyaltyCard loyalty={figures.loyalty} />
        <OffersCard offers={figures.offers} currency={shop.currency} />
      </InlineGrid>
      {historyPending ? null : historyImport}
    </BlockStack>
  );
}
