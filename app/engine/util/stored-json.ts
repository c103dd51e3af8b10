// Reading and writing json(b) columns (decision 025): Prisma hands back whatever JSON is stored,
// typed as JsonValue. Parsed, never cast: what does not fit reads as empty.
import type { Prisma } from "@prisma/client";

/** A stored list of strings (tracking numbers, holidays, gids); anything else in it is ignored. */
export function storedStrings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
}

/** A value as its JSON text carries it (Dates become ISO strings), for writing to a json column. */
export function asJson(value: unknown): Prisma.InputJsonValue {
  return JSON.parse(JSON.stringify(value)) as Prisma.InputJsonValue;
}
