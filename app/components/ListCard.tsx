// One row of an admin list (flows, journeys): the linked name with its badges, a line of details,
// something on the right (figures, a switch) and optionally more below.
import type { ReactNode } from "react";
import { BlockStack, Card, InlineStack, Link, Text } from "@shopify/polaris";

export function ListCard({
  url,
  name,
  badges,
  details,
  aside,
  children,
}: {
  url: string;
  name: string;
  badges: ReactNode;
  details: ReactNode;
  aside: ReactNode;
  children?: ReactNode;
}) {
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="start" gap="200">
          <BlockStack gap="100">
            <InlineStack gap="200" blockAlign="center">
              <Link url={url} removeUnderline>
                <Text as="h2" variant="headingMd">
                  {name}
                </Text>
              </Link>
              {badges}
            </InlineStack>
            <Text as="p" tone="subdued">
              {details}
            </Text>
          </BlockStack>
          {aside}
        </InlineStack>
        {children}
      </BlockStack>
    </Card>
  );
}
