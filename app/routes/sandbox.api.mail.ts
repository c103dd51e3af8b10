import type { LoaderFunctionArgs } from "@remix-run/node";
import { forwardGet, requireSandbox } from "~/sandbox.server";

// Captured emails, from the built-in mail catcher (absent when SMTP_URL points elsewhere).
export const loader = async ({ request }: LoaderFunctionArgs) => {
  requireSandbox(request);
  return forwardGet(request, "/_mail/messages");
};
