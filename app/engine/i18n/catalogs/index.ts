// The shipped catalogues, by locale tag. A language Trustloop does not ship reads English text
// (formatted for its own locale).
import { en, type Catalog } from "./en";

export const CATALOGS: Readonly<Record<string, Catalog>> = { en };
export type { Catalog, MessageKey } from "./en";
