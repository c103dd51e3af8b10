// /c/<token>: a tracked link from an email. Verifies the token, redirects (302) to the http(s)
// target signed inside it (the shop's pages, a carrier's tracking page), and records the click
// (at most once per message+URL per 60 s, since mail scanners pre-fetch links). Anything else is a 404.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { db } from "~/db.server";
import { publicContext } from "~/route-context.server";
import { log } from "~/log.server";
import { followClick } from "~/engine/links/clicks";
import { linkKeysOf } from "~/links.server";
import { readClickToken } from "~/engine/links/urls";

const HEADERS = { "Cache-Control": "no-store", "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow" };

export const loader = async ({ params }: LoaderFunctionArgs) => {
  const { config, clock } = await publicContext();
  const click = readClickToken(linkKeysOf(config), params.token ?? "", clock.now());
  const result = click ? await followClick(db, clock, { messageId: click.m, url: click.u }) : null;
  if (!click || !result) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8", ...HEADERS } });
  if (result.recorded) log({ msg: "link click", messageId: click.m });
  return new Response(null, { status: 302, headers: { Location: result.redirect, ...HEADERS } });
};
