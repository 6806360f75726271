// One small interface over two real browsers: Debian's Chromium driven by playwright-core, and
// Debian's Firefox ESR driven by geckodriver over W3C WebDriver (Playwright cannot drive it),
// plus WebDriver BiDi for what classic WebDriver cannot do: read the console, see every
// dialog, answer requests to a host the test stands in for.
// Functions passed to `evaluate` run in the page and must be self-contained.
//
// Both browsers record the same things, so a check is equally real in each:
// - `console`: every console message and uncaught page error, as text;
// - `dialogs`: the message of every alert, confirm or prompt (each is dismissed);
// - `requests`: the URL of every request the page makes (documents, scripts, images, fetches;
//   not CORS preflights, which go to the same URL as their request).

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { chromium } from "playwright-core";

// Node 20 has no global WebSocket; playwright-core bundles the `ws` package and exports it.
const WebSocket = globalThis.WebSocket ?? createRequire(import.meta.url)("playwright-core/lib/utilsBundle").ws;

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Waits until `evaluate(fn, arg)` is truthy and returns it; throws after `timeout` ms. */
async function waitFor(browser, fn, arg, timeout, what) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await browser.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await sleep(100);
  }
}

const selectorShown = (selector) => {
  const element = document.querySelector(selector);
  return element !== null && element.getClientRects().length > 0;
};

/** Chromium through playwright-core. Also records console messages. */
export async function launchChromium({ downloads }) {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: CHROMIUM_ARGS, downloadsPath: downloads });
  // The clipboard permissions: a test reads what the page's copy buttons wrote.
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: { width: 1100, height: 900 },
    permissions: ["clipboard-read", "clipboard-write"],
  });
  let page = await context.newPage();
  await page.emulateMedia({ colorScheme: "light" });
  const console = [];
  const dialogs = [];
  const requests = [];
  const watch = (p) => {
    p.on("request", (request) => requests.push(request.url()));
    p.on("console", (message) => console.push(message.text()));
    p.on("pageerror", (error) => console.push(`pageerror: ${error.message}`));
    p.on("dialog", (dialog) => {
      dialogs.push(dialog.message());
      dialog.dismiss().catch(() => {});
    });
  };
  watch(page);
  const self = {
    name: "chromium",
    version: browser.version(),
    console,
    dialogs,
    requests,
    goto: (url) => page.goto(url),
    /** Starts loading `url` and returns as soon as the browser has its first byte. */
    gotoEarly: (url) => page.goto(url, { waitUntil: "commit" }),
    reload: () => page.reload(),
    url: () => page.url(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    /** Runs source text as the DevTools console would (outside the page's CSP). */
    evaluateSource: (source) => page.evaluate(source),
    fill: (selector, text) => page.fill(selector, text),
    click: (selector) => page.click(selector),
    /** Presses a key (`"Enter"`) in `selector`, as a person would (not waiting for whatever
     * navigation it may start). */
    async press(selector, key) {
      await page.focus(selector);
      await page.keyboard.press(key);
    },
    select: (selector, value) => page.selectOption(selector, value),
    /** `"light"` or `"dark"`: what `prefers-color-scheme` says from now on. */
    setColorScheme: (scheme) => page.emulateMedia({ colorScheme: scheme }),
    /**
     * Answers every request to `url` (and its CORS preflight) with `{ status, headers, body }`
     * instead of the network: a stand-in for a host the test machine cannot reach.
     */
    mock: (url, answer) =>
      page.route(url, (route) => route.fulfill({ status: answer.status, headers: answer.headers, body: answer.body })),
    /** Lets requests to `url` go to the network again. */
    unmock: (url) => page.unroute(url),
    waitFor: (fn, arg, timeout = 10000, what = "a condition") => waitFor(self, fn, arg, timeout, what),
    waitShown: (selector, timeout = 10000) => waitFor(self, selectorShown, selector, timeout, selector),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    setViewport: (width, height) => page.setViewportSize({ width, height }),
    /** Clicks `selector` (a download link) and returns the saved file: name, bytes and text. */
    async download(selector) {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
      const bytes = readFileSync(await download.path());
      return { name: download.suggestedFilename(), bytes, text: bytes.toString("utf8") };
    },
    /** A fresh page in the same browser (same storage partition rules as a new tab). */
    async newPage() {
      await page.close();
      page = await context.newPage();
      watch(page);
      await page.emulateMedia({ colorScheme: "light" });
    },
    close: () => browser.close(),
  };
  return self;
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/** A WebDriver BiDi connection: `send(method, params)` and a handler per event. */
async function bidiConnection(url) {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error(`cannot connect to WebDriver BiDi at ${url}`));
  });
  let next = 0;
  const pending = new Map();
  const handlers = new Map();
  socket.onmessage = (event) => {
    const message = JSON.parse(String(event.data));
    if (message.id !== undefined && pending.has(message.id)) {
      const { resolve, reject } = pending.get(message.id);
      pending.delete(message.id);
      if (message.type === "error") reject(new Error(`BiDi: ${message.error}: ${message.message}`));
      else resolve(message.result);
    } else if (message.type === "event") {
      handlers.get(message.method)?.(message.params);
    }
  };
  return {
    send: (method, params = {}) =>
      new Promise((resolve, reject) => {
        next += 1;
        pending.set(next, { resolve, reject });
        socket.send(JSON.stringify({ id: next, method, params }));
      }),
    on: (event, handler) => handlers.set(event, handler),
    close: () => socket.close(),
  };
}

/** Firefox ESR through geckodriver (W3C WebDriver over HTTP, and BiDi over a WebSocket). */
export async function launchFirefox({ downloads }) {
  const port = await freePort();
  const profileRoot = mkdtempSync(join(tmpdir(), "access-creator-api-e2e-ff-"));
  // --allow-system-access: the chrome context, to set the page's color scheme (BiDi has no
  // command for it in this Firefox). --websocket-port 0: Firefox's BiDi socket on a port the
  // system picks (the session's webSocketUrl says which), not geckodriver's default 9222, which
  // any other Firefox it drives on this machine at the same time holds.
  const driver = spawn(
    "geckodriver",
    ["--port", String(port), "--websocket-port", "0", "--host", "127.0.0.1", "--allow-system-access"],
    { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, TMPDIR: profileRoot } },
  );
  const stopDriver = async () => {
    if (driver.exitCode === null && driver.signalCode === null) {
      const exited = new Promise((resolve) => driver.once("exit", resolve));
      driver.kill();
      await exited;
    }
    rmSync(profileRoot, { recursive: true, force: true });
  };
  let driverLog = "";
  driver.stderr.on("data", (chunk) => (driverLog = (driverLog + chunk).slice(-4000)));
  const base = `http://127.0.0.1:${port}`;
  async function call(method, path, body) {
    const response = await fetch(base + path, {
      method,
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await response.json();
    if (!response.ok) {
      const error = new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
      error.webdriver = json.value?.error;
      throw error;
    }
    return json.value;
  }
  // Until the session and its BiDi connection stand, a failure stops geckodriver (and its
  // Firefox) here, so that nothing is left running.
  let session;
  let bidi;
  try {
    for (let i = 0; ; i += 1) {
      try {
        await call("GET", "/status");
        break;
      } catch (error) {
        if (i > 100) throw new Error(`geckodriver did not start: ${error.message}\n${driverLog}`);
        await sleep(100);
      }
    }
    mkdirSync(downloads, { recursive: true });
    session = await call("POST", "/session", {
      capabilities: {
        alwaysMatch: {
          browserName: "firefox",
          "moz:firefoxOptions": {
            binary: process.env.FIREFOX_BINARY || "/usr/bin/firefox-esr",
            args: ["-headless"],
            prefs: {
              "browser.download.folderList": 2,
              "browser.download.dir": downloads,
              "browser.download.useDownloadDir": true,
              "browser.download.always_ask_before_handling_new_types": false,
              "browser.helperApps.neverAsk.saveToDisk": "text/csv",
              "browser.download.manager.showWhenStarting": false,
              // A test reads what the page's copy buttons wrote, without a paste prompt.
              "dom.events.testing.asyncClipboard": true,
            },
          },
          // Dialogs are seen and dismissed through BiDi below; classic WebDriver must not
          // dismiss them silently first.
          unhandledPromptBehavior: "ignore",
          webSocketUrl: true,
        },
      },
    });
    bidi = await bidiConnection(session.capabilities.webSocketUrl);
  } catch (error) {
    if (session) await call("DELETE", `/session/${session.sessionId}`).catch(() => {});
    await stopDriver();
    throw error;
  }
  const id = session.sessionId;
  const console = [];
  const dialogs = [];
  bidi.on("log.entryAdded", (entry) => {
    console.push(entry.type === "javascript" ? `pageerror: ${entry.text}` : entry.text);
  });
  bidi.on("browsingContext.userPromptOpened", (prompt) => {
    dialogs.push(prompt.message);
    bidi.send("browsingContext.handleUserPrompt", { context: prompt.context, accept: false }).catch(() => {});
  });
  const { contexts } = await bidi.send("browsingContext.getTree", {});
  const browsingContext = contexts[0].context;
  const requests = [];
  const mocks = new Map();
  bidi.on("network.beforeRequestSent", ({ context, isBlocked, request }) => {
    if (context === browsingContext && request.method !== "OPTIONS") requests.push(request.url);
    if (!isBlocked) return;
    const answer = mocks.get(request.url)?.answer;
    if (!answer) {
      // Its stand-in was removed in the meantime: the request goes to the network.
      bidi.send("network.continueRequest", { request: request.request }).catch(() => {});
      return;
    }
    const headers = Object.entries(answer.headers).map(([name, value]) => ({ name, value: { type: "string", value } }));
    bidi
      .send("network.provideResponse", {
        request: request.request,
        statusCode: answer.status,
        reasonPhrase: "OK",
        headers,
        body: { type: "string", value: answer.body },
      })
      .catch(() => {});
  });
  await bidi.send("session.subscribe", {
    events: ["log.entryAdded", "browsingContext.userPromptOpened", "network.beforeRequestSent"],
  });
  /** Sets a Firefox preference (chrome context). */
  async function setPref(name, value) {
    await call("POST", s("/moz/context"), { context: "chrome" });
    try {
      await call("POST", s("/execute/sync"), {
        script: "Services.prefs.setIntPref(arguments[0], arguments[1])",
        args: [name, value],
      });
    } finally {
      await call("POST", s("/moz/context"), { context: "content" });
    }
  }
  const s = (path) => `/session/${id}${path}`;
  const element = async (selector) => {
    const found = await call("POST", s("/element"), { using: "css selector", value: selector });
    return Object.values(found)[0];
  };
  await call("POST", s("/window/rect"), { width: 1100, height: 900 });
  await setPref("layout.css.prefers-color-scheme.content-override", 1);
  const self = {
    name: "firefox",
    version: session.capabilities.browserVersion,
    console,
    dialogs,
    requests,
    goto: (url) => call("POST", s("/url"), { url }),
    gotoEarly: (url) => bidi.send("browsingContext.navigate", { context: browsingContext, url, wait: "none" }),
    reload: () => call("POST", s("/refresh"), {}),
    url: () => call("GET", s("/url")),
    /** Runs source text as a WebDriver script (outside the page's CSP). */
    evaluateSource: (source) => call("POST", s("/execute/sync"), { script: source, args: [] }),
    /** Runs `fn(arg)` in the page; a promise it returns is awaited, as Playwright does. */
    async evaluate(fn, arg) {
      try {
        const result = await call("POST", s("/execute/async"), {
          script: `const done = arguments[arguments.length - 1];
            Promise.resolve().then(() => (${fn.toString()}).apply(null, Array.prototype.slice.call(arguments, 0, -1)))
              .then((value) => done({ value }), (error) => done({ error: String(error && error.stack || error) }));`,
          args: arg === undefined ? [] : [arg],
        });
        if (result && "error" in result) throw new Error(`in the page: ${result.error}`);
        return result?.value;
      } catch (error) {
        // A dialog is open (BiDi records and dismisses it): try again later.
        if (error.webdriver === "unexpected alert open") return undefined;
        throw error;
      }
    },
    async fill(selector, text) {
      const el = await element(selector);
      await call("POST", s(`/element/${el}/clear`), {});
      await call("POST", s(`/element/${el}/value`), { text });
    },
    click: async (selector) => call("POST", s(`/element/${await element(selector)}/click`), {}),
    press: async (selector, key) => {
      const keys = { Enter: "\uE007", End: "\uE010", Home: "\uE011", ArrowLeft: "\uE012", ArrowRight: "\uE014" };
      await call("POST", s(`/element/${await element(selector)}/value`), { text: keys[key] ?? key });
    },
    async setColorScheme(scheme) {
      // 0: dark, 1: light. The page sees the change a moment later.
      await setPref("layout.css.prefers-color-scheme.content-override", scheme === "dark" ? 0 : 1);
      await waitFor(self, (s) => matchMedia(`(prefers-color-scheme: ${s})`).matches, scheme, 5000, `the ${scheme} theme`);
    },
    async mock(url, answer) {
      await self.unmock(url);
      const { intercept } = await bidi.send("network.addIntercept", {
        phases: ["beforeRequestSent"],
        urlPatterns: [{ type: "string", pattern: url }],
      });
      mocks.set(url, { answer, intercept });
    },
    async unmock(url) {
      const mock = mocks.get(url);
      if (!mock) return;
      mocks.delete(url);
      await bidi.send("network.removeIntercept", { intercept: mock.intercept });
    },
    select: (selector, value) =>
      self.evaluate(
        ([sel, val]) => {
          const select = document.querySelector(sel);
          select.value = val;
          select.dispatchEvent(new Event("change", { bubbles: true }));
        },
        [selector, value],
      ),
    waitFor: (fn, arg, timeout = 10000, what = "a condition") => waitFor(self, fn, arg, timeout, what),
    waitShown: (selector, timeout = 10000) => waitFor(self, selectorShown, selector, timeout, selector),
    async screenshot(path) {
      const { data } = await bidi.send("browsingContext.captureScreenshot", { context: browsingContext, origin: "document" });
      writeFileSync(path, Buffer.from(data, "base64"));
    },
    // The viewport itself: a window cannot be made narrower than about 450 px.
    setViewport: (width, height) =>
      bidi.send("browsingContext.setViewport", { context: browsingContext, viewport: { width, height } }),
    async download(selector) {
      const { readdirSync } = await import("node:fs");
      const before = new Set(readdirSync(downloads));
      await self.click(selector);
      for (let i = 0; i < 100; i += 1) {
        const added = readdirSync(downloads).filter((name) => !before.has(name) && !name.endsWith(".part"));
        if (added.length > 0) {
          await sleep(200); // let Firefox finish renaming the .part file
          const bytes = readFileSync(join(downloads, added[0]));
          return { name: added[0], bytes, text: bytes.toString("utf8") };
        }
        await sleep(100);
      }
      throw new Error("no file was downloaded");
    },
    async newPage() {
      await self.goto("about:blank");
    },
    async close() {
      bidi.close();
      await call("DELETE", s("")).catch(() => {});
      await stopDriver();
    },
  };
  return self;
}
