// Display helpers for the admin read models. Times are formatted on the server, in the shop's
// timezone, so the page reads the same for every staff member (and hydrates without mismatch).

export function formatInZone(date: Date | null | undefined, timeZone: string): string {
  if (!date) return "—";
  try {
    return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(date);
  } catch {
    return date.toISOString().replace("T", " ").slice(0, 16) + " UTC";
  }
}

/** "jane@example.com" → "j•••@example.com". Lists never show full addresses. */
export function maskEmail(email: string | null | undefined): string {
  if (!email) return "—";
  const at = email.lastIndexOf("@");
  if (at <= 0) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}
