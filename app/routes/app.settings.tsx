// Settings: sender, brand, quiet hours and the per-customer frequency cap, saved to the shop.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Box, FormLayout, InlineStack, Page, Text, TextField } from "@shopify/polaris";
import { db } from "~/db.server";
import { requireShop } from "~/admin.server";
import { saveSettings, settingsValues, type SettingsValues } from "~/engine/admin/settings";
import { useFields } from "~/components/fields";
import { FormSection } from "~/components/Section";
import { SettingsForm } from "~/components/SettingsForm";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  return { values: settingsValues(shop), shopName: shop.name, contactEmail: shop.contactEmail };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop } = await requireShop(request);
  const result = await saveSettings(db, shop.id, Object.fromEntries(await request.formData()));
  return result.ok ? { errors: {}, saved: true } : { errors: result.errors, saved: false };
};

export default function Settings() {
  const { values, shopName, contactEmail } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<typeof action>({ key: "settings" });
  const { values: v, field } = useFields<SettingsValues>(values, fetcher.data?.errors ?? {});
  const quietOff = v.quietHoursStart === v.quietHoursEnd;
  return (
    <Page title="Settings" backAction={{ url: "/app" }}>
      <SettingsForm fetcher={fetcher} savedTitle="Settings saved">
        <FormSection title="Sender">
          <TextField
            label="Sender name"
            helpText={`Shown as the From name: a name, not an email or web address (at most 60 characters). Default: ${shopName}.`}
            {...field("senderName")}
          />
          <TextField
            label="Reply-to email"
            type="email"
            helpText={`Where replies go. Default: ${contactEmail ?? "the shop's contact email"}.`}
            {...field("replyTo")}
          />
        </FormSection>
        <FormSection title="Brand">
          <InlineStack gap="300" blockAlign="end">
            <Box minWidth="240px">
              <TextField label="Brand colour" placeholder="#1f6f5c" {...field("brandColor")} />
            </Box>
            {/^#[0-9a-fA-F]{6}$/.test(v.brandColor) && (
              <div aria-hidden style={{ width: 36, height: 36, borderRadius: 8, background: v.brandColor, border: "1px solid #ccc" }} />
            )}
          </InlineStack>
          <TextField label="Logo URL" type="url" placeholder="https://…" helpText="An https image, shown at the top of every email." {...field("logoUrl")} />
        </FormSection>
        <FormSection title="Sending rules">
          <FormLayout.Group condensed>
            <TextField label="Quiet hours start" placeholder="21:00" {...field("quietHoursStart")} />
            <TextField label="Quiet hours end" placeholder="08:00" {...field("quietHoursEnd")} />
          </FormLayout.Group>
          <Text as="p" tone="subdued">
            {quietOff
              ? "Quiet hours are off (start equals end)."
              : "In the recipient's own timezone. Emails due in quiet hours wait until the end; they are never dropped."}
          </Text>
          <FormLayout.Group condensed>
            <TextField label="At most (emails per customer)" {...field("frequencyCapCount", { min: 1, max: 10 })} />
            <TextField label="Per (hours)" {...field("frequencyCapHours", { min: 1, max: 168 })} />
          </FormLayout.Group>
          <Text as="p" tone="subdued">
            Surveys and marketing emails over the cap wait; they are never dropped. Order updates (thank-you, delay notice, check-in) are never held by the cap,
            but count towards it.
          </Text>
        </FormSection>
      </SettingsForm>
    </Page>
  );
}
