// The shipped catalogues, by locale tag. A language Trustloop does not ship reads English text
// (formatted for its own locale).
import { de } from "./de";
import { en, type Catalog } from "./en";
import { es } from "./es";
import { fr } from "./fr";
import { it } from "./it";
import { ja } from "./ja";
import { nl } from "./nl";
import { ptBR } from "./pt-BR";

export const CATALOGS: Readonly<Record<string, Catalog>> = { en, fr, de, es, it, nl, "pt-BR": ptBR, ja };
export type { Catalog, MessageKey } from "./en";
