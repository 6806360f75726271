// A new key, another API, a failed fetch or Forget key leaves nothing of the previous key's data:
// records, downloads, running exports (no poll after), answers to an earlier key's request.

import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";

import {
  API,
  session,
  apiUser,
  test,
  canaries,
  browser,
  shot,
  open,
  fetchRecord,
  exportFromPage,
  text,
  shown,
  hrefs,
} from "./harness.mjs";

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
