// The journey builder's form: one controlled state posted flat ("steps.N.subject"), field errors
// from the action next to each field, a preview per step, and activation with the entry figures.
import { useState, type ReactNode } from "react";
import { useFetcher } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, Checkbox, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { BLANK_STEP, TRIGGER_LABELS, type JourneyActionResult, type JourneyValues, type StepValues } from "~/engine/admin/journeys";
import type { JourneyPreview } from "~/engine/journeys/preview";
import { JourneyActivation } from "./JourneyActivation";
import { StepTestEmail } from "./StepTestEmail";
import { JourneyConditions } from "./JourneyConditions";

interface Props {
  journey: { id: string; status: string } | null;
  values: JourneyValues;
  currency: string;
  entry: JourneyPreview | null;
  testEmail?: { recipients: string[]; limit: number };
  products: { id: string; title: string }[];
}

const TRIGGERS = Object.entries(TRIGGER_LABELS).map(([value, label]) => ({ value, label }));
const CATEGORIES = ["service", "survey", "marketing"].map((c) => ({ value: c, label: c }));
const UNITS = ["minutes", "hours", "days"].map((u) => ({ value: u, label: u }));

function flatten(v: JourneyValues): Record<string, string> {
  const { steps, stopOnReorder, productIds, subscribed, ...rest } = v;
  const out: Record<string, string> = { ...rest, stopOnReorder: String(stopOnReorder), productIds: productIds.join(","), subscribed: String(subscribed) };
  steps.forEach((s, i) => Object.entries(s).forEach(([k, value]) => (out[`steps.${i}.${k}`] = value)));
  return out;
}

function StepCard({
  index,
  step,
  errors,
  onChange,
  onRemove,
  testEmail,
}: {
  index: number;
  step: StepValues;
  errors: Record<string, string>;
  onChange: (s: StepValues) => void;
  onRemove?: () => void;
  testEmail?: ReactNode;
}) {
  const preview = useFetcher<JourneyActionResult>({ key: `journey-preview-${index}` });
  const rendered = preview.data?.preview;
  const field = (name: keyof StepValues) => ({
    value: step[name],
    onChange: (value: string) => onChange({ ...step, [name]: value }),
    error: errors[`steps.${index}.${name}`] ?? preview.data?.errors[name],
    autoComplete: "off",
  });
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between">
          <Text as="h3" variant="headingSm">
            Step {index + 1}
          </Text>
          {onRemove && (
            <Button variant="plain" tone="critical" onClick={onRemove} accessibilityLabel={`Remove step ${index + 1}`}>
              Remove
            </Button>
          )}
        </InlineStack>
        <FormLayout>
          <FormLayout.Group condensed>
            <TextField label="Wait after the trigger" type="number" {...field("waitValue")} helpText="Counted from the trigger, not from the step before" />
            <Select label="Unit" options={UNITS} value={step.waitUnit} onChange={(waitUnit) => onChange({ ...step, waitUnit })} />
            <TextField label="At local time (optional)" placeholder="10:00" {...field("sendAtLocalTime")} />
          </FormLayout.Group>
          <TextField label="Subject" {...field("subject")} />
          <TextField label="Body (Liquid)" multiline={6} monospaced {...field("body")} />
        </FormLayout>
        <InlineStack>
          <Button
            onClick={() => preview.submit({ intent: "preview", step: String(index), subject: step.subject, body: step.body }, { method: "post" })}
            loading={preview.state !== "idle"}
          >
            {`Preview step ${index + 1}`}
          </Button>
        </InlineStack>
        {testEmail}
        {rendered && (
          <BlockStack gap="100">
            <Text as="p" tone="subdued">
              Preview with {rendered.source}
            </Text>
            <Text as="p" fontWeight="semibold">
              {rendered.subject}
            </Text>
            <Box borderWidth="025" borderColor="border">
              <iframe
                title={`Step ${index + 1} preview`}
                sandbox=""
                srcDoc={rendered.html}
                style={{ width: "100%", height: 420, border: 0, display: "block" }}
              />
            </Box>
          </BlockStack>
        )}
      </BlockStack>
    </Card>
  );
}

export function JourneyBuilder({ journey, values: initial, currency, entry, testEmail, products }: Props) {
  const [v, setV] = useState(initial);
  const save = useFetcher<JourneyActionResult>({ key: "journey-save" });
  const errors = save.data?.errors ?? {};
  const set = (name: keyof JourneyValues) => (value: string) => setV({ ...v, [name]: value });
  const text = (name: Exclude<keyof JourneyValues, "steps" | "stopOnReorder" | "productIds" | "subscribed">, label: string, helpText?: string) => (
    <TextField label={label} value={v[name]} onChange={set(name)} error={errors[name]} helpText={helpText} autoComplete="off" />
  );
  const setStep = (i: number, s: StepValues) => setV({ ...v, steps: v.steps.map((old, j) => (j === i ? s : old)) });
  return (
    <BlockStack gap="400">
      {Object.keys(errors).length > 0 && <Banner tone="critical" title="The journey was not saved: check the fields marked below." />}
      {save.data?.saved && <Banner tone="success" title="Journey saved" />}
      <Card>
        <FormLayout>
          {text("name", "Name")}
          <FormLayout.Group>
            <Select label="Trigger" options={TRIGGERS} value={v.trigger} onChange={set("trigger")} />
            {v.trigger === "nth_order" && text("orderNumber", "Order number", "2 for the customer's second order")}
            {v.trigger === "win_back" && text("quietDays", "Days without an order", "Counted from the customer's last order; steps wait after that")}
            {v.trigger === "tier_reached" && text("tierName", "Tier (optional)", "e.g. Gold; empty for any tier reached")}
            <Select
              label="Category"
              options={CATEGORIES}
              value={v.category}
              onChange={set("category")}
              helpText="Marketing needs consent; survey and marketing count towards the cap"
            />
          </FormLayout.Group>
          {text("holdoutPercent", "Holdout %", "Customers held out of every step, to measure lift")}
          <Checkbox
            label="Stop when the customer orders again"
            checked={v.trigger === "win_back" || v.stopOnReorder}
            disabled={v.trigger === "win_back"}
            helpText={v.trigger === "win_back" ? "A win-back always stops when the customer orders" : undefined}
            onChange={(stopOnReorder) => setV({ ...v, stopOnReorder })}
          />
        </FormLayout>
      </Card>
      <Card>
        <JourneyConditions values={v} errors={errors} currency={currency} products={products} onChange={(patch) => setV({ ...v, ...patch })} />
      </Card>
      {v.steps.map((s, i) => (
        <StepCard
          key={i}
          index={i}
          step={s}
          errors={errors}
          onChange={(next) => setStep(i, next)}
          onRemove={v.steps.length > 1 ? () => setV({ ...v, steps: v.steps.filter((_, j) => j !== i) }) : undefined}
          testEmail={journey && testEmail && <StepTestEmail step={i + 1} saved={initial.steps[i]} current={s} {...testEmail} />}
        />
      ))}
      {errors.steps && <Banner tone="critical" title={errors.steps} />}
      <InlineStack gap="200">
        <Button onClick={() => setV({ ...v, steps: [...v.steps, BLANK_STEP] })}>Add step</Button>
        <Button variant="primary" loading={save.state !== "idle"} onClick={() => save.submit({ intent: "save", ...flatten(v) }, { method: "post" })}>
          Save journey
        </Button>
      </InlineStack>
      {journey && <JourneyActivation status={journey.status} entry={entry} />}
    </BlockStack>
  );
}
