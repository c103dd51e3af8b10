import { forwardGet, requireSandbox } from "~/sandbox.server";

// The emulator's record of the GraphQL operations the app sent.
export const loader = async () => {
  requireSandbox();
  return forwardGet("/_control/admin-calls");
};
