// Admin › Offers: post-purchase offer rules (shown on the thank-you / order-status pages) and their
// performance: impressions, clicks, conversions and converted revenue per offer.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, Checkbox, DataTable, FormLayout, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { adminContext } from "~/route-context.server";
import { firstErrors } from "~/engine/admin/flow-form";
import { offerRuleFields, offerRulesWithPerformance, saveOfferRule } from "~/engine/offers/admin";
import { deleteOfferRule } from "~/engine/offers/performance";
import { offerRuleInput } from "~/engine/offers/rules";
import { formatMinorUnits } from "~/engine/util/money";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, db } = await adminContext(request);
  return { currency: shop.currency, rules: await offerRulesWithPerformance(db, shop.id) };
};

type ActionData = { ok: true } | { ok: false; errors: Record<string, string> };

export const action = async ({ request }: ActionFunctionArgs): Promise<ActionData> => {
  const { shop, db } = await adminContext(request);
  const form = await request.formData();
  const str = (k: string) => String(form.get(k) ?? "");
  const id = str("id");
  if (str("intent") === "delete") {
    await deleteOfferRule(db, shop.id, id);
    return { ok: true };
  }
  const parsed = offerRuleInput.safeParse(offerRuleFields(str));
  if (!parsed.success) return { ok: false, errors: firstErrors(parsed.error) };
  if (!(await saveOfferRule(db, shop.id, id, parsed.data))) throw new Response("Not found", { status: 404 });
  return { ok: true };
};

type Rule = ReturnType<typeof useLoaderData<typeof loader>>["rules"][number];

function RuleForm({ rule, errors }: { rule?: Rule; errors: Record<string, string> }) {
  const [v, setV] = useState({
    name: rule?.name ?? "",
    anyOrder: rule?.anyOrder ?? false,
    triggerProducts: (rule?.triggerProducts ?? []).join(", "),
    triggerTags: (rule?.triggerTags ?? []).join(", "),
    offerVariantId: rule?.offerVariantId ?? "",
    offerTitle: rule?.offerTitle ?? "",
    discountPercent: String(rule?.discountPercent ?? 10),
    expiryDays: String(rule?.expiryDays ?? 7),
    priority: String(rule?.priority ?? 0),
    perCustomerLimit: String(rule?.perCustomerLimit ?? 1),
    enabled: rule?.enabled ?? true,
  });
  const busy = useNavigation().state !== "idle";
  const set = (k: keyof typeof v) => (value: string | boolean) => setV((s) => ({ ...s, [k]: value }));
  const field = (
    k: "name" | "triggerProducts" | "triggerTags" | "offerVariantId" | "offerTitle" | "discountPercent" | "expiryDays" | "priority" | "perCustomerLimit",
    label: string,
    helpText?: string,
  ) => <TextField label={label} name={k} value={v[k]} onChange={set(k)} error={errors[k]} helpText={helpText} autoComplete="off" />;
  return (
    <Form method="post">
      <input type="hidden" name="id" value={rule?.id ?? ""} />
      <FormLayout>
        {field("name", "Rule name")}
        <Checkbox label="Any order" name="anyOrder" checked={v.anyOrder} onChange={set("anyOrder")} error={errors.anyOrder} />
        <FormLayout.Group>
          {field("triggerProducts", "When the order contains products", "Product gids, comma separated")}
          {field("triggerTags", "…or products tagged", "Comma separated")}
        </FormLayout.Group>
        <FormLayout.Group>
          {field("offerVariantId", "Offer variant", "gid://shopify/ProductVariant/…")}
          {field("offerTitle", "Offer title")}
        </FormLayout.Group>
        <FormLayout.Group>
          {field("discountPercent", "Discount %")}
          {field("expiryDays", "Expires after (days)")}
          {field("priority", "Priority", "Higher wins")}
          {field("perCustomerLimit", "Per-customer limit", "0 = unlimited")}
        </FormLayout.Group>
        <Checkbox label="Enabled" name="enabled" checked={v.enabled} onChange={set("enabled")} />
        <InlineStack gap="200">
          <Button submit variant="primary" loading={busy}>
            {rule ? "Save rule" : "Add rule"}
          </Button>
          {rule ? (
            <button type="submit" name="intent" value="delete" disabled={busy}>
              Delete
            </button>
          ) : null}
        </InlineStack>
      </FormLayout>
    </Form>
  );
}

export default function Offers() {
  const { rules, currency } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const errors = result && !result.ok ? result.errors : {};
  const rate = (n: number, d: number) => (d ? `${((n / d) * 100).toFixed(1)}%` : "—");
  return (
    <Page title="Offers" subtitle="Post-purchase offers on the thank-you and order-status pages">
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              Performance
            </Text>
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric"]}
              headings={["Offer", "Impressions", "Clicks", "Conversions", "Conversion rate", "Revenue"]}
              rows={rules.map((r) => [
                r.name,
                r.perf.impressions,
                r.perf.clicks,
                r.perf.conversions,
                rate(r.perf.conversions, r.perf.grants),
                formatMinorUnits(r.perf.revenueCents, currency),
              ])}
            />
          </BlockStack>
        </Card>
        {rules.map((r) => (
          <Card key={r.id}>
            <BlockStack gap="200">
              <InlineStack gap="200">
                <Text as="h2" variant="headingMd">
                  {r.name}
                </Text>
                <Badge tone={r.enabled ? "success" : undefined}>{r.enabled ? "Enabled" : "Off"}</Badge>
              </InlineStack>
              <RuleForm rule={r} errors={errors} />
            </BlockStack>
          </Card>
        ))}
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">
              New rule
            </Text>
            <RuleForm key={rules.length} errors={errors} />
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
