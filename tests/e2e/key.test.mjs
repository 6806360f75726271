// The key field: its warnings, where the proxy choice says the key goes, Show/Hide, and the key
// gone after a reload unless remembered in this tab.

import assert from "node:assert/strict";

import { session, test, browser, ready, open, text, shown, pageState } from "./harness.mjs";

test("the key's warnings are always visible; the proxy choice says where the key goes", async () => {
  await open();
  assert.equal(await browser.evaluate(() => document.querySelector("#api-key").value), "");
  assert.ok(await shown("#key-warning"), "the warning is shown before any key is pasted");
  const warning = await text("#key-warning");
  assert.match(warning, /never expires/);
  assert.match(warning, /If it may have leaked, treat it as compromised/);
  assert.match(warning, /issued in the Access Hub\s+\(Pool profile > API key; formerly the Creator Dashboard\)/);
  // Where to find it, as both versions of the docs name the place.
  const help = await text("#key-help");
  assert.match(help, /Pool profile > API key/);
  assert.match(help, /hub\.accessprotocol\.co\/en\/profile\/pool/);
  assert.match(help, /Creator Dashboard/);
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
