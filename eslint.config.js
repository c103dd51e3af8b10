// The linter guards the layout (decision 036): no import cycles (type-only edges included), an engine
// free of the framework, small files and functions. Formatting is Prettier's job, not the linter's.
import js from "@eslint/js";
import { defineConfig, globalIgnores } from "eslint/config";
import eslintConfigPrettier from "eslint-config-prettier/flat";
import { createTypeScriptImportResolver } from "eslint-import-resolver-typescript";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";
import { noCycleWithTypes, parserPath as typeBlindParserPath } from "./scripts/eslint/no-cycle-with-types.js";

const SOURCE = "**/*.{ts,tsx,js,mjs}";
const TESTS = ["**/*.test.{ts,tsx}", "tests/**"];

const NO_ENV = "The engine never reads the environment: take the value as a parameter.";
const ENV_IMPORTS = ["process", "node:process"].map((name) => ({ name, importNames: ["env"], message: NO_ENV }));
const REMIX_IMPORTS = { group: ["@remix-run/*"], message: "The engine does not know the framework: keep Remix in routes." };
// `*.server` modules and `.server/` folders, by the import's path.
const SERVER_IMPORTS = {
  regex: String.raw`(^|/)[^/]*\.server(\.[cm]?[jt]sx?)?$|(^|/)\.server(/|$)`,
  message: "The engine never imports *.server modules: pass what it needs in.",
};

export default defineConfig([
  globalIgnores([
    "build/",
    "public/build/",
    "node_modules/",
    ".cache/",
    "data/",
    "tests/artifacts/",
    "extensions/*/dist/",
    "**/generated/prisma/",
    "**/node_modules/.prisma/",
  ]),

  { files: [SOURCE], extends: [js.configs.recommended, tseslint.configs.recommended] },

  {
    files: [SOURCE],
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    plugins: { layout: { rules: { "no-cycle": noCycleWithTypes } } },
    settings: {
      "import-x/resolver-next": [createTypeScriptImportResolver({ project: "tsconfig.json" })],
      // The files no-cycle walks through are read by this parser, which keeps their type-only edges.
      "import-x/parsers": { [typeBlindParserPath]: [".ts", ".tsx"] },
    },
    rules: {
      "layout/no-cycle": "error",
      // A `_` parameter keeps its position in a signature; a rest sibling omits the fields it names.
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", ignoreRestSiblings: true }],
    },
  },

  // Browser code: the Remix app's client side and the checkout extension.
  { files: ["app/**/*.tsx", "extensions/*/src/**"], languageOptions: { globals: { ...globals.browser } } },

  // Hooks: the two classic rules. The plugin's React Compiler rules are for code compiled by the
  // React Compiler, which this app does not use.
  {
    files: ["app/**/*.tsx", "extensions/*/src/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "error" },
  },

  // Size: real lines, blank lines and comments included. A data file (a table, not logic) would be exempted here by name.
  { files: ["app/**"], rules: { "max-lines": ["error", { max: 300, skipBlankLines: false, skipComments: false }] } },
  {
    files: ["app/engine/**"],
    ignores: TESTS,
    rules: { "max-lines-per-function": ["error", { max: 80, skipBlankLines: false, skipComments: false, IIFEs: true }] },
  },

  // The engine knows nothing of the framework or the environment: clock and I/O are passed in.
  {
    files: ["app/engine/**"],
    ignores: TESTS,
    rules: {
      "no-restricted-imports": ["error", { paths: ENV_IMPORTS, patterns: [REMIX_IMPORTS, SERVER_IMPORTS] }],
      "no-restricted-properties": ["error", { object: "process", property: "env", message: NO_ENV }],
    },
  },
  // Its tests are the harness around it: they wire the real database (`db.server`) and set `TZ`.
  { files: ["app/engine/**/*.test.ts"], rules: { "no-restricted-imports": ["error", { patterns: [REMIX_IMPORTS] }] } },

  // Tests read loosely shaped JSON answers and hand-built mocks, where `any` is the honest type.
  { files: TESTS, rules: { "@typescript-eslint/no-explicit-any": "off" } },

  eslintConfigPrettier,
]);
