// Admin › Loyalty › Program: earning settings, tiers and rewards as rows of Polaris fields that the
// merchant adds, edits and removes. Field names carry the row's position (`tiers.0.name`), which is
// how the action's errors (keyed the same way) land on the field they are about.
import { Form } from "@remix-run/react";
import { Button, Card, Checkbox, FormLayout, InlineError, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { LoyaltyFieldErrors, LoyaltyFormValues, RewardFields, TierFields } from "~/engine/loyalty/settings-form";
import { MAX_ROWS } from "~/engine/loyalty/settings-form";
import { fieldBinder, useFields, type TextKey } from "./fields";
import { Note, Titled } from "./Section";

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

/** One field of a row: a text field, or a select when it has options. */
interface Column<T> {
  name: TextKey<T>;
  label: string;
  suffix?: string;
  inputMode?: "decimal" | "numeric";
  options?: { label: string; value: string }[];
}

type ListName = "tiers" | "rewards";

/** Each list's words: what it is for, and what an empty one means. */
const WORDS: Record<ListName, { help: string; empty: string }> = {
  tiers: {
    help: "A member reaches a tier by their spend over the last 12 months; the tier multiplies the points they earn.",
    empty: "No tiers: every member earns at the base rate.",
  },
  rewards: {
    help: "What points buy: a single-use discount code for the member.",
    empty: "No rewards: points cannot be redeemed yet.",
  },
};

/** The row a merchant adds. */
const BLANK_TIER: TierFields = { name: "", threshold: "", multiplier: "1" };
const BLANK_REWARD: RewardFields = { points: "", valueType: "fixed_amount", value: "" };

const tierColumns = (_: TierFields, currency: string): Column<TierFields>[] => [
  { name: "name", label: "Tier name" },
  { name: "threshold", label: "From a 12-month spend of", suffix: currency, inputMode: "decimal" },
  { name: "multiplier", label: "Points multiplier", suffix: "×", inputMode: "decimal" },
];

const rewardColumns = (reward: RewardFields, currency: string): Column<RewardFields>[] => {
  const percentage = reward.valueType === "percentage";
  return [
    { name: "points", label: "Points", inputMode: "numeric" },
    { name: "valueType", label: "Discount", options: REWARD_TYPE_OPTIONS },
    { name: "value", label: percentage ? "Percentage off" : "Amount off", suffix: percentage ? "%" : currency, inputMode: "decimal" },
  ];
};

interface RowListProps<T> {
  /** The list's field name: rows are named `tiers.0.name`, and `errors.tiers` is about the whole list. */
  list: ListName;
  initial: T[];
  blank: T;
  errors: LoyaltyFieldErrors;
  currency: string;
  columns: (row: T, currency: string) => Column<T>[];
}

/** A titled list of rows the merchant adds, edits and removes, with its empty state and list-wide error. */
function RowList<T>({ list, initial, blank, errors, currency, columns }: RowListProps<T>) {
  const { rows, add, remove, set } = useRows(initial);
  const { help, empty } = WORDS[list];
  const noun = list.slice(0, -1); // tiers → tier
  const title = list[0].toUpperCase() + list.slice(1);
  return (
    <Titled title={title}>
      <Text as="p" tone="subdued">
        {help}
      </Text>
      {rows.length === 0 && <Note>{empty}</Note>}
      {rows.map((row, i) => {
        const field = fieldBinder<T>(row, (patch) => set(row.key, patch), errors, `${list}.${i}.`);
        return (
          <FormLayout.Group key={row.key} condensed>
            {columns(row, currency).map(({ name, options, ...props }) =>
              options ? <Select key={name} options={options} {...props} {...field(name)} /> : <TextField key={name} {...props} {...field(name)} />,
            )}
            <div style={{ paddingTop: "var(--p-space-600)" }}>
              <Button variant="plain" tone="critical" onClick={() => remove(row.key)} accessibilityLabel={`Remove ${noun} ${i + 1}`}>
                Remove
              </Button>
            </div>
          </FormLayout.Group>
        );
      })}
      {errors[list] && <InlineError message={errors[list]} fieldID={list} />}
      <InlineStack>
        <Button onClick={() => add(blank)} disabled={rows.length >= MAX_ROWS}>{`Add ${noun}`}</Button>
      </InlineStack>
    </Titled>
  );
}

export function LoyaltyProgramForm({ values, errors, currency }: { values: LoyaltyFormValues; errors: LoyaltyFieldErrors; currency: string }) {
  const { field } = useFields({ pointsPerUnit: values.pointsPerUnit, pendingDays: values.pendingDays }, errors);
  const [includeShipping, setIncludeShipping] = useState(values.includeShipping);
  const [includeTax, setIncludeTax] = useState(values.includeTax);
  return (
    <Card>
      <Form method="post">
        <input type="hidden" name="intent" value="settings" />
        <Titled title="Program" level={2} gap="400">
          <FormLayout>
            <FormLayout.Group>
              <TextField label={`Points per 1 ${currency} spent`} inputMode="numeric" {...field("pointsPerUnit")} />
              <TextField label="Return window" suffix="days" inputMode="numeric" helpText="Points stay pending until then." {...field("pendingDays")} />
            </FormLayout.Group>
            <Checkbox label="Include shipping" name="includeShipping" checked={includeShipping} onChange={setIncludeShipping} />
            <Checkbox label="Include tax" name="includeTax" checked={includeTax} onChange={setIncludeTax} />
          </FormLayout>
          <RowList list="tiers" initial={values.tiers} blank={BLANK_TIER} errors={errors} currency={currency} columns={tierColumns} />
          <RowList list="rewards" initial={values.rewards} blank={BLANK_REWARD} errors={errors} currency={currency} columns={rewardColumns} />
          <InlineStack align="end">
            <Button submit variant="primary">
              Save
            </Button>
          </InlineStack>
        </Titled>
      </Form>
    </Card>
  );
}
