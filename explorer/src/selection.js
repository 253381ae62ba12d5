// Selection and focus: selecting a node (zooming to it), the ego network around it, fitting the
// camera to a set of nodes, and the page URL (?network=…&focus=…) that follows them.
import { buildFilterControls } from "./filters.js";
import { renderPanel } from "./panel.js";
import { refresh, setMessage } from "./refresh.js";
import { app, defaultFilters } from "./state.js";
import { $, el, setChildren } from "./util.js";

export function fitTo(ids, { duration = 400 } = {}) {
  const r = app.renderer;
  if (!r || !ids.length) return;
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const id of ids) {
    const d = r.getNodeDisplayData(id);
    if (!d) continue;
    minX = Math.min(minX, d.x);
    maxX = Math.max(maxX, d.x);
    minY = Math.min(minY, d.y);
    maxY = Math.max(maxY, d.y);
  }
  if (!Number.isFinite(minX)) return;
  // Display coordinates span about 1 at ratio 1; leave a margin, never zoom in past 0.12.
  const ratio = Math.min(1.2, Math.max(0.12, Math.max(maxX - minX, maxY - minY) * 1.6));
  r.getCamera().animate({ x: (minX + maxX) / 2, y: (minY + maxY) / 2, ratio }, { duration });
}

export function selectNode(id, { zoom = false } = {}) {
  if (!app.graph.hasNode(id)) return;
  if (!app.visibleNodes.has(id)) {
    // Picked by search or a link while hidden: show it by dropping the filters and focus.
    app.filters = defaultFilters();
    app.focus = null;
    buildFilterControls();
    setMessage(`Filters were reset to show ${app.graph.getNodeAttribute(id, "label")}.`);
  }
  app.selected = id;
  refresh();
  renderPanel(id);
  if (zoom) {
    const d = app.renderer.getNodeDisplayData(id);
    if (d) app.renderer.getCamera().animate({ x: d.x, y: d.y, ratio: 0.25 }, { duration: 500 });
  }
  updateURL();
}

export function clearSelection() {
  app.selected = null;
  refresh();
  setChildren($("#panel"), el("p", { class: "muted" }, "Click a node, or find an organisation by name, to see its names, relations with their quotes and sources, and metrics."));
  updateURL();
}

export function setFocus(id, hops) {
  app.focus = { node: id, hops };
  app.path = null;
  refresh();
  fitTo([...app.visibleNodes]);
}

export function clearFocus() {
  app.focus = null;
  app.path = null;
  setChildren($("#path-result"), );
  refresh();
  app.renderer.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: 400 });
}

export function updateURL() {
  const params = new URLSearchParams();
  if (app.data) params.set("network", app.data.name);
  if (app.selected) params.set("focus", app.graph.getNodeAttribute(app.selected, "ref") || app.selected);
  history.replaceState(null, "", `${location.pathname}?${params}`);
}
