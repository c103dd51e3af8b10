// /flow/actions/<handle> — the runtime URL of each Trustloop action in Shopify Flow (definitions.ts).
// authenticate.flow verifies Flow's signature and finds the shop's offline session: a forged or
// unknown-shop request is answered 400 (a GET 405) before our code runs. The engine checks,
// records and queues the run; the worker applies it. Flow retries 5xx for up to a day, so our own
// trouble (the database unreachable) is a 503, and bad input a 4xx with a message for the merchant.
import type { ActionFunctionArgs } from "@remix-run/node";
import { acceptFlowAction } from "~/engine/flow/actions";
import { isDatabaseTrouble } from "~/engine/util/database-trouble";
import { loggableError } from "~/engine/util/loggable";
import { log } from "~/log.server";
import { publicContext } from "~/route-context.server";
import { authenticate } from "~/shopify.server";

const json = (status: number, body: unknown) =>
  new Response(JSON.stringify(body), { status, headers: { "Content-Type": "application/json", "Cache-Control": "no-store" } });

export const loader = () => new Response(null, { status: 405, headers: { Allow: "POST" } });

export async function action({ request, params }: ActionFunctionArgs) {
  let payload: unknown;
  try {
    ({ payload } = await authenticate.flow(request));
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    // The library parses the body only once the signature checked out: a signed body that is not JSON.
    if (thrown instanceof SyntaxError) return json(400, { message: "the request body is not valid JSON" });
    if (isDatabaseTrouble(thrown)) return unavailable(thrown);
    throw thrown;
  }
  try {
    const { db, clock } = await publicContext();
    const answer = await acceptFlowAction({ db, clock, log }, params.handle ?? "", payload);
    return json(answer.status, answer.body);
  } catch (error) {
    if (isDatabaseTrouble(error)) return unavailable(error);
    throw error;
  }
}

function unavailable(error: unknown) {
  log({ msg: "flow action not recorded", level: "error", ...loggableError(error) });
  return json(503, { message: "Trustloop could not record this run just now; Flow will try again" });
}
