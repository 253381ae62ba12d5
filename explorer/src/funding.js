// The funding-flows page at /funding: who funds whom through which programme. One request
// (/api/funding?layout=columns) brings every award; filtering, sorting, the Sankey, the charts
// and the table are computed here, and the filter state lives in the URL (the same query string
// as /api/funding's, so the CSV and JSON downloads hold exactly the rows shown).
import { $, el } from "./util.js";
import {
  Awards,
  coverage,
  coverageLine,
  filterAwards,
  money,
  parseState,
  stateQuery,
  VALUE_FILTERS,
} from "./funding-filter.js";
import { drawSankey } from "./funding-sankey.js";
import { drawCharts } from "./funding-charts.js";
import { AwardTable, rowTexts } from "./funding-table.js";

const t0 = performance.now();
const api = fetch("/api/funding?layout=columns", { headers: { Accept: "application/json" } });
const page = { ready: false, timings: {}, state: null, rows: new Int32Array(0) };
window.__funding = page;

function setStatus(text) {
  $("#status").textContent = text;
}

/** Fill the filter controls from the awards (values with counts, most frequent first). */
function buildControls(awards, state, apply) {
  for (const [name, col] of Object.entries(VALUE_FILTERS)) {
    const control = $(`#f-${name}`);
    const counts = awards.counts(col);
    if (control.tagName === "SELECT") {
      control.replaceChildren(
        el("option", { value: "" }, "all"),
        ...counts.map(([v, n]) => el("option", { value: v }, `${v} (${n.toLocaleString("en")})`)),
      );
    } else {
      // A free-text box with suggestions (a select of 100,000 recipients would not be usable).
      $("#recipients").replaceChildren(...counts.slice(0, 500).map(([v]) => el("option", { value: v })));
    }
    control.value = state[name][0] || "";
    control.addEventListener("change", () => {
      state[name] = control.value ? [control.value] : [];
      apply();
    });
  }
  for (const name of ["from", "to", "min", "max"]) {
    const control = $(`#f-${name}`);
    control.value = state[name] ?? "";
    control.addEventListener("change", () => {
      const v = control.value.trim() === "" ? null : Number(control.value);
      state[name] = v === null || Number.isNaN(v) ? null : v;
      apply();
    });
  }
  $("#f-width").addEventListener("change", () => {
    state.width = $("#f-width").value;
    apply();
  });
  $("#reset").addEventListener("click", () => {
    Object.assign(state, parseState(new URLSearchParams()));
    for (const name of Object.keys(VALUE_FILTERS)) $(`#f-${name}`).value = "";
    for (const name of ["from", "to", "min", "max"]) $(`#f-${name}`).value = "";
    apply();
  });
}

function widthOptions(measure, wanted) {
  const select = $("#f-width");
  const options = [
    ["auto", "automatic"],
    ["count", "number of awards"],
    ...measure.offered.map((c) => [c, `amount in ${c}`]),
  ];
  if (wanted && !options.some(([v]) => v === wanted)) options.push([wanted, `amount in ${wanted}`]);
  select.replaceChildren(...options.map(([v, label]) => el("option", { value: v }, label)));
  select.value = wanted || "auto";
}

function summary(awards, rows) {
  const cov = coverage(awards, rows);
  const amounts = Object.entries(cov.amount_by_currency).map(([c, v]) => money(v, c));
  return (
    `${rows.length.toLocaleString("en")} of ${awards.n.toLocaleString("en")} awards shown. ` +
    coverageLine(rows.length, cov.year, "a year", cov.amount) +
    (amounts.length ? ` (${amounts.join("; ")}, per currency, never added up).` : ".")
  );
}

async function main() {
  let body;
  try {
    const res = await api;
    if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
    body = await res.json();
  } catch (error) {
    setStatus(`Could not load the awards: ${error.message}`);
    document.body.dataset.ready = "error";
    return;
  }
  page.timings.fetch = performance.now() - t0;
  const awards = new Awards(body);
  page.awards = awards;
  const state = parseState(new URLSearchParams(location.search));
  page.state = state;
  const table = new AwardTable($("#table"), {
    onSort: (col, desc) => {
      state.sort = col;
      state.desc = desc;
      apply();
    },
  });

  function apply({ push = true } = {}) {
    const t = performance.now();
    const rows = filterAwards(awards, state);
    page.rows = rows;
    const query = stateQuery(state);
    if (push) history.replaceState(null, "", query ? `/funding?${query}` : "/funding");
    const download = stateQuery(state, { page: false });
    $("#csv").href = `/api/funding?${download ? `${download}&` : ""}format=csv`;
    $("#json").href = `/api/funding${download ? `?${download}` : ""}`;
    setStatus(summary(awards, rows));
    page.sankey = drawSankey($("#sankey"), $("#sankey-legend"), awards, rows, state.width);
    widthOptions(page.sankey.measure, state.width);
    page.coverage = drawCharts($("#charts"), awards, rows);
    table.show(awards, rows, state.sort, state.desc);
    page.timings.apply = performance.now() - t;
  }

  buildControls(awards, state, apply);
  apply({ push: false });
  page.timings.build = performance.now() - t0;
  requestAnimationFrame(() => {
    page.timings.firstPaint = performance.now();
    page.ready = true;
    document.body.dataset.ready = "true";
  });
  window.addEventListener("resize", () => {
    page.sankey = drawSankey($("#sankey"), $("#sankey-legend"), awards, page.rows, state.width);
  });
}

/** Every shown row with the CSV's columns, as the page holds them (tests compare with the CSV). */
page.shownRows = () => Array.from(page.rows, (i) => Object.fromEntries(page.awards.columns.map((c) => [c, page.awards.value(c, i)])));
/** Every shown row's cell texts, as the table draws them. */
page.shownTexts = () => Array.from(page.rows, (i) => rowTexts(page.awards, i));

main();
