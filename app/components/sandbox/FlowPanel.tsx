// The console's Shopify Flow section, playing Flow against the app: turn a workflow using a trigger
// on or off (a signed lifecycle callback), see the triggers Flow received, and run each action as
// Flow would (signed), again with the same run id to see that a run is applied once.
import { useCallback, useEffect, useState } from "react";
import { BlockStack, Button, ButtonGroup, Checkbox, FormLayout, Select, Text, TextField } from "@shopify/polaris";
import { FLOW_ACTIONS, FLOW_TRIGGERS, type FlowActionDefinition, type FlowField } from "~/engine/flow/definitions";
import { answerLine, propertyKey, type FlowConsoleState, type ReceivedTrigger } from "~/sandbox/flow-console";
import { Entry, Note, Section, Titled } from "~/components/Section";

interface Answer {
  status: number;
  body: unknown;
  actionRunId?: string;
}

type Options = { id: string; label: string }[];

// The console stays one screen or two: the latest received triggers only.
const RECEIVED_SHOWN = 10;

async function postJson(path: string, body: unknown): Promise<Answer> {
  const response = await fetch(path, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(json.error ?? `${path} answered ${response.status}`);
  return json as Answer;
}

const failed = (error: unknown): Answer => ({ status: 0, body: { message: (error as Error).message } });

function Small({ children }: { children: string }) {
  return (
    <Text as="p" variant="bodySm" tone="subdued" breakWord>
      {children}
    </Text>
  );
}

function TriggerSwitches({ state, refresh }: { state: FlowConsoleState | null; refresh: () => void }) {
  // What this page last sent wins (the app may not have recorded it: its answer is shown); before
  // that, what the app recorded from Flow's callbacks (FlowTriggerUse).
  const [sent, setSent] = useState<Record<string, { enabled: boolean; answer: Answer | null }>>({});
  const toggle = async (handle: string, enabled: boolean) => {
    setSent((s) => ({ ...s, [handle]: { enabled, answer: null } }));
    const answer = await postJson("/sandbox/api/flow/lifecycle", { handle, enabled }).catch(failed);
    // A later switch of the same trigger wins over this answer.
    setSent((s) => (s[handle]?.enabled === enabled ? { ...s, [handle]: { enabled, answer } } : s));
    refresh();
  };
  return (
    <Titled title="Triggers">
      {Object.values(FLOW_TRIGGERS).map((t) => {
        const recorded = state?.uses.find((u) => u.handle === t.handle);
        const last = sent[t.handle];
        const checked = last?.enabled ?? recorded?.enabled ?? false;
        return (
          <BlockStack key={t.handle} gap="050">
            <Checkbox label={`${t.name}: a workflow uses this trigger`} checked={checked} onChange={(on) => toggle(t.handle, on)} />
            {last && <Small>{last.answer ? answerLine(last.answer) : "Sending…"}</Small>}
          </BlockStack>
        );
      })}
    </Titled>
  );
}

function ReceivedList({ received }: { received: ReceivedTrigger[] }) {
  return (
    <Titled title={`Received by Flow (${received.length})`}>
      {received.length === 0 && <Note>No trigger sent yet: turn one on above, then make its event happen (a late order, a review, an NPS answer…).</Note>}
      {received.slice(0, RECEIVED_SHOWN).map((r, i) => (
        <Entry key={`${r.at}-${i}`} title={r.handle ?? "(no handle)"} aside={<Small>{new Date(r.at).toLocaleString()}</Small>} gap="050">
          <Small>
            {Object.entries(r.payload ?? {})
              .map(([key, value]) => `${key}: ${JSON.stringify(value)}`)
              .join(" · ") || "(no payload)"}
          </Small>
        </Entry>
      ))}
    </Titled>
  );
}

function FieldInput({ field, value, onChange, options }: { field: FlowField; value: string; onChange: (v: string) => void; options: Options }) {
  const label = field.name ?? (field.type === "order_reference" ? "Order" : field.type === "customer_reference" ? "Customer" : propertyKey(field));
  if (options.length)
    return (
      <Select
        label={label}
        options={[{ label: "Choose…", value: "" }, ...options.map((o) => ({ label: o.label, value: o.id }))]}
        value={value}
        onChange={onChange}
      />
    );
  const placeholder = field.type.endsWith("_reference") ? `gid://shopify/${field.type === "order_reference" ? "Order" : "Customer"}/…` : undefined;
  return <TextField label={label} value={value} onChange={onChange} placeholder={placeholder ?? field.description} autoComplete="off" />;
}

/** The properties as Flow sends them: numbers as numbers, empty optional fields left out. */
function propertiesOf(fields: readonly FlowField[], values: Record<string, string>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const field of fields) {
    const key = propertyKey(field);
    const raw = (values[key] ?? "").trim();
    if (raw === "") continue;
    properties[key] = field.type.startsWith("number_") && !Number.isNaN(Number(raw)) ? Number(raw) : raw;
  }
  return properties;
}

function ActionForm({ action, state }: { action: FlowActionDefinition; state: FlowConsoleState | null }) {
  const [values, setValues] = useState<Record<string, string>>({});
  const [last, setLast] = useState<Answer | null>(null);
  const run = async (actionRunId?: string) => {
    const body = { properties: propertiesOf(action.fields, values), ...(actionRunId ? { actionRunId } : {}) };
    setLast(await postJson(`/sandbox/api/flow/actions/${action.handle}`, body).catch(failed));
  };
  const optionsFor = (field: FlowField): Options =>
    field.type === "order_reference" ? (state?.orders ?? []) : field.type === "customer_reference" ? (state?.customers ?? []) : [];
  return (
    <Entry title={action.name} aside={null}>
      <FormLayout>
        <FormLayout.Group condensed>
          {action.fields.map((f) => {
            const key = propertyKey(f);
            return (
              <FieldInput key={key} field={f} value={values[key] ?? ""} onChange={(v) => setValues((s) => ({ ...s, [key]: v }))} options={optionsFor(f)} />
            );
          })}
        </FormLayout.Group>
      </FormLayout>
      <ButtonGroup>
        <Button onClick={() => run()}>Run as Flow</Button>
        <Button disabled={!last?.actionRunId} onClick={() => run(last?.actionRunId)}>
          Run again with the same run id
        </Button>
      </ButtonGroup>
      {last && <Small>{`${answerLine(last)}${last.actionRunId ? ` (run ${last.actionRunId})` : ""}`}</Small>}
    </Entry>
  );
}

export function FlowPanel() {
  const [state, setState] = useState<FlowConsoleState | null>(null);
  const refresh = useCallback(async () => {
    const response = await fetch("/sandbox/api/flow/state").catch(() => null);
    if (response?.ok) setState(await response.json());
  }, []);
  useEffect(() => {
    refresh();
    const timer = setInterval(refresh, 2000);
    return () => clearInterval(timer);
  }, [refresh]);
  return (
    <Section title="Shopify Flow" gap="500">
      <TriggerSwitches state={state} refresh={refresh} />
      <ReceivedList received={state?.received ?? []} />
      <Titled title="Run an action">
        {Object.values(FLOW_ACTIONS).map((a) => (
          <ActionForm key={a.handle} action={a} state={state} />
        ))}
      </Titled>
    </Section>
  );
}
