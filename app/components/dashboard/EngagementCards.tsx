// What customers did with the other touches in the period: reviews, delay notices, discount
// codes, loyalty points and thank-you page offers. Each card says what its figure counts.
import { BlockStack, InlineStack, Text } from "@shopify/polaris";
import type { DashboardFigures } from "~/engine/dashboard/types";
import { count, humanize, money, percent, plural } from "./format";
import { MetricCard } from "./MetricCard";

type F = DashboardFigures;

/** A figure's parts under a small heading: label → formatted value, in order. */
function Breakdown({ title, rows }: { title: string; rows: Record<string, string> }) {
  const entries = Object.entries(rows);
  if (!entries.length) return null;
  return (
    <BlockStack gap="050">
      <Text as="h4" variant="headingXs" tone="subdued">
        {title}
      </Text>
      {entries.map(([label, value]) => (
        <InlineStack key={label} align="space-between" gap="200">
          <Text as="span">{label}</Text>
          <Text as="span" numeric>
            {value}
          </Text>
        </InlineStack>
      ))}
    </BlockStack>
  );
}

export function ReviewsCard({ reviews }: { reviews: F["reviews"] }) {
  const rating = reviews.averageRating === null ? "no rating yet" : `average ${reviews.averageRating.toFixed(1)} ★`;
  return (
    <MetricCard
      title="Review rate"
      value={percent(reviews.rate)}
      detail={
        reviews.requestsSent
          ? `${plural(reviews.submitted, "review", "reviews")} from ${plural(reviews.requestsSent, "request", "requests")} · ${rating}`
          : "No review request sent in this period yet"
      }
      definition="Reviews submitted ÷ review requests sent in this period."
    />
  );
}

export function DelaysCard({ delays }: { delays: F["delays"] }) {
  return (
    <MetricCard
      title="Shipping delays"
      value={count(delays.incidents)}
      detail={delays.incidents ? `${plural(delays.noticesSent, "notice", "notices")} sent before the customer had to ask` : "No delayed order in this period"}
      definition="Late orders detected (not shipped after 3 business days, late in transit, carrier exception) and the apology notices sent."
    >
      <Breakdown title="By cause" rows={Object.fromEntries(delays.byCause.map((c) => [humanize(c.cause), count(c.count)]))} />
      <Breakdown title="By carrier" rows={Object.fromEntries(delays.byCarrier.map((c) => [c.carrier, count(c.count)]))} />
    </MetricCard>
  );
}

export function CodesCard({ codes, currency }: { codes: F["codes"]; currency: string }) {
  const issued = codes.reduce((s, c) => s + c.issued, 0);
  const redeemed = codes.reduce((s, c) => s + c.redeemed, 0);
  return (
    <MetricCard
      title="Discount codes"
      value={issued ? `${count(redeemed)} of ${count(issued)}` : count(0)}
      detail={issued ? "redeemed" : "No code issued in this period"}
      definition="Codes issued in this period by purpose, those used at checkout, and the revenue of the orders that used them."
    >
      <Breakdown
        title="Redeemed / issued · revenue"
        rows={Object.fromEntries(
          codes.map((c) => [humanize(c.purpose), `${count(c.redeemed)} / ${count(c.issued)} · ${money(c.redeemedRevenueCents, currency)}`]),
        )}
      />
    </MetricCard>
  );
}

export function LoyaltyCard({ loyalty }: { loyalty: F["loyalty"] }) {
  return (
    <MetricCard
      title="Loyalty points"
      value={count(loyalty.issued)}
      detail="points issued"
      definition="Points earned on orders in this period, those still pending in the return window, and points spent on rewards."
    >
      <Breakdown title="Points" rows={{ Pending: count(loyalty.pending), Redeemed: count(loyalty.redeemed) }} />
    </MetricCard>
  );
}

export function OffersCard({ offers, currency }: { offers: F["offers"]; currency: string }) {
  return (
    <MetricCard
      title="Thank-you page offers"
      value={offers.shown ? percent(offers.converted / offers.shown) : percent(null)}
      detail={offers.shown ? `${count(offers.converted)} conversions from ${plural(offers.shown, "view", "views")}` : "No offer shown in this period yet"}
      definition="Offers on the thank-you and order status pages: views, clicks, orders that used them (conversion = orders ÷ views) and their revenue."
    >
      <Breakdown
        title="Offers"
        rows={{ Shown: count(offers.shown), Clicked: count(offers.clicked), Converted: count(offers.converted), Revenue: money(offers.revenueCents, currency) }}
      />
    </MetricCard>
  );
}
