import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

// Vitest loads this file too: the Remix plugin must stay out of test runs.
const remixPlugin = process.env.VITEST
  ? []
  : [
      remix({
        ignoredRouteFiles: ["**/.*", "**/*.test.ts", "**/*.test.tsx"],
        future: {
          v3_fetcherPersist: true,
          v3_relativeSplatPath: true,
          v3_throwAbortReason: true,
          v3_lazyRouteDiscovery: true,
          v3_singleFetch: true,
          v3_routeConfig: false,
        },
      }),
    ];

export default defineConfig({
  server: { port: Number(process.env.PORT || 3000), host: "localhost" },
  plugins: [...remixPlugin, tsconfigPaths()],
  build: { assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
});
