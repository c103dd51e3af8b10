// Loyalty: the program (earning, tiers, rewards as form rows), members (search, balance, pending,
// tier, ledger), manual adjustment and a redemption on the customer's behalf.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, Page, TextField } from "@shopify/polaris";
import { useState } from "react";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { currentClock } from "~/clock.server";
import { requireShop } from "~/admin.server";
import { adjustPoints, loyaltySettingsFor, memberBalance } from "~/engine/loyalty/ledger";
import { redeemReward } from "~/engine/loyalty/rewards";
import { DiscountRetryLater } from "~/engine/discounts/apology";
import { shopGraphql } from "~/shopify/admin-client.server";
import { formatInZone } from "~/engine/admin/format";
import { loyaltyFormValues, saveLoyaltyForm } from "~/engine/loyalty/settings-form";
import { LoyaltyProgramForm } from "~/components/LoyaltyProgramForm";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().toLowerCase();
  const settings = await loyaltySettingsFor(db, shop.id);
  const members = await db.loyaltyMember.findMany({
    where: { shopId: shop.id, ...(q ? { OR: [{ email: { contains: q, mode: "insensitive" } }, { firstName: { contains: q, mode: "insensitive" } }] } : {}) },
    orderBy: { enrolledAt: "desc" },
    take: 25,
    include: { entries: { orderBy: { createdAt: "desc" }, take: 20 } },
  });
  const rows = await Promise.all(members.map(async (m) => ({ id: m.id, email: m.email, firstName: m.firstName, tier: m.tier, ...(await memberBalance(db, m.id)), entries: m.entries.map((e) => ({ id: e.id, kind: e.kind, points: e.points, status: e.status, reason: e.reason, actor: e.actor, at: formatInZone(e.createdAt, shop.timezone) })) })));
  return { q, program: loyaltyFormValues(settings, shop.currency), currency: shop.currency, members: rows };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session } = await requireShop(request);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  if (form.intent === "adjust") {
    const member = await db.loyaltyMember.findFirst({ where: { id: form.memberId, shopId: shop.id } });
    if (!member) return { error: "No such member." };
    const user = session.onlineAccessInfo?.associated_user;
    const actor = user ? user.email || `staff ${user.id}` : "merchant";
    const clock = await currentClock(db, env().TRUSTLOOP_SANDBOX);
    const result = await adjustPoints(db, clock, { memberId: member.id, points: Number(form.points), reason: form.reason ?? "", actor, requestId: form.requestId || crypto.randomUUID() });
    return result.ok ? { saved: true } : { error: result.error };
  }
  if (form.intent === "redeem") {
    // On the customer's behalf (e.g. asked by email). The request id comes from the rendered form,
    // so a double click redeems once.
    const member = await db.loyaltyMember.findFirst({ where: { id: form.memberId, shopId: shop.id } });
    if (!member) return { error: "No such member." };
    const clock = await currentClock(db, env().TRUSTLOOP_SANDBOX);
    try {
      const result = await redeemReward(db, clock, shopGraphql(db), { memberId: member.id, rewardIndex: Number(form.rewardIndex ?? 0), requestId: form.requestId ?? "" });
      return result.ok ? { saved: true, code: result.code } : { error: result.error };
    } catch (error) {
      if (error instanceof DiscountRetryLater) return { error: "Shopify is busy: try again in a minute (the points are reserved for this request)." };
      throw error;
    }
  }
  if (form.intent === "settings") return saveLoyaltyForm(db, shop, form);
  throw new Response("Unknown intent", { status: 400 });
};

function F({ label, name, initial = "", multiline }: { label: string; name: string; initial?: string; multiline?: number }) {
  const [value, setValue] = useState(initial);
  return <TextField label={label} name={name} value={value} onChange={setValue} multiline={multiline} autoComplete="off" />;
}

function RedeemForm({ memberId }: { memberId: string }) {
  const [requestId] = useState(() => crypto.randomUUID());
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="redeem" />
      <input type="hidden" name="memberId" value={memberId} />
      <input type="hidden" name="requestId" value={requestId} />
      <input type="hidden" name="rewardIndex" value="0" />
      <Button submit>Redeem the first reward for this customer</Button>
    </Form>
  );
}

export default function Loyalty() {
  const { q, program, currency, members } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Page title="Loyalty" backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        {result && "error" in result && result.error && <Banner tone="critical">{result.error}</Banner>}
        {result && "errors" in result && <Banner tone="critical">Some program settings need a fix: see the fields below.</Banner>}
        {result && "saved" in result && !("code" in result) && <Banner tone="success">Saved.</Banner>}
        {result && "code" in result && result.code && <Banner tone="success">Reward code {result.code} created for the customer.</Banner>}
        <LoyaltyProgramForm values={program} errors={result && "errors" in result ? result.errors : {}} currency={currency} />
        <Card>
          <BlockStack gap="200">
            <Form method="get"><F label="Search members" name="q" initial={q} /></Form>
            <DataTable
              columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
              headings={["Email", "Tier", "Balance", "Pending", ""]}
              rows={members.map((m) => [m.email, m.tier ?? "—", m.balance, m.pending, <Button key={m.id} onClick={() => setOpen(open === m.id ? null : m.id)}>Ledger</Button>])}
            />
            {members.filter((m) => m.id === open).map((m) => (
              <BlockStack key={m.id} gap="200">
                <DataTable columnContentTypes={["text", "text", "numeric", "text", "text"]} headings={["When", "Kind", "Points", "Status", "Reason"]}
                  rows={m.entries.map((e) => [e.at, e.kind, e.points, e.status, `${e.reason ?? ""}${e.actor ? ` (${e.actor})` : ""}`])} />
                <RedeemForm memberId={m.id} />
                <Form method="post">
                  <input type="hidden" name="intent" value="adjust" />
                  <input type="hidden" name="memberId" value={m.id} />
                  <F label="Adjust points (±)" name="points" />
                  <F label="Reason" name="reason" />
                  <Button submit>Adjust</Button>
                </Form>
              </BlockStack>
            ))}
          </BlockStack>
        </Card>
      </BlockStack>
    </Page>
  );
}
