// The errors a person can act on: a rejected key, rate limited with the wait asked for, a 503 once
// the retries are used up, a CORS refusal, a call past its 30 s deadline; never a stack trace or
// the key.

import assert from "node:assert/strict";

import {
  session,
  apiUser,
  test,
  canaries,
  browser,
  shot,
  open,
  fetchRecord,
  STACK_LIKE,
  shownError,
  text,
} from "./harness.mjs";

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
