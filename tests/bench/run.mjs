// `cargo xtask bench` runs this: benchmarks of the package in headless Chromium against the local
// sandbox, printed as a table and written to target/bench/bench.{json,md}.
//
//   BENCH_URL=<demo origin serving tests/bench> API_URL=<sandbox API>
//   SLOW_API_URL=<tests/bench/slow_api.py> PKG_DIR=<package>
//   POOLS_APIS=<JSON: { "<pools>": "<sandbox API serving that many pools>", ... }> node tests/bench/run.mjs
//
// Optional: BENCH_LOADS (start-up page loads, default 30), BENCH_ROUNDS (rounds of per-call
// batches, default 100, 10 calls per batch), BENCH_CSV_ROWS (rows of the large export, default
// 400000, about 50 MB), BENCH_LIST_ROUNDS (rounds of each list row, instead of each row's own),
// BENCH_FIREFOX=0 (no Firefox rows).

import { cpus, totalmem } from "node:os";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

import { setTimeout as sleep } from "node:timers/promises";

import { chromium } from "playwright-core";

import { launchFirefox } from "../e2e/browsers.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const { BENCH_URL, API_URL, SLOW_API_URL, PKG_DIR, POOLS_APIS } = process.env;
if (!BENCH_URL || !API_URL || !SLOW_API_URL || !PKG_DIR || !POOLS_APIS) {
  console.error("usage: BENCH_URL=… API_URL=… SLOW_API_URL=… PKG_DIR=… POOLS_APIS=… node tests/bench/run.mjs");
  process.exit(2);
}
const LOADS = Number(process.env.BENCH_LOADS ?? 30);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const PER_BATCH = 10;
const CSV_ROWS = Number(process.env.BENCH_CSV_ROWS ?? 400000);
const OUT = join(ROOT, "target/bench");
const LIST_ROUNDS = process.env.BENCH_LIST_ROUNDS ? Number(process.env.BENCH_LIST_ROUNDS) : undefined;
const poolsApi = JSON.parse(POOLS_APIS);
/** The list rows (tests/bench/pools.js), each run in Chromium and in Node. */
const LISTS = [
  { name: "getPools() of 200 pools", pools: 200, call: "getPools", path: "/pools", rounds: 30, warmup: 3 },
  { name: "getPools() of 2,000 pools", pools: 2000, call: "getPools", path: "/pools", rounds: 15, warmup: 2 },
  { name: "getPools() of 20,000 pools", pools: 20000, call: "getPools", path: "/pools", rounds: 9, warmup: 1, decodeRounds: 9 },
  { name: "getPoolLockedAmounts() of 20,000 pools", pools: 20000, call: "getPoolLockedAmounts", path: "/pools/locked", rounds: 15, warmup: 2 },
].map(({ pools, ...list }) => ({ ...list, baseUrl: poolsApi[pools], rounds: LIST_ROUNDS ?? list.rounds }));
for (const list of LISTS) if (!list.baseUrl) throw new Error(`POOLS_APIS names no sandbox for ${list.name}`);
mkdirSync(OUT, { recursive: true });

// ---- statistics ---------------------------------------------------------------------------------

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const quantile = (xs, q) => {
  const s = sorted(xs);
  return s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)];
};
const median = (xs) => {
  const s = sorted(xs);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
};
const ms = (x) => `${x.toFixed(x < 1 ? 3 : 2)} ms`;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

// ---- 1. size -------------------------------------------------------------------------------------

function size() {
  // What a page loads: the entry, the generated module, its snippet (the error class), the .wasm.
  const snippets = readdirSync(join(PKG_DIR, "snippets"), { recursive: true })
    .filter((name) => name.endsWith(".js"))
    .map((name) => join("snippets", name));
  const files = ["index.js", "access_creator_api.js", ...snippets, "access_creator_api_bg.wasm"];
  const rows = files.map((name) => {
    const bytes = readFileSync(join(PKG_DIR, name));
    return {
      file: name,
      raw: bytes.length,
      gzip: gzipSync(bytes, { level: 9 }).length,
      brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
    };
  });
  const total = rows.reduce((sum, r) => ({ raw: sum.raw + r.raw, gzip: sum.gzip + r.gzip, brotli: sum.brotli + r.brotli }), { raw: 0, gzip: 0, brotli: 0 });
  return { files: rows, total };
}

// ---- the browser ---------------------------------------------------------------------------------

const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

async function freshPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${BENCH_URL}/index.html`);
  await page.waitForFunction(() => document.documentElement.hasAttribute("data-ready"));
  return { page, close: () => context.close() };
}

async function session(overrides) {
  const response = await fetch(`${API_URL}/__sandbox/keys`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account: "creator", ...overrides }),
  });
  if (!response.ok) throw new Error(`mint a sandbox key: HTTP ${response.status}`);
  return (await response.json()).key;
}

// ---- run -----------------------------------------------------------------------------------------

const results = {
  machine: {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: cpus().length,
    memory: mb(totalmem()),
    node: process.version,
    browser: `Chromium ${browser.version()} (headless)`,
  },
  date: new Date().toISOString(),
};
console.log(`bench: ${results.machine.browser} on ${results.machine.cpu} (${results.machine.cores} cores)`);

results.size = size();
console.log(`size: done`);

// 2. start-up: one fresh page (and context, so no shared memory cache) per load; the first 3 are warm-up.
const startups = { bytes: [], fetched: [] };
for (let i = 0; i < LOADS + 3; i += 1) {
  for (const fetched of [false, true]) {
    const { page, close } = await freshPage();
    const elapsed = await page.evaluate((args) => window.bench.startup(args), { fetched });
    if (i >= 3) startups[fetched ? "fetched" : "bytes"].push(elapsed);
    await close();
  }
}
results.startup = {
  loads: startups.bytes.length,
  median: median(startups.bytes),
  p95: quantile(startups.bytes, 0.95),
  fetched: { median: median(startups.fetched), p95: quantile(startups.fetched, 0.95) },
};
console.log(`start-up: done`);

// 3 and 4: one page.
const { page, close } = await freshPage();
await page.evaluate(() => window.bench.startup());
const key = await session({});
/** The medians of each variant's samples, in ms, and the package's ratio to each. */
function perCallStats(samples) {
  const stats = Object.fromEntries(
    Object.entries(samples).map(([name, xs]) => [name, { median: median(xs), p95: quantile(xs, 0.95) }]),
  );
  stats.ratio = { fetch: stats.package.median / stats.fetch.median, anchor: stats.package.median / stats.anchor.median };
  return stats;
}
const rounds = { rounds: ROUNDS, perBatch: PER_BATCH, warmup: 5 };
/** PER_CALL_RUNS interleaved runs against one server; the run whose ratio to the anchor is the
 * median stands for them, and every run's ratio is kept (the spread). */
const PER_CALL_RUNS = 3;
async function perCallRuns(baseUrl) {
  const runs = [];
  for (let run = 0; run < PER_CALL_RUNS; run++) {
    runs.push(perCallStats(await page.evaluate((args) => window.bench.perCall(args), { baseUrl, key, ...rounds })));
  }
  const sorted = [...runs].sort((a, b) => a.ratio.anchor - b.ratio.anchor);
  return { ...sorted[Math.floor(sorted.length / 2)], anchorRatios: runs.map((r) => r.ratio.anchor) };
}
results.perCall = { ...rounds, runs: PER_CALL_RUNS, sandbox: await perCallRuns(API_URL) };
console.log(`per call (sandbox): done`);
// The same against Python's http.server, a slower server (HTTP/1.0, a connection per request).
results.perCall.python = await perCallRuns(SLOW_API_URL);
console.log(`per call (python http.server): done`);

const json = readFileSync(join(ROOT, "tests/fixtures/user.sample.json"), "utf8");
const cpu = await page.evaluate((args) => window.bench.perCallCpu(args), { json, rounds: 30, perBatch: 500 });
const micro = (xs) => ({ median: median(xs) * 1000, p95: quantile(xs, 0.95) * 1000 });
results.perCallCpu = { package: micro(cpu.package), fetch: micro(cpu.fetch), anchor: micro(cpu.anchor) };
// The package's own work: what a call costs beyond the hand-written wrapper it replaces.
results.perCallCpu.own = {
  fetch: results.perCallCpu.package.median - results.perCallCpu.fetch.median,
  anchor: results.perCallCpu.package.median - results.perCallCpu.anchor.median,
};
console.log(`per call, CPU only: done`);
const decode = await page.evaluate((args) => window.bench.decode(args), { json, batches: 30, perBatch: 2000 });
results.decode = {
  package: { median: median(decode.package) * 1000, p95: quantile(decode.package, 0.95) * 1000 },
  parse: { median: median(decode.parse) * 1000, p95: quantile(decode.parse, 0.95) * 1000 },
};
results.decode.ratio = results.decode.package.median / results.decode.parse.median;
console.log(`decode: done`);

// The list rows: in this page, then in Node (tests/bench/node.mjs, the same pools.js).
const jsonModule = "/pkg/" + readdirSync(join(PKG_DIR, "snippets"), { recursive: true })
  .map((name) => join("snippets", name))
  .find((name) => name.endsWith("src/json.js"));
const stat = (xs) => ({ median: median(xs), min: Math.min(...xs), max: Math.max(...xs), runs: xs.length });
/** A list row's statistics from its raw samples (pools.js `network` and `decode`). */
function listStats({ name, network, decode }) {
  const time = Object.fromEntries(Object.entries(network.samples).map(([variant, xs]) => [variant, stat(xs)]));
  const m = (variant) => time[variant].median;
  return {
    name,
    items: network.items,
    bytes: network.bytes,
    time,
    // The package's time, split: fetch + text() / decoding (get(path) less that) / records (the call less get(path)).
    split: { fetch: m("text"), decode: m("get") - m("text"), records: m("package") - m("get") },
    ratio: { parse: m("package") / m("parse"), jsonBigint: m("jsonBigint") / m("package"), lossless: m("lossless") / m("package") },
    amounts: network.amounts,
    memory: network.memory,
    decode: decode && Object.fromEntries(Object.entries(decode).map(([variant, xs]) => [variant, stat(xs)])),
  };
}
results.lists = { chromium: [], firefox: [], node: [] };
for (const { decodeRounds, ...list } of LISTS) {
  const network = await page.evaluate((args) => window.bench.listCall(args), { jsonModule, ...list });
  const decode = decodeRounds
    ? await page.evaluate((args) => window.bench.listDecode(args), { jsonModule, url: `${list.baseUrl}${list.path}`, rounds: decodeRounds, warmup: 1 })
    : undefined;
  results.lists.chromium.push(listStats({ name: list.name, network, decode }));
  console.log(`lists (Chromium): ${list.name}: done`);
}
// Firefox ESR through geckodriver (tests/e2e/browsers.mjs), the same page: the list rows only.
// WebDriver gives a script 30 s, less than a row takes, so each row runs as a job the page
// keeps, polled every 0.5 s (one small script in the page per poll).
if (process.env.BENCH_FIREFOX !== "0") {
  const firefox = await launchFirefox({ downloads: join(OUT, "firefox-downloads") });
  try {
    results.machine.firefox = `Firefox ${firefox.version} (headless)`;
    await firefox.goto(`${BENCH_URL}/index.html`);
    await firefox.waitFor(() => document.documentElement.hasAttribute("data-ready"), undefined, 30000, "the bench page");
    const job = async (what, args) => {
      await firefox.evaluate(
        ([what, args]) => {
          window.benchJob = undefined;
          window.bench[what](args).then(
            (value) => (window.benchJob = { value }),
            (error) => (window.benchJob = { error: String((error && error.stack) || error) }),
          );
          return true;
        },
        [what, args],
      );
      for (;;) {
        await sleep(500);
        const done = await firefox.evaluate(() => window.benchJob ?? null);
        if (done?.error) throw new Error(`Firefox: ${what}: ${done.error}`);
        if (done) return done.value;
      }
    };
    await job("startup", {});
    for (const { decodeRounds, ...list } of LISTS) {
      const network = await job("listCall", { jsonModule, ...list });
      const decode = decodeRounds
        ? await job("listDecode", { jsonModule, url: `${list.baseUrl}${list.path}`, rounds: decodeRounds, warmup: 1 })
        : undefined;
      results.lists.firefox.push(listStats({ name: list.name, network, decode }));
      console.log(`lists (Firefox): ${list.name}: done`);
    }
  } finally {
    await firefox.close();
  }
}

const fromNode = JSON.parse(
  execFileSync("node", [join(ROOT, "tests/bench/node.mjs")], {
    env: { ...process.env, LISTS: JSON.stringify(LISTS), OUT_DIR: OUT },
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024,
  }).toString(),
);
results.machine.nodeLists = fromNode.node;
results.lists.node = fromNode.lists.map(listStats);
console.log(`lists (Node): done`);

const exportKey = await session({ export_delay_ms: 0, csv_rows: CSV_ROWS });
const cdp = await page.context().newCDPSession(page);
/** Runs one export while sampling the page's JS heap every few ms through the DevTools protocol. */
async function exportRun(which) {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize: base } = await cdp.send("Runtime.getHeapUsage");
  let peak = base;
  let running = true;
  const sampler = (async () => {
    while (running) {
      const { usedSize } = await cdp.send("Runtime.getHeapUsage");
      peak = Math.max(peak, usedSize);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  })();
  const run = await page.evaluate((args) => window.bench.exportOnce(args), { baseUrl: API_URL, key: exportKey, kind: "supporters", which });
  running = false;
  await sampler;
  return { ...run, peakHeap: peak - base };
}
const exportRuns = { package: [], fetch: [] };
let exportBytes = 0;
let wasmMemory = 0;
for (let i = 0; i < 4; i += 1) {
  for (const which of i % 2 === 0 ? ["package", "fetch"] : ["fetch", "package"]) {
    const run = await exportRun(which);
    exportBytes = run.bytes;
    wasmMemory = Math.max(wasmMemory, run.wasmMemory);
    if (i > 0) exportRuns[which].push(run); // the first round is warm-up
  }
}
const side = (runs) => {
  const elapsed = median(runs.map((r) => r.elapsed));
  return { elapsed, throughput: exportBytes / 1024 / 1024 / (elapsed / 1000), peakHeap: Math.max(...runs.map((r) => r.peakHeap)) };
};
results.exports = { bytes: exportBytes, runs: exportRuns.package.length, package: side(exportRuns.package), fetch: side(exportRuns.fetch), wasmMemory };
console.log(`exports: done`);
await close();
await browser.close();

// ---- report --------------------------------------------------------------------------------------

const r = results;
const lines = [
  `Measured ${r.date.slice(0, 10)} at ${process.env.BENCH_COMMIT ?? "an unknown commit"} on ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memory}; ${r.machine.browser}${r.machine.firefox ? `, ${r.machine.firefox} for the list rows` : ""}; Node ${r.machine.node}; sandbox on loopback.`,
  "",
  "| What | access-creator-api | Plain JS | Ratio |",
  "|---|---|---|---|",
  ...r.size.files.map((f) => `| Size: \`${f.file}\` (raw / gzip -9 / brotli) | ${kb(f.raw)} / ${kb(f.gzip)} / ${kb(f.brotli)} | — | — |`),
  `| Size: package as a page loads it (all of the above) | ${kb(r.size.total.raw)} / **${kb(r.size.total.gzip)}** gzip / ${kb(r.size.total.brotli)} brotli | 0 | — |`,
  `| Start-up: \`init()\` to ready (compile + instantiate), ${r.startup.loads} fresh page loads | median **${ms(r.startup.median)}**, p95 ${ms(r.startup.p95)} | — | — |`,
  `| Start-up: \`init()\` fetching the module too (streaming, loopback) | median ${ms(r.startup.fetched.median)}, p95 ${ms(r.startup.fetched.p95)} | — | — |`,
  ...["sandbox", "python"].flatMap((server) => {
    const p = r.perCall[server];
    const where = server === "sandbox" ? "the sandbox (axum, keep-alive)" : "Python's http.server (HTTP/1.0)";
    return [
      `| Per call against ${where}: \`getUser()\`, ${r.perCall.runs} runs of ${r.perCall.rounds} rounds × ${r.perCall.perBatch} calls (the run with the median ratio to the anchor) | median **${ms(p.package.median)}**, p95 ${ms(p.package.p95)} | — | — |`,
      `| … vs \`fetch\` + \`json()\` | | median ${ms(p.fetch.median)}, p95 ${ms(p.fetch.p95)} | ${p.ratio.fetch.toFixed(3)}× |`,
      `| … vs the same + \`AbortController\` + \`setTimeout\` (the anchor) | | median ${ms(p.anchor.median)}, p95 ${ms(p.anchor.p95)} | **${p.ratio.anchor.toFixed(3)}×** (runs: ${p.anchorRatios.map((x) => x.toFixed(3)).join(", ")}) |`,
    ];
  }),
  `| Per call, CPU only (\`fetch\` answered in the page): \`getUser()\` | median ${r.perCallCpu.package.median.toFixed(1)} µs | — | — |`,
  `| … vs \`fetch\` + \`json()\`: the package's own work | **+${r.perCallCpu.own.fetch.toFixed(1)} µs** | median ${r.perCallCpu.fetch.median.toFixed(1)} µs | ${(r.perCallCpu.package.median / r.perCallCpu.fetch.median).toFixed(2)}× |`,
  `| … vs the anchor | +${r.perCallCpu.own.anchor.toFixed(1)} µs | median ${r.perCallCpu.anchor.median.toFixed(1)} µs | ${(r.perCallCpu.package.median / r.perCallCpu.anchor.median).toFixed(2)}× |`,
  `| Decode: documented record, \`parseUser\` vs \`JSON.parse\` | median ${r.decode.package.median.toFixed(2)} µs | median ${r.decode.parse.median.toFixed(2)} µs | ${r.decode.ratio.toFixed(2)}× |`,
  `| Export: ${mb(r.exports.bytes)} CSV, \`exportCsv\` vs \`fetch\` + \`text()\` (median of ${r.exports.runs}) | ${ms(r.exports.package.elapsed)}, ${r.exports.package.throughput.toFixed(0)} MiB/s | ${ms(r.exports.fetch.elapsed)}, ${r.exports.fetch.throughput.toFixed(0)} MiB/s | ${(r.exports.package.elapsed / r.exports.fetch.elapsed).toFixed(2)}× |`,
  `| Export: peak V8 heap growth¹ | ${mb(r.exports.package.peakHeap)} (wasm memory after: ${mb(r.exports.wasmMemory)}) | ${mb(r.exports.fetch.peakHeap)} | — |`,
  "",
  "¹ Sampled every ~5 ms through the DevTools protocol (`Runtime.getHeapUsage`). Strings made by `fetch`'s `text()` and by `TextDecoder` live outside the V8 heap, so the CSV itself is not counted on either side; the figure shows what each side allocates besides it.",
];
// The list rows: one table for both runtimes.
const runtimes = {
  chromium: r.machine.browser.replace(" (headless)", ""),
  firefox: r.machine.firefox?.replace(" (headless)", ""),
  node: `Node ${r.machine.node}`,
};
const measured = ["chromium", "firefox", "node"].filter((runtime) => r.lists[runtime].length > 0);
const listRow = (runtime, l) =>
  `| ${runtimes[runtime]} | \`${l.name.split(" of ")[0]}\` | ${l.items.toLocaleString("en")} (${mb(l.bytes)}) | **${ms(l.time.package.median)}** (${ms(l.split.fetch)} / ${ms(l.split.decode)} / ${ms(l.split.records)}) | ${ms(l.time.parse.median)} | ${ms(l.time.jsonBigint.median)} | ${ms(l.time.lossless.median)} | **${l.ratio.parse.toFixed(2)}×** | **${l.ratio.jsonBigint.toFixed(2)}×** | ${l.ratio.lossless.toFixed(2)}× |`;
const byName = (runtime, name) => r.lists[runtime].find((l) => l.name === name);
const growth = (runtime, variant) =>
  byName(runtime, "getPools() of 20,000 pools").time[variant].median / byName(runtime, "getPools() of 2,000 pools").time[variant].median;
const memoryNote = (runtime) => {
  const m = byName(runtime, "getPools() of 20,000 pools").memory;
  return `${runtimes[runtime]}: ${kb(m.before)} before the first call, ${kb(Math.max(...m.afterCalls))} at most after a call, ${kb(m.after)} after the last (${m.afterCalls.length} calls): **${m.after - m.before >= 0 ? "+" : ""}${kb(m.after - m.before)}**`;
};
const decodeRow = (runtime) => {
  const l = byName(runtime, "getPools() of 20,000 pools");
  const d = l.decode;
  return `| ${runtimes[runtime]} | ${mb(l.bytes)} | ${ms(d.package.median)} | ${ms(d.parse.median)} | ${ms(d.jsonBigint.median)} | ${ms(d.lossless.median)} | ${(d.package.median / d.parse.median).toFixed(2)}× | ${(d.jsonBigint.median / d.package.median).toFixed(2)}× |`;
};
lines.push(
  "",
  "### Lists",
  "",
  "Each call once per round, the variants interleaved (their order rotating round by round), the median of the rounds after the warm-up ones: " +
    LISTS.map((l) => `${l.name} ${l.rounds}`).join(", ") +
    " rounds. Every plain-JS variant is `fetch` + `text()` and then the parser named. The package's time is split into `fetch` + `text()` / decoding / records: the median of `fetch` + `text()`, then the package's `get(path)` (fetch and `src/json.js`, no records) less that, then the typed call less `get(path)`; a negative part is within noise." +
    (r.lists.firefox.length ? " Firefox clamps `performance.now()` to 1 ms in a page that is not cross-origin isolated, and runs each row as a job the driver polls every 0.5 s." : ""),
  "",
  "| Runtime | Call | Items (body) | access-creator-api (fetch / decode / records) | + `JSON.parse`² | + json-bigint | + lossless-json | Package / `JSON.parse` | json-bigint / package | lossless-json / package |",
  "|---|---|---|---|---|---|---|---|---|---|",
  ...measured.flatMap((runtime) => r.lists[runtime].map((l) => listRow(runtime, l))),
  "",
  `Growth, \`getPools()\` of 20,000 pools over 2,000: ${measured.map((rt) => `${runtimes[rt]} **${growth(rt, "package").toFixed(2)}×** (\`JSON.parse\` ${growth(rt, "parse").toFixed(2)}×, json-bigint ${growth(rt, "jsonBigint").toFixed(2)}×)`).join("; ")}.`,
  "",
  `Wasm memory (\`memory.buffer.byteLength\`, which never shrinks, so the figure after a call is also its peak) around \`getPools()\` of 20,000 pools: ${measured.map(memoryNote).join("; ")}.`,
  "",
  "Decoding alone, the text of 20,000 pools already in memory (`parseJson` is the package's `src/json.js`, no records):",
  "",
  "| Runtime | Text | `parseJson` | `JSON.parse` | json-bigint | lossless-json | `parseJson` / `JSON.parse` | json-bigint / `parseJson` |",
  "|---|---|---|---|---|---|---|---|",
  ...measured.map(decodeRow),
  "",
  (() => {
    // An amount beyond 2^53 that JSON.parse rounds, from the list rows' first two amounts.
    const l = byName("chromium", "getPoolLockedAmounts() of 20,000 pools");
    const i = l.amounts.parse.findIndex((v, i) => `${v}n` !== l.amounts.package[i]);
    if (i < 0) return "² `JSON.parse` gave the same first two amounts as the package.";
    return `² \`JSON.parse\` rounds the amounts beyond 2^53: pool ${i}'s locked amount is ${l.amounts.package[i]} from the package, ${l.amounts.jsonBigint[i]} from json-bigint, ${l.amounts.lossless[i]} from lossless-json and ${l.amounts.parse[i]} from \`JSON.parse\`.`;
  })(),
);
const markdown = lines.join("\n");
writeFileSync(join(OUT, "bench.json"), JSON.stringify(results, null, 2));
writeFileSync(join(OUT, "bench.md"), markdown + "\n");
// The run the README's Performance section shows: commit it with the README's copy of it.
writeFileSync(join(ROOT, "docs/bench.md"), markdown + "\n");
console.log("\n" + markdown + "\n");
console.log(`written: target/bench/bench.json, target/bench/bench.md, docs/bench.md (paste its table into README.md's Performance section)`);
