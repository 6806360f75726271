// One small interface over two real browsers: Debian's Chromium driven by playwright-core, and
// Debian's Firefox ESR driven by geckodriver over W3C WebDriver (Playwright cannot drive it).
// Functions passed to `evaluate` run in the page and must be self-contained.

import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

import { chromium } from "playwright-core";

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
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1100, height: 900 } });
  let page = await context.newPage();
  const console = [];
  const dialogs = [];
  const watch = (p) => {
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
    goto: (url) => page.goto(url),
    reload: () => page.reload(),
    url: () => page.url(),
    evaluate: (fn, arg) => page.evaluate(fn, arg),
    /** Runs source text as the DevTools console would (outside the page's CSP). */
    evaluateSource: (source) => page.evaluate(source),
    fill: (selector, text) => page.fill(selector, text),
    click: (selector) => page.click(selector),
    select: (selector, value) => page.selectOption(selector, value),
    waitFor: (fn, arg, timeout = 10000, what = "a condition") => waitFor(self, fn, arg, timeout, what),
    waitShown: (selector, timeout = 10000) => waitFor(self, selectorShown, selector, timeout, selector),
    screenshot: (path) => page.screenshot({ path, fullPage: true }),
    setViewport: (width, height) => page.setViewportSize({ width, height }),
    /** Clicks `selector` (a download link) and returns the saved file's text and suggested name. */
    async download(selector) {
      const [download] = await Promise.all([page.waitForEvent("download"), page.click(selector)]);
      const path = await download.path();
      const { readFileSync } = await import("node:fs");
      return { name: download.suggestedFilename(), text: readFileSync(path, "utf8") };
    },
    /** A fresh page in the same browser (same storage partition rules as a new tab). */
    async newPage() {
      await page.close();
      page = await context.newPage();
      watch(page);
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

/** Firefox ESR through geckodriver (W3C WebDriver over HTTP). */
export async function launchFirefox({ downloads }) {
  const port = await freePort();
  const profileRoot = mkdtempSync(join(tmpdir(), "access-api-e2e-ff-"));
  const driver = spawn("geckodriver", ["--port", String(port), "--host", "127.0.0.1"], {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, TMPDIR: profileRoot },
  });
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
  const session = await call("POST", "/session", {
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
          },
        },
        unhandledPromptBehavior: "dismiss",
      },
    },
  });
  const id = session.sessionId;
  const s = (path) => `/session/${id}${path}`;
  const element = async (selector) => {
    const found = await call("POST", s("/element"), { using: "css selector", value: selector });
    return Object.values(found)[0];
  };
  await call("POST", s("/window/rect"), { width: 1100, height: 900 });
  const self = {
    name: "firefox",
    version: session.capabilities.browserVersion,
    console: null, // classic WebDriver has no console access
    dialogs: [],
    goto: (url) => call("POST", s("/url"), { url }),
    reload: () => call("POST", s("/refresh"), {}),
    url: () => call("GET", s("/url")),
    async evaluate(fn, arg) {
      try {
        return await call("POST", s("/execute/sync"), {
          script: `return (${fn.toString()}).apply(null, arguments)`,
          args: arg === undefined ? [] : [arg],
        });
      } catch (error) {
        if (error.webdriver === "unexpected alert open") {
          self.dialogs.push("alert");
          return undefined;
        }
        throw error;
      }
    },
    async fill(selector, text) {
      const el = await element(selector);
      await call("POST", s(`/element/${el}/clear`), {});
      await call("POST", s(`/element/${el}/value`), { text });
    },
    click: async (selector) => call("POST", s(`/element/${await element(selector)}/click`), {}),
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
      const data = await call("GET", s("/screenshot/full")).catch(() => call("GET", s("/screenshot")));
      writeFileSync(path, Buffer.from(data, "base64"));
    },
    setViewport: (width, height) => call("POST", s("/window/rect"), { width, height }),
    async download(selector) {
      const { readdirSync, readFileSync } = await import("node:fs");
      const before = new Set(readdirSync(downloads));
      await self.click(selector);
      for (let i = 0; i < 100; i += 1) {
        const added = readdirSync(downloads).filter((name) => !before.has(name) && !name.endsWith(".part"));
        if (added.length > 0) {
          await sleep(200); // let Firefox finish renaming the .part file
          return { name: added[0], text: readFileSync(join(downloads, added[0]), "utf8") };
        }
        await sleep(100);
      }
      throw new Error("no file was downloaded");
    },
    async newPage() {
      await self.goto("about:blank");
    },
    async close() {
      await call("DELETE", s("")).catch(() => {});
      if (driver.exitCode === null && driver.signalCode === null) {
        const exited = new Promise((resolve) => driver.once("exit", resolve));
        driver.kill();
        await exited;
      }
      rmSync(profileRoot, { recursive: true, force: true });
    },
  };
  return self;
}
