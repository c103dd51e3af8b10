// The journey builder: trigger, conditions, steps (wait from the trigger, time of day, subject and
// body) with a preview per step; activation shows who would enter now. "new" is a blank journey,
// created on its first save. Another shop's journey is a 404; GET changes nothing.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Page } from "@shopify/polaris";
import { adminContext } from "~/route-context.server";
import { shopGraphql } from "~/shopify/admin-client.server";
import { renderEmail } from "~/engine/email/render";
import { fetchProducts } from "~/engine/shopify/products";
import { templateErrorText } from "~/engine/admin/flows";
import { previewInput } from "~/engine/admin/preview";
import {
  BLANK_JOURNEY,
  type JourneyActionResult,
  describeTrigger,
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

/** With the products' tags when the Admin API answers; else counted as if they matched (the figures say so). */
async function entryFigures<T>(withTags: () => Promise<T>, without: () => Promise<T>): Promise<T> {
  try {
    return await withTags();
  } catch {
    return without();
  }
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, db, clock, journey } = await context(request, params.id);
  const graphql = shopGraphql(db);
  const lookup = (ids: string[]) => fetchProducts(graphql, shop.domain, ids);
  return {
    journey: journey && { id: journey.id, name: journey.name, status: journey.status, trigger: describeTrigger(journey), category: journey.category },
    values: journey ? journeyValues(journey, shop.currency) : BLANK_JOURNEY,
    currency: shop.currency,
    products: await knownProducts(db, shop.id),
    entry:
      journey && journey.status !== "active"
        ? await entryFigures(
            () => journeyPreview(db, clock, shop, journey.id, lookup),
            () => journeyPreview(db, clock, shop, journey.id),
          )
        : null,
  };
};

export const action = async ({ request, params }: ActionFunctionArgs): Promise<JourneyActionResult | Response> => {
  const { shop, db, clock, config, journey, redirect } = await context(request, params.id);
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
    case "activate": {
      if (!journey) throw new Response("Save the journey first", { status: 400 });
      const done = await activateJourney(db, clock, shop, journey.id, { sendHistory: form.sendHistory === "true" });
      return { intent: "activate", errors: {}, planned: done?.planned ?? 0 };
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
      <JourneyBuilder key={data.journey?.id ?? "new"} {...data} />
    </Page>
  );
}
