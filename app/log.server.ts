// Structured, one-line JSON logs. Callers pass identifiers and outcomes, never payloads or
// email addresses (privacy rule: nothing a customer typed or owns ends up in the logs).
export type LogEvent = { msg: string } & Record<string, unknown>;

export function log(event: LogEvent) {
  const line = JSON.stringify({ at: new Date().toISOString(), ...event });
  if (event.level === "error") console.error(line);
  else console.log(line);
}
