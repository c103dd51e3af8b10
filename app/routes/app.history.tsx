// POST /app/history: (re)start the shop's order-history import, then back to the home page.
// A running import is left alone; GET changes nothing (it only leads back home).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { adminContext } from "~/route-context.server";
import { startHistoryImport } from "~/engine/history/import";
import { log } from "~/log.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { redirect } = await adminContext(request);
  return redirect("/app");
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { shop, redirect, db, clock } = await adminContext(request);
  // Scopes as granted now: a shop that has since granted read_all_orders gets all its history.
  const started = await db.$transaction((tx) => startHistoryImport(tx, clock, shop, { restart: true }));
  log({ msg: started ? "history import started" : "history import already running", shopId: shop.id });
  return redirect("/app");
};
