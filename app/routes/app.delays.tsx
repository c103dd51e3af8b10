// Delays: orders currently delayed (by cause and age), this month's notices and apology codes against
// the budget, and the shop's delay settings (thresholds, holidays, discount, budget).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { useEffect } from "react";
import { Banner, BlockStack, FormLayout, InlineGrid, InlineStack, Link, Page, Select, Text, TextField } from "@shopify/polaris";
import { db } from "~/db.server";
import { adminContext } from "~/route-context.server";
import { delaysPage, saveDelaySettings, type DelaySettingsValues } from "~/engine/admin/delays";
import { DelayCode, DelayNotice } from "~/components/DelayTimeline";
import { Figure } from "~/components/Figure";
import { useFields } from "~/components/fields";
import { FormSection, TableCard } from "~/components/Section";
import { SettingsForm } from "~/components/SettingsForm";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, clock } = await adminContext(request);
  return delaysPage(db, shop, clock.now());
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await adminContext(request);
  const result = await saveDelaySettings(db, shop, Object.fromEntries(await request.formData()));
  return result.ok ? { errors: {}, saved: true } : { errors: result.errors, saved: false };
};

export default function Delays() {
  const { month, open, byCause, figures, values, currency } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>({ key: "delay-settings" });
  const errors = fetcher.data?.errors ?? {};
  const { values: v, setValues: setV, field } = useFields<DelaySettingsValues>(values, errors);
  // After a successful save, show the values as stored (holidays sorted, amounts normalized); after a
  // refused one, keep what the merchant typed.
  const saved = fetcher.state === "idle" && fetcher.data?.saved === true;
  useEffect(() => {
    if (saved) setV(values);
  }, [saved, values, setV]);
  const percentage = v.discountType === "percentage";

  return (
    <Page title="Delays" subtitle="Tell customers about a delay before they ask — with an apology code." backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          {month}
        </Text>
        <InlineGrid columns={{ xs: 2, md: 5 }} gap="300">
          <Figure label="Notices sent" value={figures.noticesSent} />
          <Figure label="Codes issued" value={figures.codesIssued} />
          <Figure label="Codes redeemed" value={figures.codesRedeemed} hint={`${figures.redeemedRevenue} in orders`} />
          <Figure label="Codes left" value={figures.budgetCodesLeft ?? "No limit"} hint="this month's budget" />
          <Figure label="Value left" value={figures.budgetValueLeft ?? "No limit"} hint={`${figures.budgetValueUsed} committed`} />
        </InlineGrid>
        {figures.budgetExhausted && (
          <Banner tone="warning" title="The monthly apology budget is used up">
            <Text as="p">Delay notices still go out, without a code, until next month or until you raise the budget below.</Text>
          </Banner>
        )}

        <TableCard
          title="Orders currently delayed"
          empty="No order is delayed right now."
          intro={
            <InlineStack gap="400">
              {byCause.map((c) => (
                <Text as="span" key={c.cause} tone={c.count ? undefined : "subdued"}>
                  {c.label}:{" "}
                  <Text as="span" fontWeight="semibold">
                    {c.count}
                  </Text>
                </Text>
              ))}
            </InlineStack>
          }
          columnContentTypes={["text", "text", "text", "text", "text"]}
          headings={["Order", "Cause", "Detected", "Notice", "Apology code"]}
          verticalAlign="top"
          rows={open.map((r) => [
            <Link key="o" url={`/app/orders/${r.orderId}`} removeUnderline>
              {r.orderName}
            </Link>,
            <BlockStack key="c" gap="050">
              <Text as="span" fontWeight="semibold">
                {r.causeLabel}
              </Text>
              {r.detail && (
                <Text as="span" tone="subdued" breakWord>
                  {r.detail}
                </Text>
              )}
              {r.expectedAt && (
                <Text as="span" tone="subdued">
                  now expected {r.expectedAt}
                </Text>
              )}
            </BlockStack>,
            <BlockStack key="d" gap="050">
              <Text as="span">{r.ageDays === 0 ? "today" : r.ageDays === 1 ? "1 day ago" : `${r.ageDays} days ago`}</Text>
              <Text as="span" tone="subdued" variant="bodySm">
                {r.detectedAt}
              </Text>
            </BlockStack>,
            <DelayNotice key="n" notice={r.notice} />,
            <DelayCode key="k" code={r.code} />,
          ])}
        />

        <SettingsForm fetcher={fetcher} savedTitle="Delay settings saved">
          <FormSection title="When is an order late?">
            <FormLayout.Group condensed>
              <TextField label="Not shipped after (domestic)" suffix="business days" {...field("notShippedDomesticDays", { min: 1, max: 60 })} />
              <TextField label="Not shipped after (international)" suffix="business days" {...field("notShippedInternationalDays", { min: 1, max: 60 })} />
              <TextField label="Not delivered after the estimate" suffix="days" {...field("lateInTransitDays", { min: 0, max: 60 })} />
            </FormLayout.Group>
            <Text as="p" tone="subdued">
              Business days skip weekends and the holidays below, in the shop's timezone. Carrier exceptions (delayed, failure, attempted delivery) count at
              once.
            </Text>
            <TextField label="Holidays" multiline={4} placeholder={"2026-12-25\n2027-01-01"} helpText="One date per line, YYYY-MM-DD." {...field("holidays")} />
          </FormSection>
          <FormSection title="Apology code">
            <FormLayout.Group condensed>
              <Select
                label="Discount"
                options={[
                  { label: "Percentage off", value: "percentage" },
                  { label: "Fixed amount off", value: "fixed_amount" },
                ]}
                {...field("discountType")}
              />
              <TextField label="Value" {...field("discountValue")} suffix={percentage ? "%" : currency} inputMode="decimal" />
              <TextField label="Valid for" suffix="days" {...field("discountExpiryDays", { min: 1, max: 365 })} />
            </FormLayout.Group>
            <Text as="p" tone="subdued">
              Each code is unique, works once, and only for the customer of the delayed order.
            </Text>
          </FormSection>
          <FormSection title="Monthly budget">
            <FormLayout.Group condensed>
              <TextField label="At most (codes per month)" placeholder="No limit" {...field("monthlyMaxCodes", { min: 0 })} />
              <TextField label={`At most (value per month, ${currency})`} placeholder="No limit" inputMode="decimal" {...field("monthlyMaxValue")} />
            </FormLayout.Group>
            <Text as="p" tone="subdued">
              Leave empty for no limit. A percentage code counts as its share of the order's subtotal. Over budget, the notice goes out without a code.
            </Text>
          </FormSection>
        </SettingsForm>
      </BlockStack>
    </Page>
  );
}
