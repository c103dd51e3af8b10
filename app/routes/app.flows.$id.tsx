// Flow editor: timing, conditions, holdout, subject and body, and a template per language. Save
// (validated, re-plans pending messages), live preview and test email — the last two render the
// unsaved template in the chosen language.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, Page } from "@shopify/polaris";
import { db } from "~/db.server";
import { adminContext } from "~/route-context.server";
import { FlowEditor } from "~/components/FlowEditor";
import { renderEmail } from "~/engine/email/render";
import { staffEmail } from "~/shopify/staff.server";
import { sendAdminTestEmail } from "~/test-email.server";
import type { FlowActionResult } from "~/engine/admin/flow-action";
import { DELIVERY_TRIGGERS, firstErrors, formValuesFromFlow, describeTiming } from "~/engine/admin/flow-form";
import { findFlow, saveFlow, setFlowEnabled, templateErrorText, toggleSchema } from "~/engine/admin/flows";
import { removeFlowTemplate, saveFlowTemplate, templateEditorData } from "~/engine/admin/flow-templates";
import { previewInput, previewSchema, testEmailSchema, testRecipients, TEST_EMAILS_PER_HOUR } from "~/engine/admin/preview";

async function shopAndFlow(request: Request, flowId: string | undefined) {
  const context = await adminContext(request);
  const flow = await findFlow(context.db, context.shop.id, flowId ?? "");
  if (!flow) throw new Response("Flow not found", { status: 404 });
  return { ...context, flow };
}

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { shop, flow } = await shopAndFlow(request, params.id);
  return {
    flow: { id: flow.id, name: flow.name, category: flow.category, enabled: flow.enabled, timing: describeTiming(flow), journeyId: flow.journeyId },
    values: formValuesFromFlow(flow, shop.currency),
    deliveryTriggered: DELIVERY_TRIGGERS.has(flow.trigger),
    currency: shop.currency,
    testRecipients: testRecipients(shop, await staffEmail(request, shop.domain)),
    testLimit: TEST_EMAILS_PER_HOUR,
    ...(await templateEditorData(db, shop, flow)),
  };
};

export const action = async ({ request, params }: ActionFunctionArgs): Promise<FlowActionResult> => {
  const context = await shopAndFlow(request, params.id);
  const { shop, flow, clock, config } = context;
  const form = Object.fromEntries(await request.formData());
  const language = typeof form.language === "string" ? form.language : "";
  // Renders a template in `language` with the preview's data: a size or time limit it hits refuses the save.
  const renderCheck = async (subject: string, body: string) => {
    const { input } = await previewInput(db, shop, { subject, body, category: flow.category }, config.SHOPIFY_APP_URL, language);
    const rendered = await renderEmail(input);
    return rendered.ok ? null : rendered.error;
  };

  // A journey's step is saved and switched with its journey (a save there would overwrite an edit here);
  // its templates per language, preview and test email stay here.
  const inJourney = flow.journeyId ? { subject: "This email is a step of a journey: change it, or turn it on and off, in the journey." } : null;
  switch (form.intent) {
    case "toggle": {
      if (inJourney) return { intent: "toggle" as const, errors: inJourney };
      const parsed = toggleSchema.safeParse(form);
      if (!parsed.success) return { intent: "toggle" as const, errors: firstErrors(parsed.error) };
      await setFlowEnabled(db, shop.id, flow.id, parsed.data.enabled === "true");
      return { intent: "toggle" as const, errors: {} };
    }
    case "save": {
      if (inJourney) return { intent: "save" as const, errors: inJourney };
      const result = await saveFlow(db, clock, shop, flow, form, renderCheck);
      return result.ok ? { intent: "save" as const, errors: {}, replanned: result.replanned } : { intent: "save" as const, errors: result.errors };
    }
    case "template-save": {
      const result = await saveFlowTemplate(db, shop, flow, form, renderCheck);
      return { intent: "template-save" as const, errors: result.ok ? {} : result.errors, language };
    }
    case "template-remove":
      await removeFlowTemplate(db, shop, flow, language);
      return { intent: "template-remove" as const, errors: {}, language };
    case "preview": {
      const parsed = previewSchema.safeParse(form);
      if (!parsed.success) return { intent: "preview" as const, errors: firstErrors(parsed.error) };
      const { input, source } = await previewInput(db, shop, { ...parsed.data, category: flow.category }, config.SHOPIFY_APP_URL, language);
      const rendered = await renderEmail(input);
      if (!rendered.ok) return { intent: "preview" as const, errors: { [rendered.error.field ?? "body"]: templateErrorText(rendered.error) } };
      return { intent: "preview" as const, errors: {}, preview: { subject: rendered.email.subject, html: rendered.email.html, source: source.label } };
    }
    case "test": {
      const parsed = testEmailSchema.safeParse(form);
      if (!parsed.success) return { intent: "test" as const, errors: firstErrors(parsed.error) };
      const test = await sendAdminTestEmail(request, context, { ...parsed.data, category: flow.category }, parsed.data.to, language);
      if (test.status === "refused") return { intent: "test" as const, errors: { to: test.reason } };
      return { intent: "test" as const, errors: {}, test };
    }
    default:
      throw new Response("Unknown intent", { status: 400 });
  }
};

export default function FlowEditorPage() {
  const data = useLoaderData<typeof loader>();
  return (
    <Page
      backAction={{ url: data.flow.journeyId ? `/app/journeys/${data.flow.journeyId}` : "/app/flows" }}
      title={data.flow.name}
      titleMetadata={data.flow.enabled ? <Badge tone="success">on</Badge> : <Badge>off</Badge>}
      subtitle={`${data.flow.category} · ${data.flow.timing}`}
    >
      <FlowEditor key={data.flow.id} {...data} />
    </Page>
  );
}
