// The layout pieces of the admin pages: a section (a card under an h2 heading), a section of form
// fields, and the two-column page body.
import type { ReactNode } from "react";
import { BlockStack, Card, FormLayout, Layout, Text } from "@shopify/polaris";

export function Section({ title, gap = "300", children }: { title: string; gap?: "100" | "200" | "300"; children: ReactNode }) {
  return (
    <Card>
      <BlockStack gap={gap}>
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
        {children}
      </BlockStack>
    </Card>
  );
}

/** A section of form fields (Polaris FormLayout spaces and groups them). */
export function FormSection({ title, children }: { title: string; children: ReactNode }) {
  return (
    <Section title={title}>
      <FormLayout>{children}</FormLayout>
    </Section>
  );
}

/** A page body in two columns, the side one narrower: each a stack of sections. */
export function Columns({ main, side }: { main: ReactNode; side: ReactNode }) {
  return (
    <Layout>
      <Layout.Section>
        <BlockStack gap="400">{main}</BlockStack>
      </Layout.Section>
      <Layout.Section variant="oneThird">
        <BlockStack gap="400">{side}</BlockStack>
      </Layout.Section>
    </Layout>
  );
}
