// Loyalty: program settings, members (search, balance, pending, tier, ledger), manual adjustment.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { db } from "~/db.server";
import { env } from "~/env.server";
import { currentClock } from "~/clock.server";
import { requireShop } from "~/admin.server";
import { adjustPoints, loyaltySettingsFor, memberBalance } from "~/engine/loyalty/ledger";
import { redeemReward } from "~/engine/loyalty/rewards";
import { DiscountRetryLater } from "~/engine/discounts/apology";
import { shopGraphql } from "~/shopify/admin-client.server";
import { rewardSchema, tierSchema } from "~/engine/loyalty/points";

const settingsForm = z.object({
  pointsPerUnit: z.coerce.number().int().min(0).max(1000),
  pendingDays: z.coerce.number().int().min(0).max(365),
  includeShipping: z.string().optional().transform((v) => v === "on"),
  includeTax: z.string().optional().transform((v) => v === "on"),
  tiers: z.string().transform((s, ctx) => { try { return z.array(tierSchema).parse(JSON.parse(s || "[]")); } catch { ctx.addIssue({ code: "custom", message: "Tiers: invalid JSON" }); return z.NEVER; } }),
  rewards: z.string().transform((s, ctx) => { try { return z.array(rewardSchema).parse(JSON.parse(s || "[]")); } catch { ctx.addIssue({ code: "custom", message: "Rewards: invalid JSON" }); return z.NEVER; } }),
});

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await requireShop(request);
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().toLowerCase();
  const settings = await loyaltySettingsFor(db, shop.id);
  const members = await db.loyaltyMember.findMany({
    where: { shopId: shop.id, ...(q ? { OR: [{ email: { contains: q } }, { firstName: { contains: q } }] } : {}) },
    orderBy: { enrolledAt: "desc" },
    take: 25,
    include: { entries: { orderBy: { createdAt: "desc" }, take: 20 } },
  });
  const rows = await Promise.all(members.map(async (m) => ({ id: m.id, email: m.email, firstName: m.firstName, tier: m.tier, ...(await memberBalance(db, m.id)), entries: m.entries.map((e) => ({ id: e.id, kind: e.kind, points: e.points, status: e.status, reason: e.reason, actor: e.actor, at: e.createdAt.toISOString() })) })));
  return { q, settings: { ...settings, updatedAt: settings.updatedAt.toISOString() }, members: rows };
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
  const parsed = settingsForm.safeParse(form);
  if (!parsed.success) return { error: parsed.error.issues.map((i) => i.message).join("; ") };
  const { tiers, rewards, ...rest } = parsed.data;
  await db.loyaltySettings.upsert({ where: { shopId: shop.id }, create: { shopId: shop.id, ...rest, tiers: JSON.stringify(tiers), rewards: JSON.stringify(rewards) }, update: { ...rest, tiers: JSON.stringify(tiers), rewards: JSON.stringify(rewards) } });
  return { saved: true };
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
  const { q, settings, members } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Page title="Loyalty" backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        {result && "error" in result && result.error && <Banner tone="critical">{result.error}</Banner>}
        {result && "code" in result && result.code && <Banner tone="success">Reward code {result.code} created for the customer.</Banner>}
        <Card>
          <Form method="post">
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">Program</Text>
              <F label="Points per unit of currency" name="pointsPerUnit" initial={String(settings.pointsPerUnit)} />
              <F label="Pending days (return window)" name="pendingDays" initial={String(settings.pendingDays)} />
              <label><input type="checkbox" name="includeShipping" defaultChecked={settings.includeShipping} /> Include shipping</label>
              <label><input type="checkbox" name="includeTax" defaultChecked={settings.includeTax} /> Include tax</label>
              <F label="Tiers (JSON)" name="tiers" multiline={2} initial={settings.tiers} />
              <F label="Rewards (JSON)" name="rewards" multiline={2} initial={settings.rewards} />
              <Button submit>Save</Button>
            </BlockStack>
          </Form>
        </Card>
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
                  rows={m.entries.map((e) => [e.at.slice(0, 10), e.kind, e.points, e.status, `${e.reason ?? ""}${e.actor ? ` (${e.actor})` : ""}`])} />
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
