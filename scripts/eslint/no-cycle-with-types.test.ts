import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ESLint, type Linter } from "eslint";
import importX, { createNodeResolver } from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";
import { afterEach, describe, expect, it } from "vitest";
import { noCycleWithTypes, parserPath } from "./no-cycle-with-types.js";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Lints `files` (name → source) in a fresh folder with one cycle rule, set up as eslint.config.js does; the rules reported, per file. */
async function lint(files: Record<string, string>, rule: "layout/no-cycle" | "import-x/no-cycle" = "layout/no-cycle") {
  const dir = mkdtempSync(join(tmpdir(), "no-cycle-"));
  dirs.push(dir);
  for (const [name, source] of Object.entries(files)) writeFileSync(join(dir, name), source);
  const config: Linter.Config = {
    files: ["**/*.ts"],
    languageOptions: { parser: tseslint.parser },
    plugins: { layout: { rules: { "no-cycle": noCycleWithTypes } }, "import-x": importX },
    settings: {
      "import-x/resolver-next": [createNodeResolver({ extensions: [".ts"] })],
      ...(rule === "layout/no-cycle" && { "import-x/parsers": { [parserPath]: [".ts"] } }),
    },
    rules: { [rule]: "error" },
  };
  const eslint = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config });
  const results = await eslint.lintFiles(Object.keys(files));
  return Object.fromEntries(results.map((r) => [r.filePath.slice(dir.length + 1), r.messages.map((m) => m.ruleId ?? m.message)]));
}

const BOTH = { "a.ts": ["layout/no-cycle"], "b.ts": ["layout/no-cycle"] };
/** a → b by `import type`, b → a by value. */
const TYPE_ONLY_PAIR = {
  "a.ts": 'import type { B } from "./b";\nexport const a = 1;\nexport type A = B;\n',
  "b.ts": 'import { a } from "./a";\nexport type B = typeof a;\n',
};

describe("no-cycle with type-only edges", () => {
  it("reports a cycle closed by an `import type` (first edge)", async () => {
    expect(await lint(TYPE_ONLY_PAIR)).toEqual(BOTH);
  });

  it("reports a cycle whose type-only edge lies further along the chain", async () => {
    const found = await lint({
      "a.ts": 'import { b } from "./b";\nexport const a = b;\nexport type A = number;\n',
      "b.ts": 'import { c } from "./c";\nexport const b = c;\n',
      "c.ts": 'import { type A } from "./a";\nexport const c: A = 1;\n',
    });
    expect(found["a.ts"]).toEqual(["layout/no-cycle"]);
  });

  it("reports `export type … from` edges", async () => {
    const found = await lint({
      "a.ts": 'export type { B } from "./b";\nexport type A = string;\n',
      "b.ts": 'import { type A } from "./a";\nexport type B = A;\n',
    });
    expect(found).toEqual(BOTH);
  });

  it("is quiet without a cycle", async () => {
    const found = await lint({ "a.ts": 'import type { B } from "./b";\nexport type A = B;\n', "b.ts": "export type B = number;\n" });
    expect(found).toEqual({ "a.ts": [], "b.ts": [] });
  });

  it("catches what import-x's own rule lets through", async () => {
    expect(await lint(TYPE_ONLY_PAIR, "import-x/no-cycle")).toEqual({ "a.ts": [], "b.ts": [] });
  });
});
