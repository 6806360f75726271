// The dashboard (issue 25): the keyless protocol view and pools explorer, a creator's pool, a
// user without a pool, a failed card beside working ones, the charts from the keyboard, and
// "Copy as curl" without the key. Each view is photographed at desktop and phone width, light
// and dark.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { DEMO, API, session, json, test, canaries, browser, shot, open, fetchRecord, text, shown, format } from "./harness.mjs";

/** The API's answer read as text: amounts compared digit for digit, never through a `number`. */
async function apiText(path) {
  const response = await fetch(`${API}${path}`);
  assert.ok(response.ok, `GET ${path}: HTTP ${response.status}`);
  return response.text();
}

const locale = () => browser.evaluate(() => navigator.language);

/** Waits until every public card of the page has finished (data or an error). */
const publicDone = () =>
  browser.waitFor(
    () => [...document.querySelectorAll("[data-public-card]")].every((card) => card.getAttribute("aria-busy") === "false" && card.childElementCount > 0),
    undefined,
    20000,
    "every public card",
  );

/** axe-core (npm), run in the page as the DevTools console would, outside the page's CSP. */
const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/** axe-core's violations of the page as it is now: `rule: target, …` lines. */
async function axeViolations() {
  if (!(await browser.evaluate(() => Boolean(window.axe)))) {
    await browser.evaluateSource(`${AXE}\n;window.axe = axe;`);
  }
  const found = await browser.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(", ")}`);
  });
  return found;
}

/**
 * Screenshots of the page at desktop and phone width, light and dark, and axe-core's check of
 * each: no violation in any of them.
 */
async function shots(name) {
  for (const [width, label] of [
    [1100, "desktop"],
    [390, "phone"],
  ]) {
    await browser.setViewport(width, 900);
    for (const scheme of ["light", "dark"]) {
      await browser.setColorScheme(scheme);
      await shot(`dashboard-${name}-${label}-${scheme}`);
      assert.deepEqual(await axeViolations(), [], `axe-core: ${name}, ${label}, ${scheme}`);
    }
  }
  await browser.setColorScheme("light");
  await browser.setViewport(1100, 900);
}

/** Requests to anyone but the demo server and the API, since `from`. */
function thirdParty(from) {
  const origins = new Set([new URL(DEMO).origin, new URL(API).origin]);
  return browser.requests.slice(from).filter((url) => /^(https?|wss?):/.test(url) && !origins.has(new URL(url).origin));
}

test("keyless: the protocol at a glance and the pools explorer (sort, filter, a pool by address)", async () => {
  const firstRequest = browser.requests.length;
  await open();
  await publicDone();
  const lang = await locale();
  assert.equal(await text("#supply-total .big"), `${format.formatDecimal(await apiText("/token/supply/total"), lang)} ACS`);
  assert.equal(await text("#supply-circulating .big"), `${format.formatDecimal(await apiText("/token/supply/circulating"), lang)} ACS`);
  assert.match(await text("#supply-total .meta"), /GET \/token\/supply\/total · \d+ ms · fetched .* · HTTP 200 · 1 attempt /);

  // Every pool, with its supporters and its locked amount exact (the whales beyond 2^53 too).
  const pools = await json(`${API}/pools`);
  const lockedBody = await apiText("/pools/locked");
  const counts = await json(`${API}/pools/user_count`);
  assert.equal(await browser.evaluate(() => document.querySelectorAll("#pools-table tbody tr").length), pools.length);
  assert.match(await text("#pools-count"), new RegExp(`^${pools.length} of ${pools.length} pools`));
  for (const pool of pools.slice(0, 2)) {
    const row = await browser.evaluate((a) => [...document.querySelectorAll(`#pools-table tr[data-pool="${a}"] td`)].map((td) => td.textContent), pool.Pubkey);
    const locked = new RegExp(`"${pool.Pubkey}":\\s*(\\d+)`).exec(lockedBody)[1];
    assert.ok(BigInt(locked) > 2n ** 53n, "positive control: a whale beyond 2^53");
    assert.equal(row[1], format.formatCount(counts[pool.Pubkey], lang));
    assert.equal(row[2], format.formatAcs(BigInt(locked), lang), `${pool.Name}: the locked amount, exact`);
  }

  // Sorted by supporters, most first, then least first.
  await browser.click('#pools-table button[data-sort="supporters"]');
  const sortState = () =>
    browser.evaluate(() => ({
      sort: document.querySelector('#pools-table th[aria-sort]')?.textContent,
      order: document.querySelector('#pools-table th[aria-sort]')?.getAttribute("aria-sort"),
      first: document.querySelector("#pools-table tbody tr")?.dataset.pool,
    }));
  const most = Object.entries(counts).sort((a, b) => b[1] - a[1])[0];
  let state = await sortState();
  assert.match(state.sort, /Supporters/);
  assert.equal(state.order, "descending");
  assert.equal(counts[state.first], most[1], "the most supporters first");
  await browser.click('#pools-table button[data-sort="supporters"]');
  state = await sortState();
  assert.equal(state.order, "ascending");
  assert.equal(counts[state.first], Math.min(...Object.values(counts)));

  // Filtered by name, case and accents ignored.
  const creatorPool = pools.find((p) => p.Name === "Orbit Notes") ?? pools[17];
  await browser.fill("#pool-filter", creatorPool.Name.toUpperCase());
  await browser.waitFor((a) => document.querySelector(`#pools-table tbody tr[data-pool="${a}"]`) !== null && document.querySelectorAll("#pools-table tbody tr").length < 10, creatorPool.Pubkey, 5000, "the filter");
  // A row opens the pool's details, with its e-mail subscriptions count.
  await browser.click(`#pools-table button[data-address="${creatorPool.Pubkey}"]`);
  await browser.waitShown('#pool-details [data-field="subscriptions"]');
  const details = await json(`${API}/pool/${creatorPool.Pubkey}`);
  assert.equal(await text('#pool-details [data-field="subscriptions"]'), String(details.EmailSubscriptions.length));
  assert.equal(await text("#pool-details h3"), creatorPool.Name);
  await shots("keyless");

  // A pasted address, and one that is no pool: that card says so, the rest stays.
  await browser.fill("#pool-filter", "");
  await browser.fill("#pool-address", pools[3].Pubkey);
  await browser.click('#pool-lookup button[type="submit"]');
  await browser.waitFor((a) => document.querySelector("#pool-details .fields .mono")?.textContent === a, pools[3].Pubkey, 10000, "the pasted pool");
  await browser.fill("#pool-address", "../user");
  await browser.click('#pool-lookup button[type="submit"]');
  await browser.waitShown("#pool-details .card-error");
  assert.match(await text("#pool-details .card-error"), /Check the settings/);
  assert.ok(await shown("#pools-table tbody tr"), "the table is still there");
  assert.deepEqual(thirdParty(firstRequest), [], "requests to a third party");
});

test("a creator's pool: every number with its call and time, and their locks", async () => {
  const creator = await session("creator");
  const me = await json(`${API}/user`, { headers: { authorization: `Bearer ${creator.key}` } });
  const address = me.OwnedPool.Pubkey;
  await open();
  await fetchRecord(creator.key);
  await browser.waitShown('#your-pool [data-field="category"]', 15000);
  const lang = await locale();
  const field = (name) => text(`#your-pool [data-field="${name}"]`);
  const counts = await json(`${API}/pools/user_count`);
  const lockedBody = await apiText("/pools/locked");
  const rewardsBody = await apiText("/pools/rewards");
  const rewards = JSON.parse(rewardsBody).find((r) => r.Pool === address);
  assert.equal(await field("supporters"), format.formatCount(counts[address], lang));
  assert.equal(await field("locked"), `${format.formatAcs(BigInt(new RegExp(`"${address}":\\s*(\\d+)`).exec(lockedBody)[1]), lang)} ACS`);
  // Rewards: exact, from the body's digits; unclaimed = total - claimed.
  const at = rewardsBody.indexOf(`"Pool":"${address}"`) >= 0 ? rewardsBody.indexOf(`"Pool":"${address}"`) : rewardsBody.indexOf(address);
  const total = BigInt(/"Total":\s*(\d+)/.exec(rewardsBody.slice(at))[1]);
  const claimed = BigInt(/"Claimed":\s*(\d+)/.exec(rewardsBody.slice(at))[1]);
  assert.ok(rewards, "positive control: the pool has rewards");
  assert.equal(await field("rewards-total"), `${format.formatAcs(total, lang)} ACS`);
  assert.equal(await field("rewards-claimed"), `${format.formatAcs(claimed, lang)} ACS`);
  assert.equal(await field("rewards-unclaimed"), `${format.formatAcs(total - claimed, lang)} ACS`);
  const details = await json(`${API}/pool/${address}`);
  assert.equal(await field("subscribers"), String(details.EmailSubscriptions.length));
  const featured = await json(`${API}/pools/featured`);
  const place = featured.findIndex((f) => f.Pool === address);
  assert.equal(await field("featured"), place >= 0 ? `#${place + 1} of ${featured.length}` : "not featured");
  assert.equal(await field("stakers-part"), new Intl.NumberFormat(lang, { style: "percent", maximumFractionDigits: 2 }).format((await json(`${API}/pools`)).find((p) => p.Pubkey === address).StakersPart / 100));
  // Each number names its call and a time.
  const sources = await browser.evaluate(() => [...document.querySelectorAll("#your-pool .tile .source")].map((s) => s.textContent));
  assert.equal(sources.length, 10);
  for (const s of sources) assert.match(s, /^from GET \/(pools|pool\/)\S*, \S/);
  // The locks: the keyed calls, each pool with its amount.
  await browser.waitShown("#locks-table");
  const locks = await json(`${API}/user/${me.Pubkey}/pools`, { headers: { authorization: `Bearer ${creator.key}` } });
  const rows = await browser.evaluate(() => document.querySelectorAll("#locks-table tbody tr").length);
  assert.ok(rows >= Object.keys(locks).length && rows > 0, `the locks table has ${rows} rows`);
  assert.ok((await text("#your-locks")).includes(`GET /user/${me.Pubkey}/pools/forever`));
  assert.equal(await shown("#no-pool-sentence"), false);
  await shots("creator");
});

test("a user without a pool: a clear sentence, their locks, and the protocol view", async () => {
  const user = await session("user");
  await open();
  await fetchRecord(user.key);
  await browser.waitShown("#no-pool-sentence");
  assert.match(await text("#no-pool-sentence"), /does not own a pool/);
  assert.equal(await browser.evaluate(() => document.querySelectorAll("#your-pool .tile").length), 0, "no empty pool cards");
  await browser.waitShown("#locks-table");
  const me = await json(`${API}/user`, { headers: { authorization: `Bearer ${user.key}` } });
  const now = await json(`${API}/user/${me.Pubkey}/pools`, { headers: { authorization: `Bearer ${user.key}` } });
  const forever = await json(`${API}/user/${me.Pubkey}/pools/forever`, { headers: { authorization: `Bearer ${user.key}` } });
  const expected = new Set([...Object.keys(now), ...Object.keys(forever)]).size;
  assert.equal(await browser.evaluate(() => document.querySelectorAll("#locks-table tbody tr").length), expected);
  await publicDone();
  assert.ok(await shown("#supply-total .big"), "the protocol view is there");
  await shots("no-pool");
});

test("a failed card says why, and the other cards stay", async () => {
  const probe = await session("user");
  await probe.faults([
    { path: "/stats/active_users", status: 503, times: 3 },
    { path: "/pools/user_count", body: "malformed" },
  ]);
  await open();
  await publicDone();
  await browser.click('input[name="api"][value="custom"]');
  await browser.fill("#custom-base-url", probe.base);
  await browser.evaluate(() => document.querySelector("#custom-base-url").dispatchEvent(new Event("change")));
  await browser.waitFor(() => document.querySelector("#stats-active_users .card-error") !== null, undefined, 20000, "the failed chart");
  await publicDone();
  const failed = await text("#stats-active_users .card-error");
  assert.match(failed, /Active users failed: The API had a problem \(HTTP 503\)/);
  assert.match(failed, /\(server\)/);
  assert.match(failed, /HTTP 503 · 3 attempts/);
  assert.equal(await probe.count("GET /stats/active_users"), 3, "three attempts reached the server");
  // The others: every other chart drawn, the supply shown, the table there with "—" supporters.
  for (const kind of ["cumulative_stake", "postitive_stake", "locked_delta", "locked_users", "total_creators", "subscription"]) {
    assert.ok(await shown(`#stats-${kind} .chart-plot`), `${kind} is drawn`);
  }
  assert.ok(await shown("#supply-circulating .big"));
  assert.match(await text("#pools-state .card-error"), /Supporters failed: The API's answer was not what was expected/);
  assert.equal(await text("#pools-table tbody tr td:nth-child(3)"), "—");
  await shots("failed-card");
  await browser.click('input[name="api"][value="sandbox"]');
});

test("charts: a day's exact value under keyboard focus, and a table of the numbers", async () => {
  await open();
  await publicDone();
  const lang = await locale();
  const stats = await json(`${API}/stats/active_users`);
  const plot = "#stats-active_users .chart-plot";
  assert.equal(await browser.evaluate((s) => document.querySelector(s).getAttribute("role"), plot), "slider");
  await browser.press(plot, "Home");
  await browser.waitFor((s) => document.querySelector(s).getAttribute("aria-valuenow") === "1", plot, 5000, "the first day");
  assert.equal(await browser.evaluate(() => document.activeElement?.classList.contains("chart-plot")), true, "the plot has the focus");
  const firstDay = await text("#stats-active_users tbody tr:first-child td:first-child");
  assert.equal(await text("#stats-active_users .readout"), `${firstDay}: ${format.formatCount(stats.Vals[0], lang)} users`);
  assert.ok(await browser.evaluate((s) => document.querySelector(`${s} .cursor`).classList.contains("shown"), plot), "the cursor is drawn");
  await browser.press(plot, "ArrowRight");
  await browser.waitFor((s) => document.querySelector(s).getAttribute("aria-valuenow") === "2", plot, 5000, "the second day");
  assert.match(await browser.evaluate((s) => document.querySelector(s).getAttribute("aria-valuetext"), plot), new RegExp(`${format.formatCount(stats.Vals[1], lang)} users$`));
  await browser.press(plot, "End");
  await browser.waitFor((s) => document.querySelector(s).getAttribute("aria-valuenow") === "30", plot, 5000, "the last day");
  // The last day is UntilDate's (UTC), and the table has every day.
  const lastDay = new Intl.DateTimeFormat(lang, { dateStyle: "medium", timeZone: "UTC" }).format(new Date(stats.UntilDate));
  assert.ok((await text("#stats-active_users .readout")).startsWith(lastDay), "the last day is UntilDate's");
  assert.equal(await browser.evaluate(() => document.querySelectorAll("#stats-active_users tbody tr").length), stats.Vals.length);
  // A stake kind in ACS, exact (cumulative_stake exceeds 2^53 base units).
  const body = await apiText("/stats/cumulative_stake");
  const last = /(\d+)\s*\]/.exec(body)[1];
  assert.ok(BigInt(last) > 2n ** 53n, "positive control: beyond 2^53");
  assert.equal(await text("#stats-cumulative_stake .readout"), `${lastDay}: ${format.formatAcs(BigInt(last), lang)} ACS`);
  await browser.press(plot, "ArrowLeft");
  await shots("charts-focus");
});

test("copy as curl: the call as the docs write it, the key as $ACS_API_KEY, never the key", async () => {
  const creator = await session("creator");
  await open();
  await publicDone();
  const clipboard = () => browser.evaluate(() => navigator.clipboard.readText());
  await browser.click("#supply-total button[data-curl]");
  await browser.waitFor(() => document.querySelector("#supply-total button[data-curl]").textContent === "Copied", undefined, 5000, "the copy");
  assert.equal(await clipboard(), `curl '${API}/token/supply/total' \\\n  -H "Content-Type: application/json"`);
  await fetchRecord(creator.key);
  await browser.waitShown("#your-locks button[data-curl]");
  await browser.click("#your-locks button[data-curl]");
  await browser.waitFor(() => document.querySelector("#your-locks button[data-curl]").textContent === "Copied", undefined, 5000, "the copy");
  const copied = await clipboard();
  assert.match(copied, /^curl 'http:\/\/127\.0\.0\.1:\d+\/user\/\w+\/pools' \\\n {2}-H "Content-Type: application\/json" \\\n {2}-H "Authorization: Bearer \$ACS_API_KEY"$/);
  assert.ok(![...canaries].some((key) => copied.includes(key)), "the clipboard holds a key");
  assert.doesNotMatch(copied, /eyJ/, "the clipboard holds something like a JWT");
  // The key's claims: issued when, and never expires.
  assert.match(await text("#key-claims"), /^Issued .+ \(.+\)\. No exp: this key never expires\.$/);
  // The demo key, issued in November 2023: its age in days.
  await browser.click("#use-demo-key");
  const days = Math.floor((Date.now() / 1000 - 1700000000) / 86400);
  assert.ok(days > 300, "positive control: an old key");
  const claims = await text("#key-claims");
  assert.match(claims, /^Issued .+ \([\d,.\s\u202f]+ days ago\)\. No exp: this key never expires\.$/);
  const shownDays = Number(/\(([^)]+) days ago\)/.exec(claims)[1].replace(/\D/g, ""));
  assert.ok(shownDays === days || shownDays === days + 1, `${shownDays} days, not ${days}`);
});
