// The time-of-day field is one rule for a flow's form and a journey's steps: the same values pass,
// the same ones are refused with the same message.
import { describe, expect, it } from "vitest";
import { journeyStepInput } from "../journeys/input";
import { localTimeField } from "./flow-form";

const step = (sendAtLocalTime?: string) => ({ waitValue: "1", waitUnit: "days", sendAtLocalTime, subject: "Hi", body: "Hello" });
const stepError = (value: string) => {
  const parsed = journeyStepInput.safeParse(step(value));
  return parsed.success ? null : parsed.error.issues.find((i) => i.path[0] === "sendAtLocalTime")?.message;
};

describe("localTimeField", () => {
  it.each(["", "00:00", "09:30", " 10:00 ", "23:59"])("accepts %j in flows and journey steps", (value) => {
    expect(localTimeField.parse(value)).toBe(value.trim());
    expect(stepError(value)).toBeNull();
  });

  it.each(["24:00", "9:30", "10:60", "10h", "noon"])("refuses %j in both with one message", (value) => {
    const parsed = localTimeField.safeParse(value);
    expect(parsed.success ? null : parsed.error.issues[0].message).toBe("Use HH:MM, e.g. 10:00");
    expect(stepError(value)).toBe("Use HH:MM, e.g. 10:00");
  });

  it("a journey step may leave it out (no time of day)", () => {
    expect(journeyStepInput.parse(step(undefined)).sendAtLocalTime).toBe("");
  });
});
