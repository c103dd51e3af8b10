// The journey builder: trigger, conditions, steps (wait from the trigger, time of day, subject and
// body) with a preview and a test email per step; activation shows who would enter now. "new" is a
// blank journey, created on its first save. Another shop's journey is a 404; GET changes nothing.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Page } from "@shopify/polaris";
import { adminContext } from "~/route-context.server";
import { shopGraphql } from "~/shopify/admin-client.server";
import { renderEmail } from "~/engine/email/render";
import { templateErrorText } from "~/engine/admin/flows";
import { previewInput, testEmailSchema, testRecipients, TEST_EMAILS_PER_HOUR } from "~/engine/admin/preview";
import { firstErrors } from "~/engine/admin/flow-form";
import { staffEmail } from "~/shopify/staff.server";
import { sendAdminTestEmail } from "~/test-email.server";
import {
  BLANK_JOURNEY,
  type JourneyActionResult,
  describeTrigger,
  entryFigures,
  findJourney,
  formErrors,
  journeyInputFromForm,
  journeyValues,
  knownProducts,
} from "~/engine/admin/journeys";
import { activateJourney, pauseJourney } from "~/engine/journeys/activate";
import { journeyPreview } from "~/engine/journeys/preview";
import { saveJourney } from "~/engine/journeys/save";
import { JourneyBuilder } from "~/components/journeys/JourneyBuilder";

async function context(request: Request, id: string | undefined) {
  const ctx = await adminContext(request);
  if (id === "new") return { ...ctx, journey: null };
  const journey = await findJourney(ctx.db, ctx.shop.id, id ?? "");
  if (!journey) throw new Response("Journey not found", { status: 404 });
  return { ...ctx, journey };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, db, clock, journey } = await context(request, params.id);
  return {
    journey: journey && {
      id: journey.id,
      name: journey.name,
      status: journey.status,
      trigger: describeTrigger(journey),
      category: journey.category,
      version: journey.updatedAt.toISOString(),
    },
    values: journey ? journeyValues(journey, shop.currency) : BLANK_JOURNEY,
    currency: shop.currency,
    testEmail: { recipients: testRecipients(shop, await staffEmail(request, shop.domain)), limit: TEST_EMAILS_PER_HOUR },
    products: await knownProducts(db, shop.id),
    entry:
      journey && journey.status !== "active"
        ? await entryFigures((tags) => journeyPreview(db, clock, shop, journey.id, tags), shopGraphql(db), shop.domain)
        : null,
  };
};

export const action = async ({ request, params }: ActionFunctionArgs): Promise<JourneyActionResult | Response> => {
  const ctx = await context(request, params.id);
  const { shop, db, clock, config, journey, redirect } = ctx;
  const form = Object.fromEntries(await request.formData());
  switch (form.intent) {
    case "save": {
      const saved = await saveJourney(db, clock, shop, journey?.id ?? null, journeyInputFromForm(form, shop.currency));
      if ("notFound" in saved) throw new Response("Journey not found", { status: 404 });
      if (!saved.ok) return { intent: "save", errors: formErrors(saved.errors) };
      return journey ? { intent: "save", errors: {}, saved: true } : redirect(`/app/journeys/${saved.journey.id}`);
    }
    case "preview": {
      const template = { subject: String(form.subject ?? ""), body: String(form.body ?? ""), category: journey?.category ?? "service" };
      const { input, source } = await previewInput(db, shop, template, config.SHOPIFY_APP_URL);
      const rendered = await renderEmail(input);
      if (!rendered.ok) return { intent: "preview", step: String(form.step), errors: { [rendered.error.field ?? "body"]: templateErrorText(rendered.error) } };
      return {
        intent: "preview",
        step: String(form.step),
        errors: {},
        preview: { subject: rendered.email.subject, html: rendered.email.html, source: source.label },
      };
    }
    case "test": {
      // The step as saved (its subject and body), never the form's unsaved text.
      if (!journey) throw new Response("Save the journey first", { status: 400 });
      const step = String(form.step ?? "");
      const saved = journey.steps.find((s) => String(s.journeyStep) === step);
      if (!saved) return { intent: "test", step, errors: { to: "Save the journey first: the test email sends the saved step" } };
      const parsed = testEmailSchema.pick({ to: true }).safeParse(form);
      if (!parsed.success) return { intent: "test", step, errors: firstErrors(parsed.error) };
      const test = await sendAdminTestEmail(request, ctx, saved, parsed.data.to);
      return test.status === "refused" ? { intent: "test", step, errors: { to: test.reason } } : { intent: "test", step, errors: {}, test };
    }
    case "activate": {
      if (!journey) throw new Response("Save the journey first", { status: 400 });
      const done = await activateJourney(db, clock, shop, journey.id, { sendHistory: form.sendHistory === "true" });
      return { intent: "activate", errors: {}, historyQueued: done?.historyQueued ?? false };
    }
    case "pause":
      if (!journey) throw new Response("Save the journey first", { status: 400 });
      await pauseJourney(db, clock, shop, journey.id);
      return { intent: "pause", errors: {} };
    default:
      throw new Response("Unknown intent", { status: 400 });
  }
};

export default function JourneyPage() {
  const data = useLoaderData<typeof loader>();
  const status = data.journey?.status;
  return (
    <Page
      backAction={{ url: "/app/journeys" }}
      title={data.journey?.name ?? "New journey"}
      titleMetadata={status && <Badge tone={status === "active" ? "success" : undefined}>{status}</Badge>}
      subtitle={data.journey ? `${data.journey.trigger} · ${data.journey.category}` : undefined}
    >
      {/* A new version (saved, activated, paused) starts the form again from what was stored, with the new steps' ids. */}
      <JourneyBuilder key={data.journey ? `${data.journey.id}:${data.journey.version}` : "new"} {...data} />
    </Page>
  );
}
