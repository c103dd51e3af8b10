// The layout pieces of the admin pages: a section (a card under an h2 heading), a part of one (under
// an h3), an entry of a list and the note of an empty one, a card holding a table, a section of form
// fields, and the two-column page body.
import type { ReactNode } from "react";
import { BlockStack, Box, Card, DataTable, FormLayout, InlineStack, Layout, Text, type BlockStackProps, type DataTableProps } from "@shopify/polaris";

type Gap = BlockStackProps["gap"];

/** A stack under its heading: an h2 for a section of a page, an h3 for a part of one. */
export function Titled({ title, level = 3, gap = "300", children }: { title: string; level?: 2 | 3; gap?: Gap; children: ReactNode }) {
  return (
    <BlockStack gap={gap}>
      <Text as={level === 2 ? "h2" : "h3"} variant={level === 2 ? "headingMd" : "headingSm"}>
        {title}
      </Text>
      {children}
    </BlockStack>
  );
}

export function Section({ title, gap = "300", children }: { title: string; gap?: Gap; children: ReactNode }) {
  return (
    <Card>
      <Titled title={title} level={2} gap={gap}>
        {children}
      </Titled>
    </Card>
  );
}

/** A subdued line: what a list shows while it is empty. */
export function Note({ children }: { children: ReactNode }) {
  return (
    <Text as="p" tone="subdued">
      {children}
    </Text>
  );
}

/** One entry of a list in a section: its h3 title with badges or notes beside it, then its details. */
export function Entry({ title, aside, gap = "200", children }: { title: ReactNode; aside: ReactNode; gap?: Gap; children?: ReactNode }) {
  return (
    <BlockStack gap={gap}>
      <InlineStack gap="200" blockAlign="center">
        <Text as="h3" variant="headingSm">
          {title}
        </Text>
        {aside}
      </InlineStack>
      {children}
    </BlockStack>
  );
}

interface TableCardProps extends DataTableProps {
  title?: string;
  /** Under the title: what the table shows (a line of small print), or figures about it. */
  intro?: ReactNode;
  /** Shown instead of the table when it has no row. */
  empty: string;
  /** Small print under the table. */
  footnote?: string;
  testId?: string;
}

/** A card holding a table edge to edge under its heading, or the note that it has no row yet. */
export function TableCard({ title, intro, empty, footnote, testId, ...table }: TableCardProps) {
  const small = (text: ReactNode) => (
    <Text as="p" variant="bodySm" tone="subdued">
      {text}
    </Text>
  );
  return (
    <Card padding="0">
      {title && (
        <Box padding="400" paddingBlockEnd="200">
          <Titled title={title} level={2} gap="100">
            {typeof intro === "string" ? small(intro) : intro}
          </Titled>
        </Box>
      )}
      {table.rows.length ? (
        <>
          <div data-testid={testId}>
            <DataTable {...table} />
          </div>
          {footnote && (
            <Box padding="400" paddingBlockStart="200">
              {small(footnote)}
            </Box>
          )}
        </>
      ) : (
        <Box padding="400" paddingBlockStart={title ? "0" : undefined}>
          <Note>{empty}</Note>
        </Box>
      )}
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
