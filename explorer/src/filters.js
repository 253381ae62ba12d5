// Filters: the controls (countries, kinds, relation types, funder or programme, years, minimum
// degree) and computeVisible(), which turns them and the ego-network focus into the sets of
// visible nodes and edges that the reducers draw.
import { app } from "./state.js";
import { attrValue, valueLabel } from "./styling.js";
import { egoNodes, fundingCascade } from "./traversal.js";
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
  from.value = years ? years[0] : 0;
  to.value = years ? years[1] : 0;
  $("#year-from-out").textContent = years ? years[0] : "–";
  $("#year-to-out").textContent = years ? years[1] : "–";
  $("#undated").checked = true;
  $("#years-note").textContent = years
    ? "Awards, memberships and partnerships are kept when their period overlaps the years."
    : "No relation of this network states a period.";
  $("#min-degree").value = app.filters.minDegree;

  const count = (values) => {
    const m = new Map();
    for (const v of values) m.set(v, (m.get(v) || 0) + 1);
    return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  };
  const checks = (box, key, entries, labelOf) => {
    setChildren(box, 
      ...entries.map(([value, n]) =>
        el("label", { class: "check" }, el("input", { type: "checkbox", checked: true, value, dataset: { filter: key } }), ` ${labelOf(value)} `, el("span", { class: "count" }, `(${n})`)),
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
  app.neighbours = new Set();
  if (app.selected && g.hasNode(app.selected)) {
    g.forEachEdge(app.selected, (e, a, s, t) => {
      if (edges.has(e)) app.neighbours.add(s === app.selected ? t : s);
    });
  }
}
