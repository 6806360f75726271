// A 30-day line chart as inline SVG, drawn by hand (no library: see www/README.md for why).
// Every colour comes from the stylesheet (classes), nothing inline, so the page's CSP
// (`style-src 'self'`, no 'unsafe-inline') holds. The plot is a slider for the keyboard (arrows,
// Home, End, Page Up/Down pick a day) and follows the pointer; the day's exact value is written
// under it, and a <details> table holds every number for a screen reader or a copy.

import { h } from "./render.js";
import { formatCompact, niceTicks, statsDays } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const HEIGHT = 220;
const MARGIN = { top: 26, right: 14, bottom: 30, left: 58 };

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, String(value));
  for (const child of children) if (child) element.append(child);
  return element;
}

const dayFormat = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const longDayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeZone: "UTC" });

/**
 * A chart of `points` (`{ date, plot, text }`: the day, its value as a `number` for the plot
 * only, and its exact text with the unit). `unit` names the y axis. Returns the figure.
 */
export function lineChart({ title, unit, points, id }) {
  const n = points.length;
  let selected = n - 1;
  const readout = h("p", { class: "readout", id: `${id}-readout` });
  const plot = h("div", {
    class: "chart-plot",
    tabindex: "0",
    role: "slider",
    "aria-label": `${title}, day`,
    "aria-valuemin": "1",
    "aria-valuemax": String(n),
    "aria-describedby": `${id}-readout`,
  });
  let cursor = null;
  let xOf = () => 0;

  function select(index, { show = true } = {}) {
    selected = Math.max(0, Math.min(n - 1, index));
    const point = points[selected];
    const text = `${longDayFormat.format(point.date)}: ${point.text}`;
    readout.textContent = text;
    plot.setAttribute("aria-valuenow", String(selected + 1));
    plot.setAttribute("aria-valuetext", text);
    if (cursor) {
      cursor.group.classList.toggle("shown", show);
      cursor.line.setAttribute("x1", xOf(selected));
      cursor.line.setAttribute("x2", xOf(selected));
      cursor.dot.setAttribute("cx", xOf(selected));
      cursor.dot.setAttribute("cy", cursor.yAt(selected));
    }
  }

  function draw(width) {
    const w = Math.max(240, Math.floor(width));
    const values = points.map((p) => p.plot);
    const min = Math.min(...values, ...(values.some((v) => v < 0) ? [0] : []));
    const ticks = niceTicks(min, Math.max(...values), 4);
    const [low, high] = [ticks[0], ticks[ticks.length - 1]];
    const inner = { w: w - MARGIN.left - MARGIN.right, h: HEIGHT - MARGIN.top - MARGIN.bottom };
    xOf = (i) => MARGIN.left + (n === 1 ? inner.w / 2 : (i * inner.w) / (n - 1));
    const y = (v) => MARGIN.top + inner.h - ((v - low) / (high - low || 1)) * inner.h;
    const grid = ticks.map((t) =>
      svg(
        "g",
        { class: t === 0 ? "tick zero" : "tick" },
        svg("line", { x1: MARGIN.left, x2: w - MARGIN.right, y1: y(t), y2: y(t) }),
        svg("text", { x: MARGIN.left - 6, y: y(t), "text-anchor": "end", "dominant-baseline": "middle" }, document.createTextNode(formatCompact(t))),
      ),
    );
    // A date every week, counted back from the last day (the one the answer names).
    const every = w < 420 ? 14 : 7;
    const dates = [];
    for (let i = n - 1; i >= 0; i -= every) {
      dates.push(svg("text", { x: xOf(i), y: HEIGHT - 8, "text-anchor": i === n - 1 ? "end" : "middle" }, document.createTextNode(dayFormat.format(points[i].date))));
    }
    const path = values.map((v, i) => `${i === 0 ? "M" : "L"}${xOf(i).toFixed(1)},${y(v).toFixed(1)}`).join("");
    const area = `${path}L${xOf(n - 1).toFixed(1)},${y(Math.max(low, 0)).toFixed(1)}L${xOf(0).toFixed(1)},${y(Math.max(low, 0)).toFixed(1)}Z`;
    const line = svg("line", { class: "cursor-line", y1: MARGIN.top, y2: MARGIN.top + inner.h });
    const dot = svg("circle", { class: "cursor-dot", r: 4.5 });
    const group = svg("g", { class: "cursor" }, line, dot);
    const shownBefore = cursor?.group.classList.contains("shown") ?? false;
    cursor = { group, line, dot, yAt: (i) => y(values[i]) };
    const picture = svg(
      "svg",
      { width: w, height: HEIGHT, viewBox: `0 0 ${w} ${HEIGHT}`, "aria-hidden": "true", focusable: "false" },
      ...grid,
      svg("text", { class: "unit", x: 4, y: 12 }, document.createTextNode(unit)),
      svg("line", { class: "axis", x1: MARGIN.left, x2: w - MARGIN.right, y1: MARGIN.top + inner.h, y2: MARGIN.top + inner.h }),
      svg("path", { class: "area", d: area }),
      svg("path", { class: "line", d: path }),
      ...dates,
      group,
    );
    plot.replaceChildren(picture);
    select(selected, { show: shownBefore });
  }

  plot.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -7, PageUp: 7 };
    let index = null;
    if (event.key in moves) index = selected + moves[event.key];
    else if (event.key === "Home") index = 0;
    else if (event.key === "End") index = n - 1;
    if (index === null) return;
    event.preventDefault();
    select(index);
  });
  plot.addEventListener("focus", () => select(selected));
  plot.addEventListener("blur", () => cursor?.group.classList.remove("shown"));
  plot.addEventListener("pointermove", (event) => {
    const box = plot.getBoundingClientRect();
    const x = event.clientX - box.left;
    let best = 0;
    for (let i = 1; i < n; i += 1) if (Math.abs(xOf(i) - x) < Math.abs(xOf(best) - x)) best = i;
    select(best);
  });
  plot.addEventListener("pointerleave", () => {
    if (document.activeElement !== plot) cursor?.group.classList.remove("shown");
  });

  const table = h(
    "table",
    {},
    h("caption", {}, `${title}, the last ${n} days`),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Day (UTC)"), h("th", { scope: "col" }, `Value (${unit})`))),
    h("tbody", {}, points.map((p) => h("tr", {}, h("td", {}, longDayFormat.format(p.date)), h("td", { class: "num" }, p.text)))),
  );
  const figure = h(
    "div",
    { class: "chart" },
    plot,
    readout,
    h("details", { class: "chart-table" }, h("summary", {}, "The numbers"), h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": `${title}: the numbers` }, table)),
  );
  // Drawn at the width it gets, and again when that changes (a phone turned, a window resized):
  // text stays at its size instead of shrinking with a scaled picture.
  let drawnWidth = 0;
  const observer = new ResizeObserver(([entry]) => {
    const width = Math.floor(entry.contentRect.width);
    if (width > 0 && width !== drawnWidth) {
      drawnWidth = width;
      draw(width);
    }
  });
  observer.observe(plot);
  draw(640);
  return figure;
}

/** The points of a stats answer: `format` gives a value's exact text, `plot` its number. */
export function statsPoints(stats, { format, plot }) {
  const days = statsDays(stats.UntilDate, stats.Vals.length);
  if (!days) return null;
  return stats.Vals.map((value, i) => ({ date: days[i], plot: plot(value), text: format(value) }));
}
