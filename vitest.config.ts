import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["app/**/*.test.ts", "sandbox/**/*.test.ts", "scripts/**/*.test.ts"],
          environment: "node",
          // Engine tests that touch the database get their own copy of the migrated template.
          globalSetup: ["tests/support/global-setup.ts"],
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          pool: "forks",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          globalSetup: ["tests/support/global-setup.ts"],
        },
      },
      {
        extends: true,
        test: {
          name: "browser",
          include: ["tests/browser/**/*.test.ts"],
          environment: "node",
          pool: "forks",
          testTimeout: 120_000,
          hookTimeout: 600_000,
          globalSetup: ["tests/support/global-setup.ts"],
        },
      },
      {
        // The thank-you checkout UI extension (its own workspace package): Preact + jsdom.
        esbuild: { jsx: "automatic", jsxImportSource: "preact" },
        test: {
          name: "extension",
          root: "extensions/thank-you",
          include: ["tests/**/*.test.{ts,tsx}"],
          environment: "jsdom",
          server: { deps: { inline: ["@shopify/ui-extensions-tester"] } },
        },
      },
    ],
  },
});
