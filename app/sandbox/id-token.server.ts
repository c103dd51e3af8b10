// Server-only re-export: the sandbox mints the session tokens Shopify admin would give the app.
export { mintIdToken } from "../../sandbox/emulator/id-token";
