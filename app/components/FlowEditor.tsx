// The flow editor's form (Polaris). Field names match flowFormSchema (engine/admin/flow-form.ts).
import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import type { FlowActionResult } from "~/engine/admin/flow-action";
import type { LanguageChoice, Template } from "~/engine/flows/templates";
import { useFields, type FieldErrors } from "./fields";
import { LanguageSelect, LanguageTemplate, useLanguageTemplates } from "./FlowLanguages";
import { Columns, FormSection, Section } from "./Section";

type Values = Record<
  | "delayValue"
  | "delayUnit"
  | "sendAtLocalTime"
  | "fallbackDays"
  | "customer"
  | "minTotal"
  | "maxTotal"
  | "countries"
  | "productIds"
  | "productTags"
  | "customerTags"
  | "holdoutPercent"
  | "subject"
  | "body",
  string
>;

interface Props {
  flow: { id: string; name: string };
  values: Values;
  deliveryTriggered: boolean;
  currency: string;
  /** The shop's email and the signed-in staff member's: the only addresses a test may go to. */
  testRecipients: string[];
  testLimit: number;
  /** The language picker's choices ("" is the default template) and each language's own template. */
  languages: LanguageChoice[];
  templates: Record<string, Template>;
}

export function FlowEditor({ flow, values: initial, deliveryTriggered, currency, testRecipients, testLimit, languages, templates }: Props) {
  const [to, setTo] = useState(testRecipients[0] ?? "");
  const save = useFetcher<FlowActionResult>({ key: `flow-save-${flow.id}` });
  const preview = useFetcher<FlowActionResult>({ key: `flow-preview-${flow.id}` });
  const test = useFetcher<FlowActionResult>({ key: `flow-test-${flow.id}` });
  const errors: FieldErrors = save.data?.errors ?? {};
  const { values: v, field } = useFields<Values>(initial, errors);
  const previewErrors: FieldErrors = preview.data?.errors ?? {};
  const testErrors: FieldErrors = test.data?.errors ?? {};
  const saved = save.state === "idle" && save.data && "replanned" in save.data ? (save.data.replanned ?? 0) : null;
  const rendered = preview.data && "preview" in preview.data ? preview.data.preview : null;
  const testResult = test.data && "test" in test.data ? test.data.test : null;

  const [language, setLanguage] = useState("");
  const own = useLanguageTemplates(flow.id, templates);
  // A language removed meanwhile (no longer published, back to the default) falls back to the default.
  const choice = languages.find((c) => c.value === language) ?? languages[0];
  const defaults = { subject: v.subject, body: v.body };
  // What the preview and the test email render: the chosen language's template, in that language.
  const template = { language: choice.value, ...(own.drafts[choice.value] ?? defaults) };

  return (
    <save.Form method="post">
      <input type="hidden" name="intent" value="save" />
      <Columns
        main={
          <>
            {Object.keys(errors).length > 0 && <Banner tone="critical" title="Nothing was saved: fix the fields marked below." />}
            {saved !== null && Object.keys(errors).length === 0 && (
              <Banner tone="success" title="Flow saved">
                {saved > 0 ? `${saved} pending message${saved === 1 ? "" : "s"} re-planned with the new timing.` : null}
              </Banner>
            )}
            <FormSection title="Timing">
              <FormLayout.Group condensed>
                <TextField label="Delay" {...field("delayValue", { min: 0 })} />
                <Select label="Unit" options={["minutes", "hours", "days"]} {...field("delayUnit")} />
                <TextField
                  label="Send at (recipient-local, optional)"
                  placeholder="HH:MM"
                  helpText="Leave empty to send as soon as the delay is over."
                  {...field("sendAtLocalTime")}
                />
              </FormLayout.Group>
              {deliveryTriggered && (
                <TextField label="Fallback when no delivery scan arrives (days after the last shipment)" {...field("fallbackDays", { min: 1, max: 90 })} />
              )}
            </FormSection>
            <FormSection title="Who gets it">
              <Select
                label="Customer"
                options={[
                  { label: "Any customer", value: "any" },
                  { label: "First order only", value: "first" },
                  { label: "Returning customers only", value: "returning" },
                ]}
                {...field("customer")}
              />
              <FormLayout.Group condensed>
                <TextField label={`Minimum order total (${currency})`} inputMode="decimal" {...field("minTotal")} />
                <TextField label={`Maximum order total (${currency})`} inputMode="decimal" {...field("maxTotal")} />
              </FormLayout.Group>
              <TextField label="Shipping countries" helpText="ISO codes separated by commas, e.g. US, CA. Empty: every country." {...field("countries")} />
              <TextField label="Product ids" helpText="Any of these products (gid://shopify/Product/…), separated by commas." {...field("productIds")} />
              <FormLayout.Group>
                <TextField label="Product tags" helpText="Any of these tags." {...field("productTags")} />
                <TextField label="Customer tags" helpText="Any of these tags." {...field("customerTags")} />
              </FormLayout.Group>
              <TextField
                label="Holdout (%)"
                helpText="This share of customers gets nothing, so the dashboard can measure the lift (0–50)."
                {...field("holdoutPercent", { min: 0, max: 50 })}
              />
            </FormSection>
            <Section title="Email">
              <LanguageSelect languages={languages} value={choice.value} onChange={setLanguage} />
              {choice.value ? (
                <>
                  {/* The default template is still part of the flow's form. */}
                  <input type="hidden" name="subject" value={v.subject} />
                  <input type="hidden" name="body" value={v.body} />
                  <LanguageTemplate
                    key={choice.value}
                    choice={choice}
                    draft={own.drafts[choice.value]}
                    defaults={defaults}
                    templates={own}
                    previewErrors={previewErrors}
                  />
                </>
              ) : (
                <>
                  <TextField label="Subject" {...field("subject")} error={errors.subject ?? previewErrors.subject} />
                  <TextField label="Body (Liquid)" multiline={10} monospaced {...field("body")} error={errors.body ?? previewErrors.body} />
                </>
              )}
              <InlineStack gap="200" align="end">
                <Button onClick={() => preview.submit({ intent: "preview", ...template }, { method: "post" })} loading={preview.state !== "idle"}>
                  Preview
                </Button>
                <Button submit variant="primary" loading={save.state !== "idle"}>
                  Save
                </Button>
              </InlineStack>
            </Section>
          </>
        }
        side={
          <>
            <Section title="Preview" gap="200">
              {rendered ? (
                <BlockStack gap="200">
                  <Text as="p" tone="subdued">
                    Rendered with {rendered.source}.
                  </Text>
                  <Text as="p" fontWeight="semibold" id="preview-subject">
                    {rendered.subject}
                  </Text>
                  <Box borderColor="border" borderWidth="025" borderRadius="200" overflowX="hidden" overflowY="hidden">
                    <iframe title="Email preview" sandbox="" srcDoc={rendered.html} style={{ width: "100%", height: 560, border: 0, display: "block" }} />
                  </Box>
                </BlockStack>
              ) : (
                <Text as="p" tone="subdued">
                  Preview renders the subject and body above (saved or not) with your most recent order.
                </Text>
              )}
            </Section>
            <Section title="Send a test email" gap="200">
              <Select
                label="To"
                options={testRecipients}
                value={to}
                onChange={setTo}
                disabled={testRecipients.length === 0}
                error={testErrors.to}
                helpText={`Your shop's email or yours, with a sample order; at most ${testLimit} test emails per hour for the shop.`}
              />
              <Button
                disabled={testRecipients.length === 0}
                onClick={() => test.submit({ intent: "test", to, ...template }, { method: "post" })}
                loading={test.state !== "idle"}
              >
                Send test email
              </Button>
              {testResult?.status === "sent" && <Banner tone="success">Test email sent to {testResult.to}.</Banner>}
              {testResult?.status === "failed" && <Banner tone="critical">Test email not sent: {testResult.reason}</Banner>}
              {testResult?.status === "limited" && (
                <Banner tone="warning">
                  Test email not sent: this shop has sent {testResult.limit} test emails in the last hour. Try again in {testResult.retryInMinutes} minute
                  {testResult.retryInMinutes === 1 ? "" : "s"}.
                </Banner>
              )}
              {(testErrors.subject || testErrors.body) && <Banner tone="critical">{testErrors.subject ?? testErrors.body}</Banner>}
            </Section>
          </>
        }
      />
    </save.Form>
  );
}
