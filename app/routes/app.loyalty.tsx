// Loyalty: the program (earning, tiers, rewards as form rows), members (search, balance, pending,
// tier, ledger), manual adjustment and a redemption on the customer's behalf.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, Page, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { adminContext } from "~/route-context.server";
import { loyaltySettingsFor } from "~/engine/loyalty/ledger";
import { adjustMemberPoints, memberList, redeemForMember, staffActor, type MemberActionResult } from "~/engine/loyalty/members";
import { shopGraphql } from "~/shopify/admin-client.server";
import { loyaltyFormValues, saveLoyaltyForm } from "~/engine/loyalty/settings-form";
import { LoyaltyProgramForm } from "~/components/LoyaltyProgramForm";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, db } = await adminContext(request);
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().toLowerCase();
  const [settings, members] = await Promise.all([loyaltySettingsFor(db, shop.id), memberList(db, shop, q)]);
  return { q, program: loyaltyFormValues(settings, shop.currency), currency: shop.currency, members };
};

const text = z.string().catch("");
const memberForm = z.object({ memberId: text, points: text, reason: text, requestId: text, rewardIndex: z.string().catch("0") });

const answer = (result: MemberActionResult) =>
  !result.ok ? { error: result.error } : result.code !== undefined ? { saved: true, code: result.code } : { saved: true };

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, session, db, clock } = await adminContext(request);
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const input = memberForm.parse(form);
  if (form.intent === "adjust") {
    const actor = staffActor(session.onlineAccessInfo?.associated_user);
    return answer(
      await adjustMemberPoints(db, clock, shop.id, {
        memberId: input.memberId,
        points: Number(input.points),
        reason: input.reason,
        actor,
        requestId: input.requestId || crypto.randomUUID(),
      }),
    );
  }
  if (form.intent === "redeem") {
    return answer(
      await redeemForMember(db, clock, shopGraphql(db), shop.id, {
        memberId: input.memberId,
        rewardIndex: Number(input.rewardIndex),
        requestId: input.requestId,
      }),
    );
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
            <Form method="get">
              <F label="Search members" name="q" initial={q} />
            </Form>
            <DataTable
              columnContentTypes={["text", "text", "numeric", "numeric", "text"]}
              headings={["Email", "Tier", "Balance", "Pending", ""]}
              rows={members.map((m) => [
                m.email,
                m.tier ?? "—",
                m.balance,
                m.pending,
                <Button key={m.id} onClick={() => setOpen(open === m.id ? null : m.id)}>
                  Ledger
                </Button>,
              ])}
            />
            {members
              .filter((m) => m.id === open)
              .map((m) => (
                <BlockStack key={m.id} gap="200">
                  <DataTable
                    columnContentTypes={["text", "text", "numeric", "text", "text"]}
                    headings={["When", "Kind", "Points", "Status", "Reason"]}
                    rows={m.entries.map((e) => [e.at, e.kind, e.points, e.status, `${e.reason ?? ""}${e.actor ? ` (${e.actor})` : ""}`])}
                  />
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
