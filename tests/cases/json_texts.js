// Generated JSON texts for the differential test of `src/json.js`'s `parseJson` against
// `JSON.parse` (tests/cases/json.rs): nested objects and arrays, strings with every escape and
// non-ASCII (the decoder's private-use marks among them), numbers of every form, whitespace, and
// texts broken by small edits. Seeded, so a failure names the seed that reproduces it.

/** A small seeded generator (mulberry32). */
function random(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const MAX_SAFE = 9007199254740991n;
const SPACES = ["", "", "", " ", "\n", "\t", "\r\n  "];

function generator(seed) {
  const next = random(seed);
  const pick = (items) => items[Math.floor(next() * items.length)];
  const int = (n) => Math.floor(next() * n);
  const space = () => pick(SPACES);

  const digits = (n) => {
    let s = String(1 + int(9));
    for (let i = 1; i < n; i++) s += String(int(10));
    return s;
  };

  // A number literal and what the decoder must give for it.
  function number() {
    const sign = next() < 0.3 ? "-" : "";
    switch (int(9)) {
      case 0:
        return [sign + "0", sign ? -0 : 0];
      case 1: {
        const lit = sign + digits(1 + int(15));
        return [lit, Number(lit)];
      }
      case 2:
      case 3: {
        // 16 to 40 digits: safe or not, near 2^53, 2^64 and beyond.
        const lit = sign + pick([digits(16 + int(25)), "9007199254740991", "9007199254740992", "9007199254740993", "18446744073709551615", "18446744073709551616"]);
        const big = BigInt(lit);
        return [lit, big > MAX_SAFE || big < -MAX_SAFE ? big : Number(lit)];
      }
      case 4: {
        const lit = sign + digits(1 + int(20)) + "." + digits(1 + int(20));
        return [lit, Number(lit)];
      }
      case 5: {
        const lit = sign + digits(1 + int(18)) + pick(["e", "E"]) + pick(["", "+", "-"]) + String(int(400));
        return [lit, Number(lit)];
      }
      case 6: {
        const lit = sign + "0." + digits(1 + int(30)) + "e-" + String(int(30));
        return [lit, Number(lit)];
      }
      case 7: {
        const lit = sign + digits(17 + int(10)) + ".0";
        return [lit, Number(lit)];
      }
      default: {
        const lit = sign + String(int(1000));
        return [lit, Number(lit)];
      }
    }
  }

  // A string: its JSON text and its value.
  function string() {
    let text = '"';
    let value = "";
    const length = int(12);
    for (let i = 0; i < length; i++) {
      switch (int(10)) {
        case 0: {
          const [t, v] = pick([['\\"', '"'], ["\\\\", "\\"], ["\\/", "/"], ["\\b", "\b"], ["\\f", "\f"], ["\\n", "\n"], ["\\r", "\r"], ["\\t", "\t"]]);
          text += t;
          value += v;
          break;
        }
        case 1: {
          // An escaped code unit: a private-use mark, a surrogate, anything.
          const code = pick([0xe000, 0xe001, 0xe002, 0xd800, 0xdfff, int(0x10000)]);
          const hex = code.toString(16).padStart(4, "0");
          text += "\\u" + (next() < 0.5 ? hex : hex.toUpperCase());
          value += String.fromCharCode(code);
          break;
        }
        case 2: {
          // A raw private-use mark, or non-ASCII.
          const c = pick(["\ue000", "\ue000", "é", "漢", "😀", "\u2028"]);
          text += c;
          value += c;
          break;
        }
        case 3: {
          // Digits inside a string, as a large number would be written.
          const d = digits(16 + int(8));
          text += d;
          value += d;
          break;
        }
        case 4: {
          // What a mark with an index looks like.
          const d = String(int(3));
          text += "\\ue000" + d;
          value += "\ue000" + d;
          break;
        }
        default: {
          const c = pick(["a", "b", " ", ",", ":", "[", "]", "{", "}", "1", "-", "."]);
          text += c;
          value += c;
        }
      }
    }
    return [text + '"', value];
  }

  // A value: its text and what the decoder must give.
  function value(depth) {
    const roll = depth > 4 ? int(5) : int(8);
    switch (roll) {
      case 0:
      case 1:
        return number();
      case 2:
        return string();
      case 3:
        return pick([["true", true], ["false", false], ["null", null]]);
      case 4:
        return number();
      case 5: {
        const items = [];
        const texts = [];
        for (let i = int(5); i > 0; i--) {
          const [t, v] = value(depth + 1);
          texts.push(space() + t + space());
          items.push(v);
        }
        return ["[" + (texts.join(",") || space()) + "]", items];
      }
      default: {
        const object = {};
        const texts = [];
        for (let i = int(5); i > 0; i--) {
          const [kt, kv] = next() < 0.1 ? ['"__proto__"', "__proto__"] : string();
          const [t, v] = value(depth + 1);
          texts.push(space() + kt + space() + ":" + space() + t + space());
          Object.defineProperty(object, kv, { value: v, enumerable: true, writable: true, configurable: true });
        }
        return ["{" + (texts.join(",") || space()) + "}", object];
      }
    }
  }

  // A text broken by a small edit (or, rarely, one that stays valid).
  function broken(text) {
    const at = int(text.length + 1);
    switch (int(6)) {
      case 0:
        return text.slice(0, at) + text.slice(at + 1);
      case 1:
        return text.slice(0, at) + pick(['"', "\\", ",", ":", "{", "}", "[", "]", "0", "-", ".", "e", "x"]) + text.slice(at);
      case 2:
        return "{" + digits(20) + ":1}";
      case 3:
        return "[" + pick(["0", "-", "+", "."]) + digits(20) + "]";
      case 4:
        return pick(['["a\\' + digits(20) + "]", '{"a":1,' + digits(20) + ":2}"]);
      default:
        return text + pick(["", " ", ",", "]", "x", digits(20)]);
    }
  }

  return { value, broken, space };
}

/** Whether `got` is exactly `want` (BigInts by value, -0 apart from 0, keys in order). */
function same(got, want) {
  if (typeof want === "bigint") return typeof got === "bigint" && got === want;
  if (typeof want === "number") return typeof got === "number" && Object.is(got, want);
  if (want === null || typeof want !== "object") return got === want;
  if (typeof got !== "object" || got === null || Array.isArray(got) !== Array.isArray(want)) return false;
  const gk = Object.keys(got);
  const wk = Object.keys(want);
  return gk.length === wk.length && gk.every((k, i) => k === wk[i] && same(got[k], want[k]));
}

/** Whether `got` is `JSON.parse`'s `lossy` with some numbers as exact BigInts. */
function sameButExact(got, lossy) {
  if (typeof got === "bigint") return typeof lossy === "number" && Number(got) === lossy && (got > MAX_SAFE || got < -MAX_SAFE);
  if (got === null || typeof got !== "object") return Object.is(got, lossy);
  if (typeof lossy !== "object" || lossy === null) return false;
  const gk = Object.keys(got);
  const lk = Object.keys(lossy);
  return gk.length === lk.length && gk.every((k, i) => k === lk[i] && sameButExact(got[k], lossy[k]));
}

const show = (text) => JSON.stringify(text.length > 300 ? text.slice(0, 300) + "…" : text);

/**
 * Runs `count` generated texts and as many broken ones through `parse` (the decoder under
 * test) and `JSON.parse`. Returns the first disagreement as a sentence, or "" and the counts.
 */
export function differential(parse, seed, count) {
  const g = generator(seed);
  let bigs = 0;
  let failed = 0;
  let accepted = 0;
  for (let i = 0; i < count; i++) {
    const [text0, want] = g.value(0);
    const text = g.space() + text0 + g.space();
    let got;
    try {
      got = parse(text);
    } catch (e) {
      return `seed ${seed}, text ${i}: parseJson threw on valid JSON ${show(text)}: ${e && e.message}`;
    }
    if (!same(got, want)) return `seed ${seed}, text ${i}: ${show(text)} decoded differently`;
    if (/\d{16}/.test(text)) bigs++;

    const bad = g.broken(text);
    let lossy;
    let nativeThrew = false;
    try {
      lossy = JSON.parse(bad);
    } catch {
      nativeThrew = true;
    }
    let ours;
    let oursThrew = false;
    try {
      ours = parse(bad);
    } catch {
      oursThrew = true;
    }
    if (nativeThrew !== oursThrew) {
      return `seed ${seed}, edit ${i}: JSON.parse ${nativeThrew ? "threw" : "accepted"} but parseJson ${oursThrew ? "threw" : "accepted"} ${show(bad)}`;
    }
    if (nativeThrew) failed++;
    else {
      accepted++;
      if (!sameButExact(ours, lossy)) return `seed ${seed}, edit ${i}: ${show(bad)} decoded differently from JSON.parse`;
    }
  }
  return `ok: ${count} texts (${bigs} with 16-digit runs), ${failed} broken ones refused by both, ${accepted} edits still valid`;
}

/**
 * Texts that broke an earlier decoder (a review found them): an unclosed string of escaped quotes
 * after a long number (a regular expression that backtracks took minutes on 400 KB), a string of
 * 9 million characters (a regular expression ran out of stack), 5,000 levels of nesting (a
 * recursive reviver ran out of stack), and every private-use character present as an escape but
 * one. Returns "" when `parse` agrees with `JSON.parse` on each, else what differed.
 */
export function hardTexts(parse) {
  const cases = [
    ["unclosed escapes", '[1234567890123456789,"' + '\\"'.repeat(200_000)],
    ["a long string", '{"id":"1234567890123456","n":12345678901234567890,"s":"' + "a".repeat(9_000_000) + '"}'],
    ["deep nesting", "[".repeat(5000) + "12345678901234567890" + "]".repeat(5000)],
    ["marks in use", JSON.stringify(Array.from({ length: 6399 }, (_, i) => String.fromCharCode(0xe000 + i))).replace(/[\ue000-\uf8ff]/g, (c) => "\\u" + c.charCodeAt(0).toString(16)).slice(0, -1) + ",12345678901234567890]"],
  ];
  for (const [name, text] of cases) {
    let want;
    let nativeThrew = false;
    try {
      want = JSON.parse(text);
    } catch {
      nativeThrew = true;
    }
    let got;
    let threw = false;
    try {
      got = parse(text);
    } catch {
      threw = true;
    }
    if (threw !== nativeThrew) return `${name}: JSON.parse ${nativeThrew ? "threw" : "accepted"}, parseJson ${threw ? "threw" : "accepted"}`;
    // (The nested one is compared below: the comparison here recurses.)
    if (!threw && name !== "deep nesting" && !sameButExact(got, want)) return `${name}: decoded differently`;
  }
  // The big integer 5,000 levels down is exact.
  let node = parse("[".repeat(5000) + "12345678901234567890" + "]".repeat(5000));
  while (Array.isArray(node)) node = node[0];
  if (node !== 12345678901234567890n) return `deep nesting: got ${String(node)}`;
  return "";
}
