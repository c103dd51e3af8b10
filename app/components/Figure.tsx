// One figure of an admin page: a label over its value. On its own card with an optional hint (the
// figures heading a page), or inline and smaller (several figures inside one card).
import { BlockStack, Card, Text } from "@shopify/polaris";

interface Props {
  label: string;
  value: string | number;
  hint?: string;
  inline?: boolean;
}

export function Figure({ label, value, hint, inline = false }: Props) {
  if (inline) {
    return (
      <BlockStack gap="050">
        <Text as="span" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="span" variant="headingSm">
          {value}
        </Text>
      </BlockStack>
    );
  }
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        {hint && (
          <Text as="p" variant="bodySm" tone="subdued">
            {hint}
          </Text>
        )}
      </BlockStack>
    </Card>
  );
}
