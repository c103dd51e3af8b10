// One INSERT or UPDATE for many rows: the new values travel as one JSON parameter, read back as a record set
// (`jsonb_to_recordset`), so a chunk of rows costs one statement and one parameter whatever its size.
// Table and column names come from the callers' constant specs, never from data.
import crypto from "node:crypto";
import { Prisma } from "@prisma/client";

type Tx = Prisma.TransactionClient;

export type SqlType = "text" | "int" | "float8" | "boolean" | "timestamptz" | "jsonb";

export interface SetColumn {
  name: string;
  type: SqlType;
  /** The SET expression (default `v."name"`): `t` is the row as stored, `v` the new values; null: an input only, not a column. */
  expr?: string | null;
}

export interface BulkUpdate {
  table: string;
  /** Columns that find the row (compared for equality; text). */
  match: string[];
  set: SetColumn[];
  /** Also set `updatedAt` (Prisma's @updatedAt columns have no default of their own). */
  touch?: boolean;
  /** An extra condition on the stored row (`t`) and the new values (`v`): rows it rejects are left alone. */
  where?: string;
}

const q = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Updates the rows `rows` name (by `spec.match`) with their values; returns the `match` keys of the
 * rows it changed (one that `spec.where` rejected, or that does not exist, is not among them).
 * Each row must appear once (PostgreSQL applies one source row per target row, unpredictably).
 */
export async function updateRows(tx: Tx, spec: BulkUpdate, rows: Record<string, unknown>[]): Promise<Record<string, string>[]> {
  if (!rows.length) return [];
  const defs = [...spec.match.map((name) => `${q(name)} text`), ...spec.set.map((c) => `${q(c.name)} ${c.type}`)].join(", ");
  const sets = spec.set.filter((c) => c.expr !== null).map((c) => `${q(c.name)} = ${c.expr ?? `v.${q(c.name)}`}`);
  if (spec.touch) sets.push(`"updatedAt" = CURRENT_TIMESTAMP`);
  const on = spec.match.map((name) => `t.${q(name)} = v.${q(name)}`);
  if (spec.where) on.push(`(${spec.where})`);
  const returning = spec.match.map((name) => `t.${q(name)}`).join(", ");
  const columns = [...spec.match, ...spec.set.map((c) => c.name)];
  const values = rows.map((row) => Object.fromEntries(columns.map((name) => [name, row[name] ?? null])));
  const sql = `UPDATE ${q(spec.table)} AS t SET ${sets.join(", ")} FROM jsonb_to_recordset($1::jsonb) AS v(${defs}) WHERE ${on.join(" AND ")} RETURNING ${returning}`;
  return tx.$queryRawUnsafe<Record<string, string>[]>(sql, JSON.stringify(values));
}

export interface BulkInsert {
  table: string;
  columns: { name: string; type: SqlType }[];
  /** The unique columns a row that exists already is recognized by: it is left alone (ON CONFLICT DO NOTHING). */
  conflict: string[];
  /** Also set `updatedAt` (Prisma's @updatedAt columns have no default of their own). */
  touch?: boolean;
  /** Columns of the inserted rows to return. */
  returning: string[];
}

/**
 * Inserts the rows that do not exist yet (by `spec.conflict`), each with a new id (a random UUID, as
 * the job queue's and the webhook inbox's raw inserts make); returns the `returning` columns of the
 * rows it inserted, so the caller knows which ones existed already.
 */
export async function insertRows(tx: Tx, spec: BulkInsert, rows: Record<string, unknown>[]): Promise<Record<string, string>[]> {
  if (!rows.length) return [];
  const names = spec.columns.map((c) => c.name);
  const defs = spec.columns.map((c) => `${q(c.name)} ${c.type}`).join(", ");
  const target = ["id", ...names, ...(spec.touch ? ["updatedAt"] : [])].map(q).join(", ");
  const source = ["v.id", ...names.map((name) => `v.${q(name)}`), ...(spec.touch ? ["CURRENT_TIMESTAMP"] : [])].join(", ");
  const values = rows.map((row) => ({ id: crypto.randomUUID(), ...Object.fromEntries(names.map((name) => [name, row[name] ?? null])) }));
  const sql = `INSERT INTO ${q(spec.table)} (${target}) SELECT ${source} FROM jsonb_to_recordset($1::jsonb) AS v(id text, ${defs}) ON CONFLICT (${spec.conflict.map(q).join(", ")}) DO NOTHING RETURNING ${spec.returning.map(q).join(", ")}`;
  return tx.$queryRawUnsafe<Record<string, string>[]>(sql, JSON.stringify(values));
}

/**
 * Inserts the rows that are new (all, or those `maybeNew` picks) and updates the others, one
 * statement each: a row the insert did not return (by `key`, among its `returning` columns)
 * existed already. Rows sorted by `key`, as byKey does.
 */
export async function insertOrUpdateRows<T extends Record<string, unknown>>(
  tx: Tx,
  specs: { insert: BulkInsert; update: BulkUpdate },
  rows: T[],
  key: keyof T & string,
  maybeNew: (row: T) => boolean = () => true,
): Promise<void> {
  const inserted = await insertRows(tx, specs.insert, rows.filter(maybeNew));
  const fresh = new Set(inserted.map((row) => row[key]));
  await updateRows(
    tx,
    specs.update,
    rows.filter((row) => !fresh.has(row[key] as string)),
  );
}

/** Columns of one SQL type, for the `set` of a spec. */
export const columnsOf = (type: SqlType, ...names: string[]): SetColumn[] => names.map((name) => ({ name, type }));

/** The insert of new rows of a table: its keys, then the columns its update sets (those that are columns). */
export const insertOf = (update: BulkUpdate, keys: string[], conflict: string[], returning: string[]): BulkInsert => ({
  table: update.table,
  columns: [...keys.map((name) => ({ name, type: "text" as const })), ...update.set.filter((c) => c.expr !== null).map(({ name, type }) => ({ name, type }))],
  conflict,
  touch: update.touch,
  returning,
});

/** Sorted by a key: rows of one table are locked in the same order by every chunk. */
export const byKey = <T>(rows: T[], key: (row: T) => string) => rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
