import { describe, expect, it } from "vitest";
import { countryZone, isValidTimeZone, recipientTimezone } from "./timezones";

const SHOP = "Europe/Berlin";
const at = (shipLatitude: number | null, shipLongitude: number | null, shipCountry: string | null = null) => ({ shipLatitude, shipLongitude, shipCountry });

describe("isValidTimeZone: IANA zones, not garbage", () => {
  it.each(["America/New_York", "UTC"])("accepts %s", (zone) => expect(isValidTimeZone(zone)).toBe(true));
  it.each(["Mars/Olympus_Mons", "", "   "])("rejects %j", (zone) => expect(isValidTimeZone(zone)).toBe(false));
});

describe("recipientTimezone from the shipping coordinates", () => {
  it.each([
    ["Brooklyn", 40.6782, -73.9442, "America/New_York"],
    ["Oakland", 37.8044, -122.2712, "America/Los_Angeles"],
    ["Phoenix (no DST, unlike its neighbours)", 33.4484, -112.074, "America/Phoenix"],
    ["Toronto", 43.6532, -79.3832, "America/Toronto"],
    ["Lyon", 45.764, 4.8357, "Europe/Paris"],
    ["Hamburg", 53.5511, 9.9937, "Europe/Berlin"],
    ["Sydney", -33.8688, 151.2093, "Australia/Sydney"],
    ["Tokyo", 35.6762, 139.6503, "Asia/Tokyo"],
    ["Chatham Islands", -43.9535, -176.5597, "Pacific/Chatham"],
  ])("%s → %s", (_place, lat, lon, zone) => {
    expect(recipientTimezone(at(lat, lon), SHOP)).toBe(zone);
  });

  it("tells neighbours across a border apart", () => {
    // San Diego and Tijuana are 25 km apart; Mexico has its own zone there (different DST rules until 2010).
    expect(recipientTimezone(at(32.7157, -117.1611, "US"), SHOP)).toBe("America/Los_Angeles");
    expect(recipientTimezone(at(32.5149, -117.0382, "MX"), SHOP)).toBe("America/Tijuana");
    // El Paso (Mountain) and Ciudad Juárez across the Rio Grande.
    expect(recipientTimezone(at(31.7619, -106.485, "US"), SHOP)).toBe("America/Denver");
    expect(recipientTimezone(at(31.6904, -106.4245, "MX"), SHOP)).toBe("America/Ciudad_Juarez");
    // Kansas City, Missouri and Kansas City, Kansas: one city across a state line, one zone.
    expect(recipientTimezone(at(39.0997, -94.5786, "US"), SHOP)).toBe("America/Chicago");
    expect(recipientTimezone(at(39.1141, -94.6275, "US"), SHOP)).toBe("America/Chicago");
    // Strasbourg and Kehl across the Rhine.
    expect(recipientTimezone(at(48.5734, 7.7521, "FR"), SHOP)).toBe("Europe/Paris");
    expect(recipientTimezone(at(48.5729, 7.8157, "DE"), "America/New_York")).toBe("Europe/Berlin");
  });

  it("prefers the coordinates over the country", () => {
    // A French address on Réunion: the country alone would say Paris.
    expect(recipientTimezone(at(-20.8821, 55.4507, "FR"), SHOP)).toBe("Indian/Reunion");
  });

  it("ignores coordinates that are not a place", () => {
    expect(recipientTimezone(at(91, 0, "FR"), SHOP)).toBe("Europe/Paris");
    expect(recipientTimezone(at(Number.NaN, 2.35, "FR"), SHOP)).toBe("Europe/Paris");
    expect(recipientTimezone(at(48.85, null, "FR"), SHOP)).toBe("Europe/Paris");
  });
});

describe("recipientTimezone without coordinates", () => {
  it.each([
    ["FR", "Europe/Paris"],
    ["fr ", "Europe/Paris"],
    ["DE", "Europe/Berlin"], // also lists Europe/Busingen, on the same clock
    ["GB", "Europe/London"],
    ["NL", "Europe/Amsterdam"], // a link to Europe/Brussels: the country's own name
    ["JP", "Asia/Tokyo"],
    ["IN", "Asia/Kolkata"],
    ["SG", "Asia/Singapore"],
  ])("%s keeps one clock → %s", (country, zone) => {
    expect(recipientTimezone(at(null, null, country), SHOP)).toBe(zone);
    expect(countryZone(country)).toBe(zone);
  });

  it.each(["US", "CA", "AU", "BR", "MX", "RU", "ES", "PT", "NZ", "ID"])("%s has several clocks → the shop's zone", (country) => {
    expect(countryZone(country)).toBeNull();
    expect(recipientTimezone(at(null, null, country), SHOP)).toBe(SHOP);
    expect(recipientTimezone(at(null, null, country), "America/Vancouver")).toBe("America/Vancouver");
  });

  it("returns the shop's zone for an unknown or missing country", () => {
    expect(recipientTimezone(at(null, null, "ZZ"), SHOP)).toBe(SHOP);
    expect(recipientTimezone(at(null, null, null), SHOP)).toBe(SHOP);
    expect(recipientTimezone(at(null, null, ""), "America/Vancouver")).toBe("America/Vancouver");
    expect(recipientTimezone(at(null, null, "__proto__"), SHOP)).toBe(SHOP);
  });

  it("returns UTC when even the shop's zone is not a zone", () => {
    expect(recipientTimezone(at(null, null, null), "Not/AZone")).toBe("UTC");
    expect(recipientTimezone(at(null, null, "FR"), "Not/AZone")).toBe("Europe/Paris");
  });
});
