// Filters: the controls (countries, kinds, relation types, funder or programme, years, minimum
// degree) and computeVisible(), which turns them and the ego-network focus into the sets of
// visible nodes and edges that the reducers draw.
import { app } from "./state.js";
import { attrValue, valueLabel } from "./styling.js";
import { egoNodes, fundingCascade, kCore, largestComponent } from "./traversal.js";
import { $, el, setChildren } from "./util.js";

export function buildFilterControls() {
  const g = app.graph;
  const years = app.data.meta.years;
  const from = $("#year-from");
  const to = $("#year-to");
  for (const input of [from, to]) {
    input.disabled = !years;
    input.min = years ? years[0] : 0;
    input.max = years ? years[1] : 0;
  }
  const f = app.filters;
  from.value = years ? f.from : 0;
  to.value = years ? f.to : 0;
  $("#year-from-out").textContent = years ? f.from : "–";
  $("#year-to-out").textContent = years ? f.to : "–";
  $("#undated").checked = f.undated;
  $("#min-degree").value = f.minDegree;
  $("#k-core").value = f.kcore || 0;
  $("#largest").checked = !!f.largest;

  const count = (values) => {
    const m = new Map();
    for (const v of values) m.set(v, (m.get(v) || 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const checks = (box, key, entries, labelOf) => {
    setChildren(box, 
      ...entries.map(([value, n]) =>
        el("label", { class: "check" }, el("input", { type: "checkbox", checked: !app.filters[key].has(value), value, dataset: { filter: key } }), ` ${labelOf(value)} `, el("span", { class: "count" }, `(${n})`)),
      ),
    );
  };
  checks($("#country-filter .checks"), "countries", count(g.mapNodes((_, a) => attrValue(a, "country"))), (v) => valueLabel("country", v));
  checks($("#kind-filter .checks"), "kinds", count(g.mapNodes((_, a) => attrValue(a, "kind"))), (v) => valueLabel("kind", v));
  checks($("#relation-filter .checks"), "relations", count(g.mapEdges((_, a) => a.relation || "relation")), (v) => v);

  // Funders and programmes: sources of funding edges.
  const funders = new Map();
  g.forEachEdge((e, a, s) => {
    if (a.relation === "funding") funders.set(s, (funders.get(s) || 0) + 1);
  });
  const select = $("#funder");
  select.replaceChildren(
    el("option", { value: "" }, "any"),
    ...[...funders.entries()]
      .sort((a, b) => g.getNodeAttribute(a[0], "label").localeCompare(g.getNodeAttribute(b[0], "label")))
      .map(([id, n]) => el("option", { value: id }, `${g.getNodeAttribute(id, "label")} (${n})`)),
  );
  select.disabled = funders.size === 0;
  select.value = f.funder && funders.has(f.funder) ? f.funder : "";
}

/**
 * How many of the relations the other filters leave state a period: the year filter can only
 * speak for those, and the note says so when most state none.
 */
export function renderYearsCoverage() {
  const years = app.data.meta.years;
  const { dated } = app.edgeStats;
  const total = app.visibleEdges.size;
  const note = $("#years-note");
  if (!years) {
    note.textContent = `No relation of this network states a period (0 of ${total.toLocaleString("en")} shown are dated): the year filter has nothing to work on.`;
    note.classList.add("warn");
    return;
  }
  const share = total ? dated / total : 0;
  const counts = `${dated.toLocaleString("en")} of ${total.toLocaleString("en")} relations shown state a period.`;
  note.textContent =
    share < 0.5
      ? `${counts} Most state none: the years filter only the dated ones${app.filters.undated ? "; the undated are kept (untick below to drop them)" : ", and the undated are hidden"}.`
      : `${counts} Relations are kept when their period overlaps the years.`;
  note.classList.toggle("warn", share < 0.5);
}

function edgeInWindow(a, f) {
  const years = app.data.meta.years;
  if (a.start == null && a.end == null) return f.undated;
  if (!years || (f.from <= years[0] && f.to >= years[1])) return true;
  const s = a.start ?? a.end;
  const e = a.end ?? a.start;
  return !(e < f.from || s > f.to);
}

export function computeVisible() {
  const g = app.graph;
  const f = app.filters;
  const years = app.data.meta.years;
  const nodeOk = new Set();
  g.forEachNode((id, a) => {
    if (f.countries.has(attrValue(a, "country"))) return;
    if (f.kinds.has(attrValue(a, "kind"))) return;
    if ((a.degree || 0) < f.minDegree) return;
    nodeOk.add(id);
  });
  const cascade = f.funder ? fundingCascade(g, f.funder) : null;
  const edgeFilterActive =
    f.relations.size > 0 || !!cascade || !f.undated || (years && (f.from > years[0] || f.to < years[1]));
  const edges = new Set();
  const touched = new Set();
  g.forEachEdge((id, a, s, t) => {
    if (!nodeOk.has(s) || !nodeOk.has(t)) return;
    if (f.relations.has(a.relation || "relation")) return;
    if (cascade && !cascade.has(id)) return;
    if (!edgeInWindow(a, f)) return;
    edges.add(id);
    touched.add(s);
    touched.add(t);
  });
  // Nodes left without any relation by an edge filter go too (as in a projected time slice).
  let nodes = edgeFilterActive ? touched : nodeOk;
  // Structure filters on what the other filters leave: the k-core, then the largest component.
  const keepOnly = (kept) => {
    for (const e of [...edges]) {
      const [s, t] = g.extremities(e);
      if (!kept.has(s) || !kept.has(t)) edges.delete(e);
    }
    return kept;
  };
  if (f.kcore > 0) nodes = keepOnly(kCore(g, nodes, edges, f.kcore));
  if (f.largest) nodes = keepOnly(largestComponent(g, nodes, edges));
  if (app.focus && g.hasNode(app.focus.node)) {
    const reached = egoNodes(g, edges, app.focus.node, app.focus.hops);
    nodes = reached;
    for (const e of [...edges]) {
      const [s, t] = g.extremities(e);
      if (!reached.has(s) || !reached.has(t)) edges.delete(e);
    }
  }
  app.visibleNodes = nodes;
  app.visibleEdges = edges;
  // Counts the legend and the years note need, taken here rather than in two more passes.
  const relations = new Map();
  let dated = 0;
  for (const e of edges) {
    const a = g.getEdgeAttributes(e);
    const r = a.relation || "relation";
    relations.set(r, (relations.get(r) || 0) + 1);
    if (a.start != null || a.end != null) dated += 1;
  }
  app.edgeStats = { relations, dated };
  app.neighbours = new Set();
  if (app.selected && g.hasNode(app.selected)) {
    g.forEachEdge(app.selected, (e, a, s, t) => {
      if (edges.has(e)) app.neighbours.add(s === app.selected ? t : s);
    });
  }
}
