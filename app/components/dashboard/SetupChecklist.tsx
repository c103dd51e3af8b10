// First-use checklist: what is left to do before the app works for the shop. Hidden once
// every item is done.
import { Badge, BlockStack, Box, Button, Card, Divider, InlineStack, ProgressBar, Text } from "@shopify/polaris";
import type { ChecklistItem } from "~/engine/dashboard/types";

function Item({ item }: { item: ChecklistItem }) {
  const external = /^https?:\/\//.test(item.url);
  return (
    <InlineStack align="space-between" blockAlign="center" gap="400" wrap={false}>
      <BlockStack gap="050">
        <InlineStack gap="200" blockAlign="center" align="start">
          {item.done ? (
            <Badge tone="success" progress="complete">
              Done
            </Badge>
          ) : (
            <Badge tone="attention" progress="incomplete">
              To do
            </Badge>
          )}
          <Text as="h3" variant="headingSm">
            {item.label}
          </Text>
        </InlineStack>
        <Text as="p" tone="subdued">
          {item.help}
        </Text>
      </BlockStack>
      <Box minWidth="120px">
        <InlineStack align="end">
          <Button url={item.url} target={external ? "_blank" : undefined} variant={item.done ? "plain" : "secondary"} accessibilityLabel={item.label}>
            {item.done ? "Review" : "Open"}
          </Button>
        </InlineStack>
      </Box>
    </InlineStack>
  );
}

export function SetupChecklist({ items }: { items: ChecklistItem[] }) {
  const done = items.filter((i) => i.done).length;
  if (!items.length || done === items.length) return null;
  return (
    <Card>
      <BlockStack gap="300">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Set up Trustloop
          </Text>
          <Text as="span" tone="subdued">
            {done} of {items.length} done
          </Text>
        </InlineStack>
        <ProgressBar progress={(100 * done) / items.length} size="small" tone="primary" />
        {items.map((item, i) => (
          <BlockStack key={item.key} gap="300">
            {i > 0 ? <Divider /> : null}
            <Item item={item} />
          </BlockStack>
        ))}
      </BlockStack>
    </Card>
  );
}
