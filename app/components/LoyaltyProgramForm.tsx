// Admin › Loyalty › Program: earning settings, tiers and rewards as rows of Polaris fields that the
// merchant adds, edits and removes. Field names carry the row's position (`tiers.0.name`), which is
// how the action's errors (keyed the same way) land on the field they are about.
import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, FormLayout, InlineError, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState, type ReactNode } from "react";
import type { LoyaltyFieldErrors, LoyaltyFormValues, RewardFields, TierFields } from "~/engine/loyalty/settings-form";
import { MAX_ROWS } from "~/engine/loyalty/settings-form";

type Row<T> = T & { key: number };
let nextKey = 0;
const keyed = <T,>(rows: T[]): Row<T>[] => rows.map((r) => ({ ...r, key: nextKey++ }));

const REWARD_TYPE_OPTIONS = [
  { label: "Amount off", value: "fixed_amount" },
  { label: "Percentage off", value: "percentage" },
];

function useRows<T>(initial: T[]) {
  const [rows, setRows] = useState(() => keyed(initial));
  return {
    rows,
    add: (row: T) => setRows((current) => [...current, ...keyed([row])]),
    remove: (key: number) => setRows((current) => current.filter((r) => r.key !== key)),
    set: (key: number, patch: Partial<T>) => setRows((current) => current.map((r) => (r.key === key ? { ...r, ...patch } : r))),
  };
}

/** A titled list of rows with its empty state, list-wide error and "Add" button. */
function RowsSection(props: { title: string; help: string; empty: string; count: number; error?: string; field: string; addLabel: string; onAdd: () => void; children: ReactNode }) {
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">{props.title}</Text>
      <Text as="p" tone="subdued">{props.help}</Text>
      {props.count === 0 && <Text as="p" tone="subdued">{props.empty}</Text>}
      {props.children}
      {props.error && <InlineError message={props.error} fieldID={props.field} />}
      <InlineStack>
        <Button onClick={props.onAdd} disabled={props.count >= MAX_ROWS}>{props.addLabel}</Button>
      </InlineStack>
    </BlockStack>
  );
}

function RemoveButton({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <div style={{ paddingTop: "var(--p-space-600)" }}>
      <Button variant="plain" tone="critical" onClick={onRemove} accessibilityLabel={label}>Remove</Button>
    </div>
  );
}

function TierRows({ initial, errors, currency }: { initial: TierFields[]; errors: LoyaltyFieldErrors; currency: string }) {
  const { rows, add, remove, set } = useRows(initial);
  return (
    <RowsSection
      title="Tiers"
      help="A member reaches a tier by their spend over the last 12 months; the tier multiplies the points they earn."
      empty="No tiers: every member earns at the base rate."
      count={rows.length}
      error={errors.tiers}
      field="tiers"
      addLabel="Add tier"
      onAdd={() => add({ name: "", threshold: "", multiplier: "1" })}
    >
      {rows.map((tier, i) => (
        <FormLayout.Group key={tier.key} condensed>
          <TextField label="Tier name" name={`tiers.${i}.name`} value={tier.name} onChange={(name) => set(tier.key, { name })} error={errors[`tiers.${i}.name`]} autoComplete="off" />
          <TextField label="From a 12-month spend of" name={`tiers.${i}.threshold`} value={tier.threshold} onChange={(threshold) => set(tier.key, { threshold })} suffix={currency} inputMode="decimal" error={errors[`tiers.${i}.threshold`]} autoComplete="off" />
          <TextField label="Points multiplier" name={`tiers.${i}.multiplier`} value={tier.multiplier} onChange={(multiplier) => set(tier.key, { multiplier })} suffix="×" inputMode="decimal" error={errors[`tiers.${i}.multiplier`]} autoComplete="off" />
          <RemoveButton label={`Remove tier ${i + 1}`} onRemove={() => remove(tier.key)} />
        </FormLayout.Group>
      ))}
    </RowsSection>
  );
}

function RewardRows({ initial, errors, currency }: { initial: RewardFields[]; errors: LoyaltyFieldErrors; currency: string }) {
  const { rows, add, remove, set } = useRows(initial);
  return (
    <RowsSection
      title="Rewards"
      help="What points buy: a single-use discount code for the member."
      empty="No rewards: points cannot be redeemed yet."
      count={rows.length}
      error={errors.rewards}
      field="rewards"
      addLabel="Add reward"
      onAdd={() => add({ points: "", valueType: "fixed_amount", value: "" })}
    >
      {rows.map((reward, i) => (
        <FormLayout.Group key={reward.key} condensed>
          <TextField label="Points" name={`rewards.${i}.points`} value={reward.points} onChange={(points) => set(reward.key, { points })} inputMode="numeric" error={errors[`rewards.${i}.points`]} autoComplete="off" />
          <Select label="Discount" name={`rewards.${i}.valueType`} options={REWARD_TYPE_OPTIONS} value={reward.valueType} onChange={(valueType) => set(reward.key, { valueType })} error={errors[`rewards.${i}.valueType`]} />
          <TextField
            label={reward.valueType === "percentage" ? "Percentage off" : "Amount off"}
            name={`rewards.${i}.value`}
            value={reward.value}
            onChange={(value) => set(reward.key, { value })}
            suffix={reward.valueType === "percentage" ? "%" : currency}
            inputMode="decimal"
            error={errors[`rewards.${i}.value`]}
            autoComplete="off"
          />
          <RemoveButton label={`Remove reward ${i + 1}`} onRemove={() => remove(reward.key)} />
        </FormLayout.Group>
      ))}
    </RowsSection>
  );
}

export function LoyaltyProgramForm({ values, errors, currency }: { values: LoyaltyFormValues; errors: LoyaltyFieldErrors; currency: string }) {
  const [pointsPerUnit, setPointsPerUnit] = useState(values.pointsPerUnit);
  const [pendingDays, setPendingDays] = useState(values.pendingDays);
  const [includeShipping, setIncludeShipping] = useState(values.includeShipping);
  const [includeTax, setIncludeTax] = useState(values.includeTax);
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="settings" />
        <BlockStack gap="400">
          <Text as="h2" variant="headingMd">Program</Text>
          <FormLayout>
            <FormLayout.Group>
              <TextField label={`Points per 1 ${currency} spent`} name="pointsPerUnit" value={pointsPerUnit} onChange={setPointsPerUnit} inputMode="numeric" error={errors.pointsPerUnit} autoComplete="off" />
              <TextField label="Return window" name="pendingDays" value={pendingDays} onChange={setPendingDays} suffix="days" inputMode="numeric" helpText="Points stay pending until then." error={errors.pendingDays} autoComplete="off" />
            </FormLayout.Group>
            <Checkbox label="Include shipping" name="includeShipping" checked={includeShipping} onChange={setIncludeShipping} />
            <Checkbox label="Include tax" name="includeTax" checked={includeTax} onChange={setIncludeTax} />
          </FormLayout>
          <TierRows initial={values.tiers} errors={errors} currency={currency} />
          <RewardRows initial={values.rewards} errors={errors} currency={currency} />
          <InlineStack align="end">
            <Button submit variant="primary">Save</Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}
