// Shopify Flow: how to use Trustloop in a workflow, each trigger (whether a workflow uses it, its
// last deliveries) and each action (its last runs). Read-only.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, BlockStack, DataTable, InlineStack, Link, List, Page, Text } from "@shopify/polaris";
import type { ReactNode } from "react";
import { db } from "~/db.server";
import { adminContext } from "~/route-context.server";
import { shopifyFlowPage } from "~/engine/admin/shopify-flow";
import { MessageStatusBadge } from "~/components/MessageStatusBadge";
import { Entry, Note, Section } from "~/components/Section";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { shop } = await adminContext(request);
  return shopifyFlowPage(db, shop);
};

// A run is accepted, then done or failed; a delivery's statuses are a message's (MessageStatusBadge).
const RunBadge = ({ status }: { status: string }) => <Badge tone={status === "done" ? "success" : status === "failed" ? "critical" : "info"}>{status}</Badge>;

type Ref = { label: string; url: string | null } | null;

function RefLinks({ refs }: { refs: Ref[] }) {
  const shown = refs.filter((r): r is NonNullable<Ref> => r !== null);
  if (!shown.length) return <Text as="span">—</Text>;
  return (
    <BlockStack gap="050">
      {shown.map((r) =>
        r.url ? (
          <Link key={r.label} url={r.url} removeUnderline>
            {r.label}
          </Link>
        ) : (
          <Text as="span" key={r.label}>
            {r.label}
          </Text>
        ),
      )}
    </BlockStack>
  );
}

const Small = ({ children }: { children: ReactNode }) => (
  <Text as="span" variant="bodySm" tone="subdued" breakWord>
    {children}
  </Text>
);

/** A trigger or an action: its name, description and latest deliveries or runs. */
interface Line {
  at: string;
  status: ReactNode;
  refs: Ref[];
  detail: string | null;
}

interface ItemProps {
  title: string;
  aside?: ReactNode;
  description: string;
  /** The last column's heading: what the detail is (an error, an outcome). */
  last: string;
  lines: Line[];
  empty: string;
}

function Item(props: ItemProps) {
  return (
    <Entry title={props.title} aside={props.aside ?? null}>
      <Text as="p" tone="subdued">
        {props.description}
      </Text>
      {props.lines.length ? (
        <DataTable
          columnContentTypes={["text", "text", "text", "text"]}
          headings={["Time", "Status", "Order / customer", props.last]}
          verticalAlign="top"
          rows={props.lines.map((l) => [l.at, l.status, <RefLinks key="r" refs={l.refs} />, l.detail ? <Small key="d">{l.detail}</Small> : "—"])}
        />
      ) : (
        <Note>{props.empty}</Note>
      )}
    </Entry>
  );
}

type FlowPage = ReturnType<typeof useLoaderData<typeof loader>>;

function triggerItem(t: FlowPage["triggers"][number]): ItemProps {
  return {
    title: t.name,
    aside: (
      <InlineStack gap="200" blockAlign="center">
        <Badge tone={t.used ? "success" : undefined}>{t.used ? "Used by a workflow" : "No workflow uses it"}</Badge>
        {t.changedAt && <Small>{`since ${t.changedAt}`}</Small>}
      </InlineStack>
    ),
    description: t.description,
    last: "Error",
    empty: "Not sent yet.",
    lines: t.deliveries.map((d) => ({
      at: d.at,
      status: (
        <BlockStack gap="050" inlineAlign="start">
          <MessageStatusBadge status={d.status} />
          {d.attempts > 1 && <Small>{`${d.attempts} attempts`}</Small>}
          {d.sentAt && <Small>{`sent ${d.sentAt}`}</Small>}
        </BlockStack>
      ),
      refs: [d.order, d.customer],
      detail: d.error,
    })),
  };
}

function actionItem(a: FlowPage["actions"][number]): ItemProps {
  const lines = a.runs.map((r) => ({ at: r.at, status: <RunBadge status={r.status} />, refs: [r.order, r.customer], detail: r.detail }));
  return { title: a.name, description: a.description, last: "Outcome", empty: "No workflow has run it yet.", lines };
}

export default function ShopifyFlow() {
  const { empty, triggers, actions } = useLoaderData<typeof loader>();
  return (
    <Page title="Shopify Flow" subtitle="Start your own workflows from Trustloop's events, and let them use Trustloop." backAction={{ url: "/app" }}>
      <BlockStack gap="400">
        <Section title="Using Trustloop in Shopify Flow">
          <List type="number">
            <List.Item>Create a workflow in the Shopify Flow app.</List.Item>
            <List.Item>
              Pick a Trustloop trigger (below) to start it — a shipment delay, a review, an NPS answer or a loyalty tier — and add your conditions and actions.
            </List.Item>
            <List.Item>Or add a Trustloop action to any workflow: award loyalty points, send a delay apology, pause Trustloop emails for a customer.</List.Item>
            <List.Item>Turn the workflow on. Trustloop sends a trigger only while a workflow uses it; this page shows what it sent and what it ran.</List.Item>
          </List>
          {empty && <Note>Nothing has happened yet: no workflow uses a Trustloop trigger, and no workflow has run a Trustloop action.</Note>}
        </Section>

        <Section title="Triggers" gap="500">
          {triggers.map((t) => (
            <Item key={t.handle} {...triggerItem(t)} />
          ))}
        </Section>
        <Section title="Actions" gap="500">
          {actions.map((a) => (
            <Item key={a.handle} {...actionItem(a)} />
          ))}
        </Section>
      </BlockStack>
    </Page>
  );
}
