// Redrawing after a change, and the text around the drawing: the status line (counts, ego
// network, path), the message box and the list of the largest nodes.
import { edgeReducer, nodeReducer } from "./reducers.js";
import { computeVisible } from "./filters.js";
import { selectNode } from "./selection.js";
import { app } from "./state.js";
import { renderLegend } from "./styling.js";
import { $, el, formatNumber, setChildren } from "./util.js";

/**
 * Redraw now. The first drawing of a network runs without reducers (everything is shown as
 * is, which saves a call per node and edge); they are installed on the first change. The
 * refresh is synchronous so that display data (positions for the camera, exports) are current.
 */
export function redraw() {
  if (!app.renderer) return;
  if (!app.reducersOn) {
    app.reducersOn = true;
    app.renderer.setSetting("nodeReducer", nodeReducer);
    app.renderer.setSetting("edgeReducer", edgeReducer);
  }
  app.renderer.refresh();
}

export function refresh() {
  computeVisible();
  redraw();
  refreshPanels();
}

export function refreshPanels() {
  renderLegend();
  renderStatus();
  renderTopNodes();
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
  const top = [...app.visibleNodes]
    .map((id) => [id, Number(app.graph.getNodeAttribute(id, key)) || 0])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15);
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
