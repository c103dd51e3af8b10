// Posting to an admin route as the embedded app does: Remix single fetch (POST <route>.data) with
// the session token as a Bearer header.
import { decode } from "turbo-stream";
import { mintIdToken } from "../../sandbox/emulator/id-token";
import { API_KEY, API_SECRET, BROWSER_UA } from "./stack";

export interface ActionResult<T> {
  status: number;
  data: T | null;
}

export async function postAdminAction<T = { errors?: Record<string, string>; saved?: boolean }>(
  appUrl: string,
  pathname: string,
  fields: Record<string, string>,
  shop: string,
  /** The staff member signed in (the session token's `sub`); 1 is the account owner. */
  userId = 1,
): Promise<ActionResult<T>> {
  const response = await fetch(`${appUrl}${pathname}.data`, {
    method: "POST",
    headers: {
      Authorization: `Bearer ${mintIdToken({ shop, apiKey: API_KEY, apiSecret: API_SECRET, userId })}`,
      "User-Agent": BROWSER_UA,
      "Content-Type": "application/x-www-form-urlencoded",
    },
    body: new URLSearchParams(fields),
  });
  let data: unknown = null;
  // Action data decodes plainly; thrown responses use Remix's own encoding (only the status counts).
  if (response.ok && response.body && response.headers.get("content-type")?.includes("text/x-script")) {
    const decoded = await decode(response.body);
    await decoded.done;
    data = (decoded.value as { data?: unknown })?.data ?? decoded.value;
  } else {
    await response.body?.cancel();
  }
  return { status: response.status, data: data as T | null };
}
