// The dashboard's flow lines with each journey as one line beside the presets: its steps' figures
// summed (a removed step still counts for its journey), its lift measured over the whole journey
// (one holdout group, decision 045) and passed in, since lift groups cannot be summed per step.
import type { FlowFigures, Lift } from "./types";

export interface JourneyLineInfo {
  id: string;
  name: string;
  status: string; // draft | active | paused
  holdoutPercent: number;
  lift: Lift;
}

const COUNTS = ["scheduled", "sent", "heldOut", "skipped", "clicks", "attributedOrders", "attributedRevenueCents"] as const;

/** Skip reasons of several steps merged, most frequent first (ties by name, as per flow). */
function mergedReasons(steps: FlowFigures[]): FlowFigures["skipReasons"] {
  const counts = new Map<string, number>();
  for (const r of steps.flatMap((s) => s.skipReasons)) counts.set(r.reason, (counts.get(r.reason) ?? 0) + r.count);
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason));
}

function journeyLine(journey: JourneyLineInfo, steps: FlowFigures[]): FlowFigures {
  const line: FlowFigures = {
    flowId: journey.id,
    key: `journey:${journey.id}`,
    name: journey.name,
    journeyId: journey.id,
    enabled: journey.status === "active",
    holdoutPercent: journey.holdoutPercent,
    scheduled: 0,
    sent: 0,
    heldOut: 0,
    skipped: 0,
    skipReasons: mergedReasons(steps),
    clicks: 0,
    attributedOrders: 0,
    attributedRevenueCents: 0,
    lift: journey.lift,
  };
  for (const step of steps) for (const count of COUNTS) line[count] += step[count];
  return line;
}

/**
 * Flows that are no journey's step, in their order, then one line per journey in the order given.
 * Steps of a journey not listed (deleted meanwhile) are left out.
 */
export function journeyLines(flows: { figures: FlowFigures; journeyId: string | null }[], journeys: JourneyLineInfo[]): FlowFigures[] {
  const presets = flows.filter((f) => f.journeyId === null).map((f) => f.figures);
  const stepsOf = (id: string) => flows.filter((f) => f.journeyId === id).map((f) => f.figures);
  return [...presets, ...journeys.map((j) => journeyLine(j, stepsOf(j.id)))];
}
