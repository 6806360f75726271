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
const hasOwn = Object.hasOwn;

/** A value of the wrong type for its field, or an amount that cannot be held exactly. */
export const BAD = Object.freeze({ reason: "bad_record" });

const LONG_RUN = /\d{16}/g;
const MARKS_USED = /[\uE000-\uF8FF]|\\u[eEfF][0-9a-fA-F]{3}/g;
const MAX_SAFE = 9007199254740991n;
const U64_MAX = 18446744073709551615n;
// Characters that may stand around a value: whitespace, and what precedes or follows it.
const isSpace = (c) => c === 32 || c === 10 || c === 13 || c === 9;
const isDigit = (c) => c >= 48 && c <= 57;

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
 * Whether `text` is inside a string at `to`, going on from `from` where it was `inString`: a
 * walk from quote to quote (`indexOf`), a quote inside a string escaped by an odd run of
 * backslashes before it. Each character is looked at a bounded number of times over a whole
 * parse, whatever the text: there is no regular expression to backtrack.
 */
function stringAt(text, from, to, inString) {
  let i = from;
  for (;;) {
    const quote = text.indexOf('"', i);
    if (quote === -1 || quote >= to) return inString;
    if (inString) {
      let slashes = 0;
      while (text.charCodeAt(quote - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) inString = false;
    } else {
      inString = true;
    }
    i = quote + 1;
  }
}

/**
 * `JSON.parse(text)`, with integer literals beyond ±(2^53 − 1) as exact `BigInt`s. Throws
 * where `JSON.parse` throws.
 *
 * Each run of 16 digits or more is found with one regular expression of no alternation; a walk
 * from quote to quote tells whether it is inside a string; an integer literal (not a fraction's
 * or an exponent's digits) beyond the safe range, standing where a value stands, is swapped for a
 * marked string; `JSON.parse` builds the value; and a walk with a stack of its own (no recursion,
 * whatever the depth) swaps the marks for `BigInt`s, stopping at the last one.
 */
export function parseJson(text) {
  LONG_RUN.lastIndex = 0;
  if (!LONG_RUN.test(text)) return jsonParse(text);
  const pieces = [];
  const bigs = [];
  let mark = "";
  let copied = 0;
  let scanned = 0;
  let inString = false;
  LONG_RUN.lastIndex = 0;
  for (let found; (found = LONG_RUN.exec(text)) !== null; ) {
    let start = found.index;
    let end = start + 16;
    while (isDigit(text.charCodeAt(end))) end++;
    LONG_RUN.lastIndex = end;
    // Digits of a fraction or an exponent, or inside a string: not an integer literal.
    let prev = text.charCodeAt(start - 1);
    if (prev === 45) {
      const sign = text.charCodeAt(start - 2);
      if (sign === 101 || sign === 69) continue; // 1e-1234567890123456
      start -= 1;
      prev = text.charCodeAt(start - 1);
    }
    if (prev === 46 || prev === 43 || prev === 101 || prev === 69 || isDigit(prev)) continue;
    const next = text.charCodeAt(end);
    if (next === 46 || next === 101 || next === 69) continue;
    // A leading zero is not JSON: left for `JSON.parse` to refuse.
    if (text.charCodeAt(found.index) === 48) continue;
    inString = stringAt(text, scanned, start, inString);
    scanned = start;
    if (inString) continue;
    const big = BigInt(text.slice(start, end));
    if (big <= MAX_SAFE && big >= -MAX_SAFE) continue;
    // Only in a value's place: after `[`, `,`, `:` or at the start, and before `]`, `,`, `}` or
    // at the end. Anywhere else (an object's key, say) the text is not JSON, and stays as it is
    // so that `JSON.parse` says so.
    const left = before(text, start);
    const right = after(text, end);
    if (!(left === -1 || left === 91 || left === 44 || left === 58)) continue;
    if (!(right === -1 || right === 93 || right === 44 || right === 125)) continue;
    if (mark === "") mark = freeMark(text);
    pieces.push(text.slice(copied, start), '"', mark, String(bigs.length), '"');
    bigs.push(big);
    copied = end;
  }
  if (bigs.length === 0) return jsonParse(text);
  pieces.push(text.slice(copied));
  return unmark(jsonParse(pieces.join("")), mark, bigs);
}

/**
 * A private-use character no string of `text` can hold: the text has it neither as itself nor
 * as a `\u` escape (one pass over the text). A text that holds all 6,400 is refused.
 */
function freeMark(text) {
  const used = new Set();
  MARKS_USED.lastIndex = 0;
  for (let found; (found = MARKS_USED.exec(text)) !== null; ) {
    const token = found[0];
    used.add(token.length === 1 ? token.charCodeAt(0) : parseInt(token.slice(2), 16));
  }
  for (let code = 0xe000; code <= 0xf8ff; code++) {
    if (!used.has(code)) return String.fromCharCode(code);
  }
  throw BAD;
}

/** `value` with each marked string swapped for its `BigInt`, walked with a stack of its own. */
function unmark(value, mark, bigs) {
  const code = mark.charCodeAt(0);
  const swap = (v) => (typeof v === "string" && v.charCodeAt(0) === code ? bigs[+v.slice(1)] : undefined);
  const top = swap(value);
  if (top !== undefined) return top;
  let left = bigs.length;
  const stack = [value];
  while (left > 0 && stack.length > 0) {
    const node = stack.pop();
    if (node === null || typeof node !== "object") continue;
    const keys = isArray(node) ? null : objectKeys(node);
    const count = keys === null ? node.length : keys.length;
    const children = [];
    for (let i = 0; i < count; i++) {
      const key = keys === null ? i : keys[i];
      const v = node[key];
      const big = swap(v);
      if (big !== undefined) {
        defineProperty(node, key, { value: big, enumerable: true, writable: true, configurable: true });
        left--;
      } else if (v !== null && typeof v === "object") {
        children.push(v);
      }
    }
    // In the text's order (the stack's top is the first child), so the walk stops as soon as
    // it has passed the last mark.
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return value;
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
  // Own fields only: a field the answer lacks is its empty value, whatever a polluted
  // `Object.prototype` holds.
  for (const [name, type] of fields) out[name] = field(hasOwn(v, name) ? v[name] : undefined, type);
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
