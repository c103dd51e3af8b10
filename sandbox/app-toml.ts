// Reads what the sandbox needs from shopify.app.toml: access scopes, the webhook API version and
// the [[webhooks.subscriptions]] entries (parsed by smol-toml; the same parser reads the Flow
// extensions' files in their test).
import { readFileSync } from "node:fs";
import { parse } from "smol-toml";
import { z } from "zod";

export interface WebhookSubscription {
  topics: string[];
  uri: string;
}

export interface AppToml {
  applicationUrl: string;
  scopes: string;
  webhookApiVersion?: string;
  subscriptions: WebhookSubscription[];
}

const appToml = z.object({
  application_url: z.string().default(""),
  access_scopes: z.object({ scopes: z.string().default("") }).default({}),
  webhooks: z
    .object({
      api_version: z.string().optional(),
      subscriptions: z
        .array(z.object({ uri: z.string().default(""), topics: z.array(z.string()).default([]), compliance_topics: z.array(z.string()).default([]) }))
        .default([]),
    })
    .default({}),
});

export function readAppToml(path: string): AppToml {
  return parseAppToml(readFileSync(path, "utf8"));
}

export function parseAppToml(text: string): AppToml {
  const toml = appToml.parse(parse(text));
  return {
    applicationUrl: toml.application_url,
    scopes: toml.access_scopes.scopes,
    webhookApiVersion: toml.webhooks.api_version,
    subscriptions: toml.webhooks.subscriptions
      .map((s) => ({ topics: [...s.topics, ...s.compliance_topics], uri: s.uri }))
      .filter((s) => s.uri && s.topics.length),
  };
}
