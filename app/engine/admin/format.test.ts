import { afterEach, describe, expect, it } from "vitest";
import { formatDayInZone, formatInZone, formatReason } from "./format";

const machineZone = process.env.TZ;
afterEach(() => {
  if (machineZone === undefined) delete process.env.TZ;
  else process.env.TZ = machineZone;
});

describe("admin times", () => {
  it("reads an instant in the shop's time zone", () => {
    expect(formatInZone(new Date("2026-12-02T14:54:00Z"), "America/New_York")).toBe("Dec 2, 2026, 9:54 AM");
    expect(formatInZone("2026-12-02T14:54:00.000Z", "Asia/Tokyo")).toBe("Dec 2, 2026, 11:54 PM");
    expect(formatInZone("2026-12-02T05:07:00Z", "UTC")).toBe("Dec 2, 2026, 5:07 AM");
    expect(formatInZone("2026-12-02T00:00:00Z", "UTC")).toBe("Dec 2, 2026, 12:00 AM");
    expect(formatInZone("2026-12-02T12:30:00Z", "UTC")).toBe("Dec 2, 2026, 12:30 PM");
  });

  it("gives the same text whatever the machine's own zone", () => {
    const at = new Date("2026-03-29T00:30:00Z");
    process.env.TZ = "Pacific/Kiritimati";
    const east = formatInZone(at, "Europe/Paris");
    process.env.TZ = "Pacific/Pago_Pago";
    expect(formatInZone(at, "Europe/Paris")).toBe(east);
    expect(east).toBe("Mar 29, 2026, 1:30 AM");
  });

  it("shows nothing as a dash, and an unknown zone as labelled UTC", () => {
    expect(formatInZone(null, "UTC")).toBe("—");
    expect(formatInZone("not a date", "UTC")).toBe("—");
    expect(formatInZone("2026-12-02T13:00:00Z", "Mars/Olympus_Mons")).toBe("Dec 2, 2026, 1:00 PM UTC");
  });

  it("gives the shop's calendar day", () => {
    expect(formatDayInZone("2026-12-02T06:30:00Z", "America/Los_Angeles")).toBe("Dec 1, 2026");
    expect(formatDayInZone("2026-12-02T06:30:00Z", "Pacific/Auckland")).toBe("Dec 2, 2026");
  });

  it("reads the instants inside a stored reason like every other time", () => {
    expect(formatReason("quiet hours (recipient): until 2026-12-02T13:00:00.000Z", "Europe/Paris")).toBe("quiet hours (recipient): until Dec 2, 2026, 2:00 PM");
    expect(formatReason("order_paid at 2026-12-02T13:00:00Z (was order_created at 2026-12-01T09:15:00.000Z)", "UTC")).toBe(
      "order_paid at Dec 2, 2026, 1:00 PM (was order_created at Dec 1, 2026, 9:15 AM)",
    );
    expect(formatReason("opted out", "UTC")).toBe("opted out");
    expect(formatReason(null, "UTC")).toBeNull();
  });
});
