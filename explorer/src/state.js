// The explorer's state: the one `app` object that the modules read and change, the default
// filters, the limits and lists that several modules share, and window.__explorer (read-only
// views of the state for the browser tests and the benchmark).
import { $ } from "./util.js";

/**
 * Above this many edges the drawing switches to the lightest WebGL programs (1-pixel lines
 * without arrowheads, square points): without a GPU (software WebGL, as in headless Chromium)
 * every redraw of 50,000 arrow edges takes seconds; thin lines cost a fraction of that, and
 * arrowheads are unreadable at that density anyway.
 */
export const LIGHT_DRAWING_ABOVE = 8_000;
export const ROLES = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"];

export const app = {
  networks: [],
  data: null,
  graph: null,
  renderer: null,
  colourBy: "kind",
  groupPositions: false, // typology positions stated for a group, drawn as rings
  drawnLabels: [],
  drawnRings: [],
  sizeBy: "degree",
  brokerageGroup: "kind",
  scale: null,
  filters: null,
  focus: null, // {node, hops}
  path: null, // {nodes: Set, edges: Set, steps: [...]}
  selected: null,
  hovered: null,
  visibleNodes: new Set(),
  visibleEdges: new Set(),
  neighbours: new Set(),
  loadToken: 0,
};
// For the browser tests and the benchmark: read-only views of the state.
window.__explorer = {
  get network() {
    return app.data && app.data.name;
  },
  get ready() {
    return !!app.renderer && !app.loading;
  },
  get selected() {
    return app.selected;
  },
  get visibleNodeCount() {
    return app.visibleNodes.size;
  },
  get visibleEdgeCount() {
    return app.visibleEdges.size;
  },
  get cameraRatio() {
    return app.renderer ? app.renderer.getCamera().getState().ratio : null;
  },
  get timings() {
    return app.timings;
  },
  get lastChange() {
    return app.lastChange;
  },
  get renderer() {
    return app.renderer;
  },
  get renders() {
    return app.renders;
  },
  get colourBy() {
    return app.colourBy;
  },
  get sizeBy() {
    return app.sizeBy;
  },
  get drawnLabels() {
    return app.drawnLabels.map(({ id, label, box, anchor }) => ({ id, label, anchor, box: { ...box } }));
  },
  get drawnRings() {
    return app.drawnRings.map((r) => ({ ...r }));
  },
  get camera() {
    return app.renderer ? { ...app.renderer.getCamera().getState() } : null;
  },
  visibleViewportBox() {
    let box = null;
    for (const id of app.visibleNodes) {
      const d = app.renderer.getNodeDisplayData(id);
      if (!d) continue;
      const p = app.renderer.framedGraphToViewport(d);
      box = box ? { x0: Math.min(box.x0, p.x), y0: Math.min(box.y0, p.y), x1: Math.max(box.x1, p.x), y1: Math.max(box.y1, p.y) } : { x0: p.x, y0: p.y, x1: p.x, y1: p.y };
    }
    const { width, height } = app.renderer.getDimensions();
    return { ...box, width, height };
  },
  nodeColour(id) {
    return app.graph.getNodeAttribute(id, "color");
  },
  nodeViewportPosition(id) {
    const d = app.renderer && app.renderer.getNodeDisplayData(id);
    if (!d) return null;
    const p = app.renderer.framedGraphToViewport(d);
    const box = $("#graph").getBoundingClientRect();
    return { x: box.left + p.x, y: box.top + p.y };
  },
  findNode(text) {
    const t = text.toLowerCase();
    return app.graph ? app.graph.findNode((id, a) => a.label.toLowerCase() === t || a.ref === text) : null;
  },
};

export function defaultFilters() {
  const years = app.data && app.data.meta.years;
  return {
    countries: new Set(), // excluded values
    kinds: new Set(),
    relations: new Set(),
    funder: "",
    from: years ? years[0] : null,
    to: years ? years[1] : null,
    undated: true,
    minDegree: 0,
    kcore: 0,
    largest: false,
  };
}
