// End-to-end tests of the demo page (www/) in a real browser against a live sandbox.
//
//   node tests/e2e/demo.test.mjs chromium|firefox
//
// Needs DEMO_URL and API_URL (a sandbox started with --test-control); `cargo xtask test` sets
// them. Screenshots of each main state go to target/e2e/. Prints one line per test and a
// closing `test result:` line in cargo's format.

import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";

import { launchChromium, launchFirefox } from "./browsers.mjs";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const BROWSER = process.argv[2];
const DEMO = process.env.DEMO_URL;
const API = process.env.API_URL;
if (!DEMO || !API || !["chromium", "firefox"].includes(BROWSER)) {
  console.error("usage: DEMO_URL=… API_URL=… node tests/e2e/demo.test.mjs chromium|firefox");
  process.exit(2);
}
const OUT = join(ROOT, "target/e2e");
const DOWNLOADS = join(OUT, `downloads-${BROWSER}`);
mkdirSync(OUT, { recursive: true });
rmSync(DOWNLOADS, { recursive: true, force: true });

// ---- The sandbox ----------------------------------------------------------------------------

async function json(url, init) {
  const response = await fetch(url, init);
  assert.ok(response.ok, `${init?.method ?? "GET"} ${new URL(url).pathname}: HTTP ${response.status}`);
  return response.json();
}

/** A fresh test session of `account`: its key (a canary: it must never show up) and counters. */
async function session(account, overrides = {}) {
  const { key, session: id } = await json(`${API}/__sandbox/keys`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ account, ...overrides }),
  });
  const keys = [key];
  return {
    key,
    keys,
    report: () => json(`${API}/__sandbox/sessions/${id}`),
    count: async (route) => (await json(`${API}/__sandbox/sessions/${id}`)).requests[route] ?? 0,
  };
}

/** The record the API gives a key, fetched directly (not through the page). */
async function apiUser(key) {
  return json(`${API}/user`, { headers: { authorization: `Bearer ${key}` } });
}

const cspReports = () => json(`${DEMO}/__sandbox/csp-reports`);

// ---- The runner ------------------------------------------------------------------------------

const tests = [];
const test = (name, body) => tests.push({ name, body });

const browser = await (BROWSER === "chromium" ? launchChromium : launchFirefox)({ downloads: DOWNLOADS });
const canaries = new Set();
const shot = (state) => browser.screenshot(join(OUT, `${BROWSER}-${state}.png`));

/** Opens the demo page and waits until its module is ready. */
async function open() {
  await browser.goto(DEMO);
  await browser.waitFor(() => document.documentElement.hasAttribute("data-ready"), undefined, 15000, "the page to start");
}

/** Pastes `text` into the key field and fetches the record; waits for the record or an error. */
async function fetchRecord(text) {
  await browser.fill("#api-key", text);
  await browser.click("#fetch-user");
  await browser.waitFor(
    () => document.querySelector("#record .profile") !== null || !document.querySelector("#error").hidden,
    undefined,
    10000,
    "the record or an error",
  );
}

const text = (selector) => browser.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);

/** Everything the page could leak the key into, read from the page. */
const pageState = () =>
  browser.evaluate(() => ({
    url: location.href,
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    title: document.title,
    body: document.body.innerText,
  }));

// ---- The tests ---------------------------------------------------------------------------------

test("the creator's record: profile, pool card and raw JSON, from a pasted `Bearer` key", async () => {
  const creator = await session("creator");
  canaries.add(creator.key);
  const expected = await apiUser(creator.key);
  await open();
  await fetchRecord(`  Bearer ${creator.key}\n`);
  assert.equal(await text("#error strong"), null, "no error");
  assert.equal(await text("#record .username").then((t) => t.startsWith(expected.Username)), true);
  assert.equal(await text("#record .pool-name"), expected.OwnedPool.Name);
  assert.equal(await text("#record .pubkey"), expected.Pubkey);
  const raw = JSON.parse(await text("#record pre.json"));
  assert.deepEqual(raw, expected, "the raw JSON is the API's record");
  // The pool's images come from the sandbox and load.
  await browser.waitFor(
    () => [...document.querySelectorAll("#record img")].length === 3 && [...document.querySelectorAll("#record img")].every((i) => i.complete && i.naturalWidth > 0),
    undefined,
    10000,
    "the pool's three images to load",
  );
  // Dates are shown in the reader's locale, with the RFC 3339 value kept as machine-readable.
  const times = await browser.evaluate(() => [...document.querySelectorAll("#record time")].map((t) => t.getAttribute("datetime")));
  assert.ok(times.includes(expected.CreatedAt));
  assert.equal(await browser.evaluate(() => document.querySelector("#decoded").hidden), false, "the key is decoded next to the field");
  assert.match(await text("#decoded-claims"), /"sub"/);
  assert.equal(await creator.count("GET /user"), 2); // ours and the page's
  await shot("creator-record");
});

test("a user without a pool: the 'no pool' state, and exports are forbidden", async () => {
  const user = await session("user");
  canaries.add(user.key);
  await open();
  await fetchRecord(user.key);
  await browser.waitShown("#record .no-pool");
  assert.equal(await browser.evaluate(() => document.querySelector("#record .pool")), null);
  await browser.click('[data-export="emails"]');
  await browser.waitShown("#error");
  assert.match(await text("#error"), /may not do that/);
  await shot("no-pool");
});

test("a rejected key says so, and never shows the key", async () => {
  const creator = await session("creator");
  const parts = creator.key.split(".");
  const forged = `${parts[0]}.${parts[1]}.${"A".repeat(43)}`;
  canaries.add(forged);
  await open();
  await fetchRecord(forged);
  assert.match(await text("#error"), /rejected this key/);
  assert.equal(await text("#record .profile"), null);
  await shot("rejected-key");
  const notAKey = "not a key at all";
  await fetchRecord(notAKey);
  assert.match(await text("#error"), /not an API key/);
});

for (const kind of ["emails", "supporters", "rewards"]) {
  test(`the ${kind} export: phases, preview, row count and a downloaded CSV`, async () => {
    const creator = await session("creator");
    canaries.add(creator.key);
    await open();
    await fetchRecord(creator.key);
    await browser.click(`[data-export="${kind}"]`);
    await browser.waitShown("#export-result", 15000);
    assert.equal(await text("#export-status"), "Done.");
    const rows = Number((await text("#row-count")).split(" ")[0]);
    assert.ok(rows > 0);
    const { name, text: csv } = await browser.download("#csv-download");
    assert.match(name, new RegExp(`^access-${kind}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    // The downloaded file is the API's CSV: same header as the preview, same number of rows.
    const header = await browser.evaluate(() => [...document.querySelectorAll("#csv-preview th")].map((th) => th.textContent));
    assert.ok(csv.startsWith(header.map((h) => (/[",\n]/.test(h) ? `"${h}"` : h)).join(",")), "the file starts with the header");
    const cells = await browser.evaluate(() => [...document.querySelectorAll("#csv-preview tbody tr")].length);
    assert.ok(cells > 0 && cells <= 20);
    assert.equal(await creator.count(`POST /file/${kind}`), 1);
    assert.ok(csv.split("\n").length > rows, "each row is at least one line of the file");
    if (kind === "supporters") await shot("export-done");
  });
}

test("cancelling an export mid-poll stops its requests", async () => {
  const creator = await session("creator", { export_delay_ms: 60000 });
  canaries.add(creator.key);
  await open();
  await fetchRecord(creator.key);
  await browser.click('[data-export="supporters"]');
  await browser.waitFor(() => /attempt 2/.test(document.querySelector("#export-status").textContent), undefined, 10000, "the second poll");
  await shot("export-waiting");
  await browser.click("#export-cancel");
  await browser.waitFor(() => document.querySelector("#export-status").textContent === "Export cancelled.", undefined, 5000, "the cancellation");
  const polls = await creator.count("GET /file/link");
  await sleep(3000);
  assert.equal(await creator.count("GET /file/link"), polls, "no poll after cancelling");
  assert.equal(await browser.evaluate(() => document.querySelector("#error").hidden), true, "cancelling is not an error");
});

test("hostile strings render as inert text; unsafe URLs are neither links nor images", async () => {
  const hostile = await session("hostile");
  canaries.add(hostile.key);
  const expected = await apiUser(hostile.key);
  await open();
  await fetchRecord(hostile.key);
  await browser.waitShown("#record .pool");
  await sleep(500); // give any injected handler (onerror, onload) the chance to run
  assert.deepEqual(browser.dialogs, [], "no script from the record ran");
  const found = await browser.evaluate(() => ({
    links: [...document.querySelectorAll("#record a")].map((a) => a.getAttribute("href")),
    images: [...document.querySelectorAll("#record img")].map((i) => i.getAttribute("src")),
    scripts: document.querySelectorAll("#record script, #record iframe, #record svg, #record object").length,
    username: document.querySelector("#record .username").firstChild.textContent,
    description: document.querySelector("#record .pool-description")?.textContent,
    website: document.querySelector("#record .unsafe-url")?.textContent,
  }));
  assert.equal(found.scripts, 0);
  for (const url of [...found.links, ...found.images]) {
    const parsed = new URL(url);
    assert.ok(parsed.protocol === "https:" || (parsed.protocol === "http:" && parsed.hostname === "127.0.0.1"), `unsafe URL rendered: ${url}`);
  }
  assert.equal(found.username, expected.Username, "the username is shown verbatim, as text");
  assert.equal(found.description, expected.OwnedPool.Description);
  assert.equal(found.website, expected.OwnedPool.Website, "the unsafe website is shown as text");
  await shot("hostile-record");
});

test("the key is gone after a reload unless remembered in this tab; 'forget key' clears it", async () => {
  const creator = await session("creator");
  canaries.add(creator.key);
  await open();
  await browser.fill("#api-key", creator.key);
  await browser.reload();
  await browser.waitFor(() => document.documentElement.hasAttribute("data-ready"), undefined, 15000, "the page");
  assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), "");
  let state = await pageState();
  assert.ok(!state.session.includes(creator.key) && !state.local.includes(creator.key));

  await browser.fill("#api-key", creator.key);
  await browser.click("#remember-key");
  await browser.reload();
  await browser.waitFor(() => document.documentElement.hasAttribute("data-ready"), undefined, 15000, "the page");
  assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), creator.key, "remembered in this tab");
  assert.ok(!(await pageState()).local.includes(creator.key), "never in localStorage");

  await browser.click("#forget-key");
  state = await pageState();
  assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), "");
  assert.ok(!state.session.includes(creator.key), "forgotten");
  await browser.reload();
  await browser.waitFor(() => document.documentElement.hasAttribute("data-ready"), undefined, 15000, "the page");
  assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), "");
});

test("the sandbox's demo key works in one click", async () => {
  await open();
  await browser.select("#demo-account", "0");
  await browser.click("#use-demo-key");
  await browser.click("#fetch-user");
  await browser.waitShown("#record .pool");
  await browser.setViewport(390, 900);
  await shot("phone");
  await browser.setViewport(1100, 900);
});

test("production through the local proxy: the record comes via the demo server's /upstream", async () => {
  const info = await json(`${DEMO}/sandbox.json`);
  assert.ok(info.proxyBaseUrl && info.upstream, "the demo server runs in proxy mode");
  const demoKey = info.demoKeys[0].key;
  canaries.add(demoKey);
  await open();
  await browser.waitShown("#api-proxy-choice");
  await browser.click('#api-proxy-choice input[value="proxy"]');
  await fetchRecord(demoKey);
  assert.equal(await text("#error strong"), null, "no error");
  const expected = await apiUser(demoKey);
  assert.equal(await text("#record .pubkey"), expected.Pubkey);
  assert.equal(await text("#record .pool-name"), expected.OwnedPool.Name);
  await shot("proxy-record");
});

test("opened from disk, the page says how to serve it", async () => {
  await browser.goto(`file://${join(ROOT, "www/index.html")}`);
  await browser.waitShown("#boot-notice", 5000);
  assert.match(await text("#boot-notice"), /cargo xtask demo/);
  await shot("file-url");
});

if (BROWSER === "chromium") {
  test("the README's script, pasted into the page, fetches the sandbox user and runs an export", async () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf("### Try it in a page"));
    const script = section.slice(section.indexOf("```js") + 5, section.indexOf("```", section.indexOf("```js") + 5));
    const demoKey = (await json(`${DEMO}/sandbox.json`)).demoKeys[0].key;
    canaries.add(demoKey);
    assert.ok(script.includes(demoKey), "the README shows the sandbox's demo key");
    const api = new URL(API);
    const adapted = script.replaceAll("http://127.0.0.1:8081", api.origin);
    await open();
    const logged = browser.console.length;
    await browser.evaluateSource(`(async () => {\n${adapted}\n})()`);
    const output = browser.console.slice(logged).join("\n");
    const user = await apiUser(demoKey);
    assert.match(output, /^done \d+$/m, "the export reported its phases");
    assert.ok(output.includes(user.Pubkey), `the user was logged: ${output.slice(0, 200)}`);
    assert.match(output, /@/, "the e-mails CSV was logged");
  });
}

test("no CSP violation, and the key never reached the URL, the console, storage or cookies", async () => {
  // Reports are sent asynchronously; give the browser a moment.
  await sleep(1000);
  const { reports } = await cspReports();
  assert.deepEqual(reports, [], "CSP violations were reported");
  if (browser.console) {
    assert.deepEqual(browser.console.filter((line) => /Content.Security.Policy/i.test(line)), [], "CSP violations in the console");
  }
  const state = await pageState();
  for (const key of canaries) {
    assert.ok(!state.url.includes(key) && !state.cookie.includes(key) && !state.local.includes(key) && !state.session.includes(key));
    if (browser.console) assert.ok(!browser.console.some((line) => line.includes(key)), "a key was logged to the console");
  }
});

// ---- Run ----------------------------------------------------------------------------------------

console.log(`e2e: ${browser.name} ${browser.version} against ${DEMO}`);
let passed = 0;
let failed = 0;
for (const { name, body } of tests) {
  const started = Date.now();
  try {
    await body();
    passed += 1;
    console.log(`test ${name} ... ok (${Date.now() - started} ms)`);
  } catch (error) {
    failed += 1;
    let message = String(error?.stack ?? error);
    for (const key of canaries) message = message.replaceAll(key, "[CANARY KEY]");
    console.log(`test ${name} ... FAILED\n    ${message.replaceAll("\n", "\n    ")}`);
    await shot(`failed-${passed + failed}`).catch(() => {});
  }
}
await browser.close();
console.log(`\ntest result: ${failed === 0 ? "ok" : "FAILED"}. ${passed} passed; ${failed} failed; screenshots in target/e2e/`);
process.exit(failed === 0 ? 0 : 1);
