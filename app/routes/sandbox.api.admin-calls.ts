import type { LoaderFunctionArgs } from "@remix-run/node";
import { forwardGet, requireSandbox } from "~/sandbox.server";

// The emulator's record of the GraphQL operations the app sent.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  requireSandbox(request);
  return forwardGet(request, "/_control/admin-calls");
};
