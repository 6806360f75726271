// Measurements run inside the page; tests/bench/run.mjs drives them and reports.
// Each function returns raw samples (milliseconds); the driver computes the statistics.

import init, { AccessClient, parseUser } from "/pkg/access_api.js";

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
  const bytes = await (await fetch(new URL("/pkg/access_api_bg.wasm", location.href))).arrayBuffer();
  const started = performance.now();
  wasm = await init({ module_or_path: bytes });
  return performance.now() - started;
}

/**
 * `getUser()` via the package against plain `fetch` + `response.json()` with the same headers,
 * interleaved A/B (the order alternating each round), `calls` measured calls each after
 * `warmup` discarded ones.
 */
async function perCall({ baseUrl, key, calls, warmup }) {
  const client = new AccessClient(key, { baseUrl });
  const headers = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };
  const plain = async () => {
    const response = await fetch(`${baseUrl}/user`, { headers, credentials: "omit" });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  };
  const viaPackage = () => client.getUser();
  const time = async (call) => {
    const started = performance.now();
    const user = await call();
    const elapsed = performance.now() - started;
    if (!user.Pubkey) throw new Error("no record");
    return elapsed;
  };
  const samples = { package: [], fetch: [] };
  for (let i = 0; i < warmup + calls; i += 1) {
    const order = i % 2 === 0 ? ["package", "fetch"] : ["fetch", "package"];
    for (const which of order) {
      const elapsed = await time(which === "package" ? viaPackage : plain);
      if (i >= warmup) samples[which].push(elapsed);
    }
  }
  client.free();
  return samples;
}

/**
 * The CPU cost of a call alone: `getUser()` against `fetch` + `json()` while `fetch` is
 * replaced by one answering the documented record in the page (no network), per call.
 */
async function perCallCpu({ json, batches, perBatch }) {
  const realFetch = globalThis.fetch;
  const key = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl";
  const headers = { "content-type": "application/json", "content-length": String(new TextEncoder().encode(json).length) };
  globalThis.fetch = async () => new Response(json, { headers });
  try {
    const client = new AccessClient(key, { baseUrl: "http://127.0.0.1:9" });
    const requestHeaders = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };
    const plain = () => fetch("http://127.0.0.1:9/user", { headers: requestHeaders, credentials: "omit" }).then((r) => r.json());
    const samples = { package: [], fetch: [] };
    for (let b = 0; b < batches + 2; b += 1) {
      for (const which of b % 2 === 0 ? ["package", "fetch"] : ["fetch", "package"]) {
        const started = performance.now();
        for (let i = 0; i < perBatch; i += 1) await (which === "package" ? client.getUser() : plain());
        if (b >= 2) samples[which].push((performance.now() - started) / perBatch);
      }
    }
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
  const headers = { Authorization: `Bearer ${key}`, "Content-Type": "application/json" };
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

window.bench = { startup, perCall, perCallCpu, decode, exportOnce };
document.documentElement.setAttribute("data-ready", "");
