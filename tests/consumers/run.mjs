// The npm package in real consumers, each installing the packed tarball (`cargo xtask pack`):
//
//   node tests/consumers/run.mjs vite|vite-firefox|webpack|node|deno|bun|worker|typescript|workerd|edge
//
// Needs ACCESS_API_URL (a live sandbox) and ACCESS_API_KEY (its creator demo key); `cargo xtask
// test` sets them after installing the tarball here (`npm install --no-save <tgz>`). What each
// consumer gets from the package is compared with what the sandbox answers to plain `fetch`
// calls. The key is never printed: failure messages are redacted, and the pages' console output
// must not contain it. Prints one line per test and a closing `test result:` line in cargo's
// format.

import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { basename, extname, join, normalize, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { runInContext } from "node:vm";
import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";

import { chromium } from "playwright-core";

import { launchFirefox } from "../e2e/browsers.mjs";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const CONSUMER = process.argv[2];
const API = process.env.ACCESS_API_URL;
const KEY = process.env.ACCESS_API_KEY;
const CONSUMERS = ["vite", "vite-firefox", "webpack", "node", "deno", "bun", "worker", "typescript", "workerd", "edge"];
if (!API || !KEY || !CONSUMERS.includes(CONSUMER)) {
  console.error(`usage: ACCESS_API_URL=… ACCESS_API_KEY=… node tests/consumers/run.mjs ${CONSUMERS.join("|")}`);
  process.exit(2);
}
// The same key with another signature: well-formed, and rejected by the API.
const REJECTED_KEY = `${KEY.slice(0, KEY.lastIndexOf(".") + 1)}${"x".repeat(43)}`;
const redact = (text) => String(text).replaceAll(KEY, "<key>").replaceAll(REJECTED_KEY, "<rejected key>");
const PACKAGE = join(HERE, "node_modules/access-creator-api");
const PACKAGE_WASM = readFileSync(join(PACKAGE, "access_creator_api_bg.wasm"));

// ---- What the sandbox answers, fetched directly --------------------------------------------------

async function direct(path, method = "GET") {
  return fetch(`${API}${path}`, { method, headers: { authorization: `Bearer ${KEY}` } });
}

/** The creator's record as `GET /user` returns it. */
const truthResponse = await direct("/user");
assert.equal(truthResponse.status, 200, "the sandbox accepts the key");
const truthUser = await truthResponse.json();

/** An export's CSV, requested and polled with plain fetch. */
async function truthCsv(kind) {
  const id = await (await direct(`/file/${kind}`, "POST")).json();
  for (let attempt = 0; attempt < 100; attempt++) {
    const response = await direct(`/file/link/${encodeURIComponent(id)}`);
    if (response.ok) return response.text();
    assert.equal(response.status, 404, `GET /file/link: HTTP ${response.status}`);
    await sleep(100);
  }
  throw new Error("the sandbox's export never became ready");
}

/** What a keyless client's public calls must give (callPublic in calls.mjs and the apps). */
async function assertPublic(got) {
  assert.ok(got && !got.error, `the public calls failed: ${JSON.stringify(got?.error)}`);
  const lockedText = await (await fetch(`${API}/pools/locked`)).text();
  const expected = {};
  for (const [, pool, digits] of lockedText.matchAll(/"([^"]+)":(\d+)/g)) expected[pool] = `bigint:${digits}`;
  assert.ok(Object.values(expected).some((v) => BigInt(v.slice(7)) > 2n ** 53n), "the sandbox serves amounts beyond 2^53");
  assert.deepEqual(got.locked, expected, "every locked amount is an exact bigint, as the body wrote it");
  const pools = JSON.parse(await (await fetch(`${API}/pools`)).text());
  assert.equal(got.pools, pools.length, "getPools gives every pool");
  assert.equal(got.staked, true, "TotalStaked is a bigint");
  assert.equal(got.supply, (await (await fetch(`${API}/token/supply/total`)).text()).trim(), "the supply's exact text");
  assert.equal(got.keyed, "invalid_key", "a keyed call from a keyless client is refused");
}

/** The account's wallet, from the key's claims (decoded here, not by the package). */
const keySubject = JSON.parse(Buffer.from(KEY.split(".")[1], "base64url").toString()).sub;

function assertCreator(user) {
  assert.ok(user && typeof user === "object", `expected a user record, got ${JSON.stringify(user)}`);
  assert.equal(user.Pubkey, keySubject, "Pubkey is the key owner's wallet");
  assert.ok(user.OwnedPool, "the creator has a pool");
  assert.equal(user.OwnedPool.UserPubkey, keySubject, "the pool is the creator's");
  assert.deepEqual(user, truthUser, "the record is the one the API sent");
}

function assertRejected(error) {
  assert.ok(error, "a rejected key fails");
  assert.equal(error.name, "AccessApiError");
  assert.equal(error.instanceOfClass, true, "instanceof AccessApiError");
  assert.equal(error.instanceOfError, true, "instanceof Error");
  assert.equal(error.guard, true, "isAccessApiError");
  assert.equal(error.kind, "unauthorized");
  assert.equal(error.status, 401);
  const [, claims, signature] = REJECTED_KEY.split(".");
  assert.ok(!error.message.includes(claims) && !error.message.includes(signature), "the message has no part of the key");
}

async function assertExport(result, kind) {
  assert.ok(!result.error, `exportCsv failed: ${JSON.stringify(result.error)}`);
  assert.equal(result.csv, await truthCsv(kind), "the CSV is the one the API serves");
  for (const phase of ["requesting", "waiting", "downloading", "done"]) {
    assert.ok(result.phases.includes(phase), `onProgress reported ${phase} (got ${result.phases})`);
  }
}

// ---- Tools ---------------------------------------------------------------------------------------

/** Runs a command to the end; rejects with its output when it fails. */
function run(command, args, { cwd = HERE, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      if (code === 0) resolve({ stdout, stderr });
      else reject(new Error(`\`${[command, ...args].join(" ")}\` exited with ${code}\n${stdout}${stderr}`));
    });
  });
}

const bin = (name) => join(HERE, "node_modules/.bin", name);

/** The one `.wasm` a build wrote under `dir`: the package's, unchanged. */
function assertWasmEmitted(dir) {
  const files = readdirSync(dir, { recursive: true }).filter((file) => file.endsWith(".wasm"));
  assert.equal(files.length, 1, `one .wasm in ${dir} (found ${files.join(", ") || "none"})`);
  assert.ok(readFileSync(join(dir, files[0])).equals(PACKAGE_WASM), "the .wasm is the package's, unchanged");
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".wasm": "application/wasm" };

/** A plain static file server on loopback; resolves to its URL and a close function. */
async function staticServer(root) {
  const server = createServer((request, response) => {
    let path = normalize(decodeURIComponent(new URL(request.url, "http://x").pathname));
    if (path.endsWith(sep)) path += "index.html";
    try {
      const body = readFileSync(join(root, path));
      response.writeHead(200, { "content-type": TYPES[extname(path)] ?? "application/octet-stream" });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${server.address().port}/`, close: () => server.close() };
}

/** Vite's own preview server for a built app. */
async function vitePreview(root) {
  const { preview } = await import("vite");
  const server = await preview({ root, logLevel: "warn", preview: { host: "127.0.0.1", port: 0 } });
  return { url: server.resolvedUrls.local[0], close: () => server.close() };
}

/** Opens `url` in `browser` and waits for the app's `data-ready`. */
const openApp = (url, browser = "chromium") => (browser === "firefox" ? openAppInFirefox(url) : openAppInChromium(url));

let chromiumBrowser;
/** Opens `url` in a fresh Chromium context and waits for the app's `data-ready`. */
async function openAppInChromium(url) {
  chromiumBrowser ??= await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await chromiumBrowser.newContext();
  const page = await context.newPage();
  const messages = [];
  page.on("console", (message) => messages.push({ type: message.type(), text: message.text() }));
  page.on("pageerror", (error) => messages.push({ type: "pageerror", text: error.message }));
  page.on("worker", (worker) =>
    worker.on("console", (message) => messages.push({ type: message.type(), text: `worker: ${message.text()}` })),
  );
  await page.goto(url);
  try {
    await page.waitForFunction(() => document.documentElement.hasAttribute("data-ready"), null, { timeout: 15000 });
  } catch (error) {
    throw new Error(`the app did not start: ${error.message}\nconsole: ${JSON.stringify(messages)}`);
  }
  return {
    call: (method, ...args) => page.evaluate(([method, args]) => window.consumer[method](...args), [method, args]),
    text: (selector) => page.textContent(selector),
    /** Nothing logged contains the key, and nothing but the browser's own network log of the
     * expected 401 (the rejected key) and 404s (export polls) is an error or a warning. */
    assertCleanConsole() {
      const text = JSON.stringify(messages);
      assert.ok(!text.includes(KEY) && !text.includes(REJECTED_KEY), "the console never shows the key");
      const expected = /^Failed to load resource: the server responded with a status of (401|404) /;
      const bad = messages.filter(
        ({ type, text }) => ["error", "warning", "pageerror"].includes(type) && !expected.test(text),
      );
      assert.deepEqual(bad, [], "no error or warning in the console");
    },
    close: () => context.close(),
  };
}

/** Opens `url` in a fresh Firefox ESR (geckodriver, with the e2e tests' launcher) and waits for
 * the app's `data-ready`. */
async function openAppInFirefox(url) {
  const downloads = mkdtempSync(join(tmpdir(), "access-creator-api-consumer-ff-"));
  const firefox = await launchFirefox({ downloads });
  const close = async () => {
    await firefox.close();
    rmSync(downloads, { recursive: true, force: true });
  };
  try {
    await firefox.goto(url);
    await firefox.waitFor(() => document.documentElement.hasAttribute("data-ready"), undefined, 15000, "data-ready");
    assert.match(await firefox.evaluate(() => navigator.userAgent), / Firefox\//, "the page runs in Firefox");
    console.log(`    (Firefox ${firefox.version}, geckodriver)`);
  } catch (error) {
    await close();
    throw new Error(`the app did not start in Firefox ${firefox.version}: ${error.message}\nconsole: ${JSON.stringify(firefox.console)}`);
  }
  return {
    call: (method, ...args) => firefox.evaluate(([method, args]) => window.consumer[method](...args), [method, args]),
    text: (selector) => firefox.evaluate((selector) => document.querySelector(selector).textContent, selector),
    /** Nothing logged contains the key. The launcher records the console's text without its
     * level, so nothing may be logged at all but the lines of Vite's dev client. */
    assertCleanConsole() {
      const text = JSON.stringify(firefox.console);
      assert.ok(!text.includes(KEY) && !text.includes(REJECTED_KEY), "the console never shows the key");
      const expected = /^\[vite\] (connecting\.\.\.|connected\.)$/;
      assert.deepEqual(firefox.console.filter((line) => !expected.test(line)), [], "nothing in the console");
    },
    close,
  };
}

/** The tests of an app served at `url()`: the record, a rejected key, and optionally an export. */
function appTests(test, label, url, { exportKind, scope, browser } = {}) {
  let app;
  test(`${label}: fetches the creator's record`, async () => {
    app = await openApp(url(), browser);
    const result = await app.call("fetchUser", KEY, API);
    assert.ok(!result.error, `getUser failed: ${JSON.stringify(result.error)}`);
    assertCreator(result.user);
    if (scope) assert.equal(result.scope, scope, "the call ran in the worker");
    else assert.equal(await app.text("#out"), `${truthUser.Username}: ${truthUser.OwnedPool.Name}`);
  });
  test(`${label}: a rejected key is an AccessApiError of kind unauthorized`, async () => {
    const result = await app.call("fetchUser", REJECTED_KEY, API);
    assertRejected(result.error);
  });
  test(`${label}: a keyless client's public calls, amounts exact`, async () => {
    await assertPublic(await app.call("callPublic", null, API));
  });
  if (exportKind) {
    test(`${label}: exportCsv downloads the ${exportKind} CSV`, async () => {
      await assertExport(await app.call("exportCsv", KEY, API, exportKind), exportKind);
    });
  }
  test(`${label}: a clean console, without the key`, async () => {
    app.assertCleanConsole();
    await app.close();
  });
}

// ---- The consumers -------------------------------------------------------------------------------

const tests = [];
const test = (name, body) => tests.push({ name, body });
const cleanups = [];

/** The Vite app in `browser`: built (served by vite preview), then in Vite's dev server. */
function viteTests(browser) {
  const root = join(HERE, "vite");
  let served;
  test("vite build bundles the package and emits its .wasm unchanged", async () => {
    rmSync(join(root, "dist"), { recursive: true, force: true });
    await run(bin("vite"), ["build"], { cwd: root });
    assertWasmEmitted(join(root, "dist"));
    served = await vitePreview(root);
    cleanups.push(served.close);
  });
  appTests(test, "built app (vite preview)", () => served.url, { exportKind: "emails", browser });
  let dev;
  test("vite dev server starts the app", async () => {
    // The dependency optimiser's cache may hold an older copy of the package.
    rmSync(join(HERE, "node_modules/.vite"), { recursive: true, force: true });
    const { createServer: viteServer } = await import("vite");
    const server = await viteServer({ root, logLevel: "warn", server: { host: "127.0.0.1", port: 0 } });
    await server.listen();
    cleanups.push(() => server.close());
    dev = server.resolvedUrls.local[0];
  });
  appTests(test, "dev server (vite)", () => dev, { browser });
}

if (CONSUMER === "vite") viteTests("chromium");
if (CONSUMER === "vite-firefox") viteTests("firefox");

if (CONSUMER === "webpack") {
  const root = join(HERE, "webpack");
  let served;
  test("webpack --mode production (no config) bundles the package and emits its .wasm unchanged", async () => {
    rmSync(join(root, "dist"), { recursive: true, force: true });
    await run(bin("webpack"), ["--mode", "production"], { cwd: root });
    assertWasmEmitted(join(root, "dist"));
    served = await staticServer(root);
    cleanups.push(served.close);
  });
  appTests(test, "built app (static server)", () => served.url, { exportKind: "rewards" });
}

if (CONSUMER === "worker") {
  const root = join(HERE, "worker");
  let served;
  test("vite build bundles the worker with the package and emits its .wasm unchanged", async () => {
    rmSync(join(root, "dist"), { recursive: true, force: true });
    await run(bin("vite"), ["build"], { cwd: root });
    assertWasmEmitted(join(root, "dist"));
    served = await vitePreview(root);
    cleanups.push(served.close);
  });
  appTests(test, "module worker", () => served.url, { exportKind: "supporters", scope: "DedicatedWorkerGlobalScope" });
}

/** The versions of the runtimes tests/consumers/package.json pins (`npm ci` installs them). */
const PINNED = JSON.parse(readFileSync(join(HERE, "package.json"))).devDependencies;
/** A registry nobody answers (a closed loopback port): a runtime that tried to fetch the package
 * instead of using the installed tarball would fail. */
const NO_REGISTRY = { NPM_CONFIG_REGISTRY: "http://127.0.0.1:9/", BUN_CONFIG_REGISTRY: "http://127.0.0.1:9/" };

/**
 * A server-side script (`<runtime>/consumer.mjs`, the calls of calls.mjs) run to its end with
 * `command`: it must run in `version`, resolve the package to its Node entry in node_modules,
 * get the creator's record, an AccessApiError for a rejected key, the export, a network error for
 * a refused connection (whose cause's code is `refusedCode`, where the runtime gives one), and
 * print nothing on stderr.
 */
function scriptTests(test, { title, command, args, env = {}, version, refusedCode }) {
  let out;
  let stderr;
  test(title, async () => {
    const result = await run(command, args, { env: { ACCESS_API_REJECTED_KEY: REJECTED_KEY, ...env } });
    out = JSON.parse(result.stdout.trim().split("\n").at(-1));
    stderr = result.stderr;
    assert.equal(out.runtime, version, "the script ran in the expected runtime");
  });
  test("`access-creator-api` resolves to the Node entry (node.js) in node_modules", () => {
    assert.equal(out.entry, new URL("node_modules/access-creator-api/node.js", `file://${HERE}`).href);
  });
  test("getUser without init(): the creator's record, fetched with the global fetch", () => assertCreator(out.user));
  test("await init() resolves, and clients still work after it", () => assertCreator(out.again));
  test("a rejected key is an AccessApiError of kind unauthorized", () => assertRejected(out.rejected));
  test("exportCsv downloads the supporters CSV", () => assertExport(out, "supporters"));
  test("a keyless client's public calls, amounts exact", () => assertPublic(out.publicCalls));
  test(`a refused connection is a network error whose cause is fetch's TypeError${refusedCode ? ` (code ${refusedCode})` : ""}`, () => {
    assert.equal(out.refused.kind, "network");
    assert.equal(out.refused.cause, "TypeError");
    if (refusedCode) assert.equal(out.refused.code, refusedCode);
  });
  test("no warning on stderr", () => assert.equal(stderr, ""));
}

if (CONSUMER === "node") {
  scriptTests(test, {
    title: "node consumer.mjs runs (Node's own ES-module loader, no flags)",
    command: process.execPath,
    args: ["node/consumer.mjs"],
    version: process.version,
    refusedCode: "ECONNREFUSED",
  });
  test("the browser entry before init(): a clear Error naming init(); concurrent init() calls share one load; then it works", async () => {
    const result = await run(process.execPath, ["--conditions=browser", "node/before-init.mjs"]);
    const { before, oneLoad, user, entry } = JSON.parse(result.stdout.trim().split("\n").at(-1));
    assert.equal(oneLoad, true, "two concurrent init() calls made two instances of the module");
    assert.equal(entry, new URL("node_modules/access-creator-api/index.js", `file://${HERE}`).href);
    assert.equal(before.length, 3);
    for (const error of before) {
      assert.ok(error, "the call threw");
      assert.equal(error.name, "Error");
      assert.match(error.message, /await init\(\)/);
    }
    assertCreator(user);
  });
  test("two copies of the package: an error of one is no instance of the other's class, and both guards recognise it; the class as users build it; free() and Symbol.dispose", async () => {
    const result = await run(process.execPath, ["node/copies.mjs"], { env: { ACCESS_API_REJECTED_KEY: REJECTED_KEY } });
    const got = JSON.parse(result.stdout.trim().split("\n").at(-1));
    assert.equal(got.twoModules, true, "the copy was not loaded as a module of its own");
    // As the npm README says: at once (not a rejection), wasm-bindgen's plain Error.
    const released = "threw Error: null pointer passed to rust";
    assert.deepEqual(got.afterRelease, [released, released], "free() and Symbol.dispose release the client");
    assert.ok(got.stillWorks, "a new client works after others were released");
    assert.deepEqual(got.fromSecond, {
      kind: "unauthorized",
      instanceOfFirst: false,
      instanceOfSecond: true,
      firstGuard: true,
      secondGuard: true,
    });
    assert.deepEqual(got.built, {
      instanceOfClass: true,
      instanceOfError: true,
      name: "AccessApiError",
      message: "built by hand",
      kind: "network",
      status: 502,
      retryAfterMs: 1500,
      causeKept: true,
      hasStack: true,
      guard: true,
    });
    assert.deepEqual(got.bare, { hasCause: false, hasStatus: false, hasRetryAfterMs: false });
    assert.deepEqual(got.lookalikes, [false, false, false, false, false]);
    assert.equal(result.stderr, "", "no warning on stderr");
  });
  test("require() from CommonJS (Node >= 20.19 requires ES modules) gets the same record", async () => {
    const result = await run(process.execPath, ["node/consumer.cjs"]);
    assertCreator(JSON.parse(result.stdout.trim().split("\n").at(-1)).user);
    assert.equal(result.stderr, "", "no warning on stderr");
  });
}

if (CONSUMER === "deno") {
  // A fresh DENO_DIR: nothing cached from an earlier run. Permissions: the network on loopback
  // only, reading the package's own files (node.js reads the .wasm), and the script's variables.
  const denoDir = mkdtempSync(join(tmpdir(), "access-creator-api-deno-"));
  cleanups.push(() => rmSync(denoDir, { recursive: true, force: true }));
  scriptTests(test, {
    title: `deno ${PINNED.deno} runs deno/consumer.mjs: \`npm:access-creator-api\` from node_modules, no registry`,
    command: bin("deno"),
    args: [
      "run",
      "--node-modules-dir=manual",
      "--no-lock",
      "--allow-net=127.0.0.1",
      `--allow-read=${PACKAGE}`,
      "--allow-env=ACCESS_API_URL,ACCESS_API_KEY,ACCESS_API_REJECTED_KEY",
      "deno/consumer.mjs",
    ],
    env: { ...NO_REGISTRY, DENO_DIR: denoDir, NO_COLOR: "1" },
    version: PINNED.deno,
  });
}

if (CONSUMER === "bun") {
  scriptTests(test, {
    title: `bun ${PINNED.bun} runs bun/consumer.mjs: \`access-creator-api\` from node_modules, no install, no registry`,
    command: bin("bun"),
    args: ["--no-install", "bun/consumer.mjs"],
    env: NO_REGISTRY,
    version: PINNED.bun,
  });
}

if (CONSUMER === "typescript") {
  const compilers = [
    ["TypeScript 7", "node_modules/typescript/bin/tsc"],
    ["TypeScript 5.9", "node_modules/typescript-5/bin/tsc"],
  ];
  const projects = [
    ["bundler resolution", "typescript/tsconfig.json"],
    ["NodeNext resolution", "typescript/tsconfig.node.json"],
  ];
  for (const [compiler, tsc] of compilers) {
    for (const [resolution, project] of projects) {
      test(`${compiler}, ${resolution}: tsc --strict --noEmit, every @ts-expect-error an error`, async () => {
        const { stdout } = await run(process.execPath, [join(HERE, tsc), "--version"]);
        assert.match(stdout, new RegExp(`Version ${compiler.split(" ")[1].replace(".", "\\.")}`));
        await run(process.execPath, [join(HERE, tsc), "--strict", "--noEmit", "-p", project]);
      });
    }
  }
}

// ---- Edge runtimes: Cloudflare's workerd and Vercel's edge-runtime -------------------------------

/** A loopback port nothing listens on now: bound, then closed (workerd does not say which port
 * it got, so it is given one). */
function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/**
 * Bundles `entry` with esbuild the way the platform's own build does: the platform's export
 * `conditions`, and `wasm` for the imports of `*.wasm?module` (given the file's path, it returns
 * what the import becomes). Resolves to the package's files the bundle took, relative to the
 * package.
 */
async function bundle(entry, { conditions, format, outfile, wasm }) {
  const esbuild = await import("esbuild");
  const result = await esbuild.build({
    absWorkingDir: HERE,
    entryPoints: [entry],
    bundle: true,
    format,
    platform: "neutral",
    conditions,
    mainFields: ["browser", "module", "main"],
    outfile,
    metafile: true,
    logLevel: "silent",
    plugins: [
      {
        name: "wasm-module",
        setup(build) {
          build.onResolve({ filter: /\.wasm\?module$/ }, (args) => wasm(join(args.resolveDir, args.path.replace(/\?module$/, ""))));
          build.onLoad({ filter: /.*/, namespace: "wasm-binding" }, (args) => ({
            contents: `export default globalThis[${JSON.stringify(args.path)}];`,
            loader: "js",
          }));
        },
      },
    ],
  });
  assert.deepEqual(result.warnings, [], "esbuild warns of nothing");
  return Object.keys(result.metafile.inputs)
    .map((input) => relative(PACKAGE, join(HERE, input)))
    .filter((file) => !file.startsWith(".."))
    .sort();
}

/** The package's files an edge bundle must take: its edge entry over the browser one. */
function assertEdgeEntry(files) {
  assert.ok(files.includes("edge.js"), `the bundle took the edge entry (took ${files.join(", ")})`);
  assert.ok(!files.includes("node.js"), "the bundle did not take the Node entry");
}

/** Asks the edge function served at `url` to make its calls; returns what they got. */
async function askEdge(url) {
  const response = await fetch(url);
  const text = await response.text();
  assert.equal(response.status, 200, `the function answered HTTP ${response.status}: ${text}`);
  return JSON.parse(text);
}

/** The tests of what an edge function's calls got (edge-calls.mjs). */
function edgeCallTests(test, got) {
  test("a keyless client's public calls, amounts exact", () => assertPublic(got().publicCalls));
  test("getUser without init(): the creator's record", () => {
    assert.equal(got().user.error, undefined, `getUser failed: ${JSON.stringify(got().user.error)}`);
    assertCreator(got().user.value);
  });
  test("await init() resolves, and clients still work after it", () => assertCreator(got().again.value));
  test("a rejected key is an AccessApiError of kind unauthorized", () => assertRejected(got().rejected.error));
}

if (CONSUMER === "workerd") {
  const root = join(HERE, "workerd");
  const dist = join(root, "dist");
  const pinned = JSON.parse(readFileSync(join(HERE, "package.json"))).devDependencies.workerd;
  let got;
  let output = "";
  test("esbuild bundles the Worker as wrangler does (conditions workerd, worker, browser): the edge entry, the .wasm a module of its own, unchanged", async () => {
    rmSync(dist, { recursive: true, force: true });
    mkdirSync(dist, { recursive: true });
    const files = await bundle(join(root, "worker.js"), {
      conditions: ["workerd", "worker", "browser"],
      format: "esm",
      outfile: join(dist, "worker.js"),
      // wrangler's default rule: a `*.wasm?module` import is a CompiledWasm module, uploaded
      // beside the script under its own name.
      wasm(path) {
        copyFileSync(path, join(dist, basename(path)));
        return { path: `./${basename(path)}`, external: true };
      },
    });
    assertEdgeEntry(files);
    assertWasmEmitted(dist);
  });
  test(`workerd ${pinned} serves the Worker; it calls the sandbox on loopback (network allows "local")`, async () => {
    const { stdout } = await run(bin("workerd"), ["--version"]);
    // The package 1.YYYYMMDD.N ships workerd YYYY-MM-DD.
    const date = pinned.split(".")[1];
    assert.equal(stdout.trim(), `workerd ${date.slice(0, 4)}-${date.slice(4, 6)}-${date.slice(6, 8)}`);
    const port = await freePort();
    // The keys go in workerd's environment only (config.capnp's fromEnvironment bindings).
    const child = spawn(bin("workerd"), ["serve", join(root, "config.capnp"), "--socket-addr", `http=127.0.0.1:${port}`], {
      cwd: root,
      env: { ...process.env, ACCESS_API_REJECTED_KEY: REJECTED_KEY },
    });
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    cleanups.push(() => child.kill());
    const url = `http://127.0.0.1:${port}/`;
    for (let attempt = 0; ; attempt++) {
      assert.equal(child.exitCode, null, `workerd exited: ${output}`);
      try {
        got = await askEdge(url);
        break;
      } catch (error) {
        if (attempt === 100 || error.code === "ERR_ASSERTION") throw error;
        await sleep(100);
      }
    }
    assert.equal(got.runtime, "Cloudflare-Workers", "the calls ran in workerd (navigator.userAgent)");
  });
  edgeCallTests(test, () => got);
  test("workerd printed nothing (no error, no key)", () => {
    assert.ok(!output.includes(KEY) && !output.includes(REJECTED_KEY), "workerd's output never shows the key");
    assert.equal(output, "", "workerd printed nothing");
  });
}

if (CONSUMER === "edge") {
  const root = join(HERE, "edge");
  const dist = join(root, "dist");
  const pinned = JSON.parse(readFileSync(join(HERE, "package.json"))).devDependencies["edge-runtime"];
  const bindings = {};
  let got;
  const logged = [];
  test("esbuild bundles the function as Vercel's edge build does (conditions edge-light, worker, browser): the edge entry, the .wasm handed over compiled", async () => {
    rmSync(dist, { recursive: true, force: true });
    const files = await bundle(join(root, "serve.js"), {
      conditions: ["edge-light", "worker", "browser"],
      format: "iife",
      outfile: join(dist, "function.js"),
      // Vercel's edge wasm plugin: a `*.wasm?module` import is a global named after the file's
      // hash, bound to the compiled module when the function starts.
      wasm(path) {
        const name = `wasm_${createHash("sha1").update(readFileSync(path)).digest("hex")}`;
        bindings[name] = readFileSync(path);
        return { path: name, namespace: "wasm-binding" };
      },
    });
    assertEdgeEntry(files);
    assert.equal(Object.keys(bindings).length, 1, "one .wasm");
    assert.ok(Object.values(bindings)[0].equals(PACKAGE_WASM), "the .wasm is the package's, unchanged");
  });
  test(`edge-runtime ${pinned} serves the function (EdgeRuntime, runServer)`, async () => {
    const { EdgeRuntime, runServer } = await import("edge-runtime");
    const version = JSON.parse(readFileSync(join(HERE, "node_modules/edge-runtime/package.json"))).version;
    assert.equal(version, pinned);
    const runtime = new EdgeRuntime({
      initialCode: readFileSync(join(dist, "function.js"), "utf8"),
      extend(context) {
        // Compiled in the function's own realm, as the platform hands it over (a module of the
        // outer realm is no `instanceof WebAssembly.Module` there).
        const WasmModule = runInContext("WebAssembly.Module", context);
        for (const [name, bytes] of Object.entries(bindings)) context[name] = new WasmModule(bytes);
        context.process = {
          env: { ACCESS_API_URL: API, ACCESS_API_KEY: KEY, ACCESS_API_REJECTED_KEY: REJECTED_KEY },
        };
        for (const level of ["debug", "info", "log", "warn", "error"]) context.console[level] = (...args) => logged.push([level, ...args]);
        return context;
      },
    });
    const server = await runServer({ runtime, host: "127.0.0.1", port: 0 });
    cleanups.push(() => server.close());
    got = await askEdge(server.url);
    assert.equal(got.runtime, "edge-runtime", "the calls ran in edge-runtime (the EdgeRuntime global)");
  });
  edgeCallTests(test, () => got);
  test("the function logged nothing", () => assert.deepEqual(logged, []));
}

// ---- The runner ----------------------------------------------------------------------------------

console.log(`consumer ${CONSUMER}: access-creator-api ${JSON.parse(readFileSync(join(PACKAGE, "package.json"))).version} against ${API}`);
let passed = 0;
let failed = 0;
for (const { name, body } of tests) {
  const started = Date.now();
  try {
    await body();
    passed++;
    console.log(`test ${CONSUMER}: ${name} ... ok (${Date.now() - started} ms)`);
  } catch (error) {
    failed++;
    const message = redact(error?.stack ?? error);
    console.log(`test ${CONSUMER}: ${name} ... FAILED\n    ${message.replaceAll("\n", "\n    ")}`);
  }
}
for (const cleanup of cleanups) await cleanup();
await chromiumBrowser?.close();
console.log(`\ntest result: ${failed === 0 ? "ok" : "FAILED"}. ${passed} passed; ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
