// One figure on a card: what it is, the number, the detail behind it (n of N) and its
// one-line definition, always visible as text.
import type { ReactNode } from "react";
import { Card, Text } from "@shopify/polaris";
import { Titled } from "../Section";

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
        <Titled title={title} gap="200">
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
        </Titled>
      </section>
    </Card>
  );
}
