// The NPS figures of the admin page. NPS = % promoters (9–10) − % detractors (0–6), an integer
// from −100 to 100 (rounded half away from zero); null without answers. Response rate = NPS
// emails sent in the period that got an answer ÷ NPS emails sent in the period.
// Pure functions over plain rows, plus one query function that loads those rows.
import type { NpsTenure, PrismaClient } from "@prisma/client";
import { responseTimeMs } from "./cases";
import { segmentOf } from "./respond";

export interface ResponseRow {
  messageId: string;
  score: number;
  tenure: NpsTenure;
  flowId: string | null;
  respondedAt: Date;
}

export interface SentRow {
  id: string;
  flowId: string;
  sentAt: Date;
}

export interface Summary {
  responses: number;
  promoters: number;
  passives: number;
  detractors: number;
  nps: number | null;
}

const roundHalfAway = (x: number) => Math.sign(x) * Math.round(Math.abs(x));

export function npsOf(scores: number[]): number | null {
  return summarize(scores.map((score) => ({ score }))).nps;
}

export function summarize(rows: { score: number }[]): Summary {
  const s: Summary = { responses: rows.length, promoters: 0, passives: 0, detractors: 0, nps: null };
  for (const r of rows) {
    const segment = segmentOf(r.score);
    if (segment === "promoter") s.promoters++;
    else if (segment === "passive") s.passives++;
    else s.detractors++;
  }
  if (s.responses > 0) s.nps = roundHalfAway(((s.promoters - s.detractors) * 100) / s.responses) + 0; // + 0: no -0
  return s;
}

/** Whole percent (half away from zero); null when nothing was sent. */
export function percent(part: number, whole: number): number | null {
  return whole > 0 ? roundHalfAway((part * 100) / whole) : null;
}

export interface Rate {
  sent: number;
  answered: number;
  rate: number | null; // percent
}

/** Sent emails that got an answer (answers to emails sent before the period do not count). */
export function responseRate(sent: Pick<SentRow, "id">[], responses: Pick<ResponseRow, "messageId">[]): Rate {
  const answeredIds = new Set(responses.map((r) => r.messageId));
  const answered = sent.filter((m) => answeredIds.has(m.id)).length;
  return { sent: sent.length, answered, rate: percent(answered, sent.length) };
}

/** The Monday (YYYY-MM-DD) of the week `date` falls in, in `timeZone`. */
export function weekOf(date: Date, timeZone: string): string {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(date);
  } catch {
    parts = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(date);
  }
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const local = new Date(Date.UTC(get("year"), get("month") - 1, get("day")));
  local.setUTCDate(local.getUTCDate() - ((local.getUTCDay() + 6) % 7));
  return local.toISOString().slice(0, 10);
}

export interface WeekPoint extends Summary {
  week: string; // Monday, YYYY-MM-DD
}

/** One point per week from the week of `from` to the week of `to`, empty weeks included (nps null). */
export function weeklyTrend(rows: Pick<ResponseRow, "score" | "respondedAt">[], timeZone: string, from: Date, to: Date): WeekPoint[] {
  const byWeek = new Map<string, { score: number }[]>();
  for (const r of rows) {
    const week = weekOf(r.respondedAt, timeZone);
    byWeek.set(week, [...(byWeek.get(week) ?? []), r]);
  }
  const weeks: string[] = [];
  const last = weekOf(to, timeZone);
  for (let w = new Date(`${weekOf(from, timeZone)}T00:00:00Z`); ; w.setUTCDate(w.getUTCDate() + 7)) {
    const key = w.toISOString().slice(0, 10);
    if (key > last || weeks.length > 520) break;
    weeks.push(key);
  }
  for (const week of byWeek.keys()) if (!weeks.includes(week)) weeks.push(week);
  return weeks.sort().map((week) => ({ week, ...summarize(byWeek.get(week) ?? []) }));
}

export function byTenure(rows: Pick<ResponseRow, "score" | "tenure">[]): { first: Summary; returning: Summary } {
  return {
    first: summarize(rows.filter((r) => r.tenure !== "returning")),
    returning: summarize(rows.filter((r) => r.tenure === "returning")),
  };
}

export interface FlowSplit extends Summary, Rate {
  flowId: string | null;
  name: string;
}

/** Per flow: its answers and its response rate. Flows with sends or answers only. */
export function byFlow(rows: ResponseRow[], sent: SentRow[], names: Map<string, string>): FlowSplit[] {
  const ids = new Set<string | null>([...sent.map((m) => m.flowId), ...rows.map((r) => r.flowId)]);
  return [...ids]
    .map((flowId) => {
      const answers = rows.filter((r) => r.flowId === flowId);
      return {
        flowId,
        name: flowId ? (names.get(flowId) ?? "Deleted flow") : "Unknown flow",
        ...summarize(answers),
        ...responseRate(
          sent.filter((m) => m.flowId === flowId),
          answers,
        ),
      };
    })
    .sort((a, b) => b.responses - a.responses || a.name.localeCompare(b.name));
}

/** Median time to first contact over contacted cases; null when none was contacted. */
export function medianResponseTimeMs(cases: { openedAt: Date; contactedAt: Date | null }[]): number | null {
  const times = cases
    .map(responseTimeMs)
    .filter((t): t is number => t !== null)
    .sort((a, b) => a - b);
  if (times.length === 0) return null;
  const mid = Math.floor(times.length / 2);
  return times.length % 2 ? times[mid] : Math.round((times[mid - 1] + times[mid]) / 2);
}

/** "45 min", "3 h 20 min", "2 d 4 h" */
export function formatDuration(ms: number | null): string {
  if (ms === null) return "—";
  const minutes = Math.round(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}

export interface NpsMetrics {
  since: Date;
  until: Date;
  overall: Summary;
  rate: Rate;
  trend: WeekPoint[];
  tenure: { first: Summary; returning: Summary };
  flows: FlowSplit[];
  cases: { open: number; contacted: number; resolved: number; medianResponseMs: number | null };
}

/** The rows of the period [now − days, now] for one shop, and every figure computed from them. */
export async function loadNpsMetrics(db: PrismaClient, shop: { id: string; timezone: string }, now: Date, days: number): Promise<NpsMetrics> {
  const since = new Date(now.getTime() - days * 86_400_000);
  const [responses, sent, flows, cases] = await Promise.all([
    db.npsResponse.findMany({
      where: { shopId: shop.id, respondedAt: { gte: since, lte: now } },
      select: { messageId: true, score: true, tenure: true, flowId: true, respondedAt: true },
    }),
    db.message.findMany({
      where: { shopId: shop.id, step: "main", status: "sent", sentAt: { gte: since, lte: now }, flow: { key: "nps" } },
      select: { id: true, flowId: true, sentAt: true },
    }),
    db.flow.findMany({ where: { shopId: shop.id }, select: { id: true, name: true } }),
    db.npsCase.findMany({ where: { shopId: shop.id, openedAt: { gte: since, lte: now } }, select: { status: true, openedAt: true, contactedAt: true } }),
  ]);
  const sentRows = sent.map((m) => ({ id: m.id, flowId: m.flowId, sentAt: m.sentAt! }));
  return {
    since,
    until: now,
    overall: summarize(responses),
    rate: responseRate(sentRows, responses),
    trend: weeklyTrend(responses, shop.timezone, since, now),
    tenure: byTenure(responses),
    flows: byFlow(responses, sentRows, new Map(flows.map((f) => [f.id, f.name]))),
    cases: {
      open: cases.filter((c) => c.status === "open").length,
      contacted: cases.filter((c) => c.status === "contacted").length,
      resolved: cases.filter((c) => c.status === "resolved").length,
      medianResponseMs: medianResponseTimeMs(cases),
    },
  };
}
