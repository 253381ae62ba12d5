// Redrawing after a change, and the text around the drawing: the status line (counts, ego
// network, path), the message box and the list of the largest nodes.
import { computeVisible, renderYearsCoverage } from "./filters.js";
import { fitVisible, selectNode, updateURL } from "./selection.js";
import { app } from "./state.js";
import { renderLegend } from "./styling.js";
import { $, el, formatNumber, setChildren } from "./util.js";

/**
 * Redraw now. The reducers pass everything through until the first change (the first drawing
 * shows everything as is, which is what they would draw then, so even the first change may be
 * partial). The refresh is synchronous so that display data (positions for the camera,
 * exports) are current.
 *
 * `changed` ({nodes, edges}: arrays of keys) limits the work to the nodes and edges whose
 * drawing changed (a filter hides or shows some; a colour change touches the nodes only):
 * sigma then rewrites only their part of the WebGL buffers instead of reprocessing 50,000 edges.
 */
export function redraw(changed = null) {
  if (!app.renderer) return;
  app.reducersOn = true;
  if (changed) app.renderer.refresh({ partialGraph: changed, skipIndexation: true });
  else app.renderer.refresh();
}

function difference(before, after) {
  const out = [];
  for (const k of before) if (!after.has(k)) out.push(k);
  for (const k of after) if (!before.has(k)) out.push(k);
  return out;
}

/**
 * Recompute what is visible and redraw. `filtersOnly`: only the filters changed (not the
 * selection, focus or path), so only the nodes and edges that appear or disappear are redrawn.
 * `fit`: fit the camera to what is left visible.
 */
export function refresh({ filtersOnly = false, fit = false } = {}) {
  const t0 = performance.now();
  const nodesBefore = app.visibleNodes;
  const edgesBefore = app.visibleEdges;
  computeVisible();
  const t1 = performance.now();
  let changed = null;
  if (filtersOnly && !app.selected && !app.path) {
    const nodes = difference(nodesBefore, app.visibleNodes);
    const edges = difference(edgesBefore, app.visibleEdges);
    if (nodes.length + edges.length < (app.graph.order + app.graph.size) / 4) changed = { nodes, edges };
  }
  // The camera first: its own redraw is then folded into the one below.
  if (fit) fitVisible({ duration: 300 });
  const t2 = performance.now();
  redraw(changed);
  const t3 = performance.now();
  refreshPanels();
  updateURL();
  // For the benchmark: where the main thread spent the last change.
  app.lastChange = { visible: t1 - t0, fit: t2 - t1, redraw: t3 - t2, panels: performance.now() - t3, partial: !!changed };
}

export function refreshPanels() {
  renderLegend();
  renderStatus();
  renderTopNodes();
  renderYearsCoverage();
}

function renderStatus() {
  const g = app.graph;
  $("#status").textContent =
    `${app.visibleNodes.size.toLocaleString("en")} of ${g.order.toLocaleString("en")} nodes, ` +
    `${app.visibleEdges.size.toLocaleString("en")} of ${g.size.toLocaleString("en")} edges shown`;
  const parts = [];
  if (app.focus) parts.push(`Ego network of ${g.getNodeAttribute(app.focus.node, "label")} (${app.focus.hops} hop${app.focus.hops > 1 ? "s" : ""})`);
  if (app.path) parts.push(`Path highlighted: ${app.path.steps.length - 1} step(s)`);
  $("#focus-status").textContent = parts.join(" · ");
  $("#clear-focus").hidden = !app.focus && !app.path;
}

function renderTopNodes() {
  const key = app.sizeBy === "uniform" ? "degree" : app.sizeBy;
  // The 15 largest in one pass (sorting 10,000 nodes on every change would cost more).
  const top = [];
  for (const id of app.visibleNodes) {
    const v = Number(app.graph.getNodeAttribute(id, key)) || 0;
    if (top.length === 15 && v <= top[14][1]) continue;
    top.push([id, v]);
    top.sort((a, b) => b[1] - a[1]);
    if (top.length > 15) top.pop();
  }
  setChildren($("#top-nodes"), 
    ...top.map(([id, v]) =>
      el("li", {}, el("button", { type: "button", class: "linklike", onclick: () => selectNode(id, { zoom: true }) }, app.graph.getNodeAttribute(id, "label")), ` ${formatNumber(v)}`),
    ),
  );
}

export function setMessage(text) {
  const box = $("#message");
  box.textContent = text || "";
  box.hidden = !text;
}
