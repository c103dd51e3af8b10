// One figure on a card: what it is, the number, the detail behind it (n of N) and its
// one-line definition, always visible as text.
import type { ReactNode } from "react";
import { BlockStack, Card, Text } from "@shopify/polaris";

interface Props {
  title: string;
  value: string;
  detail?: ReactNode;
  definition: string;
  children?: ReactNode;
}

export function MetricCard({ title, value, detail, definition, children }: Props) {
  return (
    <Card>
      <section aria-label={title}>
        <BlockStack gap="200">
          <Text as="h3" variant="headingSm">
            {title}
          </Text>
          <Text as="p" variant="headingXl">
            {value}
          </Text>
          {detail ? (
            <Text as="p" variant="bodyMd">
              {detail}
            </Text>
          ) : null}
          {children}
          <Text as="p" variant="bodySm" tone="subdued">
            {definition}
          </Text>
        </BlockStack>
      </section>
    </Card>
  );
}
