import { forwardGet, requireSandbox } from "~/sandbox.server";

// Captured emails, from the built-in mail catcher (absent when SMTP_URL points elsewhere).
export const loader = async () => {
  requireSandbox();
  return forwardGet("/_mail/messages");
};
