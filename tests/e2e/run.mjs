// End-to-end tests of the demo page (www/) in a real browser against a live sandbox.
//
//   node tests/e2e/run.mjs chromium|firefox
//
// Needs DEMO_URL and API_URL (a sandbox started with --test-control and, for the proxy test,
// --upstream); `cargo xtask test` sets them. Screenshots of each main state go to target/e2e/.
// Prints one line per test and a closing `test result:` line in cargo's format. E2E_ONLY=<text>
// runs only the tests whose name contains it (while working on them; xtask never sets it).
//
// The tests are in one file per topic beside this one, run in the order of FILES below, in one
// browser: leaks.test.mjs last, since it checks what every test before it left behind.

import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const FILES = [
  "spreadsheet.test.mjs",
  "docs.test.mjs",
  "record.test.mjs",
  "key.test.mjs",
  "errors.test.mjs",
  "exports.test.mjs",
  "switching.test.mjs",
  "dashboard.test.mjs",
  "hostile.test.mjs",
  "serving.test.mjs",
  "leaks.test.mjs",
];

// A test file left out of FILES would never run: refuse to start instead (before the harness
// launches the browser).
const found = readdirSync(fileURLToPath(new URL(".", import.meta.url))).filter((name) => name.endsWith(".test.mjs"));
const missing = found.filter((name) => !FILES.includes(name));
if (missing.length > 0) {
  console.error(`tests/e2e/run.mjs: add ${missing.join(", ")} to FILES`);
  process.exit(2);
}
const { run } = await import("./harness.mjs");
for (const file of FILES) await import(`./${file}`);
await run();
