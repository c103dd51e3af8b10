// Admin › NPS: the score (% promoters − % detractors), the response rate, NPS by week, by customer
// tenure and by flow; the detractor cases; and one case (?case=<id>) with "close the loop".
import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate } from "@remix-run/react";
import { BlockStack, Box, Card, DataTable, InlineGrid, InlineStack, Link, Page, Select, Text } from "@shopify/polaris";
import vizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { db } from "~/db.server";
import { log } from "~/log.server";
import { adminContext } from "~/route-context.server";
import { replySchema, sendCaseReply, setCaseStatus, statusSchema } from "~/engine/nps/cases";
import { npsCaseDetail, npsPage } from "~/engine/nps/admin";
import { parsePeriod, PERIODS } from "~/engine/nps/periods";
import type { Summary } from "~/engine/nps/metrics";
import { CaseStatusBadge, NpsCase, ScoreBadge, type CaseActionData } from "~/components/NpsCase";
import { NpsTrendChart } from "~/components/NpsTrendChart";
import { Figure } from "~/components/Figure";
import { Section } from "~/components/Section";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: vizStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop, clock } = await adminContext(request);
  const url = new URL(request.url);
  const caseId = url.searchParams.get("case");
  if (caseId) {
    const detail = await npsCaseDetail(db, shop, caseId);
    if (!detail) throw new Response("Case not found", { status: 404 });
    return { view: "case" as const, detail };
  }
  return { view: "overview" as const, ...(await npsPage(db, shop, clock.now(), parsePeriod(url.searchParams.get("days")))) };
};

export const action = async ({ request }: ActionFunctionArgs): Promise<CaseActionData> => {
  const { shop, clock, withMailer } = await adminContext(request);
  const form = Object.fromEntries(await request.formData());
  const caseId = typeof form.caseId === "string" ? form.caseId : "";

  if (form.intent === "status") {
    const parsed = statusSchema.safeParse(form);
    if (!parsed.success) return { intent: "status", errors: { status: "Unknown status" } };
    if (!(await setCaseStatus(db, clock, shop.id, caseId, parsed.data.status))) throw new Response("Case not found", { status: 404 });
    return { intent: "status", errors: {} };
  }
  if (form.intent === "reply") {
    const parsed = replySchema.safeParse(form);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0])] ??= issue.message;
      return { intent: "reply", errors };
    }
    const result = await withMailer((mail) => sendCaseReply(db, clock, mail, shop, caseId, parsed.data));
    log({ msg: "nps case reply", caseId, status: result.status });
    return { intent: "reply", errors: {}, result };
  }
  throw new Response("Unknown intent", { status: 400 });
};

const signed = (nps: number | null) => (nps === null ? "—" : nps > 0 ? `+${nps}` : String(nps));
const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const breakdown = (s: Summary) =>
  [
    count(s.responses, "answer", "answers"),
    count(s.promoters, "promoter", "promoters"),
    count(s.passives, "passive", "passives"),
    count(s.detractors, "detractor", "detractors"),
  ].join(" · ");

export default function NpsRoute() {
  const data = useLoaderData<typeof loader>();
  if (data.view === "case") {
    return (
      <Page backAction={{ url: "/app/nps" }} title={`Case · order ${data.detail.orderName}`} titleMetadata={<CaseStatusBadge status={data.detail.status} />}>
        <NpsCase key={data.detail.id} c={data.detail} />
      </Page>
    );
  }
  return <Overview data={data} />;
}

function Overview({ data }: { data: Extract<ReturnType<typeof useLoaderData<typeof loader>>, { view: "overview" }> }) {
  const navigate = useNavigate();
  const { metrics: m, cases } = data;
  return (
    <Page title="NPS" subtitle="How likely customers are to recommend you, and the detractors to follow up." backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="p" tone="subdued">
            {m.since} – {m.until}
          </Text>
          <Box minWidth="180px">
            <Select
              label="Period"
              labelInline
              options={PERIODS.map((d) => ({ label: `Last ${d} days`, value: String(d) }))}
              value={String(data.days)}
              onChange={(value) => navigate(`/app/nps?days=${value}`)}
            />
          </Box>
        </InlineStack>
        <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
          <Figure label="NPS" value={signed(m.overall.nps)} hint={breakdown(m.overall)} />
          <Figure
            label="Response rate"
            value={m.rate.rate === null ? "—" : `${m.rate.rate}%`}
            hint={`${m.rate.answered} of ${m.rate.sent} survey emails answered`}
          />
          <Figure label="Open cases" value={m.cases.open} hint={`${m.cases.contacted} contacted · ${m.cases.resolved} resolved`} />
          <Figure label="Median response time" value={m.medianResponse} hint="from a detractor's answer to your first contact" />
        </InlineGrid>

        <Section title="NPS by week">
          <NpsTrendChart points={m.trend.map((w) => ({ week: w.week, nps: w.nps, responses: w.responses }))} />
        </Section>

        <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
          <Card padding="0">
            <Box padding="400" paddingBlockEnd="0">
              <Text as="h2" variant="headingMd">
                By customer tenure
              </Text>
            </Box>
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={["Customers", "Answers", "NPS"]}
              rows={[
                ["First order", m.tenure.first.responses, signed(m.tenure.first.nps)],
                ["Returning", m.tenure.returning.responses, signed(m.tenure.returning.nps)],
              ]}
            />
          </Card>
          <Card padding="0">
            <Box padding="400" paddingBlockEnd="0">
              <Text as="h2" variant="headingMd">
                By flow
              </Text>
            </Box>
            {m.flows.length ? (
              <DataTable
                columnContentTypes={["text", "numeric", "numeric", "numeric"]}
                headings={["Flow", "Sent", "Response rate", "NPS"]}
                rows={m.flows.map((f) => [f.name, f.sent, f.rate === null ? "—" : `${f.rate}%`, signed(f.nps)])}
              />
            ) : (
              <Box padding="400">
                <Text as="p" tone="subdued">
                  No survey emails in this period.
                </Text>
              </Box>
            )}
          </Card>
        </InlineGrid>

        <Card padding="0">
          <Box padding="400" paddingBlockEnd="0">
            <Text as="h2" variant="headingMd">
              Detractor follow-up
            </Text>
          </Box>
          {cases.length ? (
            <DataTable
              columnContentTypes={["text", "text", "text", "text", "text", "text"]}
              headings={["Status", "Score", "Comment", "Order", "Opened", "Response time"]}
              verticalAlign="top"
              rows={cases.map((c) => [
                <Link key="s" url={`/app/nps?case=${c.id}`} removeUnderline>
                  <CaseStatusBadge status={c.status} />
                </Link>,
                <ScoreBadge key="n" score={c.score} />,
                <Box key="c" maxWidth="360px">
                  <Text as="span" breakWord tone={c.comment ? undefined : "subdued"}>
                    {c.comment ?? "No comment"}
                  </Text>
                </Box>,
                <BlockStack key="o" gap="050">
                  <Link url={`/app/nps?case=${c.id}`} removeUnderline>
                    {c.orderName}
                  </Link>
                  <Text as="span" tone="subdued" variant="bodySm">
                    {c.customer} · {c.tenure}
                  </Text>
                </BlockStack>,
                c.openedAt,
                c.responseTime,
              ])}
            />
          ) : (
            <Box padding="400">
              <Text as="p" tone="subdued">
                No detractor has answered yet. When one does, a case opens here.
              </Text>
            </Box>
          )}
        </Card>
      </BlockStack>
    </Page>
  );
}
