// The creator's dashboard: the protocol at a glance, the 30-day charts, the pools explorer (all
// public: a keyless client), and with a key "Your pool" and "Your locks". Every number comes
// from one of the package's calls, and says which and when. The calls of a view go out together;
// each card shows its own progress and its own failure, never hiding the others.

import { AccessClient } from "/pkg/index.js";
import { h, copyButton, date } from "./render.js";
import { lineChart, statsPoints } from "./chart.js";
import { acsDecimal, compare, curl, fold, formatAcs, formatCount, formatDecimal, toBigInt } from "./format.js";

const $ = (selector) => document.querySelector(selector);
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });
const MAX_ROWS = 500;

/** `CategoryName` lists a pool's categories with commas: shown as `Education, Tech`. */
const categories = (text) => (text ? text.split(",").map((c) => c.trim()).filter(Boolean).join(", ") : "");

/** The seven documented stats kinds: a readable title, the unit, and whether it is an amount. */
export const STATS = [
  { kind: "cumulative_stake", title: "ACS locked in all pools", unit: "ACS", amount: true },
  { kind: "postitive_stake", title: "ACS newly locked per day", unit: "ACS", amount: true },
  { kind: "locked_delta", title: "Daily change of ACS locked", unit: "ACS", amount: true },
  { kind: "active_users", title: "Active users", unit: "users", amount: false },
  { kind: "locked_users", title: "Users with ACS locked", unit: "users", amount: false },
  { kind: "total_creators", title: "Creators", unit: "creators", amount: false },
  { kind: "subscription", title: "Subscriptions per day", unit: "subscriptions", amount: false },
];

/**
 * One call of the package, timed: `{ ok, value | error, ms, at, path, keyed, baseUrl, status,
 * attempts }`, the last two from the call's `onEvent` steps (the HTTP status of its last answer,
 * and how many requests it made). Never rejects.
 */
async function call(client, path, method, ...args) {
  const at = new Date();
  const started = performance.now();
  const steps = { status: null, attempts: 0 };
  const onEvent = (event) => {
    if (event.type === "request") steps.attempts = event.attempt;
    if (event.type === "response") steps.status = event.status;
  };
  const base = { path, keyed: path.startsWith("/user"), baseUrl: client.baseUrl, at };
  try {
    const value = await client[method](...args, { onEvent });
    return { ...base, ...steps, ok: true, value, ms: performance.now() - started };
  } catch (error) {
    return { ...base, ...steps, ok: false, error, ms: performance.now() - started };
  }
}

/** The small line under a result: the call, its time, when, its HTTP status and attempts; copy as curl. */
function meta(result) {
  const bits = [`${Math.round(result.ms)} ms`, `fetched ${timeFormat.format(result.at)}`];
  const status = result.status ?? result.error?.status;
  if (status) bits.push(`HTTP ${status}`);
  if (result.attempts > 0) bits.push(result.attempts === 1 ? "1 attempt" : `${result.attempts} attempts`);
  const button = copyButton(curl(result.baseUrl, result.path, { keyed: result.keyed }), `GET ${result.path} as curl`);
  button.textContent = "Copy as curl";
  // The accessible name starts with the visible text (WCAG 2.5.3, axe's label-content-name-mismatch).
  button.setAttribute("aria-label", `Copy as curl: GET ${result.path}`);
  button.dataset.curl = result.path;
  // copyButton puts "Copy" back after it said "Copied".
  button.addEventListener("click", () => setTimeout(() => (button.textContent = "Copy as curl"), 1600));
  return h("p", { class: "meta" }, h("code", {}, `GET ${result.path}`), ` · ${bits.join(" · ")} `, button);
}

/** Where a number came from: `from GET /pools/locked, fetched 10:32:05`. */
const source = (result) => h("span", { class: "source" }, `from GET ${result.path}, ${timeFormat.format(result.at)}`);

export function createDashboard({ baseUrl, explain }) {
  /** The public calls of the chosen API, each fetched once: path → promise of a result. */
  let cache = { base: null, calls: new Map() };
  let generation = 0;
  let pools = null; // the explorer's rows, once fetched
  let sort = { key: "locked", descending: true };

  function keyless() {
    return new AccessClient(null, { baseUrl: baseUrl() });
  }

  function publicCall(path, method, ...args) {
    if (!cache.calls.has(path)) cache.calls.set(path, call(keyless(), path, method, ...args));
    return cache.calls.get(path);
  }

  /** A failure in words: the error's kind explained, and the kind itself. */
  function failure(result, what) {
    const [title, detail] = explain(result.error);
    const kind = result.error?.kind ? ` (${result.error.kind.replaceAll("_", " ")})` : "";
    return h("div", { class: "card-error" }, h("strong", {}, `${what} failed: ${title}`), kind, detail ? h("p", {}, detail) : null, meta(result));
  }

  function busy(target, text) {
    target.setAttribute("aria-busy", "true");
    target.replaceChildren(h("p", { class: "progress" }, h("span", { class: "spinner", "aria-hidden": "true" }), text));
  }

  function done(target, ...children) {
    target.setAttribute("aria-busy", "false");
    target.replaceChildren(...children);
  }

  // ---- The protocol at a glance ------------------------------------------------------------

  async function supply(which, target, mine) {
    busy(target, `Fetching GET /token/supply/${which}…`);
    const result = await publicCall(`/token/supply/${which}`, "getTokenSupply", which);
    if (mine !== generation) return;
    if (!result.ok) return done(target, failure(result, `${which === "total" ? "Total" : "Circulating"} supply`));
    done(target, h("p", { class: "big", "data-value": result.value }, formatDecimal(result.value), h("span", { class: "unit" }, " ACS")), meta(result));
  }

  // ---- The charts ----------------------------------------------------------------------------

  async function chart(spec, target, mine) {
    busy(target, `Fetching GET /stats/${spec.kind}…`);
    const result = await publicCall(`/stats/${spec.kind}`, "getStats", spec.kind);
    if (mine !== generation) return;
    if (!result.ok) return done(target, failure(result, spec.title));
    const points = statsPoints(result.value, {
      format: spec.amount ? (v) => `${formatAcs(v)} ACS` : (v) => `${formatCount(v)} ${spec.unit}`,
      // The picture's position only: the text above is exact.
      plot: spec.amount ? (v) => Number(acsDecimal(v)) : (v) => Number(v),
    });
    if (!points || points.length === 0) return done(target, h("p", { class: "muted" }, "No values in the answer."), meta(result));
    done(target, lineChart({ title: spec.title, unit: spec.unit, points, id: `chart-${spec.kind}` }), meta(result));
  }

  // ---- The pools explorer ----------------------------------------------------------------------

  const COLUMNS = [
    { key: "name", label: "Pool", value: (p) => p.name },
    { key: "category", label: "Category", value: (p) => p.category },
    { key: "supporters", label: "Supporters", value: (p) => p.supporters, numeric: true },
    { key: "locked", label: "ACS locked", value: (p) => p.locked, numeric: true },
    { key: "minimum", label: "Minimum lock (ACS)", value: (p) => p.minimum, numeric: true },
  ];

  function renderTable() {
    const table = $("#pools-table");
    if (!pools) return;
    const filter = fold($("#pool-filter").value.trim());
    const column = COLUMNS.find((c) => c.key === sort.key);
    const rows = pools
      .filter((p) => filter === "" || fold(p.name).includes(filter))
      .sort((a, b) => {
        const order = compare(column.value(a), column.value(b));
        return sort.descending && column.value(a) != null && column.value(b) != null ? -order : order;
      });
    const head = h(
      "tr",
      {},
      COLUMNS.map((c) => {
        const sorted = c.key === sort.key;
        const button = h("button", { type: "button", class: "sort", "data-sort": c.key }, c.label, h("span", { "aria-hidden": "true" }, sorted ? (sort.descending ? " ▼" : " ▲") : ""));
        button.addEventListener("click", () => {
          sort = { key: c.key, descending: sorted ? !sort.descending : c.numeric === true };
          renderTable();
          $(`#pools-table button[data-sort="${c.key}"]`).focus();
        });
        return h("th", { scope: "col", class: c.numeric ? "num" : null, "aria-sort": sorted ? (sort.descending ? "descending" : "ascending") : null }, button);
      }),
    );
    const body = rows.slice(0, MAX_ROWS).map((p) => {
      const open = h("button", { type: "button", class: "link", "data-address": p.address, "aria-label": `Details of ${p.name || p.address}` }, p.name || "Unnamed pool");
      open.addEventListener("click", () => {
        $("#pool-address").value = p.address;
        showPool(p.address);
      });
      return h(
        "tr",
        { "data-pool": p.address },
        h("th", { scope: "row" }, open),
        h("td", {}, p.category || "—"),
        h("td", { class: "num" }, p.supporters == null ? "—" : formatCount(p.supporters)),
        h("td", { class: "num" }, p.locked == null ? "—" : formatAcs(p.locked)),
        h("td", { class: "num" }, formatAcs(p.minimum)),
      );
    });
    table.replaceChildren(
      h("caption", {}, "Pools; the column buttons sort"),
      h("thead", {}, head),
      h("tbody", {}, body),
    );
    $("#pools-count").textContent =
      rows.length > MAX_ROWS
        ? `Showing the first ${MAX_ROWS} of ${rows.length} pools that match; filter by name to narrow.`
        : `${rows.length} of ${pools.length} ${pools.length === 1 ? "pool" : "pools"}.`;
  }

  async function explorer(mine) {
    const target = $("#pools-state");
    busy(target, "Fetching GET /pools, /pools/user_count and /pools/locked…");
    $("#pools-table").replaceChildren();
    $("#pools-count").textContent = "";
    pools = null;
    const [list, counts, locked] = await Promise.all([
      publicCall("/pools", "getPools"),
      publicCall("/pools/user_count", "getPoolUserCounts"),
      publicCall("/pools/locked", "getPoolLockedAmounts"),
    ]);
    if (mine !== generation) return;
    const notes = [];
    if (!list.ok) {
      done(target, failure(list, "The list of pools"));
      return;
    }
    if (!counts.ok) notes.push(failure(counts, "Supporters"));
    if (!locked.ok) notes.push(failure(locked, "ACS locked"));
    pools = list.value.map((p) => ({
      address: p.Pubkey,
      name: p.Name,
      category: categories(p.CategoryName),
      supporters: counts.ok ? counts.value[p.Pubkey] ?? null : null,
      locked: locked.ok ? locked.value[p.Pubkey] ?? null : null,
      minimum: p.Minimum,
    }));
    done(target, ...notes, ...[list, counts, locked].filter((r) => r.ok).map(meta));
    $("#pools-controls").hidden = false;
    renderTable();
  }

  async function showPool(address) {
    const target = $("#pool-details");
    target.hidden = false;
    const mine = generation;
    let client;
    try {
      client = keyless();
    } catch (error) {
      return done(target, failure({ ok: false, error, ms: 0, at: new Date(), path: "/pool/…", baseUrl: baseUrl() }, "The pool"));
    }
    busy(target, `Fetching GET /pool/${address}…`);
    target.scrollIntoView?.({ block: "nearest" });
    const result = await call(client, `/pool/${address}`, "getPool", address);
    if (mine !== generation) return;
    if (!result.ok) return done(target, failure(result, "The pool's details"));
    const pool = result.value;
    const known = pools?.find((p) => p.address === address);
    const fields = [
      ["Address", h("span", { class: "mono" }, address)],
      ["Category", categories(pool.CategoryName) || "—"],
      ["E-mail subscriptions", h("strong", { "data-field": "subscriptions" }, formatCount(pool.EmailSubscriptions.length))],
      ["Collects e-mails", pool.CollectEmails ? "Yes" : "No"],
      ["Shown on the Hub", pool.DisplayFE ? "Yes" : "No"],
      ["Featured position", pool.FeaturedPoolsFixedPosition ? formatCount(pool.FeaturedPoolsFixedPosition) : "none fixed"],
      ["Owner wallet", h("span", { class: "mono" }, pool.UserPubkey || "—")],
      ["Website", pool.Website || "—"],
      ["Created", date(pool.CreatedAt)],
    ];
    done(
      target,
      h("h3", { id: "pool-details-name", tabindex: "-1" }, known?.name || "Pool"),
      h("dl", { class: "fields" }, fields.flatMap(([name, value]) => [h("dt", {}, name), h("dd", {}, value)])),
      meta(result),
    );
    $("#pool-details-name").focus({ preventScroll: true });
  }

  /** Fetches and shows every public view of the chosen API (again, with `refresh`). */
  function loadPublic({ refresh = false } = {}) {
    let base;
    try {
      base = keyless().baseUrl;
    } catch (error) {
      generation += 1;
      const note = h("p", { class: "muted" }, "Choose a valid API above to see the protocol's numbers.");
      for (const target of document.querySelectorAll("[data-public-card]")) done(target, note.cloneNode(true));
      return;
    }
    if (!refresh && cache.base === base) return;
    cache = { base, calls: new Map() };
    generation += 1;
    const mine = generation;
    $("#pool-details").hidden = true;
    supply("total", $("#supply-total"), mine);
    supply("circulating", $("#supply-circulating"), mine);
    for (const spec of STATS) chart(spec, $(`#stats-${spec.kind}`), mine);
    explorer(mine);
  }

  // ---- With a key: "Your pool" and "Your locks" ---------------------------------------------------

  let mineGeneration = 0;

  function clearMine() {
    mineGeneration += 1;
    $("#your-pool").hidden = true;
    $("#your-pool-body").replaceChildren();
    $("#your-locks").hidden = true;
    $("#your-locks-body").replaceChildren();
  }

  /** A number of "Your pool": its name, its value, where it came from. */
  function tile(name, result, value, field) {
    const body = !result.ok
      ? h("dd", { class: "failed" }, `unavailable: ${explain(result.error)[0]}`)
      : h("dd", { "data-field": field }, value);
    return h("div", { class: "tile" }, h("dt", {}, name), body, h("dd", { class: "source-line" }, source(result)));
  }

  async function yourPool(address, mine) {
    const target = $("#your-pool-body");
    busy(target, "Fetching your pool's numbers: seven calls at once…");
    const client = keyless();
    const [list, counts, locked, rewards, featured, details] = await Promise.all([
      publicCall("/pools", "getPools"),
      publicCall("/pools/user_count", "getPoolUserCounts"),
      publicCall("/pools/locked", "getPoolLockedAmounts"),
      publicCall("/pools/rewards", "getPoolRewards"),
      publicCall("/pools/featured", "getFeaturedPools"),
      call(client, `/pool/${address}`, "getPool", address),
    ]);
    if (mine !== mineGeneration) return;
    const pool = list.ok ? list.value.find((p) => p.Pubkey === address) : null;
    const reward = rewards.ok ? rewards.value.find((r) => r.Pool === address) : null;
    const place = featured.ok ? featured.value.findIndex((f) => f.Pool === address) : -1;
    const missing = (what) => h("span", { class: "muted" }, what);
    const unclaimed = reward ? reward.Total - reward.Claimed : null;
    const tiles = [
      tile("Supporters", counts, counts.ok ? (counts.value[address] != null ? formatCount(counts.value[address]) : missing("not listed")) : null, "supporters"),
      tile("ACS locked", locked, locked.ok ? (locked.value[address] != null ? `${formatAcs(locked.value[address])} ACS` : missing("not listed")) : null, "locked"),
      tile("Minimum lock", list, pool ? `${formatAcs(pool.Minimum)} ACS` : missing("not listed"), "minimum"),
      tile("Stakers' share", list, pool ? new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 2 }).format(pool.StakersPart / 100) : missing("not listed"), "stakers-part"),
      tile("Rewards, total", rewards, reward ? `${formatAcs(reward.Total)} ACS` : missing("not listed"), "rewards-total"),
      tile("Rewards, claimed", rewards, reward ? `${formatAcs(reward.Claimed)} ACS` : missing("not listed"), "rewards-claimed"),
      tile("Rewards, unclaimed", rewards, reward ? `${formatAcs(unclaimed < 0n ? 0n : unclaimed)} ACS` : missing("not listed"), "rewards-unclaimed"),
      tile("E-mail subscribers", details, details.ok ? formatCount(details.value.EmailSubscriptions.length) : null, "subscribers"),
      tile("Among featured pools", featured, place >= 0 ? `#${formatCount(place + 1)} of ${formatCount(featured.value.length)}` : missing("not featured"), "featured"),
      tile("Category", list, pool ? categories(pool.CategoryName) || "—" : missing("not listed"), "category"),
    ];
    const results = [list, counts, locked, rewards, featured, details];
    done(
      target,
      h("dl", { class: "tiles" }, tiles),
      h("details", { class: "calls" }, h("summary", {}, "The calls behind these numbers"), results.map((r) => (r.ok ? meta(r) : failure(r, `GET ${r.path}`)))),
    );
  }

  async function yourLocks(wallet, keyed, mine) {
    const target = $("#your-locks-body");
    busy(target, "Fetching your locks: GET /user/…/pools and …/pools/forever…");
    const [now, forever, list] = await Promise.all([
      call(keyed, `/user/${wallet}/pools`, "getUserPools", wallet),
      call(keyed, `/user/${wallet}/pools/forever`, "getUserForeverPools", wallet),
      publicCall("/pools", "getPools"),
    ]);
    if (mine !== mineGeneration) return;
    const names = new Map(list.ok ? list.value.map((p) => [p.Pubkey, p.Name]) : []);
    const addresses = [...new Set([...(now.ok ? Object.keys(now.value) : []), ...(forever.ok ? Object.keys(forever.value) : [])])];
    const cell = (result, address) =>
      !result.ok ? "—" : result.value[address] == null ? "—" : `${formatAcs(result.value[address])} ACS`;
    const errors = [now, forever].filter((r) => !r.ok).map((r) => failure(r, r.path.endsWith("forever") ? "Your forever locks" : "Your locks"));
    const table =
      addresses.length === 0
        ? now.ok || forever.ok
          ? h("p", { class: "no-pool", "data-empty": "" }, "This wallet has no ACS locked in any pool.")
          : null
        : h(
            "div",
            { class: "table-wrap", tabindex: "0", role: "region", "aria-label": "Your locks table" },
            h(
              "table",
              { id: "locks-table" },
              h("caption", {}, "The pools this wallet has locked ACS in"),
              h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Pool"), h("th", { scope: "col", class: "num" }, "Locked now"), h("th", { scope: "col", class: "num" }, "Locked forever"))),
              h(
                "tbody",
                {},
                addresses
                  .sort((a, b) => compare(toBigInt((now.ok && now.value[b]) || 0n), toBigInt((now.ok && now.value[a]) || 0n)))
                  .map((a) => h("tr", { "data-pool": a }, h("th", { scope: "row" }, names.get(a) || h("span", { class: "mono" }, a)), h("td", { class: "num" }, cell(now, a)), h("td", { class: "num" }, cell(forever, a)))),
              ),
            ),
          );
    done(target, ...errors, table, ...[now, forever].filter((r) => r.ok).map(meta));
  }

  /** After the record: the key owner's pool (or the sentence saying there is none) and locks. */
  function loadMine(user, keyed) {
    clearMine();
    const mine = mineGeneration;
    $("#your-pool").hidden = false;
    $("#your-locks").hidden = false;
    if (user.OwnedPool?.Pubkey) {
      yourPool(user.OwnedPool.Pubkey, mine);
    } else {
      done(
        $("#your-pool-body"),
        h("p", { class: "no-pool", id: "no-pool-sentence" }, "This account does not own a pool, so there are no pool numbers to show. Your locks are below, and the protocol's numbers, charts and every pool further down."),
      );
    }
    yourLocks(user.Pubkey, keyed, mine);
  }

  function start() {
    $("#pool-filter").addEventListener("input", renderTable);
    $("#pool-lookup").addEventListener("submit", (event) => {
      event.preventDefault();
      const address = $("#pool-address").value.trim();
      if (address) showPool(address);
    });
    $("#refresh-public").addEventListener("click", () => loadPublic({ refresh: true }));
  }

  return { start, loadPublic, loadMine, clearMine };
}
