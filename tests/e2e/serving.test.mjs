// How the page is served: Enter before the module loads, under a plain static server (its meta CSP
// holds), through the demo server's proxy, and opened from disk.

import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";

import {
  ROOT,
  DEMO,
  json,
  postJson,
  session,
  apiUser,
  cspReports,
  proxyRequests,
  test,
  canaries,
  browser,
  shot,
  ready,
  open,
  fetchRecord,
  text,
  pageState,
  PROBE_HOST,
} from "./harness.mjs";

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
