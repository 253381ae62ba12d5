// A chart view for YASR (the SPARQL editor's results): a bar chart of the numeric columns of a
// SELECT answer against its first non-numeric column, drawn with Chart.js (bundled from npm).
// YASR's own chart plugin is not part of the open-source YASGUI, so this small plugin follows
// YASR's plugin interface (canHandleResults, draw, getIcon, download) around Chart.js.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip } from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const XSD = "http://www.w3.org/2001/XMLSchema#";
const NUMERIC = new Set(
  ["integer", "decimal", "double", "float", "int", "long", "short", "byte", "nonNegativeInteger",
   "positiveInteger", "negativeInteger", "nonPositiveInteger", "unsignedInt", "unsignedLong",
   "unsignedShort", "unsignedByte"].map((t) => XSD + t),
);
/** At most this many bars: a longer answer is cut, and the chart says so. */
export const MAX_BARS = 60;
const COLOURS = ["#0b5cad", "#d9730d", "#2e7d32", "#8e24aa"];

/** The columns whose every bound value is a number literal (at least one bound). */
export function numericColumns(variables, bindings) {
  return variables.filter((v) => {
    let bound = 0;
    for (const row of bindings) {
      const term = row[v];
      if (!term) continue;
      if (term.type !== "literal" && term.type !== "typed-literal") return false;
      if (!NUMERIC.has(term.datatype) || !Number.isFinite(Number(term.value))) return false;
      bound += 1;
    }
    return bound > 0;
  });
}

/** Short text of a term for an axis label: the local name of an IRI, a literal's value. */
function termLabel(term) {
  if (!term) return "–";
  if (term.type === "uri") return term.value.replace(/^.*[/#]/, "") || term.value;
  return term.value;
}

export class ChartPlugin {
  constructor(yasr) {
    this.yasr = yasr;
    this.label = "Chart";
    this.priority = 1; // below the table: the table stays the default view
    this.chart = null;
  }

  canHandleResults() {
    const results = this.yasr.results;
    if (!results || !results.getBindings || results.getType?.() !== "json") return false;
    const bindings = results.getBindings() || [];
    return bindings.length > 0 && numericColumns(results.getVariables() || [], bindings).length > 0;
  }

  getIcon() {
    const icon = document.createElement("span");
    icon.textContent = "▮▮";
    icon.setAttribute("aria-hidden", "true");
    return icon;
  }

  draw() {
    const results = this.yasr.results;
    const variables = results.getVariables();
    const bindings = results.getBindings();
    const numeric = numericColumns(variables, bindings).slice(0, COLOURS.length);
    const labelColumn = variables.find((v) => !numeric.includes(v));
    const rows = bindings.slice(0, MAX_BARS);
    const wrap = document.createElement("div");
    wrap.className = "kg-chart";
    const note = document.createElement("p");
    note.className = "kg-chart-note";
    note.textContent =
      `${numeric.join(", ")} by ${labelColumn || "row"}` +
      (bindings.length > rows.length ? ` · first ${rows.length} of ${bindings.length} rows` : ` · ${rows.length} rows`);
    const box = document.createElement("div");
    box.className = "kg-chart-canvas";
    box.style.height = `${Math.max(260, Math.min(640, rows.length * 22 + 80))}px`;
    const canvas = document.createElement("canvas");
    box.append(canvas);
    wrap.append(note, box);
    this.yasr.resultsEl.append(wrap);
    this.canvas = canvas;
    this.chart = new Chart(canvas, {
      type: "bar",
      data: {
        labels: rows.map((r, i) => (labelColumn ? termLabel(r[labelColumn]) : String(i + 1))),
        datasets: numeric.map((v, i) => ({
          label: v,
          data: rows.map((r) => (r[v] ? Number(r[v].value) : null)),
          backgroundColor: COLOURS[i],
        })),
      },
      options: {
        indexAxis: "y",
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: numeric.length > 1 } },
        scales: { x: { beginAtZero: true } },
      },
    });
  }

  download() {
    const canvas = this.canvas;
    if (!canvas) return undefined;
    return {
      getData: () => canvas.toDataURL("image/png"),
      contentType: "image/png",
      filename: "chart.png",
      title: "Download the chart (PNG)",
    };
  }

  destroy() {
    this.chart?.destroy();
    this.chart = null;
  }
}
