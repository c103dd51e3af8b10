// The layout of the admin settings forms (settings, delays): their sections, a banner after each save
// (saved, or refused with the fields marked) and the Save button at the end.
import type { ReactNode } from "react";
import type { FetcherWithComponents } from "@remix-run/react";
import { Banner, BlockStack, Button, InlineStack } from "@shopify/polaris";

/** What a settings action answers: saved, or the errors by field name. */
export interface SaveResult {
  saved: boolean;
  errors: Record<string, string>;
}

export function SettingsForm({
  fetcher,
  savedTitle,
  children,
}: {
  fetcher: FetcherWithComponents<SaveResult | undefined>;
  savedTitle: string;
  children: ReactNode;
}) {
  const idle = fetcher.state === "idle";
  return (
    <fetcher.Form method="post">
      <BlockStack gap="400">
        {idle && fetcher.data?.saved && <Banner tone="success" title={savedTitle} />}
        {idle && fetcher.data && !fetcher.data.saved && <Banner tone="critical" title="Nothing was saved: fix the fields marked below." />}
        {children}
        <InlineStack align="end">
          <Button submit variant="primary" loading={!idle}>
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </fetcher.Form>
  );
}
