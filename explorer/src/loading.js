// Loading a network: the list of networks, GET /api/networks/{name} into a graphology graph, and
// a sigma renderer over it (lighter WebGL programs for large networks).
import Graph from "graphology";
import Sigma from "sigma";
import { EdgeLineProgram, NodePointProgram } from "sigma/rendering";

import { DEFAULT_EDGE_COLOUR, RELATION_COLOURS } from "./palette.js";
import { buildFilterControls, computeVisible } from "./filters.js";
import { edgeReducer, nodeReducer } from "./reducers.js";
import { refreshPanels, setMessage } from "./refresh.js";
import { fitVisible, selectNode, updateURL } from "./selection.js";
import { readView } from "./viewstate.js";
import { LIGHT_DRAWING_ABOVE, app, defaultFilters } from "./state.js";
import { applyColours, applySizes } from "./styling.js";
import { $, el, fetchJSON } from "./util.js";
import { bindRendererEvents } from "./wiring.js";
import { LABEL_FONT, bindLabelLayer } from "./labels.js";

/** Above this many visible nodes the page opens with a minimum degree (and says so). */
const OPEN_FILTERED_ABOVE = 10_000;

export async function loadNetworks() {
  const params = new URLSearchParams(location.search);
  const wanted = params.get("network") || "funding";
  // The page's inline script asked for the network already; the drawing does not wait for
  // the list of networks.
  const request = window.__networkRequest || fetch(`/api/networks/${encodeURIComponent(wanted)}`);
  const early = request.then((res) => (res.ok ? res.json() : null)).catch(() => null);
  app.networks = await fetchJSON("/api/networks");
  const select = $("#network");
  select.replaceChildren(...app.networks.map((n) => el("option", { value: n.name }, n.title)));
  const first = app.networks.find((n) => n.name === wanted) || app.networks.find((n) => n.name === "funding") || app.networks[0];
  select.value = first.name;
  await loadNetwork(first.name, { view: first.name === wanted ? params : null, prefetched: first.name === wanted ? early : null });
}

/** Load network `name`; `view` (URLSearchParams, viewstate.js) restores a view of it. */
export async function loadNetwork(name, { view = null, prefetched = null } = {}) {
  const token = ++app.loadToken;
  app.loading = true;
  delete document.body.dataset.ready;
  const t0 = performance.now();
  $("#status").textContent = `Loading ${name}…`;
  let data;
  try {
    data = (prefetched && (await prefetched)) || (await fetchJSON(`/api/networks/${encodeURIComponent(name)}`));
  } catch (err) {
    app.loading = false;
    setMessage(`Could not load the network: ${err.message}`);
    $("#status").textContent = "";
    return;
  }
  if (token !== app.loadToken) return; // the user picked another network meanwhile
  const t1 = performance.now();
  const info = app.networks.find((n) => n.name === name);
  $("#network-description").textContent = (info && info.description) || data.description || "";
  app.data = data;
  app.graph = buildGraph(data);
  app.filters = defaultFilters();
  app.focus = null;
  app.path = null;
  app.selected = null;
  app.hovered = null;
  const restored = view ? readView(view) : null;
  if (!view) {
    app.colourBy = $("#colour-by").value;
    app.sizeBy = $("#size-by").value;
  }
  if (restored && restored.ego) app.focus = restored.ego;
  const messages = [data.message];
  if (data.nodes.length > OPEN_FILTERED_ABOVE && !(view && view.has("min-degree"))) {
    app.filters.minDegree = minDegreeFor(OPEN_FILTERED_ABOVE);
    messages.push(
      `${data.nodes.length.toLocaleString("en")} nodes are too many for one view: showing nodes with degree ≥ ${app.filters.minDegree}. ` +
        "Lower the minimum degree under Filters to see more.",
    );
  }
  applyColours();
  applySizes();
  computeVisible();
  const t2 = performance.now();
  if (app.renderer) app.renderer.kill();
  const light = app.graph.size > LIGHT_DRAWING_ABOVE;
  if (light) messages.push("Large network: edges are drawn as thin lines without arrowheads.");
  setMessage(messages.filter(Boolean).join(" "));
  app.reducersOn = app.visibleNodes.size < app.graph.order || app.visibleEdges.size < app.graph.size;
  app.renderer = new Sigma(app.graph, $("#graph"), {
    // Always installed (setSetting later would re-index the whole graph twice); they pass
    // everything through until the first change turns app.reducersOn on.
    nodeReducer,
    edgeReducer,
    ...(light
      ? {
          nodeProgramClasses: { circle: NodePointProgram },
          edgeProgramClasses: { arrow: EdgeLineProgram, line: EdgeLineProgram },
        }
      : {}),
    zIndex: !light,
    // labels.js draws the labels (without overlaps); sigma's hover labels use the same font.
    renderLabels: false,
    labelSize: LABEL_FONT.size,
    labelFont: LABEL_FONT.family,
    defaultEdgeType: data.directed ? "arrow" : "line",
    minCameraRatio: 0.02,
    maxCameraRatio: 5,
    // Thousands of edges redrawn while dragging would make panning stutter.
    hideEdgesOnMove: app.graph.size > 20_000,
  });
  const tSigma = performance.now();
  app.renders = 1;
  app.renderer.on("afterRender", () => (app.renders += 1));
  bindLabelLayer(app.renderer);
  bindRendererEvents();
  // The controls, legend and lists are built right after the drawing is handed over.
  const controls = new Promise((resolve) =>
    setTimeout(() => {
      if (token === app.loadToken) {
        buildFilterControls();
        refreshPanels();
      }
      resolve();
    }, 0),
  );
  app.loading = false;
  // Sigma draws on creation; the first frame is on screen when the frame after it starts
  // (the canvas has been committed by then, GPU work included). firstPaint counts from the
  // navigation (performance.now()'s origin).
  const painted = new Promise((resolve) =>
    requestAnimationFrame(() =>
      requestAnimationFrame(() => {
        const t3 = performance.now();
        app.timings = {
          fetch: t1 - t0,
          build: t2 - t1,
          sigma: tSigma - t2,
          render: t3 - t2,
          total: t3 - t0,
          start: t0,
          firstPaint: t3,
        };
        resolve();
      }),
    ),
  );
  Promise.all([controls, painted]).then(() => {
    if (token !== app.loadToken) return;
    // The first frame was drawn before the label layer listened: draw the labels now.
    app.renderer.refresh({ partialGraph: { nodes: [], edges: [] }, skipIndexation: true });
    document.body.dataset.ready = "true";
  });
  const filtered = app.visibleNodes.size < app.graph.order;
  if (restored && restored.focus) selectNode(restored.focus, { zoom: !restored.camera });
  if (restored && restored.camera) app.renderer.getCamera().setState(restored.camera);
  else if (filtered && !(restored && restored.focus)) fitVisible({ duration: 0 });
  updateURL();
}

function buildGraph(data) {
  // A simple graph where the projection is one (graphology's multi graphs index more).
  const mixed = data.edges.some((e) => e.undirected) && data.directed;
  const type = mixed ? "mixed" : data.directed ? "directed" : "undirected";
  const g = new Graph({ type, multi: !!data.multi, allowSelfLoops: false });
  for (const n of data.nodes) {
    // sigma reads `type` as the node's drawing program: keep the projection's type as `ntype`.
    const { id, type, ...attrs } = n;
    g.addNode(id, { ...attrs, ntype: type, label: attrs.label || attrs.ref || id });
  }
  for (const e of data.edges) {
    if (!g.hasNode(e.source) || !g.hasNode(e.target) || e.source === e.target) continue;
    const { id, source, target, undirected, ...attrs } = e;
    const colour = RELATION_COLOURS[attrs.relation] || DEFAULT_EDGE_COLOUR;
    const size = 1 + Math.min(3, Math.log2(1 + (attrs.weight || 1)) * 0.8);
    attrs.color = colour;
    attrs.size = size;
    if (undirected || !data.directed) {
      attrs.type = "line";
      g.addUndirectedEdgeWithKey(id, source, target, attrs);
    } else {
      attrs.type = "arrow";
      g.addDirectedEdgeWithKey(id, source, target, attrs);
    }
  }
  return g;
}

function minDegreeFor(limit) {
  const degrees = app.graph.mapNodes((_, a) => a.degree || 0).sort((a, b) => b - a);
  return degrees.length > limit ? Math.max(1, degrees[limit - 1] + 1) : 0;
}
