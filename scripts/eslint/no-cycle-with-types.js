// import-x's `no-cycle`, made to count type-only imports as edges too.
// import-x skips `import type` / `export type` edges (they vanish at run time), but a type-only
// cycle is still a layering cycle: two modules that cannot be understood or moved apart.
// Two documented extension points: the rule's visitor sees every import as a value import
// (the first edge), and this module doubles as the parser named in `import-x/parsers`, which
// import-x uses for the files the rule walks through (every further edge).
import importX from "eslint-plugin-import-x";
import tseslint from "typescript-eslint";
import { fileURLToPath } from "node:url";

const MODULE_NODES = new Set(["ImportDeclaration", "ExportNamedDeclaration", "ExportAllDeclaration", "TSImportEqualsDeclaration"]);

/** A copy of an import/export statement with every `type` marker turned into a value marker. */
function asValueEdge(node) {
  if (!MODULE_NODES.has(node.type)) return node;
  const copy = { ...node };
  if ("importKind" in copy) copy.importKind = "value";
  if ("exportKind" in copy) copy.exportKind = "value";
  if (copy.specifiers) copy.specifiers = copy.specifiers.map((s) => ({ ...s, importKind: "value", exportKind: "value" }));
  return copy;
}

const base = importX.rules["no-cycle"];

export const noCycleWithTypes = {
  ...base,
  create(context) {
    const visitor = base.create(context);
    return Object.fromEntries(Object.entries(visitor).map(([selector, handler]) => [selector, (node, ...rest) => handler(asValueEdge(node), ...rest)]));
  },
};

/** The parser interface: typescript-eslint's parser with the type markers of top-level imports and exports removed. */
export const meta = { name: "type-blind-typescript-parser" };
export function parseForESLint(code, options) {
  const result = tseslint.parser.parseForESLint(code, options);
  result.ast.body = result.ast.body.map(asValueEdge);
  return result;
}

export const parserPath = fileURLToPath(import.meta.url);
