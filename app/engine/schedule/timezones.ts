// The recipient's IANA zone, derived from the shipping address (country + province code).
// Quiet hours and "send at 10:00" are recipient-local; this is where "local" comes from.

/** Countries that live in one zone (or whose zones share the same rules today). ISO 3166-1 alpha-2. */
export const COUNTRY_ZONES: Readonly<Record<string, string>> = {
  // EU / EEA / Europe
  AD: "Europe/Andorra",
  AL: "Europe/Tirane",
  AT: "Europe/Vienna",
  AX: "Europe/Mariehamn",
  BA: "Europe/Sarajevo",
  BE: "Europe/Brussels",
  BG: "Europe/Sofia",
  BY: "Europe/Minsk",
  CH: "Europe/Zurich",
  CY: "Asia/Nicosia",
  CZ: "Europe/Prague",
  DE: "Europe/Berlin",
  DK: "Europe/Copenhagen",
  EE: "Europe/Tallinn",
  FI: "Europe/Helsinki",
  FO: "Atlantic/Faroe",
  FR: "Europe/Paris",
  GB: "Europe/London",
  GG: "Europe/Guernsey",
  GI: "Europe/Gibraltar",
  GR: "Europe/Athens",
  HR: "Europe/Zagreb",
  HU: "Europe/Budapest",
  IE: "Europe/Dublin",
  IM: "Europe/Isle_of_Man",
  IS: "Atlantic/Reykjavik",
  IT: "Europe/Rome",
  JE: "Europe/Jersey",
  LI: "Europe/Vaduz",
  LT: "Europe/Vilnius",
  LU: "Europe/Luxembourg",
  LV: "Europe/Riga",
  MC: "Europe/Monaco",
  MD: "Europe/Chisinau",
  ME: "Europe/Podgorica",
  MK: "Europe/Skopje",
  MT: "Europe/Malta",
  NL: "Europe/Amsterdam",
  NO: "Europe/Oslo",
  PL: "Europe/Warsaw",
  RO: "Europe/Bucharest",
  RS: "Europe/Belgrade",
  SE: "Europe/Stockholm",
  SI: "Europe/Ljubljana",
  SJ: "Arctic/Longyearbyen",
  SK: "Europe/Bratislava",
  SM: "Europe/San_Marino",
  TR: "Europe/Istanbul",
  UA: "Europe/Kyiv",
  VA: "Europe/Vatican",
  XK: "Europe/Belgrade",
  // Middle East, Caucasus, Central & South Asia
  AE: "Asia/Dubai",
  AF: "Asia/Kabul",
  AM: "Asia/Yerevan",
  AZ: "Asia/Baku",
  BD: "Asia/Dhaka",
  BH: "Asia/Bahrain",
  BT: "Asia/Thimphu",
  GE: "Asia/Tbilisi",
  IL: "Asia/Jerusalem",
  IN: "Asia/Kolkata",
  IQ: "Asia/Baghdad",
  IR: "Asia/Tehran",
  JO: "Asia/Amman",
  KG: "Asia/Bishkek",
  KW: "Asia/Kuwait",
  KZ: "Asia/Almaty",
  LB: "Asia/Beirut",
  LK: "Asia/Colombo",
  MV: "Indian/Maldives",
  NP: "Asia/Kathmandu",
  OM: "Asia/Muscat",
  PK: "Asia/Karachi",
  PS: "Asia/Hebron",
  QA: "Asia/Qatar",
  SA: "Asia/Riyadh",
  SY: "Asia/Damascus",
  TJ: "Asia/Dushanbe",
  TM: "Asia/Ashgabat",
  UZ: "Asia/Tashkent",
  YE: "Asia/Aden",
  // East & Southeast Asia
  BN: "Asia/Brunei",
  CN: "Asia/Shanghai",
  HK: "Asia/Hong_Kong",
  JP: "Asia/Tokyo",
  KH: "Asia/Phnom_Penh",
  KP: "Asia/Pyongyang",
  KR: "Asia/Seoul",
  LA: "Asia/Vientiane",
  MM: "Asia/Yangon",
  MN: "Asia/Ulaanbaatar",
  MO: "Asia/Macau",
  MY: "Asia/Kuala_Lumpur",
  PH: "Asia/Manila",
  SG: "Asia/Singapore",
  TH: "Asia/Bangkok",
  TL: "Asia/Dili",
  TW: "Asia/Taipei",
  VN: "Asia/Ho_Chi_Minh",
  // Oceania
  AS: "Pacific/Pago_Pago",
  CK: "Pacific/Rarotonga",
  FJ: "Pacific/Fiji",
  FM: "Pacific/Pohnpei",
  GU: "Pacific/Guam",
  KI: "Pacific/Tarawa",
  MH: "Pacific/Majuro",
  MP: "Pacific/Saipan",
  NC: "Pacific/Noumea",
  NF: "Pacific/Norfolk",
  NR: "Pacific/Nauru",
  NU: "Pacific/Niue",
  PF: "Pacific/Tahiti",
  PG: "Pacific/Port_Moresby",
  PN: "Pacific/Pitcairn",
  PW: "Pacific/Palau",
  SB: "Pacific/Guadalcanal",
  TK: "Pacific/Fakaofo",
  TO: "Pacific/Tongatapu",
  TV: "Pacific/Funafuti",
  VU: "Pacific/Efate",
  WF: "Pacific/Wallis",
  WS: "Pacific/Apia",
  // Africa & Indian Ocean
  AO: "Africa/Luanda",
  BF: "Africa/Ouagadougou",
  BI: "Africa/Bujumbura",
  BJ: "Africa/Porto-Novo",
  BW: "Africa/Gaborone",
  CD: "Africa/Kinshasa",
  CF: "Africa/Bangui",
  CG: "Africa/Brazzaville",
  CI: "Africa/Abidjan",
  CM: "Africa/Douala",
  CV: "Atlantic/Cape_Verde",
  DJ: "Africa/Djibouti",
  DZ: "Africa/Algiers",
  EG: "Africa/Cairo",
  EH: "Africa/El_Aaiun",
  ER: "Africa/Asmara",
  ET: "Africa/Addis_Ababa",
  GA: "Africa/Libreville",
  GH: "Africa/Accra",
  GM: "Africa/Banjul",
  GN: "Africa/Conakry",
  GQ: "Africa/Malabo",
  GW: "Africa/Bissau",
  IO: "Indian/Chagos",
  KE: "Africa/Nairobi",
  KM: "Indian/Comoro",
  LR: "Africa/Monrovia",
  LS: "Africa/Maseru",
  LY: "Africa/Tripoli",
  MA: "Africa/Casablanca",
  MG: "Indian/Antananarivo",
  ML: "Africa/Bamako",
  MR: "Africa/Nouakchott",
  MU: "Indian/Mauritius",
  MW: "Africa/Blantyre",
  MZ: "Africa/Maputo",
  NA: "Africa/Windhoek",
  NE: "Africa/Niamey",
  NG: "Africa/Lagos",
  RE: "Indian/Reunion",
  RW: "Africa/Kigali",
  SC: "Indian/Mahe",
  SD: "Africa/Khartoum",
  SH: "Atlantic/St_Helena",
  SL: "Africa/Freetown",
  SN: "Africa/Dakar",
  SO: "Africa/Mogadishu",
  SS: "Africa/Juba",
  ST: "Africa/Sao_Tome",
  SZ: "Africa/Mbabane",
  TD: "Africa/Ndjamena",
  TG: "Africa/Lome",
  TN: "Africa/Tunis",
  TZ: "Africa/Dar_es_Salaam",
  UG: "Africa/Kampala",
  YT: "Indian/Mayotte",
  ZA: "Africa/Johannesburg",
  ZM: "Africa/Lusaka",
  ZW: "Africa/Harare",
  // Americas (single-zone; multi-zone ones are in PROVINCE_ZONES)
  AG: "America/Antigua",
  AI: "America/Anguilla",
  AR: "America/Argentina/Buenos_Aires",
  AW: "America/Aruba",
  BB: "America/Barbados",
  BL: "America/St_Barthelemy",
  BM: "Atlantic/Bermuda",
  BO: "America/La_Paz",
  BQ: "America/Kralendijk",
  BS: "America/Nassau",
  BZ: "America/Belize",
  CO: "America/Bogota",
  CR: "America/Costa_Rica",
  CU: "America/Havana",
  CW: "America/Curacao",
  DM: "America/Dominica",
  DO: "America/Santo_Domingo",
  FK: "Atlantic/Stanley",
  GD: "America/Grenada",
  GF: "America/Cayenne",
  GL: "America/Nuuk",
  GP: "America/Guadeloupe",
  GT: "America/Guatemala",
  GY: "America/Guyana",
  HN: "America/Tegucigalpa",
  HT: "America/Port-au-Prince",
  JM: "America/Jamaica",
  KN: "America/St_Kitts",
  KY: "America/Cayman",
  LC: "America/St_Lucia",
  MF: "America/Marigot",
  MQ: "America/Martinique",
  MS: "America/Montserrat",
  NI: "America/Managua",
  PA: "America/Panama",
  PE: "America/Lima",
  PM: "America/Miquelon",
  PR: "America/Puerto_Rico",
  PY: "America/Asuncion",
  SR: "America/Paramaribo",
  SV: "America/El_Salvador",
  SX: "America/Lower_Princes",
  TC: "America/Grand_Turk",
  TT: "America/Port_of_Spain",
  UY: "America/Montevideo",
  VC: "America/St_Vincent",
  VE: "America/Caracas",
  VG: "America/Tortola",
  VI: "America/St_Thomas",
};

interface MultiZoneCountry {
  /** The zone of most of the population; used when the province is missing or unknown. */
  default: string;
  /** Normalized province code (Shopify's, plus ISO 3166-2 aliases) → zone. Omitted → default. */
  provinces: Readonly<Record<string, string>>;
}

const NEW_YORK = "America/New_York";
const CHICAGO = "America/Chicago";
const DENVER = "America/Denver";
const LOS_ANGELES = "America/Los_Angeles";

/** Countries spanning several zones, resolved by province. */
export const PROVINCE_ZONES: Readonly<Record<string, MultiZoneCountry>> = {
  US: {
    default: NEW_YORK,
    provinces: {
      AL: CHICAGO,
      AK: "America/Anchorage",
      AZ: "America/Phoenix",
      AR: CHICAGO,
      CA: LOS_ANGELES,
      CO: DENVER,
      CT: NEW_YORK,
      DE: NEW_YORK,
      DC: NEW_YORK,
      FL: NEW_YORK,
      GA: NEW_YORK,
      HI: "Pacific/Honolulu",
      ID: "America/Boise",
      IL: CHICAGO,
      IN: "America/Indiana/Indianapolis",
      IA: CHICAGO,
      KS: CHICAGO,
      KY: "America/Kentucky/Louisville",
      LA: CHICAGO,
      ME: NEW_YORK,
      MD: NEW_YORK,
      MA: NEW_YORK,
      MI: "America/Detroit",
      MN: CHICAGO,
      MS: CHICAGO,
      MO: CHICAGO,
      MT: DENVER,
      NE: CHICAGO,
      NV: LOS_ANGELES,
      NH: NEW_YORK,
      NJ: NEW_YORK,
      NM: DENVER,
      NY: NEW_YORK,
      NC: NEW_YORK,
      ND: CHICAGO,
      OH: NEW_YORK,
      OK: CHICAGO,
      OR: LOS_ANGELES,
      PA: NEW_YORK,
      RI: NEW_YORK,
      SC: NEW_YORK,
      SD: CHICAGO,
      TN: CHICAGO,
      TX: CHICAGO,
      UT: DENVER,
      VT: NEW_YORK,
      VA: NEW_YORK,
      WA: LOS_ANGELES,
      WV: NEW_YORK,
      WI: CHICAGO,
      WY: DENVER,
      // Territories and freely associated states Shopify lists as US provinces
      PR: "America/Puerto_Rico",
      VI: "America/St_Thomas",
      GU: "Pacific/Guam",
      AS: "Pacific/Pago_Pago",
      MP: "Pacific/Saipan",
      FM: "Pacific/Pohnpei",
      MH: "Pacific/Majuro",
      PW: "Pacific/Palau",
      UM: "Pacific/Honolulu",
      // Armed Forces Americas/Europe/Pacific (AA, AE, AP) have no meaningful zone: default.
    },
  },
  CA: {
    default: "America/Toronto",
    provinces: {
      AB: "America/Edmonton",
      BC: "America/Vancouver",
      MB: "America/Winnipeg",
      NB: "America/Halifax",
      NL: "America/St_Johns",
      NS: "America/Halifax",
      NT: "America/Yellowknife",
      NU: "America/Iqaluit",
      ON: "America/Toronto",
      PE: "America/Halifax",
      QC: "America/Toronto",
      SK: "America/Regina",
      YT: "America/Whitehorse",
    },
  },
  AU: {
    default: "Australia/Sydney",
    provinces: {
      ACT: "Australia/Sydney",
      NSW: "Australia/Sydney",
      NT: "Australia/Darwin",
      QLD: "Australia/Brisbane",
      SA: "Australia/Adelaide",
      TAS: "Australia/Hobart",
      VIC: "Australia/Melbourne",
      WA: "Australia/Perth",
    },
  },
  BR: {
    default: "America/Sao_Paulo",
    provinces: {
      AC: "America/Rio_Branco",
      AL: "America/Maceio",
      AM: "America/Manaus",
      AP: "America/Belem",
      BA: "America/Bahia",
      CE: "America/Fortaleza",
      MA: "America/Fortaleza",
      MS: "America/Campo_Grande",
      MT: "America/Cuiaba",
      PA: "America/Belem",
      PB: "America/Fortaleza",
      PE: "America/Recife",
      PI: "America/Fortaleza",
      RN: "America/Fortaleza",
      RO: "America/Porto_Velho",
      RR: "America/Boa_Vista",
      SE: "America/Maceio",
      TO: "America/Araguaina",
      // DF, ES, GO, MG, PR, RJ, RS, SC, SP: America/Sao_Paulo (default)
    },
  },
  MX: {
    default: "America/Mexico_City",
    provinces: {
      // Shopify codes first, ISO 3166-2 aliases after
      BC: "America/Tijuana",
      BCN: "America/Tijuana",
      BCS: "America/Mazatlan",
      SIN: "America/Mazatlan",
      NAY: "America/Mazatlan",
      SON: "America/Hermosillo",
      CHIH: "America/Chihuahua",
      CHH: "America/Chihuahua",
      COAH: "America/Monterrey",
      COA: "America/Monterrey",
      NL: "America/Monterrey",
      NLE: "America/Monterrey",
      TAMPS: "America/Monterrey",
      TAM: "America/Monterrey",
      QROO: "America/Cancun", // Shopify's "Q ROO" once normalized
      QR: "America/Cancun",
      ROO: "America/Cancun",
      YUC: "America/Merida",
      CAMP: "America/Merida",
      CAM: "America/Merida",
    },
  },
  RU: {
    default: "Europe/Moscow",
    provinces: {
      KGD: "Europe/Kaliningrad",
      SAM: "Europe/Samara",
      UD: "Europe/Samara",
      ULY: "Europe/Ulyanovsk",
      AST: "Europe/Astrakhan",
      SAR: "Europe/Saratov",
      VGG: "Europe/Volgograd",
      SVE: "Asia/Yekaterinburg",
      CHE: "Asia/Yekaterinburg",
      BA: "Asia/Yekaterinburg",
      PER: "Asia/Yekaterinburg",
      ORE: "Asia/Yekaterinburg",
      KGN: "Asia/Yekaterinburg",
      TYU: "Asia/Yekaterinburg",
      KHM: "Asia/Yekaterinburg",
      YAN: "Asia/Yekaterinburg",
      OMS: "Asia/Omsk",
      NVS: "Asia/Novosibirsk",
      TOM: "Asia/Tomsk",
      ALT: "Asia/Barnaul",
      AL: "Asia/Barnaul",
      KEM: "Asia/Novokuznetsk",
      KYA: "Asia/Krasnoyarsk",
      KK: "Asia/Krasnoyarsk",
      TY: "Asia/Krasnoyarsk",
      IRK: "Asia/Irkutsk",
      BU: "Asia/Irkutsk",
      ZAB: "Asia/Chita",
      SA: "Asia/Yakutsk",
      AMU: "Asia/Yakutsk",
      PRI: "Asia/Vladivostok",
      KHA: "Asia/Vladivostok",
      YEV: "Asia/Vladivostok",
      MAG: "Asia/Magadan",
      SAK: "Asia/Sakhalin",
      KAM: "Asia/Kamchatka",
      CHU: "Asia/Anadyr",
    },
  },
  ES: {
    default: "Europe/Madrid",
    provinces: {
      CN: "Atlantic/Canary", // Canarias (autonomous community)
      GC: "Atlantic/Canary", // Las Palmas
      TF: "Atlantic/Canary", // Santa Cruz de Tenerife
      CE: "Africa/Ceuta",
      ML: "Africa/Ceuta",
    },
  },
  PT: {
    default: "Europe/Lisbon",
    provinces: {
      "20": "Atlantic/Azores", // Shopify "PT-20"
      AC: "Atlantic/Azores",
      "30": "Atlantic/Madeira", // Shopify "PT-30"
      MA: "Atlantic/Madeira",
    },
  },
  NZ: {
    default: "Pacific/Auckland",
    provinces: {
      CIT: "Pacific/Chatham", // Chatham Islands
    },
  },
  ID: {
    default: "Asia/Jakarta",
    provinces: {
      KB: "Asia/Pontianak",
      KT: "Asia/Pontianak",
      BA: "Asia/Makassar",
      NB: "Asia/Makassar",
      NT: "Asia/Makassar",
      KS: "Asia/Makassar",
      KI: "Asia/Makassar",
      KU: "Asia/Makassar",
      SA: "Asia/Makassar",
      SN: "Asia/Makassar",
      ST: "Asia/Makassar",
      SG: "Asia/Makassar",
      SR: "Asia/Makassar",
      GO: "Asia/Makassar",
      MA: "Asia/Jayapura",
      MU: "Asia/Jayapura",
      PA: "Asia/Jayapura",
      PB: "Asia/Jayapura",
      PE: "Asia/Jayapura",
      PS: "Asia/Jayapura",
      PT: "Asia/Jayapura",
      PD: "Asia/Jayapura",
    },
  },
  CL: {
    default: "America/Santiago",
    provinces: {
      MA: "America/Punta_Arenas", // Magallanes
    },
  },
  EC: {
    default: "America/Guayaquil",
    provinces: {
      W: "Pacific/Galapagos",
    },
  },
};

/** Non-ISO country codes seen in the wild. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = { UK: "GB", EL: "GR" };

const validity = new Map<string, boolean>();

/** Whether `tz` is an IANA zone the runtime knows (what `Intl.DateTimeFormat` accepts). */
export function isValidTimeZone(tz: string): boolean {
  if (typeof tz !== "string" || tz.trim() === "") return false;
  let valid = validity.get(tz);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat(undefined, { timeZone: tz });
      valid = true;
    } catch {
      valid = false;
    }
    validity.set(tz, valid);
  }
  return valid;
}

function normalizeCountry(country: string | null): string | null {
  if (!country) return null;
  const code = country.trim().toUpperCase();
  return COUNTRY_ALIASES[code] ?? code;
}

/** "ny", "US-NY", " q. roo " → "NY", "NY", "QROO". */
function normalizeProvince(province: string | null, country: string): string | null {
  if (!province) return null;
  let code = province.trim().toUpperCase();
  if (code.startsWith(`${country}-`)) code = code.slice(country.length + 1);
  code = code.replace(/[^A-Z0-9]/g, "");
  return code === "" ? null : code;
}

/**
 * The recipient's IANA zone from the shipping address: `country` is ISO 3166-1 alpha-2, `province`
 * Shopify's province code (ISO 3166-2 forms like "US-NY" work too). Multi-zone countries resolve by
 * province, falling back to their most populous zone; an unknown or missing country yields
 * `fallback` (the shop's zone), or "UTC" if `fallback` itself isn't a valid zone.
 */
export function recipientTimezone(country: string | null, province: string | null, fallback: string): string {
  const safeFallback = isValidTimeZone(fallback) ? fallback : "UTC";
  const code = normalizeCountry(country);
  if (!code) return safeFallback;
  const multi = PROVINCE_ZONES[code];
  let zone: string | undefined;
  if (multi) {
    const provinceCode = normalizeProvince(province, code);
    zone = (provinceCode && multi.provinces[provinceCode]) || multi.default;
  } else {
    zone = COUNTRY_ZONES[code];
  }
  return zone && isValidTimeZone(zone) ? zone : safeFallback;
}
