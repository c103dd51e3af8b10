// The link-token key ring of this process, from TRUSTLOOP_LINK_KEYS (the first key signs). The app
// secret only verifies tokens issued before key ids existed (docs/decisions/012-link-keys.md).
import type { Env } from "./env.server";
import { linkKeys, type LinkKeys } from "./engine/links/tokens";

let cached: { config: Env; keys: LinkKeys } | undefined;

export function linkKeysOf(config: Env): LinkKeys {
  if (cached?.config !== config) cached = { config, keys: linkKeys(config.TRUSTLOOP_LINK_KEYS, { legacyApiSecret: config.SHOPIFY_API_SECRET }) };
  return cached.keys;
}
