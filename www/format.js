// Numbers, dates and commands for the dashboard. No DOM here: the e2e harness also loads this
// module in Node and checks it there.
//
// Amounts are integers in ACS base units (6 decimals), `bigint`s from the package (or, in stats,
// a `number` when small enough). They are shown through their decimal text, never through a
// `number`: `Intl.NumberFormat.format` takes a decimal string and formats it exactly, in the
// reader's locale.

export const DECIMALS = 6;
const SCALE = 10n ** BigInt(DECIMALS);

/** A whole-number amount (`bigint`, or an integral `number`) as a `bigint`; null if it is not one. */
export function toBigInt(value) {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  if (typeof value === "string" && /^-?\d+$/.test(value)) return BigInt(value);
  return null;
}

/** Base units as an exact decimal text of ACS: `1234500000n` → `"1234.5"`. */
export function acsDecimal(units) {
  const value = toBigInt(units);
  if (value === null) return null;
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(DECIMALS, "0").replace(/0+$/, "");
  return `${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

const exact = (locale) =>
  new Intl.NumberFormat(locale, { minimumFractionDigits: 0, maximumFractionDigits: DECIMALS });

/** Base units as ACS in the reader's locale, exact to the base unit: `"3,845,120.5"`. */
export function formatAcs(units, locale) {
  const decimal = acsDecimal(units);
  return decimal === null ? "—" : exact(locale).format(decimal);
}

/** A decimal text of ACS (the token supply) in the reader's locale, exact. */
export function formatDecimal(text, locale) {
  return /^-?\d+(\.\d+)?$/.test(text) ? exact(locale).format(text) : String(text);
}

/** A count (`number` or `bigint`) in the reader's locale, exact. */
export function formatCount(value, locale) {
  if (value == null) return "—";
  const integer = toBigInt(value);
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 6 }).format(integer !== null ? integer.toString() : value);
}

/** A short label of a tick (`16.4B`): for axes only, where rounding is expected. */
export function formatCompact(value, locale) {
  return new Intl.NumberFormat(locale, { notation: "compact", maximumSignificantDigits: 4 }).format(value);
}

/** Compares two sortable cells: `bigint`s, numbers, strings (locale-aware), missing last. */
export function compare(a, b, locale) {
  if (a == null || b == null) return a == null ? (b == null ? 0 : 1) : -1;
  if (typeof a === "string" || typeof b === "string") {
    return String(a).localeCompare(String(b), locale, { sensitivity: "base", numeric: true });
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Text folded for a forgiving name filter: case and diacritics ignored. */
export const fold = (text) =>
  String(text ?? "")
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLocaleLowerCase();

/** How long ago `then` (a `Date`) was, in words, relative to `now`: `"143 days ago"` (in days from one day on). */
export function age(then, now = new Date(), locale) {
  const seconds = Math.round((now.getTime() - then.getTime()) / 1000);
  const words = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
  const abs = Math.abs(seconds);
  for (const [unit, size] of [["day", 86400], ["hour", 3600], ["minute", 60]]) {
    if (abs >= size) return words.format(-Math.trunc(seconds / size), unit);
  }
  return words.format(-seconds, "second");
}

/**
 * The days a stats answer covers: `count` UTC dates ending on `untilDate`'s (its last value is
 * that day's). Shown in UTC, so a reader west of Greenwich does not see the day before.
 */
export function statsDays(untilDate, count) {
  const last = new Date(untilDate);
  if (Number.isNaN(last.getTime())) return null;
  const day = Date.UTC(last.getUTCFullYear(), last.getUTCMonth(), last.getUTCDate());
  return Array.from({ length: count }, (_, i) => new Date(day - (count - 1 - i) * 86400000));
}

/** Up to about `count` round tick values covering [min, max]. */
export function niceTicks(min, max, count = 4) {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0];
  if (min === max) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.1 : 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw);
  const ticks = [];
  for (let t = Math.floor(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

/**
 * The curl command of a call, as the Access docs write it: the key as `$ACS_API_KEY` (expanded
 * by the shell from the reader's environment), never the key itself.
 */
export function curl(baseUrl, path, { keyed = false } = {}) {
  const lines = [`curl '${baseUrl}${path}'`, `  -H "Content-Type: application/json"`];
  if (keyed) lines.push(`  -H "Authorization: Bearer $ACS_API_KEY"`);
  return lines.join(" \\\n");
}
