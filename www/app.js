// The demo page. The key lives in `key` (memory) and, only if the reader opts in, in this tab's
// sessionStorage. It is never logged, put in the URL, or shown in an error.

import init, { AccessClient, decodeApiKey, isAccessApiError } from "/pkg/index.js";
import { parseCsv } from "./csv.js";
import { createDashboard } from "./dashboard.js";
import { age } from "./format.js";
import { h, isLoopbackUrl, record } from "./render.js";
import { spreadsheetSafe, startsLikeFormula } from "./spreadsheet.js";

const PRODUCTION = "https://go-api.accessprotocol.co";
const STORAGE_KEY = "access-creator-api-demo:key";
const PREVIEW_ROWS = 20;

const $ = (selector) => document.querySelector(selector);
const keyInput = $("#api-key");
let sandbox = null; // /sandbox.json, when served by the sandbox
let exportController = null;
let downloadUrls = [];
// Whose data is on screen: the key and API it was fetched with. `generation` grows whenever
// what is on screen is cleared, so an answer to an older request is dropped, not shown under
// another key.
let shownFor = null;
let generation = 0;

// ---- Status and errors -------------------------------------------------------------------

function status(text) {
  $("#status").textContent = text;
}

function showError(title, detail) {
  const box = $("#error");
  box.replaceChildren(h("strong", {}, title), detail ? h("p", {}, detail) : null);
  box.hidden = false;
}

function clearError() {
  $("#error").hidden = true;
  $("#error").replaceChildren();
}

const seconds = (ms) => `${Math.ceil(ms / 1000)} s`;

/** What to tell a person about an `AccessApiError` (never its stack, never the key). */
function explain(error) {
  if (!isAccessApiError(error)) {
    return ["Something went wrong.", "The page could not complete the request."];
  }
  const proxyHint = sandbox?.proxyBaseUrl
    ? "To use a real key from this local page, choose \"Production, through the local proxy\"."
    : "To use a real key from a local page, run: cargo xtask demo --upstream https://go-api.accessprotocol.co and choose \"Production, through the local proxy\".";
  switch (error?.kind) {
    case "invalid_key":
      return ["That is not an API key.", "An Access API key is a long text in three parts separated by dots (a JWT). Copy it again from the Creator Dashboard."];
    case "unauthorized":
      return ["The API rejected this key.", "Check that you copied the whole key, and that it is for the API chosen above (a sandbox demo key works only with the sandbox)."];
    case "forbidden":
      return ["This key may not do that.", "Exports are for accounts that own a pool."];
    case "rate_limited":
      return ["Too many requests.", error.retryAfterMs != null ? `The API asks to wait ${seconds(error.retryAfterMs)} before trying again.` : "Wait a little before trying again."];
    case "timeout":
      return ["The API did not answer in time.", "Try again; if it keeps happening, the API may be slow or unreachable."];
    case "server":
      return [`The API had a problem (HTTP ${error.status}).`, "This is on the API's side. Try again in a moment."];
    case "network":
      return ["Could not reach the API.", `You may be offline, or the API refused calls from this page's origin (CORS). ${proxyHint}`];
    case "aborted":
      return ["Cancelled.", ""];
    case "export_timeout":
      return ["The export was not ready in time.", "The API is still preparing it; try again in a few minutes."];
    case "too_large":
      return ["The answer was too large to load here.", ""];
    case "invalid_response":
      return ["The API's answer was not what was expected.", "Is the base URL right? A proxy or a captive portal may have answered instead."];
    case "invalid_argument":
      return ["Check the settings.", error.message];
    case "not_found":
    case "http":
      return [`The API answered HTTP ${error.status}.`, ""];
    default:
      return ["Something went wrong.", "The page could not complete the request."];
  }
}

function fail(error) {
  const [title, detail] = explain(error);
  showError(title, detail);
  status("");
}

// ---- API choice ----------------------------------------------------------------------------

function baseUrl() {
  const choice = document.querySelector('input[name="api"]:checked')?.value;
  if (choice === "sandbox") return sandbox.apiBaseUrl;
  if (choice === "proxy") return sandbox.proxyBaseUrl;
  if (choice === "custom") return $("#custom-base-url").value.trim();
  return PRODUCTION;
}

/**
 * Where the records come from: the chosen API, or for the proxy the API it forwards to. Its
 * `http:` images and links are shown only when that is on a loopback host (the sandbox).
 */
function dataOrigin() {
  const choice = document.querySelector('input[name="api"]:checked')?.value;
  return choice === "proxy" ? sandbox.upstream : baseUrl();
}

function onApiChoice() {
  const choice = document.querySelector('input[name="api"]:checked')?.value;
  $("#custom-base-url").hidden = choice !== "custom";
  $("#proxy-note").hidden = choice !== "proxy";
  const demo = choice === "sandbox" && sandbox?.demoKeys?.length > 0;
  $("#use-demo-key").hidden = !demo;
  $("#demo-account").hidden = !demo;
  clearIfChanged();
  dashboard.loadPublic();
}

function client() {
  return new AccessClient(keyInput.value, { baseUrl: baseUrl() });
}

// ---- The key -------------------------------------------------------------------------------

/** What the page would fetch with now: the key as typed and the API. */
function currentSource() {
  return { key: keyInput.value, api: baseUrl() };
}

const sameSource = (a, b) => a !== null && b !== null && a.key === b.key && a.api === b.api;

/** Clears the record and exports if they belong to another key or API than the current ones. */
function clearIfChanged() {
  if (shownFor && !sameSource(shownFor, currentSource())) clearData();
}

/** Makes `source` the one whose data is on screen, clearing another's first. */
function claim(source) {
  if (!sameSource(shownFor, source)) clearData();
  shownFor = source;
}

/**
 * Forgets everything fetched: the record, the export results and their download URLs, and any
 * export still running. Answers to requests made before are dropped.
 */
function clearData(text = "Fetch your record to see it here.") {
  generation += 1;
  shownFor = null;
  exportController?.abort();
  dashboard.clearMine();
  $("#record").replaceChildren(h("p", { class: "muted empty" }, text));
  status("");
  resetExport();
}

function onKeyChange() {
  const value = keyInput.value;
  clearIfChanged();
  if ($("#remember-key").checked) sessionStorage.setItem(STORAGE_KEY, value);
  const decoded = $("#decoded");
  if (value.trim() === "") {
    decoded.hidden = true;
    $("#key-claims").hidden = true;
    return;
  }
  try {
    const { header, claims } = decodeApiKey(value);
    $("#decoded-header").textContent = JSON.stringify(header, null, 2);
    $("#decoded-claims").textContent = JSON.stringify(claims, null, 2);
    decoded.hidden = false;
    showClaims(claims);
  } catch {
    decoded.hidden = true;
    $("#key-claims").hidden = true;
  }
}

const issuedFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "long", timeStyle: "short" });

/** The claims a person wants at a glance: when the key was issued, and that it never expires. */
function showClaims(claims) {
  const parts = [];
  const when = (seconds) => (typeof seconds === "number" && Number.isFinite(seconds) ? new Date(seconds * 1000) : null);
  const issued = when(claims?.iat);
  parts.push(
    issued
      ? h("span", { id: "key-iat" }, "Issued ", h("time", { datetime: issued.toISOString() }, issuedFormat.format(issued)), ` (${age(issued)}).`)
      : h("span", { id: "key-iat" }, "No issue date (iat) in the key."),
  );
  const expires = when(claims?.exp);
  parts.push(
    expires
      ? h("span", { id: "key-exp" }, ` Expires ${issuedFormat.format(expires)} (${age(expires)}).`)
      : h("strong", { id: "key-exp", class: "never" }, " No exp: this key never expires."),
  );
  $("#key-claims").replaceChildren(...parts);
  $("#key-claims").hidden = false;
}

function forgetKey() {
  keyInput.value = "";
  sessionStorage.removeItem(STORAGE_KEY);
  $("#remember-key").checked = false;
  $("#decoded").hidden = true;
  $("#decoded-header").textContent = "";
  $("#decoded-claims").textContent = "";
  $("#key-claims").hidden = true;
  clearData();
  clearError();
  status("Key forgotten.");
  keyInput.focus();
}

// ---- The record ----------------------------------------------------------------------------

async function fetchUser(event) {
  event.preventDefault();
  clearError();
  const button = $("#fetch-user");
  const target = $("#record");
  claim(currentSource());
  const mine = generation;
  button.disabled = true;
  target.setAttribute("aria-busy", "true");
  status("Fetching your record…");
  try {
    const keyed = client();
    const user = await keyed.getUser();
    if (mine !== generation) return;
    target.replaceChildren(...record(user, { loopbackHttp: isLoopbackUrl(dataOrigin()) }));
    dashboard.loadMine(user, keyed);
    status(`Record of ${user.Username || "your account"} loaded.`);
  } catch (error) {
    if (mine !== generation) return;
    clearData("No record to show.");
    fail(error);
  } finally {
    button.disabled = false;
    target.setAttribute("aria-busy", "false");
  }
}

// ---- Exports -------------------------------------------------------------------------------

const PHASE_TEXT = {
  requesting: () => "Requesting the export…",
  waiting: (p) => `Waiting for the file — attempt ${p.attempt}…`,
  downloading: () => "Downloading…",
  done: () => "Done.",
};

function showPhase(progress) {
  const phases = $("#export-phases");
  phases.hidden = false;
  const order = ["requesting", "waiting", "downloading", "done"];
  const at = order.indexOf(progress.phase);
  for (const item of phases.children) {
    const index = order.indexOf(item.dataset.phase);
    item.className = index < at ? "past" : index === at ? "current" : "";
    if (index === at) item.setAttribute("aria-current", "step");
    else item.removeAttribute("aria-current");
  }
  $("#export-status").textContent = PHASE_TEXT[progress.phase](progress);
}

function resetExport() {
  downloadUrls.forEach((url) => URL.revokeObjectURL(url));
  downloadUrls = [];
  for (const link of [$("#csv-download"), $("#csv-download-raw")]) link.removeAttribute("href");
  $("#export-result").hidden = true;
  $("#export-phases").hidden = true;
  $("#export-status").textContent = "";
  $("#csv-preview").replaceChildren();
  $("#row-count").textContent = "";
  $("#formula-count").textContent = "";
}

/** A cell of the preview; one that starts like a formula is marked. */
function previewCell(cell) {
  if (!startsLikeFormula(cell)) return h("td", {}, cell);
  const title = "Starts like a spreadsheet formula: the spreadsheet-safe CSV puts a ' before it";
  return h("td", { class: "formula", "data-formula": true, title }, cell);
}

/** Points `link` at a new download of `blob`. */
function offerDownload(link, blob, name) {
  const url = URL.createObjectURL(blob);
  downloadUrls.push(url);
  link.href = url;
  link.download = name;
}

/** Shows an export: `csv` is its text, `raw` the bytes as the API sent them. */
function showCsv(kind, csv, raw) {
  const { rows, total } = parseCsv(csv, PREVIEW_ROWS + 1);
  const [header = [], ...body] = rows;
  $("#csv-preview").replaceChildren(
    h("caption", {}, total > body.length ? `First ${body.length} of ${total} rows` : `All ${total} rows`),
    h("thead", {}, h("tr", {}, header.map((name) => h("th", { scope: "col" }, name)))),
    h("tbody", {}, body.map((row) => h("tr", {}, row.map(previewCell)))),
  );
  $("#row-count").textContent = `${total} ${total === 1 ? "row" : "rows"}`;
  const safe = spreadsheetSafe(csv);
  const date = new Date().toISOString().slice(0, 10);
  const safeFile = new Blob([safe.text], { type: "text/csv;charset=utf-8" });
  offerDownload($("#csv-download"), safeFile, `access-${kind}-${date}.csv`);
  offerDownload($("#csv-download-raw"), raw, `access-${kind}-${date}-raw.csv`);
  $("#formula-count").textContent =
    safe.neutralized === 0
      ? "No cell of this file starts like a formula."
      : `${safe.neutralized} ${safe.neutralized === 1 ? "cell starts" : "cells start"} like a formula (marked in the preview).`;
  $("#export-result").hidden = false;
}

async function runExport(kind) {
  clearError();
  resetExport();
  let api;
  try {
    api = client();
  } catch (error) {
    fail(error);
    return;
  }
  claim(currentSource());
  const mine = generation;
  const buttons = document.querySelectorAll("[data-export]");
  buttons.forEach((button) => (button.disabled = true));
  const cancel = $("#export-cancel");
  cancel.hidden = false;
  exportController = new AbortController();
  const onProgress = (progress) => {
    if (mine === generation) showPhase(progress);
  };
  try {
    // The file's bytes exactly as they arrived (the raw download), and its text for the rest.
    const raw = await api.exportCsvBlob(kind, { signal: exportController.signal, onProgress });
    const csv = await raw.text();
    if (mine !== generation) return;
    showCsv(kind, csv, raw);
  } catch (error) {
    if (mine !== generation) {
      $("#export-status").textContent = "";
      return;
    }
    $("#export-phases").hidden = true;
    $("#export-status").textContent = error?.kind === "aborted" ? "Export cancelled." : "";
    if (error?.kind !== "aborted") fail(error);
  } finally {
    exportController = null;
    cancel.hidden = true;
    buttons.forEach((button) => (button.disabled = false));
  }
}

// ---- Start ---------------------------------------------------------------------------------

async function loadSandbox() {
  try {
    const response = await fetch("/sandbox.json", { credentials: "omit" });
    return response.ok ? await response.json() : null;
  } catch {
    return null;
  }
}

const dashboard = createDashboard({ baseUrl, explain });

async function main() {
  await init();
  dashboard.start();
  sandbox = await loadSandbox();
  if (sandbox) {
    $("#api-sandbox-choice").hidden = false;
    $("#sandbox-url").textContent = sandbox.apiBaseUrl;
    $("#demo-account").replaceChildren(
      ...sandbox.demoKeys.map((demo, i) => h("option", { value: String(i) }, demo.label)),
    );
    if (sandbox.proxyBaseUrl) {
      $("#api-proxy-choice").hidden = false;
      $("#proxy-url").textContent = `→ ${sandbox.upstream}`;
    }
  }
  const initial = sandbox ? "sandbox" : "production";
  document.querySelector(`input[name="api"][value="${initial}"]`).checked = true;
  onApiChoice();

  const remembered = sessionStorage.getItem(STORAGE_KEY);
  if (remembered) {
    keyInput.value = remembered;
    $("#remember-key").checked = true;
    onKeyChange();
  }

  document.querySelectorAll('input[name="api"]').forEach((radio) => radio.addEventListener("change", onApiChoice));
  keyInput.addEventListener("input", onKeyChange);
  $("#custom-base-url").addEventListener("input", clearIfChanged);
  $("#custom-base-url").addEventListener("change", () => dashboard.loadPublic());
  $("#toggle-key").addEventListener("click", () => {
    const show = keyInput.type === "password";
    keyInput.type = show ? "text" : "password";
    $("#toggle-key").textContent = show ? "Hide" : "Show";
    $("#toggle-key").setAttribute("aria-pressed", String(show));
  });
  $("#remember-key").addEventListener("change", (event) => {
    if (event.target.checked) sessionStorage.setItem(STORAGE_KEY, keyInput.value);
    else sessionStorage.removeItem(STORAGE_KEY);
  });
  $("#forget-key").addEventListener("click", forgetKey);
  $("#use-demo-key").addEventListener("click", () => {
    keyInput.value = sandbox.demoKeys[Number($("#demo-account").value) || 0].key;
    onKeyChange();
    $("#fetch-user").focus();
  });
  $("#key-form").addEventListener("submit", fetchUser);
  document.querySelectorAll("[data-export]").forEach((button) =>
    button.addEventListener("click", () => runExport(button.dataset.export)),
  );
  $("#export-cancel").addEventListener("click", () => exportController?.abort());
  document.documentElement.setAttribute("data-ready", "");
}

main().catch(() => {
  const notice = $("#boot-notice");
  notice.textContent = "The page could not start: the WebAssembly package did not load. Run cargo xtask demo to build and serve it.";
  notice.hidden = false;
});
