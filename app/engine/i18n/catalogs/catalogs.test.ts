// Every catalogue against the English source: valid ICU in its own language, formatting with the
// arguments the English message passes, no argument dropped or added, no straight apostrophe.
import { parse, TYPE, type MessageFormatElement } from "@formatjs/icu-messageformat-parser";
import { IntlMessageFormat } from "intl-messageformat";
import { describe, expect, it } from "vitest";
import { en, type Catalog, type MessageKey } from "./en";
import { CATALOGS } from "./index";

const catalogs = Object.entries(CATALOGS) as [string, Catalog][];
const keys = Object.keys(en) as MessageKey[];

/** The arguments a message uses, nested ones included, each with its kind (plural, select, …). */
function argumentsOf(message: string): Map<string, TYPE> {
  const found = new Map<string, TYPE>();
  const walk = (elements: MessageFormatElement[]) => {
    for (const el of elements) {
      if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
      if (el.type === TYPE.tag) {
        walk(el.children);
        continue;
      }
      found.set(el.value, el.type);
      if (el.type === TYPE.select || el.type === TYPE.plural) for (const option of Object.values(el.options)) walk(option.value);
    }
  };
  walk(parse(message));
  return found;
}

const names = (message: string) => [...argumentsOf(message).keys()].sort();

/** Sample values for the English message's arguments: counts go through every plural category. */
function samples(key: MessageKey, count: number): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const [name, kind] of argumentsOf(en[key])) {
    if (kind === TYPE.plural || kind === TYPE.number) values[name] = count;
    else if (kind === TYPE.select) values[name] = "yes";
    else if (kind === TYPE.date || kind === TYPE.time) values[name] = new Date("2026-12-05T12:00:00Z");
    else values[name] = `‹${name}›`;
  }
  return values;
}
const COUNTS = [0, 1, 2, 5, 21, 1_000_000];

describe.each(catalogs)("the %s catalogue", (locale, catalog) => {
  it("has exactly the English keys", () => {
    expect(Object.keys(catalog).sort()).toEqual([...keys].sort());
  });

  it("formats every message in its language with the English message's arguments", () => {
    const failures: string[] = [];
    for (const key of keys) {
      for (const count of COUNTS) {
        const values = samples(key, count);
        try {
          const out = new IntlMessageFormat(catalog[key], locale).format(values);
          // A text value that does not come out was swallowed (quoted, or lost in a branch).
          const lost = Object.values(values).filter((v) => typeof v === "string" && v.startsWith("‹") && !String(out).includes(v));
          if (typeof out !== "string" || !out.trim() || lost.length) failures.push(`${key} (${count}): ${String(out)}`);
        } catch (error) {
          failures.push(`${key} (${count}): ${(error as Error).message}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("uses the same arguments as the English message", () => {
    const different = keys.filter((key) => names(catalog[key]).join() !== names(en[key]).join());
    expect(different.map((key) => `${key}: ${names(catalog[key]).join()} ≠ ${names(en[key]).join()}`)).toEqual([]);
  });

  it("uses typographic apostrophes only (a straight one starts an ICU quote)", () => {
    expect(keys.filter((key) => catalog[key].includes("'"))).toEqual([]);
  });
});
