// Measurements run inside the page; tests/bench/run.mjs drives them and reports.
// Each function returns raw samples (milliseconds); the driver computes the statistics.

import init, { AccessClient, parseUser } from "/pkg/index.js";
// Served from this origin by `cargo xtask bench` (tests/bench/vendor.mjs lays them out).
import JSONbig from "./vendor/json-bigint.js";
import * as LosslessJSON from "./vendor/lossless-json/index.js";
import * as lists from "./pools.js";

let wasm = null;

/**
 * On this fresh page: the time from `init()` to ready given the module's bytes (compile +
 * instantiate), or, with `fetched`, `init()` fetching the module itself (streaming compile).
 */
async function startup({ fetched = false } = {}) {
  if (fetched) {
    const started = performance.now();
    wasm = await init();
    return performance.now() - started;
  }
  const bytes = await (await fetch(new URL("/pkg/access_creator_api_bg.wasm", location.href))).arrayBuffer();
  const started = performance.now();
  wasm = await init({ module_or_path: bytes });
  return performance.now() - started;
}

/**
 * What a user would write instead of the package, around `fetch(url)`: plain `fetch` + `json()`,
 * and the same with a deadline and a signal (`AbortController`, `setTimeout`, `clearTimeout`):
 * the anchor. Both send the package's headers.
 */
function handWritten(url, key) {
  const headers = { Authorization: `Bearer ${key}`, Accept: "application/json" };
  return {
    fetch: async () => {
      const response = await fetch(url, { headers, credentials: "omit" });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return response.json();
    },
    anchor: async () => {
      const controller = new AbortController();
      const timer = setTimeout(() => controller.abort(), 30000);
      try {
        const response = await fetch(url, { headers, credentials: "omit", signal: controller.signal });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return await response.json();
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

/**
 * Interleaved batches: each round runs `perBatch` calls of each variant, the variants' order
 * rotating round by round; a sample is a batch's time per call (a batch outlasts Chromium's
 * 0.1 ms clock steps). The first `warmup` rounds are discarded.
 */
async function batches(variants, { rounds, perBatch, warmup }) {
  const names = Object.keys(variants);
  const samples = Object.fromEntries(names.map((name) => [name, []]));
  for (let round = 0; round < warmup + rounds; round += 1) {
    const order = names.map((_, i) => names[(i + round) % names.length]);
    for (const name of order) {
      const started = performance.now();
      for (let i = 0; i < perBatch; i += 1) {
        const user = await variants[name]();
        if (!user.Pubkey) throw new Error(`${name}: no record`);
      }
      if (round >= warmup) samples[name].push((performance.now() - started) / perBatch);
    }
  }
  return samples;
}

/** `getUser()` against the hand-written calls, over the network to `baseUrl`. */
async function perCall({ baseUrl, key, rounds, perBatch, warmup }) {
  const client = new AccessClient(key, { baseUrl });
  const samples = await batches(
    { ...handWritten(`${baseUrl}/user`, key), package: () => client.getUser() },
    { rounds, perBatch, warmup },
  );
  client.free();
  return samples;
}

/**
 * The CPU cost of a call alone: the same variants while `fetch` is replaced by one answering
 * the documented record in the page (no network).
 */
async function perCallCpu({ json, rounds, perBatch }) {
  const realFetch = globalThis.fetch;
  const key = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl";
  const headers = { "content-type": "application/json", "content-length": String(new TextEncoder().encode(json).length) };
  globalThis.fetch = async () => new Response(json, { headers });
  try {
    const client = new AccessClient(key, { baseUrl: "http://127.0.0.1:9" });
    const samples = await batches(
      { ...handWritten("http://127.0.0.1:9/user", key), package: () => client.getUser() },
      { rounds, perBatch, warmup: 2 },
    );
    client.free();
    return samples;
  } finally {
    globalThis.fetch = realFetch;
  }
}

/** Decoding the documented record: `parseUser` against `JSON.parse`, per record, in batches. */
function decode({ json, batches, perBatch }) {
  const samples = { package: [], parse: [] };
  let sink = 0;
  for (let b = 0; b < batches + 5; b += 1) {
    for (const which of b % 2 === 0 ? ["package", "parse"] : ["parse", "package"]) {
      const started = performance.now();
      for (let i = 0; i < perBatch; i += 1) {
        const user = which === "package" ? parseUser(json) : JSON.parse(json);
        sink += user.Pubkey.length;
      }
      const perRecord = (performance.now() - started) / perBatch;
      if (b >= 5) samples[which].push(perRecord);
    }
  }
  if (sink === 0) throw new Error("nothing decoded");
  return samples;
}

/**
 * One whole export of a large CSV, by the package (`exportCsv`) or by plain `fetch` (the
 * `POST`, then the `GET` of the ready file and `text()`). The sandbox session has no export
 * delay, so both request once and download once. The driver samples the heap meanwhile.
 */
async function exportOnce({ baseUrl, key, kind, which }) {
  const headers = { Authorization: `Bearer ${key}`, Accept: "application/json" };
  const plain = async () => {
    const requested = await fetch(`${baseUrl}/file/${kind}`, { method: "POST", headers, credentials: "omit" });
    const id = await requested.json();
    const response = await fetch(`${baseUrl}/file/link/${encodeURIComponent(id)}`, { headers, credentials: "omit" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.text();
  };
  const client = new AccessClient(key, { baseUrl, maxCsvBytes: 536870888, timeoutMs: 120000 });
  const started = performance.now();
  const csv = which === "package" ? await client.exportCsv(kind) : await plain();
  const elapsed = performance.now() - started;
  client.free();
  if (typeof csv !== "string" || csv.length < 1000) throw new Error("no CSV");
  return { elapsed, bytes: new TextEncoder().encode(csv).length, wasmMemory: wasm.memory.buffer.byteLength };
}

/**
 * What the list rows (pools.js) need in this page: `parseJson` is the package's own decoder,
 * imported from where wasm-bindgen put src/json.js (`jsonModule`, a path under /pkg/).
 */
async function listLibs(jsonModule) {
  const { parseJson } = await import(jsonModule);
  return { AccessClient, parseJson, JSONbig, LosslessJSON, memory: () => wasm.memory.buffer.byteLength };
}

/** A list call against the plain-JS variants, over the network (pools.js `network`). */
async function listCall({ jsonModule, ...args }) {
  return lists.network(await listLibs(jsonModule), args);
}

/** Decoding a list's text alone (pools.js `decode`). */
async function listDecode({ jsonModule, ...args }) {
  return lists.decode(await listLibs(jsonModule), args);
}

window.bench = { startup, perCall, perCallCpu, decode, exportOnce, listCall, listDecode };
document.documentElement.setAttribute("data-ready", "");
