// Amounts are stored as integers in the currency's minor unit: exact sums, no float drift.
const MINOR_UNIT_DIGITS: Record<string, number> = {
  BHD: 3,
  IQD: 3,
  JOD: 3,
  KWD: 3,
  LYD: 3,
  OMR: 3,
  TND: 3,
  BIF: 0,
  CLP: 0,
  DJF: 0,
  GNF: 0,
  ISK: 0,
  JPY: 0,
  KMF: 0,
  KRW: 0,
  PYG: 0,
  RWF: 0,
  UGX: 0,
  VND: 0,
  VUV: 0,
  XAF: 0,
  XOF: 0,
  XPF: 0,
};

export function minorUnitDigits(currency: string | null | undefined): number {
  return MINOR_UNIT_DIGITS[(currency ?? "").toUpperCase()] ?? 2;
}

/** "12.34" USD → 1234; "1500" JPY → 1500. Returns null for missing or malformed amounts. */
export function toMinorUnits(amount: string | number | null | undefined, currency: string | null | undefined): number | null {
  if (amount === null || amount === undefined || amount === "") return null;
  const text = typeof amount === "number" ? amount.toString() : amount.trim();
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const digits = minorUnitDigits(currency);
  const [, sign, whole, fraction = ""] = match;
  const padded = (fraction + "0".repeat(digits)).slice(0, digits);
  const roundUp = Number(fraction[digits] ?? "0") >= 5 ? 1 : 0;
  const value = Number(whole) * 10 ** digits + Number(padded || "0") + roundUp;
  return sign ? -value : value;
}

/** 1234, "USD" → "12.34" */
export function formatMinorUnits(value: number, currency: string | null | undefined): string {
  const digits = minorUnitDigits(currency);
  const sign = value < 0 ? "-" : "";
  const abs = Math.abs(value);
  if (digits === 0) return `${sign}${abs}`;
  const whole = Math.floor(abs / 10 ** digits);
  const fraction = String(abs % 10 ** digits).padStart(digits, "0");
  return `${sign}${whole}.${fraction}`;
}
