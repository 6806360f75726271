// The record on the page: the creator's (fields, images, links, copy buttons, no request to a third
// party), the no-pool account from a custom base URL, and the hero whole at phone width in both
// themes.

import assert from "node:assert/strict";

import {
  DEMO,
  API,
  session,
  apiUser,
  test,
  browser,
  shot,
  open,
  fetchRecord,
  shownError,
  text,
  shown,
  recordLinks,
} from "./harness.mjs";

/** The record's `<dt>` → `<dd>` texts (a name shown twice keeps its first value). */
async function recordFields() {
  const pairs = await browser.evaluate(() =>
    [...document.querySelectorAll("#record dl.fields dt")].map((dt) => [dt.textContent, dt.nextElementSibling.textContent]),
  );
  const fields = new Map();
  for (const [name, value] of pairs) if (!fields.has(name)) fields.set(name, value);
  return fields;
}

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
