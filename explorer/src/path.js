// The path box: the two ends (picked in the panel or the path box's comboboxes) and the shortest
// path between them over the edges on screen, highlighted by the reducers and listed step by step.
import { computeVisible } from "./filters.js";
import { directedPhrase } from "./panel.js";
import { refresh } from "./refresh.js";
import { fitTo, selectNode } from "./selection.js";
import { app } from "./state.js";
import { undirectedPath } from "./traversal.js";
import { $, el, setChildren } from "./util.js";

export const pathEnds = { from: null, to: null };

export function setPathEnd(which, id) {
  pathEnds[which] = id;
  const input = $(which === "from" ? "#path-from" : "#path-to");
  input.value = app.graph.getNodeAttribute(id, "label");
  input.dataset.value = id;
  $("#path-box").open = true;
  if (pathEnds.from && pathEnds.to) findPath();
}

/** Shortest path ignoring direction, over the edges on screen (graphology-shortest-path). */
export function findPath() {
  const g = app.graph;
  const from = $("#path-from").dataset.value || pathEnds.from;
  const to = $("#path-to").dataset.value || pathEnds.to;
  const result = $("#path-result");
  if (!from || !to || !g.hasNode(from) || !g.hasNode(to)) {
    result.replaceChildren(el("li", { class: "muted" }, "Pick both organisations from the suggestions."));
    return;
  }
  app.focus = null;
  computeVisible();
  const found = undirectedPath(g, app.visibleEdges, from, to);
  if (!found) {
    app.path = null;
    refresh();
    result.replaceChildren(el("li", { class: "muted" }, `No path between ${g.getNodeAttribute(from, "label")} and ${g.getNodeAttribute(to, "label")} in the current view.`));
    return;
  }
  const { steps, edges } = found;
  app.path = { nodes: new Set(steps), edges: new Set(edges), steps };
  refresh();
  // One line per step, in the direction each relation runs: "Government of Luxembourg →
  // funds → ASTI", whichever way the path walks it.
  const link = (id) => el("button", { type: "button", class: "linklike", onclick: () => selectNode(id, { zoom: true }) }, g.getNodeAttribute(id, "label"));
  result.replaceChildren(
    ...edges.map((e) => {
      const [s, t] = g.extremities(e);
      return el("li", { class: "relation-row" }, ...directedPhrase(s, t, g.getEdgeAttribute(e, "relation"), g.isUndirected(e), link));
    }),
  );
  fitTo(steps);
}

export function clearPath() {
  app.path = null;
  pathEnds.from = pathEnds.to = null;
  for (const id of ["#path-from", "#path-to"]) {
    $(id).value = "";
    delete $(id).dataset.value;
  }
  setChildren($("#path-result"));
  refresh();
}
