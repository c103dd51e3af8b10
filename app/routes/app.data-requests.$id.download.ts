// POST /app/data-requests/:id/download: the report of one of this shop's data requests, as a JSON
// file. POST because the first download is recorded (the retention purge counts from it); GET
// changes nothing and answers 405.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { adminContext } from "~/route-context.server";
import { downloadDataRequest } from "~/engine/privacy/requests";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await adminContext(request);
  throw new Response("Download with POST", { status: 405, headers: { Allow: "POST" } });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const { shop, db, clock } = await adminContext(request);
  const file = await downloadDataRequest(db, clock, shop.id, params.id ?? "");
  if (!file) throw new Response("Not found", { status: 404 });
  return new Response(file.body, {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
};
