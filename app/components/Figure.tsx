// One figure of an admin page: a label over its value. On its own card with an optional hint (the
// figures heading a page), or inline and smaller (several figures inside one card).
import { BlockStack, Card, Text } from "@shopify/polaris";

interface Props {
  label: string;
  value: string | number;
  hint?: string;
  inline?: boolean;
}

const LOOKS = {
  card: { gap: "100", label: { as: "h3", variant: "headingSm" }, value: { as: "p", variant: "headingLg" } },
  inline: { gap: "050", label: { as: "span", variant: "bodySm" }, value: { as: "span", variant: "headingSm" } },
} as const;

export function Figure({ label, value, hint, inline = false }: Props) {
  const look = LOOKS[inline ? "inline" : "card"];
  const figure = (
    <BlockStack gap={look.gap}>
      <Text {...look.label} tone="subdued">
        {label}
      </Text>
      <Text {...look.value}>{value}</Text>
      {hint && (
        <Text as="p" variant="bodySm" tone="subdued">
          {hint}
        </Text>
      )}
    </BlockStack>
  );
  return inline ? figure : <Card>{figure}</Card>;
}
