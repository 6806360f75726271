// Run last, over what every test before it did: no CSP violation reported, and no key in the URL,
// the console, storage or cookies of the demo page.

import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";

import {
  DEMO,
  cspReports,
  test,
  canaries,
  browser,
  open,
  pageState,
  eventually,
  SETTLE_MS,
  PROBE_HOST,
} from "./harness.mjs";

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
