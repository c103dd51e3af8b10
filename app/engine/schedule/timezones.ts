// The recipient's IANA zone, from the shipping address. Quiet hours and "send at 10:00" are
// recipient-local; this is where "local" comes from (docs/decisions/039-recipient-zone-and-dst-by-libraries.md):
// the address's coordinates (offline boundary lookup), else its country when the country keeps one
// clock, else the shop's zone.
import tzLookup from "@photostructure/tz-lookup";
import { getTimezonesForCountry } from "countries-and-timezones";
import { IANAZone } from "luxon";

/** The parts of a mirrored order the zone is derived from. */
export interface ShippingPlace {
  shipLatitude: number | null;
  shipLongitude: number | null;
  /** ISO 3166-1 alpha-2 */
  shipCountry: string | null;
}

/** Whether `tz` is an IANA zone the runtime knows (what `Intl.DateTimeFormat` accepts). */
export function isValidTimeZone(tz: string): boolean {
  return typeof tz === "string" && tz.trim() !== "" && IANAZone.create(tz).isValid;
}

function zoneAt(latitude: number | null, longitude: number | null): string | null {
  if (latitude === null || longitude === null || !Number.isFinite(latitude) || !Number.isFinite(longitude)) return null;
  try {
    return tzLookup(latitude, longitude);
  } catch {
    return null; // out of range: not a place
  }
}

/**
 * The zone of a country that keeps one clock: every zone listed for it has the same standard and
 * daylight offsets (Germany lists Europe/Busingen beside Europe/Berlin). Named by the country's own
 * zone: canonical (Europe/Berlin, not Europe/Zurich), else its own link (Europe/Amsterdam, a link to
 * Europe/Brussels). Null for an unknown country or one with several clocks.
 */
export function countryZone(country: string | null): string | null {
  const code = country?.trim().toUpperCase();
  const zones = code ? (getTimezonesForCountry(code, { deprecated: true }) ?? []) : [];
  if (!zones.length || new Set(zones.map((z) => `${z.utcOffset}/${z.dstOffset}`)).size !== 1) return null;
  const own = zones.filter((z) => z.countries[0] === code && z.name.includes("/"));
  const zone = own.find((z) => !z.aliasOf) ?? own[0] ?? zones.find((z) => !z.aliasOf) ?? zones[0];
  return zone.name;
}

/**
 * The recipient's zone: from the shipping coordinates, else the country when it keeps one clock,
 * else `fallback` (the shop's zone), or "UTC" if `fallback` itself isn't a valid zone.
 */
export function recipientTimezone(place: ShippingPlace, fallback: string): string {
  const known = (zone: string | null) => (zone && isValidTimeZone(zone) ? zone : null);
  return known(zoneAt(place.shipLatitude, place.shipLongitude)) ?? known(countryZone(place.shipCountry)) ?? known(fallback) ?? "UTC";
}
