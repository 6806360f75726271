// JSON bodies decoded without losing digits, and records shaped from their field tables.
//
// `JSON.parse` turns every number into a double, so an integer beyond ±(2^53 − 1) (a
// protocol-wide amount in base units) comes out rounded before any code sees it. `parseJson`
// gives what `JSON.parse` gives, except that such an integer literal (no fraction, no exponent)
// is an exact `BigInt`. A body with no run of 16 digits cannot hold one and goes straight to
// `JSON.parse`; any other body has its large integers swapped for marked strings, outside
// strings and only in a value's place, before the native parser runs, and the marks become
// `BigInt`s as it builds the value.
//
// `shapeList`, `shapeRecord` and `shapeMap` build the records the typed calls return, in one
// pass over the parsed value, from a field table that Rust owns (`src/records.rs`, where a test
// holds each table to its serde struct): every field in the table's order, a missing or `null`
// field as its empty value, unknown fields left out, and a wrongly typed one thrown as `BAD`.
// Nothing here reads anything but the plain data `parseJson` made.

const jsonParse = JSON.parse;
const isArray = Array.isArray;
const isSafeInteger = Number.isSafeInteger;
const defineProperty = Object.defineProperty;
const objectKeys = Object.keys;

/** A value of the wrong type for its field, or an amount that cannot be held exactly. */
export const BAD = Object.freeze({ reason: "bad_record" });

// A string (skipped as a whole) or a number, as JSON writes them.
const TOKEN = /"(?:[^"\\]|\\[\s\S])*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/g;
const LONG_RUN = /\d{16}/;
const MAX_SAFE = 9007199254740991n;
const U64_MAX = 18446744073709551615n;
// Characters that may stand around a value: whitespace, and what precedes or follows it.
const isSpace = (c) => c === 32 || c === 10 || c === 13 || c === 9;

/** The character code before `at`, skipping whitespace; -1 at the start. */
function before(text, at) {
  let i = at - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  return i < 0 ? -1 : text.charCodeAt(i);
}

/** The character code from `at` on, skipping whitespace; -1 at the end. */
function after(text, at) {
  let i = at;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i < text.length ? text.charCodeAt(i) : -1;
}

/**
 * `JSON.parse(text)`, with integer literals beyond ±(2^53 − 1) as exact `BigInt`s. Throws
 * where `JSON.parse` throws.
 */
export function parseJson(text) {
  if (!LONG_RUN.test(text)) return jsonParse(text);
  // A mark is a private-use character that no string of the text can hold: the text has it
  // neither as itself nor as a `\u` escape. (A text with all 6,400 of them is refused.)
  for (let code = 0xe000; code <= 0xf8ff; code++) {
    const mark = String.fromCharCode(code);
    if (text.includes(mark) || new RegExp("\\\\u" + code.toString(16), "i").test(text)) continue;
    const bigs = [];
    const marked = text.replace(TOKEN, (token, at) => {
      const first = token.charCodeAt(0);
      if (first === 34 || token.length < 16) return token;
      for (let i = 0; i < token.length; i++) {
        const c = token.charCodeAt(i);
        if (c === 46 || c === 101 || c === 69) return token; // . e E: not an integer literal
      }
      const big = BigInt(token);
      if (big <= MAX_SAFE && big >= -MAX_SAFE) return token;
      // Only in a value's place: after `[`, `,`, `:` or at the start, and before `]`, `,`, `}`
      // or at the end. Anywhere else (an object's key, say) the text is not JSON, and stays
      // as it is so that `JSON.parse` says so.
      const prev = before(text, at);
      const next = after(text, at + token.length);
      if (!(prev === -1 || prev === 91 || prev === 44 || prev === 58)) return token;
      if (!(next === -1 || next === 93 || next === 44 || next === 125)) return token;
      bigs.push(big);
      return '"' + mark + (bigs.length - 1) + '"';
    });
    if (bigs.length === 0) return jsonParse(text);
    return jsonParse(marked, (_key, v) =>
      typeof v === "string" && v.charCodeAt(0) === code ? bigs[+v.slice(1)] : v,
    );
  }
  throw BAD;
}

// ---- records ---------------------------------------------------------------------------------

// A field table is a string: `Name:type` pairs separated by spaces, where type is
// `s` (string, empty ""), `b` (boolean, false), `a` (an amount: an integer 0 to 2^64 − 1, as a
// BigInt, 0n), `u` (an integer 0 to 2^32 − 1, a number, 0), `i` (a safe integer, a number, 0),
// `*` (a list of
// any values, kept as decoded; empty []), or `[Other:s,Fields:s]` (a list of records of those
// fields; empty []).
const tables = new Map();

function table(spec, separator = " ") {
  let fields = tables.get(spec);
  if (fields === undefined) {
    fields = [];
    for (const pair of spec.split(separator)) {
      const colon = pair.indexOf(":");
      const type = pair.slice(colon + 1);
      const nested = type.charCodeAt(0) === 91; // [
      fields.push([pair.slice(0, colon), nested ? table(type.slice(1, -1), ",") : type]);
    }
    tables.set(spec, fields);
  }
  return fields;
}

/** A value of a field of `type`: its empty value for `undefined` or `null`. */
function field(v, type) {
  if (typeof type !== "string") return v == null ? [] : list(v, type);
  switch (type) {
    case "s":
      if (typeof v === "string") return v;
      break;
    case "b":
      if (typeof v === "boolean") return v;
      break;
    case "a":
      if (typeof v === "bigint" && v >= 0n && v <= U64_MAX) return v;
      if (typeof v === "number" && isSafeInteger(v) && v >= 0) return BigInt(v);
      if (v == null) return 0n;
      throw BAD;
    case "u":
      if (typeof v === "number" && isSafeInteger(v) && v >= 0 && v <= 4294967295) return v;
      break;
    case "i":
      if (typeof v === "number" && isSafeInteger(v)) return v;
      break;
    case "*":
      if (isArray(v)) return v;
      if (v == null) return [];
      throw BAD;
  }
  if (v == null) return type === "s" ? "" : type === "b" ? false : 0;
  throw BAD;
}

function isRecord(v) {
  return typeof v === "object" && v !== null && !isArray(v);
}

function record(v, fields) {
  if (!isRecord(v)) throw BAD;
  const out = {};
  for (const [name, type] of fields) out[name] = field(v[name], type);
  return out;
}

function list(v, fields) {
  if (!isArray(v)) throw BAD;
  const out = new Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = record(v[i], fields);
  return out;
}

/** One record of the table `spec`; throws `BAD` for a value that is not one. */
export function shapeRecord(value, spec) {
  return record(value, table(spec));
}

/** A list of records of the table `spec`; throws `BAD` for a value that is not one. */
export function shapeList(value, spec) {
  return list(value, table(spec));
}

/** An object of `type` values (`a` or `u`), its keys as the API sent them. */
export function shapeMap(value, type) {
  if (!isRecord(value)) throw BAD;
  const out = {};
  for (const key of objectKeys(value)) {
    const v = field(value[key], type);
    if (key === "__proto__") {
      defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
    } else {
      out[key] = v;
    }
  }
  return out;
}
