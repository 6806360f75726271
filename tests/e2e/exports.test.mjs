// Exports from the page: each kind to both downloads, a hostile export neutralised (the raw one the
// API's bytes, also when not UTF-8), cancelling mid-poll.

import { setTimeout as sleep } from "node:timers/promises";
import assert from "node:assert/strict";

import {
  API,
  startsLikeFormula,
  session,
  apiExport,
  cells,
  test,
  browser,
  shot,
  open,
  fetchRecord,
  exportFromPage,
  text,
} from "./harness.mjs";

for (const kind of ["emails", "supporters", "rewards"]) {
  test(`the ${kind} export: phases, preview, row count, and both downloads`, async () => {
    const creator = await session("creator");
    await open();
    await fetchRecord(creator.key);
    await exportFromPage(kind);
    assert.equal(await text("#export-status"), "Done.");
    const rows = Number((await text("#row-count")).split(" ")[0]);
    assert.ok(rows > 0);
    const api = await apiExport(creator.key, kind);
    const raw = await browser.download("#csv-download-raw");
    assert.match(raw.name, new RegExp(`^access-${kind}-\\d{4}-\\d{2}-\\d{2}-raw\\.csv$`));
    assert.ok(raw.bytes.equals(api), "the raw download is byte for byte the API's answer");
    const safe = await browser.download("#csv-download");
    assert.match(safe.name, new RegExp(`^access-${kind}-\\d{4}-\\d{2}-\\d{2}\\.csv$`));
    // The creator's rows hold no formula: the safe file is the same bytes, and says so.
    assert.ok(safe.bytes.equals(api));
    assert.match(await text("#formula-count"), /No cell of this file starts like a formula/);
    // The preview is the file's: same header, as many rows as the page counted.
    const header = await browser.evaluate(() => [...document.querySelectorAll("#csv-preview th")].map((th) => th.textContent));
    assert.deepEqual(header, cells(raw.text)[0]);
    assert.equal(cells(raw.text).length - 1, rows);
    const previewRows = await browser.evaluate(() => document.querySelectorAll("#csv-preview tbody tr").length);
    assert.equal(previewRows, Math.min(rows, 20));
    assert.equal(await creator.count(`POST /file/${kind}`), 2); // the page's and ours
    if (kind === "supporters") await shot("export-done");
  });
}

test("a hostile export: the default download neutralises every formula, the raw one is the API's", async () => {
  const hostile = await session("hostile");
  await open();
  await fetchRecord(hostile.key);
  await exportFromPage("supporters");
  const api = await apiExport(hostile.key, "supporters");
  const raw = await browser.download("#csv-download-raw");
  assert.ok(raw.bytes.equals(api), "the raw download is byte for byte the API's answer");
  const safe = await browser.download("#csv-download");
  const rawCells = cells(raw.text);
  const safeCells = cells(safe.text);
  const formulas = rawCells.flat().filter(startsLikeFormula);
  assert.ok(formulas.length >= 4, `the hostile rows hold formulas: ${formulas}`);
  // Every cell that would run gets a ', every other cell is untouched, and no cell of the
  // safe file starts like a formula.
  assert.deepEqual(
    safeCells,
    rawCells.map((row) => row.map((cell) => (startsLikeFormula(cell) ? `'${cell}` : cell))),
  );
  assert.deepEqual(safeCells.flat().filter(startsLikeFormula), []);
  for (const payload of ["'=HYPERLINK(", "'-2+3+cmd", "'@SUM(1+1)", "'+SUM(1,2)"]) {
    assert.ok(safe.text.includes(payload), payload);
  }
  assert.equal(safe.text.split("\r\n").length, raw.text.split("\r\n").length, "line ends unchanged");
  assert.match(await text("#formula-count"), new RegExp(`^${formulas.length} cells start like a formula`));
  // The preview marks the formula cells it shows, and only those.
  const marked = await browser.evaluate(() =>
    [...document.querySelectorAll("#csv-preview td")].map((td) => [td.textContent, td.hasAttribute("data-formula")]),
  );
  assert.ok(marked.some(([, formula]) => formula));
  for (const [cell, formula] of marked) assert.equal(formula, startsLikeFormula(cell), cell);
  await shot("export-hostile");
});

test("the raw download is the API's bytes even when they are not valid UTF-8", async () => {
  const creator = await session("creator");
  // The page's first poll of the export gets a CSV with 0xC3 0x28 in its fourth row.
  await creator.faults([{ path: "/file/link", body: "invalid_utf8", times: 2 }]);
  const direct = await fetch(`${API}/file/link/x`, { headers: { authorization: `Bearer ${creator.key}` } });
  const api = Buffer.from(await direct.arrayBuffer());
  assert.throws(() => new TextDecoder("utf-8", { fatal: true }).decode(api), "positive control: not UTF-8");
  await open();
  await fetchRecord(creator.key);
  await exportFromPage("emails");
  const raw = await browser.download("#csv-download-raw");
  assert.ok(raw.bytes.equals(api), "the raw download is byte for byte the API's answer");
  const safe = await browser.download("#csv-download");
  assert.ok(safe.text.includes("Bad \uFFFD( byte"), "the text shown and made safe marks the bad bytes");
});

test("cancelling an export mid-poll stops its requests", async () => {
  const creator = await session("creator", { export_delay_ms: 60000 });
  await open();
  await fetchRecord(creator.key);
  await browser.click('[data-export="supporters"]');
  await browser.waitFor(() => /attempt 2/.test(document.querySelector("#export-status").textContent), undefined, 10000, "the second poll");
  await shot("export-waiting");
  await browser.click("#export-cancel");
  await browser.waitFor(() => document.querySelector("#export-status").textContent === "Export cancelled.", undefined, 5000, "the cancellation");
  const polls = await creator.count("GET /file/link");
  assert.ok(polls >= 1, `positive control: the polls before cancelling were counted (${polls})`);
  await sleep(3000); // the page's first poll interval is 1 s, growing by half
  assert.equal(await creator.count("GET /file/link"), polls, "no poll after cancelling");
  // Positive control: the counter still counts, so a late poll would have shown.
  await fetch(`${API}/file/link/x`, { headers: { authorization: `Bearer ${creator.key}` } });
  assert.equal(await creator.count("GET /file/link"), polls + 1);
  assert.equal(await browser.evaluate(() => document.querySelector("#error").hidden), true, "cancelling is not an error");
});
