import { Badge } from "@shopify/polaris";

type Tone = "success" | "info" | "attention" | "critical" | undefined;

const TONES: Record<string, Tone> = {
  sent: "success",
  scheduled: "info",
  deferred: "info",
  sending: "info",
  skipped: "attention",
  cancelled: undefined,
  held_out: undefined,
  failed: "critical",
  unknown: "critical",
};

export function MessageStatusBadge({ status }: { status: string }) {
  return <Badge tone={TONES[status]}>{status.replace(/_/g, " ")}</Badge>;
}
