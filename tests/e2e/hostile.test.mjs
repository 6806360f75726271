// Untrusted records render inert: hostile strings as text, no unsafe link or image, and a
// production record's `http:` images left out.

import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";

import { session, apiUser, test, browser, shot, open, fetchRecord, text, recordLinks, eventually } from "./harness.mjs";

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
