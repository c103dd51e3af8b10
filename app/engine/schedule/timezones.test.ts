import { describe, expect, it } from "vitest";
import { COUNTRY_ZONES, PROVINCE_ZONES, isValidTimeZone, recipientTimezone } from "./timezones";

const SHOP = "Europe/Berlin";

describe("isValidTimeZone", () => {
  it("accepts IANA zones and rejects garbage", () => {
    expect(isValidTimeZone("America/New_York")).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus_Mons")).toBe(false);
    expect(isValidTimeZone("")).toBe(false);
    expect(isValidTimeZone("   ")).toBe(false);
  });
});

describe("the zone tables", () => {
  const all: Array<[string, string]> = [
    ...Object.entries(COUNTRY_ZONES),
    ...Object.entries(PROVINCE_ZONES).flatMap(([country, multi]) => [
      [`${country} (default)`, multi.default] as [string, string],
      ...Object.entries(multi.provinces).map(([p, zone]) => [`${country}-${p}`, zone] as [string, string]),
    ]),
  ];

  it.each(all)("%s → %s is a zone Intl knows", (_key, timeZone) => {
    expect(() => new Intl.DateTimeFormat(undefined, { timeZone })).not.toThrow();
    expect(isValidTimeZone(timeZone)).toBe(true);
  });

  it("keeps a country in one table only", () => {
    for (const country of Object.keys(PROVINCE_ZONES)) expect(COUNTRY_ZONES[country]).toBeUndefined();
  });

  it("covers every EU/EEA country and the other required single-zone countries", () => {
    const required = [
      ..."AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL RO SK SI SE IS LI NO".split(" "),
      ..."GB CH TR IL AE SA IN PK BD SG MY TH VN PH CN HK TW JP KR ZA NG KE EG MA AR CO PE UY".split(" "),
    ];
    for (const country of required) expect(COUNTRY_ZONES[country], country).toBeDefined();
    for (const country of ["ES", "PT", "NZ", "ID", "CL", "US", "CA", "AU", "BR", "MX", "RU"]) {
      expect(PROVINCE_ZONES[country], country).toBeDefined();
    }
  });

  it("maps all 50 US states + DC + PR", () => {
    const states =
      "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR".split(
        " ",
      );
    expect(states).toHaveLength(52);
    for (const state of states) expect(PROVINCE_ZONES.US.provinces[state], state).toBeDefined();
  });

  it("maps all 13 Canadian provinces and territories and all 8 Australian states", () => {
    for (const p of "AB BC MB NB NL NS NT NU ON PE QC SK YT".split(" ")) expect(PROVINCE_ZONES.CA.provinces[p], p).toBeDefined();
    for (const p of "ACT NSW NT QLD SA TAS VIC WA".split(" ")) expect(PROVINCE_ZONES.AU.provinces[p], p).toBeDefined();
  });
});

describe("recipientTimezone", () => {
  it.each([
    ["FR", null, "Europe/Paris"],
    ["DE", "BE", "Europe/Berlin"], // province ignored for single-zone countries
    ["GB", null, "Europe/London"],
    ["IE", null, "Europe/Dublin"],
    ["JP", "JP-13", "Asia/Tokyo"],
    ["NZ", "AUK", "Pacific/Auckland"],
    ["NZ", "CIT", "Pacific/Chatham"],
    ["NZ", null, "Pacific/Auckland"],
    ["ID", "JK", "Asia/Jakarta"],
    ["ID", "BA", "Asia/Makassar"],
    ["ID", "PA", "Asia/Jayapura"],
    ["ID", null, "Asia/Jakarta"],
    ["AR", "B", "America/Argentina/Buenos_Aires"],
    ["CL", "RM", "America/Santiago"],
    ["IN", "MH", "Asia/Kolkata"],
    ["SG", null, "Asia/Singapore"],
  ])("%s / %s → %s", (country, province, zone) => {
    expect(recipientTimezone(country, province, SHOP)).toBe(zone);
  });

  it.each([
    ["NY", "America/New_York"],
    ["CA", "America/Los_Angeles"],
    ["TX", "America/Chicago"],
    ["AZ", "America/Phoenix"],
    ["HI", "Pacific/Honolulu"],
    ["AK", "America/Anchorage"],
    ["IN", "America/Indiana/Indianapolis"],
    ["CO", "America/Denver"],
    ["FL", "America/New_York"],
    ["MI", "America/Detroit"],
    ["DC", "America/New_York"],
    ["PR", "America/Puerto_Rico"],
  ])("US / %s → %s", (province, zone) => {
    expect(recipientTimezone("US", province, SHOP)).toBe(zone);
  });

  it("falls back to America/New_York for a US address without (or with an unknown) province", () => {
    expect(recipientTimezone("US", null, SHOP)).toBe("America/New_York");
    expect(recipientTimezone("US", "", SHOP)).toBe("America/New_York");
    expect(recipientTimezone("US", "AE", SHOP)).toBe("America/New_York"); // Armed Forces Europe
    expect(recipientTimezone("US", "ZZ", SHOP)).toBe("America/New_York");
  });

  it.each([
    ["CA", "ON", "America/Toronto"],
    ["CA", "QC", "America/Toronto"],
    ["CA", "BC", "America/Vancouver"],
    ["CA", "AB", "America/Edmonton"],
    ["CA", "SK", "America/Regina"],
    ["CA", "MB", "America/Winnipeg"],
    ["CA", "NS", "America/Halifax"],
    ["CA", "NB", "America/Halifax"],
    ["CA", "PE", "America/Halifax"],
    ["CA", "NL", "America/St_Johns"],
    ["CA", "YT", "America/Whitehorse"],
    ["CA", "NT", "America/Yellowknife"],
    ["CA", "NU", "America/Iqaluit"],
    ["CA", null, "America/Toronto"],
    ["AU", "NSW", "Australia/Sydney"],
    ["AU", "ACT", "Australia/Sydney"],
    ["AU", "VIC", "Australia/Melbourne"],
    ["AU", "TAS", "Australia/Hobart"],
    ["AU", "QLD", "Australia/Brisbane"],
    ["AU", "SA", "Australia/Adelaide"],
    ["AU", "WA", "Australia/Perth"],
    ["AU", "NT", "Australia/Darwin"],
    ["AU", null, "Australia/Sydney"],
    ["BR", "SP", "America/Sao_Paulo"],
    ["BR", "AM", "America/Manaus"],
    ["BR", null, "America/Sao_Paulo"],
    ["MX", "DF", "America/Mexico_City"],
    ["MX", "BC", "America/Tijuana"],
    ["MX", "SON", "America/Hermosillo"],
    ["MX", "Q ROO", "America/Cancun"],
    ["MX", "ROO", "America/Cancun"],
    ["MX", null, "America/Mexico_City"],
    ["RU", "MOW", "Europe/Moscow"],
    ["RU", "KGD", "Europe/Kaliningrad"],
    ["RU", null, "Europe/Moscow"],
    ["ES", "M", "Europe/Madrid"],
    ["ES", "CN", "Atlantic/Canary"],
    ["ES", "TF", "Atlantic/Canary"],
    ["ES", null, "Europe/Madrid"],
    ["PT", "PT-11", "Europe/Lisbon"],
    ["PT", "PT-20", "Atlantic/Azores"],
    ["PT", "PT-30", "Atlantic/Madeira"],
    ["PT", null, "Europe/Lisbon"],
  ])("%s / %s → %s", (country, province, zone) => {
    expect(recipientTimezone(country, province, SHOP)).toBe(zone);
  });

  it("normalizes case, whitespace and ISO 3166-2 prefixes", () => {
    expect(recipientTimezone(" us ", " ca ", SHOP)).toBe("America/Los_Angeles");
    expect(recipientTimezone("US", "US-HI", SHOP)).toBe("Pacific/Honolulu");
    expect(recipientTimezone("au", "wa", SHOP)).toBe("Australia/Perth");
    expect(recipientTimezone("UK", null, SHOP)).toBe("Europe/London");
  });

  it("returns the fallback for an unknown or missing country", () => {
    expect(recipientTimezone("ZZ", null, SHOP)).toBe(SHOP);
    expect(recipientTimezone(null, "NY", SHOP)).toBe(SHOP);
    expect(recipientTimezone("", null, "America/Vancouver")).toBe("America/Vancouver");
    expect(recipientTimezone("__proto__", null, SHOP)).toBe(SHOP);
    expect(recipientTimezone("US", "__proto__", SHOP)).toBe("America/New_York");
  });

  it("returns UTC when even the fallback is not a zone", () => {
    expect(recipientTimezone(null, null, "Not/AZone")).toBe("UTC");
    expect(recipientTimezone("FR", null, "Not/AZone")).toBe("Europe/Paris");
  });
});
