// What the READMEs show holds: the sandbox README's table of demo keys is what the sandbox serves,
// and (Chromium only: it pastes into DevTools) the README's script runs in the page.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";

import { ROOT, BROWSER, DEMO, API, json, apiUser, test, canaries, browser, open } from "./harness.mjs";

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
