// The journey builder's entry conditions (checked on entry and again before every step): each field
// with its error from the action. Products are picked from those the shop's mirrored orders know.
import { BlockStack, Checkbox, ChoiceList, FormLayout, Text, TextField } from "@shopify/polaris";
import type { JourneyValues } from "~/engine/admin/journeys";

type TextName = "productTags" | "collections" | "vendors" | "customerTags" | "countries" | "minTotal" | "minOrders" | "maxOrders";

interface Props {
  values: JourneyValues;
  errors: Record<string, string>;
  currency: string;
  products: { id: string; title: string }[];
  onChange: (patch: Partial<JourneyValues>) => void;
}

export function JourneyConditions({ values: v, errors, currency, products, onChange }: Props) {
  const text = (name: TextName, label: string, helpText?: string) => (
    <TextField label={label} value={v[name]} onChange={(value) => onChange({ [name]: value })} error={errors[name]} helpText={helpText} autoComplete="off" />
  );
  // A product chosen before that no mirrored order names any more stays listed, so saving keeps it.
  const known = new Set(products.map((p) => p.id));
  const choices = [
    ...products.map((p) => ({ value: p.id, label: p.title })),
    ...v.productIds.filter((id) => !known.has(id)).map((id) => ({ value: id, label: id })),
  ];
  return (
    <BlockStack gap="300">
      <Text as="h3" variant="headingSm">
        Conditions (checked on entry and again before every step)
      </Text>
      {choices.length > 0 ? (
        <ChoiceList
          title="Products (any)"
          allowMultiple
          choices={choices}
          selected={v.productIds}
          onChange={(productIds) => onChange({ productIds })}
          error={errors.productIds}
        />
      ) : (
        <Text as="p" tone="subdued">
          Products can be picked once orders have come in.
        </Text>
      )}
      <FormLayout>
        <FormLayout.Group>
          {text("productTags", "Product tags (any)", "Comma-separated, e.g. espresso-machine")}
          {text("collections", "Collections (any)", "Comma-separated handles or titles as in Shopify, e.g. coffee-machines or Coffee machines")}
          {text("vendors", "Vendors (any)", "Comma-separated, as on the products; upper or lower case alike")}
        </FormLayout.Group>
        <FormLayout.Group>
          {text("customerTags", "Customer tags (any)")}
          {text("countries", "Shipping countries", "Two-letter codes, e.g. US, CA")}
          {text("minTotal", `Minimum order total (${currency})`)}
        </FormLayout.Group>
        <FormLayout.Group>
          {text("minOrders", "At least this many orders", "The customer's orders, counting this one, not cancelled")}
          {text("maxOrders", "At most this many orders")}
        </FormLayout.Group>
        <Checkbox
          label="Only customers subscribed to email marketing"
          helpText="Consent is checked again before every step"
          checked={v.subscribed}
          onChange={(subscribed) => onChange({ subscribed })}
        />
      </FormLayout>
    </BlockStack>
  );
}
