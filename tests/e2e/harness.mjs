// The harness of the demo page's end-to-end tests (tests/e2e/*.test.mjs): the browser, the
// sandbox's test control, the page's helpers and the runner. Imported first, it launches the
// browser named on the command line; each test file registers its tests with `test`, and
// run.mjs runs them all.

import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";

import { launchChromium, launchFirefox } from "./browsers.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
export const BROWSER = process.argv[2];
export const DEMO = process.env.DEMO_URL;
export const API = process.env.API_URL;
if (!DEMO || !API || !["chromium", "firefox"].includes(BROWSER)) {
  console.error("usage: DEMO_URL=… API_URL=… node tests/e2e/run.mjs chromium|firefox");
  process.exit(2);
}
const OUT = join(ROOT, "target/e2e");
const DOWNLOADS = join(OUT, `downloads-${BROWSER}`);
mkdirSync(OUT, { recursive: true });
rmSync(DOWNLOADS, { recursive: true, force: true });

/** One of the page's own modules, loaded in Node (they hold no DOM code). */
async function pageModule(name) {
  const source = readFileSync(join(ROOT, "www", name), "utf8");
  return import(`data:text/javascript,${encodeURIComponent(source)}`);
}
export const { spreadsheetSafe, startsLikeFormula } = await pageModule("spreadsheet.js");
export const format = await pageModule("format.js");
const { parseCsv } = await pageModule("csv.js");

// ---- The sandbox ----------------------------------------------------------------------------

export async function json(url, init) {
  const response = await fetch(url, init);
  assert.ok(response.ok, `${init?.method ?? "GET"} ${new URL(url).pathname}: HTTP ${response.status}`);
  return response.json();
}

export const postJson = (url, body) =>
  json(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** A fresh test session of `account`: its key (a canary: it must never show up) and counters. */
export async function session(account, overrides = {}) {
  const { key, session: id } = await postJson(`${API}/__sandbox/keys`, { account, ...overrides });
  canaries.add(key);
  return {
    key,
    /** The session's base URL, for keyless calls: counted for the session, given its faults. */
    base: `${API}/__sandbox/s/${id}`,
    report: () => json(`${API}/__sandbox/sessions/${id}`),
    count: async (route) => (await json(`${API}/__sandbox/sessions/${id}`)).requests[route] ?? 0,
    faults: (faults) => postJson(`${API}/__sandbox/faults`, { session: id, faults }),
  };
}

/** The record the API gives a key, fetched directly (not through the page). */
export async function apiUser(key) {
  return json(`${API}/user`, { headers: { authorization: `Bearer ${key}` } });
}

/** An export fetched directly (not through the page): the API's exact bytes. */
export async function apiExport(key, kind) {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const id = await json(`${API}/file/${kind}`, { method: "POST", headers });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await fetch(`${API}/file/link/${id}`, { headers });
    if (response.ok) return Buffer.from(await response.arrayBuffer());
    await sleep(100);
  }
  throw new Error(`the ${kind} export never became ready`);
}

export const cspReports = async () => (await json(`${DEMO}/__sandbox/csp-reports`)).reports;
export const proxyRequests = () => json(`${DEMO}/__sandbox/proxy-requests`);

/** Cells of `text` (RFC 4180), every row. */
export const cells = (text) => parseCsv(text).rows;

// ---- The runner ------------------------------------------------------------------------------

const tests = [];
export const test = (name, body) => tests.push({ name, body });

export const canaries = new Set();
export const browser = await (BROWSER === "chromium" ? launchChromium : launchFirefox)({ downloads: DOWNLOADS });
export const shot = (state) => browser.screenshot(join(OUT, `${BROWSER}-${state}.png`));

export const ready = () => browser.waitFor(() => document.documentElement.hasAttribute("data-ready"), undefined, 15000, "the page to start");

/** Opens the demo page and waits until its module is ready. */
export async function open() {
  await browser.goto(DEMO);
  await ready();
}

/** Pastes `text` into the key field and fetches the record; waits for the record or an error. */
export async function fetchRecord(text) {
  await browser.fill("#api-key", text);
  await browser.click("#fetch-user");
  await browser.waitFor(
    () => document.querySelector("#record .profile") !== null || !document.querySelector("#error").hidden,
    undefined,
    10000,
    "the record or an error",
  );
}

/** What a stack trace shows: a `file.js:line`, a V8 frame (`at f (`) or a wasm frame. */
export const STACK_LIKE = /\.(m?js|rs|wasm):\d+|^\s*at \S|wasm-function\[/m;

/** The error the page shows, once shown, checked to hold no stack trace and no key. */
export async function shownError(what) {
  await browser.waitShown("#error");
  const message = await text("#error");
  assert.doesNotMatch(message, STACK_LIKE, `${what}: the error shows a stack trace`);
  assert.ok(![...canaries].some((key) => message.includes(key)), `${what}: the error shows a key`);
  return message;
}

/** Runs an export of `kind` from the page and waits for its result. */
export async function exportFromPage(kind) {
  await browser.click(`[data-export="${kind}"]`);
  await browser.waitShown("#export-result", 15000);
}

export const text = (selector) => browser.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
export const shown = (selector) =>
  browser.evaluate((s) => {
    const element = document.querySelector(s);
    return element !== null && element.getClientRects().length > 0;
  }, selector);
export const hrefs = () =>
  browser.evaluate(() => ["#csv-download", "#csv-download-raw"].map((s) => document.querySelector(s)?.getAttribute("href") ?? null));

/** Each link of the record: its `href` and the words of its `rel`. */
export const recordLinks = () =>
  browser.evaluate(() => [...document.querySelectorAll("#record a")].map((a) => ({ href: a.getAttribute("href"), rel: a.rel.split(/\s+/) })));

/** Everything the page could leak the key into, read from the page. */
export const pageState = () =>
  browser.evaluate(() => ({
    url: location.href,
    cookie: document.cookie,
    local: JSON.stringify({ ...localStorage }),
    session: JSON.stringify({ ...sessionStorage }),
    title: document.title,
    body: document.body.innerText,
  }));

/** Waits (at most `ms`) until `check()` is truthy; returns its last value. */
export async function eventually(check, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await sleep(100);
  }
}

/** How long the absence checks wait; the positive controls show it is long enough. */
export const SETTLE_MS = 2000;

/** Where the deliberate CSP violations (positive controls) point (TEST-NET-3: nothing there). */
export const PROBE_HOST = "203.0.113.9";

// ---- Run ----------------------------------------------------------------------------------------

/**
 * Runs every test registered, in order (only those whose name contains E2E_ONLY, when set),
 * closes the browser, prints cargo's `test result:` line and exits, 1 if a test failed.
 */
export async function run() {
  console.log(`e2e: ${browser.name} ${browser.version} against ${DEMO}`);
  const only = process.env.E2E_ONLY;
  let passed = 0;
  let failed = 0;
  for (const { name, body } of tests) {
    if (only && !name.includes(only)) continue;
    const started = Date.now();
    try {
      await body();
      passed += 1;
      console.log(`test ${name} ... ok (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      let message = String(error?.stack ?? error);
      const recent = browser.console.slice(-10);
      if (recent.length > 0) message += `\nthe browser's console, last lines:\n${recent.join("\n")}`;
      for (const key of canaries) message = message.replaceAll(key, "[CANARY KEY]");
      console.log(`test ${name} ... FAILED\n    ${message.replaceAll("\n", "\n    ")}`);
      await shot(`failed-${passed + failed}`).catch(() => {});
    }
  }
  await browser.close();
  console.log(`\ntest result: ${failed === 0 ? "ok" : "FAILED"}. ${passed} passed; ${failed} failed; screenshots in target/e2e/`);
  process.exit(failed === 0 ? 0 : 1);
}
