// Bar charts of the funding page: awards (bar length) and amounts (per currency, as text) by
// year, programme, funder kind and country, each with its coverage line, because most sources
// state no year and no amount. Plain SVG: four bar lists need no charting library.
import { el } from "./util.js";
import { coverageLine, money, NOT_STATED } from "./funding-filter.js";

const SVG = "http://www.w3.org/2000/svg";
const TOP = 12;

function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

/** The charts: column(awards) gives {values, codes}, the bar of each award (code of a value). */
const CHARTS = [
  {
    id: "year",
    title: "Awards by year (start of the period)",
    what: "a year",
    column: (a) =>
      a.derived("chart-year", (i) => {
        const y = Number.isNaN(a.start[i]) ? a.end[i] : a.start[i];
        return Number.isNaN(y) ? NOT_STATED : String(y);
      }),
    order: "key",
  },
  { id: "programme", title: "Awards by programme", what: "a programme", column: (a) => col(a, "programme_label") },
  { id: "funder_kind", title: "Awards by funder kind", what: "a funder kind", column: (a) => col(a, "funder_kind") },
  { id: "country", title: "Awards by recipient country", what: "a country", column: (a) => col(a, "country") },
];

function col(awards, name) {
  return { values: awards.values[name], codes: awards.codes[name] };
}

function bars(awards, rows, chart) {
  const { values, codes } = chart.column(awards);
  const currencies = awards.values.currency;
  const nc = currencies.length;
  const counts = new Int32Array(values.length);
  const sums = new Float64Array(values.length * nc);
  const hasSum = new Uint8Array(values.length * nc);
  const cur = awards.codes.currency;
  const amount = awards.amount;
  for (let k = 0; k < rows.length; k++) {
    const i = rows[k];
    const c = codes[i];
    counts[c]++;
    if (!Number.isNaN(amount[i])) {
      sums[c * nc + cur[i]] += amount[i];
      hasSum[c * nc + cur[i]] = 1;
    }
  }
  let stating = 0;
  let list = [];
  values.forEach((v, c) => {
    if (!counts[c] || v === null || v === NOT_STATED) return;
    stating += counts[c];
    const amounts = new Map();
    for (let u = 0; u < nc; u++) if (hasSum[c * nc + u]) amounts.set(currencies[u], sums[c * nc + u]);
    list.push({ key: String(v), awards: counts[c], amounts });
  });
  if (chart.order === "key") list.sort((a, b) => (a.key < b.key ? -1 : 1));
  else list.sort((a, b) => b.awards - a.awards || (a.key < b.key ? -1 : 1));
  if (list.length > TOP && chart.order !== "key") {
    const rest = list.slice(TOP);
    const other = { key: `${rest.length} others`, awards: 0, amounts: new Map() };
    for (const g of rest) {
      other.awards += g.awards;
      for (const [c, v] of g.amounts) other.amounts.set(c, (other.amounts.get(c) || 0) + v);
    }
    list = [...list.slice(0, TOP), other];
  }
  return { list, stating };
}

/** Draw the four charts into `host`; returns {id: coverage line} (the tests read them). */
export function drawCharts(host, awards, rows) {
  let amounts = 0;
  for (const i of rows) if (!Number.isNaN(awards.amount[i])) amounts++;
  const lines = {};
  const figures = CHARTS.map((chart) => {
    const { list, stating } = bars(awards, rows, chart);
    const line = coverageLine(rows.length, stating, chart.what, amounts);
    lines[chart.id] = line;
    const width = 360;
    const rowH = 18;
    const labelW = 140;
    const max = Math.max(1, ...list.map((g) => g.awards));
    const figure = svg("svg", {
      viewBox: `0 0 ${width} ${Math.max(24, list.length * rowH + 4)}`,
      role: "img",
      "aria-label": chart.title,
    });
    list.forEach((g, k) => {
      const y = k * rowH + 2;
      const w = ((width - labelW - 130) * g.awards) / max;
      const money_ = [...g.amounts.entries()].map(([c, v]) => money(v, c)).join(" + ");
      const label = g.key.length > 22 ? `${g.key.slice(0, 21)}…` : g.key;
      figure.append(
        svg("text", { x: labelW - 4, y: y + 12, "text-anchor": "end", class: "bar-label" }, label, svg("title", {}, g.key)),
        svg("rect", { x: labelW, y: y + 2, width: Math.max(1, w), height: rowH - 5, class: "bar", "data-key": g.key, "data-awards": g.awards }),
        svg("text", { x: labelW + w + 4, y: y + 12, class: "bar-value" }, `${g.awards.toLocaleString("en")}${money_ ? ` · ${money_}` : ""}`),
      );
    });
    if (!list.length) figure.append(svg("text", { x: 4, y: 16, class: "bar-label" }, `No award shown states ${chart.what}.`));
    return el(
      "figure",
      { class: "chart", id: `chart-${chart.id}` },
      el("figcaption", {}, chart.title),
      el("p", { class: "coverage", "data-chart": chart.id }, line),
      figure,
    );
  });
  host.replaceChildren(...figures);
  return lines;
}
