// The list rows of the benchmark (issue 24), the same code in the browser page (bench.js) and in
// Node (node.mjs): a list call of the package against what a user would write instead, `fetch`
// + `text()` and then `JSON.parse` (fast, but rounds integers beyond 2^53), `json-bigint`
// (`useNativeBigInt: true`) or `lossless-json` (a number parser making a `BigInt` of each
// integer beyond 2^53). Each function returns raw samples (milliseconds); the drivers compute
// the statistics.
//
// `libs`: { AccessClient, parseJson (the package's src/json.js), JSONbig (what
// `require("json-bigint")` gives), LosslessJSON (the lossless-json module), memory (a function:
// the wasm memory's byteLength now) }.

/** The parsers a user would call on the body's text, each exact but `JSON.parse`. */
export function parsers({ JSONbig, LosslessJSON }) {
  const bigint = JSONbig({ useNativeBigInt: true });
  const { isInteger } = LosslessJSON;
  // A number stays a number unless it is an integer a double cannot hold.
  const parseNumber = (text) => {
    const n = Number(text);
    return Number.isSafeInteger(n) || !isInteger(text) ? n : BigInt(text);
  };
  return {
    parse: (text) => JSON.parse(text),
    jsonBigint: (text) => bigint.parse(text),
    lossless: (text) => LosslessJSON.parse(text, undefined, parseNumber),
  };
}

const count = (value) => (Array.isArray(value) ? value.length : Object.keys(value).length);

/** The first two amounts of a result (pools 0 and 1's `TotalStaked`, or locked amounts), as text. */
function firstAmounts(value) {
  const vs = Array.isArray(value) ? value.slice(0, 2).map((pool) => pool.TotalStaked) : Object.values(value).slice(0, 2);
  return vs.map((v) => `${v}${typeof v === "bigint" ? "n" : ""}`);
}

/**
 * One list call over the network, `rounds` interleaved rounds (the variants' order rotating
 * round by round; the first `warmup` rounds discarded), one call per variant and round:
 * - `package`: the typed call (`getPools()`, `getPoolLockedAmounts()`): fetch, decode, records;
 * - `get`: the package's `get(path)`: fetch and decode (`src/json.js`), no records;
 * - `text`: `fetch` + `text()`, what every variant does first;
 * - `parse`, `jsonBigint`, `lossless`: `fetch` + `text()` + that parser.
 * Also the wasm memory before the first call, after each call of the package (memory never
 * shrinks, so that is also its peak so far) and at the end.
 */
export async function network(libs, { baseUrl, call, path, rounds, warmup }) {
  const { AccessClient, memory } = libs;
  const parse = parsers(libs);
  const client = new AccessClient(undefined, { baseUrl });
  const url = `${baseUrl}${path}`;
  const text = async () => {
    const response = await fetch(url, { credentials: "omit", headers: { Accept: "application/json" } });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  };
  const variants = {
    package: () => client[call](),
    get: () => client.get(path),
    text,
    parse: async () => parse.parse(await text()),
    jsonBigint: async () => parse.jsonBigint(await text()),
    lossless: async () => parse.lossless(await text()),
  };
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  const memoryBytes = { before: memory(), afterCalls: [] };
  let items = null;
  let bytes = 0;
  const amounts = {};
  for (let round = 0; round < warmup + rounds; round += 1) {
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(i + round) % names.length];
      const started = performance.now();
      const value = await variants[name]();
      const elapsed = performance.now() - started;
      if (round >= warmup) samples[name].push(elapsed);
      if (name === "package") memoryBytes.afterCalls.push(memory());
      if (name === "text") {
        bytes = new TextEncoder().encode(value).length;
        continue;
      }
      const n = count(value);
      if (items !== null && n !== items) throw new Error(`${name}: ${n} items, not ${items}`);
      items = n;
      amounts[name] = firstAmounts(value);
    }
  }
  client.free();
  memoryBytes.after = memory();
  return { samples, items, bytes, amounts, memory: memoryBytes };
}

/**
 * Decoding alone (no network): the body's text, fetched once, decoded by the package's
 * `parseJson` (src/json.js, no records) and by each parser, interleaved, `rounds` times.
 */
export async function decode(libs, { url, rounds, warmup }) {
  const parse = parsers(libs);
  const text = await (await fetch(url, { credentials: "omit" })).text();
  const variants = { package: (t) => libs.parseJson(t), ...parse };
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  let sink = 0;
  for (let round = 0; round < warmup + rounds; round += 1) {
    for (let i = 0; i < names.length; i += 1) {
      const name = names[(i + round) % names.length];
      const started = performance.now();
      const value = variants[name](text);
      const elapsed = performance.now() - started;
      sink += count(value);
      if (round >= warmup) samples[name].push(elapsed);
    }
  }
  if (sink === 0) throw new Error("nothing decoded");
  return samples;
}
