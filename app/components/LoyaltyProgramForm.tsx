// Admin › Loyalty › Program: earning settings, tiers and rewards as rows of Polaris fields that the
// merchant adds, edits and removes. Field names carry the row's position (`tiers.0.name`), which is
// how the action's errors (keyed the same way) land on the field they are about.
import { Form } from "@remix-run/react";
import { BlockStack, Button, Card, Checkbox, FormLayout, InlineError, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import type { LoyaltyFieldErrors, LoyaltyFormValues } from "~/engine/loyalty/settings-form";
import { MAX_ROWS } from "~/engine/loyalty/settings-form";
import { fieldBinder, type TextKey } from "./fields";

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

interface RowListProps<T> {
  /** The list's field name: rows are named `tiers.0.name`, and `errors.tiers` is about the whole list. */
  list: "tiers" | "rewards";
  noun: string;
  title: string;
  help: string;
  empty: string;
  initial: T[];
  blank: T;
  errors: LoyaltyFieldErrors;
  columns: (row: T) => Column<T>[];
}

/** A titled list of rows the merchant adds, edits and removes, with its empty state and list-wide error. */
function RowList<T>({ list, noun, title, help, empty, initial, blank, errors, columns }: RowListProps<T>) {
  const { rows, add, remove, set } = useRows(initial);
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        {title}
      </Text>
      <Text as="p" tone="subdued">
        {help}
      </Text>
      {rows.length === 0 && (
        <Text as="p" tone="subdued">
          {empty}
        </Text>
      )}
      {rows.map((row, i) => {
        const field = fieldBinder<T>(row, (patch) => set(row.key, patch), errors, `${list}.${i}.`);
        return (
          <FormLayout.Group key={row.key} condensed>
            {columns(row).map(({ name, options, ...props }) =>
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
    </BlockStack>
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
          <Text as="h2" variant="headingMd">
            Program
          </Text>
          <FormLayout>
            <FormLayout.Group>
              <TextField
                label={`Points per 1 ${currency} spent`}
                name="pointsPerUnit"
                value={pointsPerUnit}
                onChange={setPointsPerUnit}
                inputMode="numeric"
                error={errors.pointsPerUnit}
                autoComplete="off"
              />
              <TextField
                label="Return window"
                name="pendingDays"
                value={pendingDays}
                onChange={setPendingDays}
                suffix="days"
                inputMode="numeric"
                helpText="Points stay pending until then."
                error={errors.pendingDays}
                autoComplete="off"
              />
            </FormLayout.Group>
            <Checkbox label="Include shipping" name="includeShipping" checked={includeShipping} onChange={setIncludeShipping} />
            <Checkbox label="Include tax" name="includeTax" checked={includeTax} onChange={setIncludeTax} />
          </FormLayout>
          <RowList
            list="tiers"
            noun="tier"
            title="Tiers"
            initial={values.tiers}
            blank={{ name: "", threshold: "", multiplier: "1" }}
            errors={errors}
            help="A member reaches a tier by their spend over the last 12 months; the tier multiplies the points they earn."
            empty="No tiers: every member earns at the base rate."
            columns={() => [
              { name: "name", label: "Tier name" },
              { name: "threshold", label: "From a 12-month spend of", suffix: currency, inputMode: "decimal" },
              { name: "multiplier", label: "Points multiplier", suffix: "×", inputMode: "decimal" },
            ]}
          />
          <RowList
            list="rewards"
            noun="reward"
            title="Rewards"
            initial={values.rewards}
            blank={{ points: "", valueType: "fixed_amount", value: "" }}
            errors={errors}
            help="What points buy: a single-use discount code for the member."
            empty="No rewards: points cannot be redeemed yet."
            columns={(reward) => {
              const percentage = reward.valueType === "percentage";
              return [
                { name: "points", label: "Points", inputMode: "numeric" },
                { name: "valueType", label: "Discount", options: REWARD_TYPE_OPTIONS },
                { name: "value", label: percentage ? "Percentage off" : "Amount off", suffix: percentage ? "%" : currency, inputMode: "decimal" },
              ];
            }}
          />
          <InlineStack align="end">
            <Button submit variant="primary">
              Save
            </Button>
          </InlineStack>
        </BlockStack>
      </Form>
    </Card>
  );
}
