// The network explorer at /: sigma.js (WebGL) over a graphology graph whose positions and
// metrics come precomputed from /api/networks/{name} (seeded layout: the page does no physics
// and never freezes). Filters, ego networks and paths only change what the reducers hide.
import Graph from "graphology";
import Sigma from "sigma";
import { EdgeLineProgram, NodePointProgram } from "sigma/rendering";

import { combobox } from "./combobox.js";
import { toCSVEdges, toCSVNodes, toGEXF, toGraphML, toPNG, toSVG } from "./exporters.js";
import {
  DEFAULT_EDGE_COLOUR,
  MISSING_COLOUR,
  MISSING_VALUES,
  OTHER_COLOUR,
  RELATION_COLOURS,
  colourScale,
} from "./palette.js";
import { $, download, el, fetchJSON, formatNumber, orgHref, period, quoteBlock, setChildren } from "./util.js";

const FADED_NODE = "#E8E8E8";
const FADED_EDGE = "#F0F0F0";
const MIN_SIZE = 3;
const MAX_SIZE = 18;
/** Above this many visible nodes the page opens with a minimum degree (and says so). */
const OPEN_FILTERED_ABOVE = 10_000;
/**
 * Above this many edges the drawing switches to the lightest WebGL programs (1-pixel lines
 * without arrowheads, square points): without a GPU (software WebGL, as in headless Chromium)
 * every redraw of 50,000 arrow edges takes seconds; thin lines cost a fraction of that, and
 * arrowheads are unreadable at that density anyway.
 */
const LIGHT_DRAWING_ABOVE = 8_000;
const ROLES = ["coordinator", "itinerant", "representative", "gatekeeper", "liaison", "total"];
const ATTR_TITLES = { kind: "Kind", country: "Country", position: "Typology position" };

const app = {
  networks: [],
  data: null,
  graph: null,
  renderer: null,
  colourBy: "kind",
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
  get renderer() {
    return app.renderer;
  },
  get renders() {
    return app.renders;
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

function defaultFilters() {
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
  };
}

// ------------------------------------------------------------------------------------------
// Loading a network

async function loadNetworks() {
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
  await loadNetwork(first.name, { focus: params.get("focus"), prefetched: first.name === wanted ? early : null });
}

function setMessage(text) {
  const box = $("#message");
  box.textContent = text || "";
  box.hidden = !text;
}

async function loadNetwork(name, { focus = null, prefetched = null } = {}) {
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
  const messages = [data.message];
  if (data.nodes.length > OPEN_FILTERED_ABOVE) {
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
    nodeReducer: app.reducersOn ? nodeReducer : null,
    edgeReducer: app.reducersOn ? edgeReducer : null,
    ...(light
      ? {
          nodeProgramClasses: { circle: NodePointProgram },
          edgeProgramClasses: { arrow: EdgeLineProgram, line: EdgeLineProgram },
        }
      : {}),
    zIndex: !light,
    labelRenderedSizeThreshold: 7,
    labelDensity: 0.6,
    labelFont: "Arial, Helvetica, sans-serif",
    defaultEdgeType: data.directed ? "arrow" : "line",
    minCameraRatio: 0.02,
    maxCameraRatio: 5,
    // Thousands of edges redrawn while dragging would make panning stutter.
    hideEdgesOnMove: app.graph.size > 20_000,
  });
  const tSigma = performance.now();
  app.renders = 1;
  app.renderer.on("afterRender", () => (app.renders += 1));
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
    if (token === app.loadToken) document.body.dataset.ready = "true";
  });
  if (focus) {
    const id = app.graph.findNode((node, a) => a.ref === focus || node === focus);
    if (id) selectNode(id, { zoom: true });
  }
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

// ------------------------------------------------------------------------------------------
// Colours, sizes, legend

function attrValue(attrs, key) {
  const v = attrs[key];
  return v === undefined || v === null || v === "" ? "-" : String(v);
}

function valueLabel(key, value) {
  if (MISSING_VALUES.has(value)) return key === "position" ? "not assessed" : "not stated";
  const labels = (app.data.meta.labels || {})[key] || {};
  if (key === "position") return value.split("|").map((v) => labels[v] || v).join(" + ");
  if (key === "country") return labels[value] ? `${labels[value]} (${value})` : value;
  return labels[value] || value;
}

// Colours and sizes are written into the attribute objects directly (no copy per node); the
// callers redraw with a full refresh afterwards, which is what graphology's events would cause.
function applyColours() {
  const key = app.colourBy;
  app.scale = colourScale(app.graph.mapNodes((_, a) => attrValue(a, key)));
  app.graph.forEachNode((_, a) => {
    a.color = app.scale.colourOf(attrValue(a, key));
  });
}

function applySizes() {
  const key = app.sizeBy;
  let max = 0;
  app.graph.forEachNode((_, a) => {
    const v = Number(a[key]) || 0;
    if (v > max) max = v;
  });
  // Smaller nodes in larger networks, so that thousands of them do not cover each other.
  const shrink = app.graph.order > 5000 ? 0.45 : app.graph.order > 1000 ? 0.7 : 1;
  const lo = MIN_SIZE * shrink;
  const hi = MAX_SIZE * shrink;
  app.graph.forEachNode((_, a) => {
    const v = key === "uniform" ? 0 : Number(a[key]) || 0;
    a.size = key === "uniform" || max <= 0 ? (lo + hi) / 3 : lo + (hi - lo) * Math.sqrt(v / max);
  });
}

function legendData() {
  const key = app.colourBy;
  const counts = new Map();
  for (const id of app.visibleNodes) {
    const v = attrValue(app.graph.getNodeAttributes(id), key);
    counts.set(v, (counts.get(v) || 0) + 1);
  }
  const nodes = [];
  let other = 0;
  let otherValues = 0;
  let missing = 0;
  for (const [value, count] of [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) {
    if (MISSING_VALUES.has(value)) missing += count;
    else if (app.scale.isOther(value)) {
      other += count;
      otherValues += 1;
    } else nodes.push({ value, label: valueLabel(key, value), colour: app.scale.colourOf(value), count });
  }
  if (other) nodes.push({ value: "__other", label: `other (${otherValues} values)`, colour: OTHER_COLOUR, count: other });
  if (missing) nodes.push({ value: "-", label: valueLabel(key, "-"), colour: MISSING_COLOUR, count: missing });
  const ecounts = new Map();
  for (const id of app.visibleEdges) {
    const r = app.graph.getEdgeAttribute(id, "relation") || "relation";
    ecounts.set(r, (ecounts.get(r) || 0) + 1);
  }
  const edges = [...ecounts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([r, count]) => ({ label: r, colour: RELATION_COLOURS[r] || DEFAULT_EDGE_COLOUR, count }));
  const sizeOption = $("#size-by").selectedOptions[0];
  const sizeNote =
    app.sizeBy === "uniform"
      ? "All nodes drawn the same size."
      : `Size: ${sizeOption ? sizeOption.textContent : app.sizeBy}${app.sizeBy.startsWith("brokerage") ? ` (groups: ${app.brokerageGroup})` : ""}.`;
  return {
    nodeTitle: ATTR_TITLES[key],
    nodes,
    edges,
    sizeNote,
    footer: `Integration knowledge graph · ${app.data.title} · ${new Date().toISOString().slice(0, 10)} · ${app.data.meta.layout}`,
  };
}

function renderLegend() {
  const legend = legendData();
  setChildren($("#legend"), 
    ...legend.nodes.map((item) =>
      el("li", { dataset: { value: item.value } }, el("span", { class: "swatch", style: `background:${item.colour}`, "aria-hidden": "true" }), `${item.label} `, el("span", { class: "count" }, `(${item.count})`)),
    ),
  );
  $("#legend-title").textContent = `Legend: ${legend.nodeTitle.toLowerCase()}`;
  setChildren($("#edge-legend"), 
    ...legend.edges.map((item) =>
      el("li", {}, el("span", { class: `edge-swatch${app.data.directed && app.graph.size <= LIGHT_DRAWING_ABOVE ? " arrow" : ""}`, style: `background:${item.colour}`, "aria-hidden": "true" }), `${item.label} `, el("span", { class: "count" }, `(${item.count})`)),
    ),
  );
  $("#size-note").textContent = `${legend.sizeNote} Metrics are computed on the whole network.`;
}

// ------------------------------------------------------------------------------------------
// Filters

function buildFilterControls() {
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

/** Edges reachable downstream from a funder or programme along funding edges (≤ 3 steps). */
function fundingCascade(source) {
  const g = app.graph;
  const edges = new Set();
  const nodes = new Set([source]);
  let frontier = [source];
  for (let depth = 0; depth < 3 && frontier.length; depth++) {
    const next = [];
    for (const n of frontier) {
      g.forEachOutEdge(n, (e, a, s, t) => {
        if (a.relation !== "funding") return;
        edges.add(e);
        if (!nodes.has(t)) {
          nodes.add(t);
          next.push(t);
        }
      });
    }
    frontier = next;
  }
  return edges;
}

function computeVisible() {
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
  const cascade = f.funder ? fundingCascade(f.funder) : null;
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
    const reached = new Set([app.focus.node]);
    let frontier = [app.focus.node];
    for (let hop = 0; hop < app.focus.hops; hop++) {
      const next = [];
      for (const n of frontier) {
        g.forEachEdge(n, (e, a, s, t) => {
          if (!edges.has(e)) return;
          const other = s === n ? t : s;
          if (!reached.has(other)) {
            reached.add(other);
            next.push(other);
          }
        });
      }
      frontier = next;
    }
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

/**
 * Redraw now. The first drawing of a network runs without reducers (everything is shown as
 * is, which saves a call per node and edge); they are installed on the first change. The
 * refresh is synchronous so that display data (positions for the camera, exports) are current.
 */
function redraw() {
  if (!app.renderer) return;
  if (!app.reducersOn) {
    app.reducersOn = true;
    app.renderer.setSetting("nodeReducer", nodeReducer);
    app.renderer.setSetting("edgeReducer", edgeReducer);
  }
  app.renderer.refresh();
}

function refresh() {
  computeVisible();
  redraw();
  refreshPanels();
}

function refreshPanels() {
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

// ------------------------------------------------------------------------------------------
// Reducers: what sigma draws

// Sigma passes the reducers a fresh copy of the attributes, so they change it in place:
// copying again for 50,000 edges on every redraw would cost more than the drawing.
function nodeReducer(id, data) {
  if (!app.visibleNodes.has(id)) {
    data.hidden = true;
    data.label = null;
    return data;
  }
  if (app.path) {
    if (app.path.nodes.has(id)) {
      data.highlighted = true;
      data.forceLabel = true;
      data.zIndex = 2;
    } else fade(data);
    return data;
  }
  if (app.selected) {
    if (id === app.selected) {
      data.highlighted = true;
      data.forceLabel = true;
      data.zIndex = 3;
    } else if (app.neighbours.has(id)) {
      data.forceLabel = app.neighbours.size <= 30;
      data.zIndex = 2;
    } else fade(data);
    return data;
  }
  return data;
}

function fade(data) {
  data.color = FADED_NODE;
  data.label = null;
  data.zIndex = 0;
}

function edgeReducer(id, data) {
  if (!app.visibleEdges.has(id)) {
    data.hidden = true;
    return data;
  }
  if (app.path) {
    if (app.path.edges.has(id)) {
      data.size = (data.size || 1) * 2.2;
      data.zIndex = 2;
    } else {
      data.color = FADED_EDGE;
      data.zIndex = 0;
    }
    return data;
  }
  if (app.selected) {
    const [s, t] = app.graph.extremities(id);
    if (s !== app.selected && t !== app.selected) {
      data.color = FADED_EDGE;
      data.zIndex = 0;
    } else {
      data.size = (data.size || 1) * 1.6;
      data.zIndex = 2;
    }
  }
  return data;
}

// ------------------------------------------------------------------------------------------
// Selection, side panel, ego network, path

function fitTo(ids, { duration = 400 } = {}) {
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

function selectNode(id, { zoom = false } = {}) {
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

function clearSelection() {
  app.selected = null;
  refresh();
  setChildren($("#panel"), el("p", { class: "muted" }, "Click a node, or find an organisation by name, to see its names, relations with their quotes and sources, and metrics."));
  updateURL();
}

function setFocus(id, hops) {
  app.focus = { node: id, hops };
  app.path = null;
  refresh();
  fitTo([...app.visibleNodes]);
}

function clearFocus() {
  app.focus = null;
  app.path = null;
  setChildren($("#path-result"), );
  refresh();
  app.renderer.getCamera().animate({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }, { duration: 400 });
}

function relationItems(id) {
  const g = app.graph;
  const items = [];
  g.forEachEdge(id, (e, a, s, t) => {
    const outgoing = s === id;
    const other = outgoing ? t : s;
    items.push({ e, a, other, outgoing, undirected: g.isUndirected(e), visible: app.visibleEdges.has(e) });
  });
  items.sort((x, y) => (x.a.relation || "").localeCompare(y.a.relation || "") || g.getNodeAttribute(x.other, "label").localeCompare(g.getNodeAttribute(y.other, "label")));
  return items;
}

function renderPanel(id) {
  const g = app.graph;
  const a = g.getNodeAttributes(id);
  const docs = app.data.meta.documents || {};
  const panel = $("#panel");
  const metricRows = [
    ["degree", a.degree],
    ["in-degree", a.in_degree],
    ["out-degree", a.out_degree],
    ["betweenness (normalised)", a.betweenness],
    ...ROLES.map((r) => [`brokerage: ${r}`, a[`brokerage_${r}`]]),
  ].filter(([, v]) => v !== undefined);
  const items = relationItems(id);
  const names = el("div", { class: "names" }, el("p", { class: "muted small" }, "Loading names…"));
  const sources = el("div", { class: "sources" });
  setChildren(panel, 
    el("div", { class: "panel-head" },
      el("h2", { id: "panel-title" }, a.label),
      el("button", { type: "button", class: "close", "aria-label": "Close the panel", onclick: clearSelection }, "×")),
    el("p", { class: "facts" },
      el("span", { class: "swatch", style: `background:${a.color}`, "aria-hidden": "true" }),
      ` ${valueLabel("kind", attrValue(a, "kind"))} · ${valueLabel("country", attrValue(a, "country"))}`),
    a.position && a.position !== "unassessed"
      ? el("p", { class: "small" }, `Typology position: ${valueLabel("position", a.position)} `, el("span", { class: "muted" }, `(assessed at ${a.position_level} level)`))
      : null,
    el("p", {}, el("a", { href: orgHref(a.ref || id), class: "org-link" }, "Open the organisation page →")),
    el("div", { class: "buttons" },
      el("button", { type: "button", onclick: () => setFocus(id, 1) }, "Ego network: 1 hop"),
      el("button", { type: "button", onclick: () => setFocus(id, 2) }, "2 hops"),
      el("button", { type: "button", onclick: () => setPathEnd("from", id) }, "Path from here"),
      el("button", { type: "button", onclick: () => setPathEnd("to", id) }, "Path to here")),
    names,
    el("h3", {}, `Relations in this network (${items.length})`),
    el("ul", { class: "relations" },
      ...items.map(({ a: ea, other, outgoing, undirected, visible }) => {
        const arrow = undirected ? "—" : outgoing ? "→" : "←";
        const when = period(ea.start, ea.end);
        const amounts = Object.keys(ea).filter((k) => k.startsWith("amount_")).map((k) => `${formatNumber(ea[k])} ${k.slice(7)}`);
        const quotes = (ea.quotes || []).map((q, i) => {
          const source = (ea.sources || [])[i];
          return quoteBlock(q, source, docs[source]);
        });
        return el("li", { class: visible ? "" : "hidden-rel" },
          el("p", {}, el("strong", {}, ea.relation || "relation"), ` ${arrow} `,
            el("button", { type: "button", class: "linklike", onclick: () => selectNode(other, { zoom: true }) }, g.getNodeAttribute(other, "label")),
            when ? el("span", { class: "muted" }, ` · ${when}`) : null,
            amounts.length ? el("span", { class: "muted" }, ` · ${amounts.join(", ")}`) : null,
            visible ? null : el("span", { class: "muted" }, " · hidden by the filters")),
          ...quotes);
      })),
    el("h3", {}, "Metrics"),
    el("table", { class: "metrics" }, el("tbody", {}, ...metricRows.map(([k, v]) => el("tr", {}, el("th", { scope: "row" }, k), el("td", {}, formatNumber(v)))))),
    el("p", { class: "muted small" }, `Brokerage roles counted with ${app.brokerageGroup} as the groups.`),
    sources,
  );
  panel.focus({ preventScroll: true });
  // Only nodes of the knowledge graph have a profile (not those of a user or synthetic network).
  if (id.startsWith("http")) loadProfile(a.ref || id, names, sources);
  else setChildren(names);
}

async function loadProfile(ref, box, sourcesBox) {
  try {
    const p = await fetchJSON(`/api/organisations/${encodeURIComponent(ref).replaceAll("%3A", ":")}`);
    if (app.selected === null) return;
    setChildren(box, 
      el("h3", {}, "Names"),
      el("ul", { class: "name-list" }, ...p.names.filter((n) => n.type !== "hidden").map((n) => el("li", {}, n.label, el("span", { class: "muted" }, ` ${n.type === "pref" ? "preferred" : "also"}${n.lang ? ` · ${n.lang}` : ""}`)))),
      el("p", { class: "small" }, `${p.relations.length} statements in the whole graph: `, el("a", { href: orgHref(p.ref) }, "see them all")),
    );
    setChildren(sourcesBox,
      p.quotes.length ? el("h3", {}, "What the sources say about it") : null,
      ...p.quotes.slice(0, 5).map((q) => quoteBlock(q.quote, q.source, q.source_file, q.line)),
    );
  } catch (err) {
    setChildren(box, el("p", { class: "muted small" }, err.status === 404 ? "No profile for this node." : `Profile unavailable: ${err.message}`));
  }
}

const pathEnds = { from: null, to: null };

function setPathEnd(which, id) {
  pathEnds[which] = id;
  const input = $(which === "from" ? "#path-from" : "#path-to");
  input.value = app.graph.getNodeAttribute(id, "label");
  input.dataset.value = id;
  $("#path-box").open = true;
  if (pathEnds.from && pathEnds.to) findPath();
}

/** Shortest path ignoring direction, over the edges on screen (breadth-first). */
function findPath() {
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
  const prev = new Map([[from, null]]);
  const queue = [from];
  while (queue.length && !prev.has(to)) {
    const n = queue.shift();
    g.forEachEdge(n, (e, a, s, t) => {
      if (!app.visibleEdges.has(e)) return;
      const other = s === n ? t : s;
      if (!prev.has(other)) {
        prev.set(other, { node: n, edge: e });
        queue.push(other);
      }
    });
  }
  if (!prev.has(to)) {
    app.path = null;
    refresh();
    result.replaceChildren(el("li", { class: "muted" }, `No path between ${g.getNodeAttribute(from, "label")} and ${g.getNodeAttribute(to, "label")} in the current view.`));
    return;
  }
  const steps = [to];
  const edges = [];
  for (let cur = to; prev.get(cur); cur = prev.get(cur).node) {
    edges.unshift(prev.get(cur).edge);
    steps.unshift(prev.get(cur).node);
  }
  app.path = { nodes: new Set(steps), edges: new Set(edges), steps };
  refresh();
  result.replaceChildren(
    ...steps.map((id, i) =>
      el("li", {},
        el("button", { type: "button", class: "linklike", onclick: () => selectNode(id, { zoom: true }) }, g.getNodeAttribute(id, "label")),
        i < edges.length ? el("span", { class: "muted" }, ` — ${g.getEdgeAttribute(edges[i], "relation")} —`) : null),
    ),
  );
  fitTo(steps);
}

// ------------------------------------------------------------------------------------------
// Search

async function searchSource(text) {
  const g = app.graph;
  const t = text.toLowerCase();
  const found = new Map();
  // Names in the graph (alternative names and acronyms such as "ASTI") come from the server.
  try {
    const res = await fetchJSON(`/api/search?q=${encodeURIComponent(text)}&limit=20`);
    for (const r of res.results) {
      if (g.hasNode(r.id)) found.set(r.id, { id: r.id, label: g.getNodeAttribute(r.id, "label"), hint: r.matched !== r.label ? `(${r.matched})` : r.country || "" });
    }
  } catch (_) {
    /* search is best-effort; local matches still work */
  }
  g.forEachNode((id, a) => {
    if (found.size >= 30) return;
    if (!found.has(id) && (a.label.toLowerCase().includes(t) || (a.ref || "").toLowerCase().includes(t))) {
      found.set(id, { id, label: a.label, hint: attrValue(a, "country") });
    }
  });
  return [...found.values()].slice(0, 20);
}

function localSource(text) {
  const t = text.toLowerCase();
  const out = [];
  app.graph.forEachNode((id, a) => {
    if (out.length < 20 && a.label.toLowerCase().includes(t)) out.push({ id, label: a.label, hint: attrValue(a, "country") });
  });
  return out;
}

// ------------------------------------------------------------------------------------------
// Export

function exportName(ext) {
  const stamp = new Date().toISOString().slice(0, 10);
  return `${app.data.name}-${stamp}.${ext}`;
}

function viewDescription() {
  const f = app.filters;
  const years = app.data.meta.years;
  const parts = [`${app.visibleNodes.size} nodes, ${app.visibleEdges.size} edges`];
  if (years && (f.from > years[0] || f.to < years[1])) parts.push(`years ${f.from}–${f.to}`);
  if (f.countries.size) parts.push(`${f.countries.size} countries hidden`);
  if (f.kinds.size) parts.push(`${f.kinds.size} kinds hidden`);
  if (f.relations.size) parts.push(`relations hidden: ${[...f.relations].join(", ")}`);
  if (f.funder) parts.push(`funded by ${app.graph.getNodeAttribute(f.funder, "label")}`);
  if (app.focus) parts.push(`ego network of ${app.graph.getNodeAttribute(app.focus.node, "label")} (${app.focus.hops})`);
  return parts.join(" · ");
}

async function runExport(kind) {
  const figure = { title: `${app.data.title} network`, subtitle: viewDescription(), legend: legendData() };
  const status = $("#status");
  try {
    if (kind === "png") download(await toPNG(app, figure), exportName("png"));
    else if (kind === "svg") download(new Blob([toSVG(app, figure)], { type: "image/svg+xml" }), exportName("svg"));
    else if (kind === "gexf") download(new Blob([toGEXF(app)], { type: "application/xml" }), exportName("gexf"));
    else if (kind === "graphml") download(new Blob([toGraphML(app)], { type: "application/xml" }), exportName("graphml"));
    else if (kind === "csv-edges") download(new Blob([toCSVEdges(app)], { type: "text/csv" }), exportName("edges.csv"));
    else if (kind === "csv-nodes") download(new Blob([toCSVNodes(app)], { type: "text/csv" }), exportName("nodes.csv"));
  } catch (err) {
    status.textContent = `Export failed: ${err.message}`;
  }
}

// ------------------------------------------------------------------------------------------
// Wiring

function bindRendererEvents() {
  const r = app.renderer;
  r.on("clickNode", ({ node }) => selectNode(node));
  r.on("clickStage", () => {
    if (app.selected) clearSelection();
  });
  r.on("enterNode", ({ node }) => {
    app.hovered = node;
    $("#graph").style.cursor = "pointer";
  });
  r.on("leaveNode", () => {
    app.hovered = null;
    $("#graph").style.cursor = "";
  });
}

function updateURL() {
  const params = new URLSearchParams();
  if (app.data) params.set("network", app.data.name);
  if (app.selected) params.set("focus", app.graph.getNodeAttribute(app.selected, "ref") || app.selected);
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

async function changeBrokerageGroup(group) {
  app.brokerageGroup = group;
  try {
    const res = await fetchJSON(`/api/networks/${encodeURIComponent(app.data.name)}/metrics?metric=brokerage&group=${group}`);
    for (const row of res.rows) {
      if (!app.graph.hasNode(row.node)) continue;
      app.graph.mergeNodeAttributes(row.node, Object.fromEntries(ROLES.map((role) => [`brokerage_${role}`, row[role]])));
    }
    applySizes();
    refresh();
    if (app.selected) renderPanel(app.selected);
  } catch (err) {
    setMessage(`Could not compute brokerage by ${group}: ${err.message}`);
  }
}

async function loadQueries() {
  try {
    const queries = await fetchJSON("/api/queries");
    const list = Array.isArray(queries) ? queries : queries.queries || [];
    setChildren($("#queries-list"), 
      ...list
        .filter((q) => !q.name.startsWith("projections/"))
        .map((q) => {
          const params = new URLSearchParams(q.example || {});
          return el("li", {}, el("a", { href: `/api/queries/${q.name}${params.size ? `?${params}` : ""}`, title: q.summary || "" }, q.title), el("span", { class: "muted" }, ` ${q.name}`));
        }),
    );
  } catch (_) {
    setChildren($("#queries-list"), el("li", {}, el("a", { href: "/sparql" }, "Open the SPARQL editor")));
  }
}

function wire() {
  $("#network").addEventListener("change", (ev) => loadNetwork(ev.target.value));
  $("#colour-by").addEventListener("change", (ev) => {
    app.colourBy = ev.target.value;
    applyColours();
    redraw();
    refreshPanels();
    if (app.selected) renderPanel(app.selected);
  });
  $("#size-by").addEventListener("change", (ev) => {
    app.sizeBy = ev.target.value;
    applySizes();
    redraw();
    refreshPanels();
  });
  $("#brokerage-group").addEventListener("change", (ev) => changeBrokerageGroup(ev.target.value));
  $("#filters").addEventListener("change", (ev) => {
    const t = ev.target;
    if (t.dataset.filter) {
      const set = app.filters[t.dataset.filter];
      if (t.checked) set.delete(t.value);
      else set.add(t.value);
    } else if (t.id === "undated") app.filters.undated = t.checked;
    else if (t.id === "funder") app.filters.funder = t.value;
    else if (t.id === "min-degree") app.filters.minDegree = Math.max(0, Number(t.value) || 0);
    else return;
    refresh();
  });
  // Dragging a slider over a large network must not queue a redraw per step.
  let yearTimer = null;
  const years = () => {
    clearTimeout(yearTimer);
    yearTimer = setTimeout(refresh, app.graph.size > LIGHT_DRAWING_ABOVE ? 200 : 60);
  };
  for (const id of ["#year-from", "#year-to"]) {
    $(id).addEventListener("input", () => {
      let from = Number($("#year-from").value);
      let to = Number($("#year-to").value);
      if (from > to) {
        if (id === "#year-from") to = from;
        else from = to;
        $("#year-from").value = from;
        $("#year-to").value = to;
      }
      app.filters.from = from;
      app.filters.to = to;
      $("#year-from-out").textContent = from;
      $("#year-to-out").textContent = to;
      years();
    });
  }
  for (const box of ["#country-filter", "#kind-filter"]) {
    $(box).addEventListener("click", (ev) => {
      const bulk = ev.target.dataset && ev.target.dataset.bulk;
      if (!bulk) return;
      for (const input of $(box).querySelectorAll("input[type=checkbox]")) {
        input.checked = bulk === "all";
        const set = app.filters[input.dataset.filter];
        if (input.checked) set.delete(input.value);
        else set.add(input.value);
      }
      refresh();
    });
  }
  $("#reset-filters").addEventListener("click", () => {
    app.filters = defaultFilters();
    buildFilterControls();
    refresh();
  });
  $("#clear-focus").addEventListener("click", clearFocus);
  $("#path-find").addEventListener("click", findPath);
  $("#path-clear").addEventListener("click", () => {
    app.path = null;
    pathEnds.from = pathEnds.to = null;
    for (const id of ["#path-from", "#path-to"]) {
      $(id).value = "";
      delete $(id).dataset.value;
    }
    setChildren($("#path-result"), );
    refresh();
  });
  for (const button of document.querySelectorAll("[data-export]")) {
    button.addEventListener("click", () => runExport(button.dataset.export));
  }
  combobox($("#search"), $("#search-list"), { source: searchSource, onSelect: (item) => selectNode(item.id, { zoom: true }) });
  combobox($("#path-from"), $("#path-from-list"), { source: localSource, onSelect: (item) => (pathEnds.from = item.id) });
  combobox($("#path-to"), $("#path-to-list"), { source: localSource, onSelect: (item) => (pathEnds.to = item.id) });
  $("#zoom-in").addEventListener("click", () => app.renderer.getCamera().animatedZoom({ duration: 200 }));
  $("#zoom-out").addEventListener("click", () => app.renderer.getCamera().animatedUnzoom({ duration: 200 }));
  // Fit what is shown: the whole network, or the part the filters leave.
  $("#zoom-reset").addEventListener("click", () => {
    if (app.visibleNodes.size && app.visibleNodes.size < app.graph.order) fitTo([...app.visibleNodes]);
    else app.renderer.getCamera().animatedReset({ duration: 300 });
  });
  $("#queries-link").addEventListener("click", () => ($("#queries-box").open = true));
  $("#graph").addEventListener("keydown", (ev) => {
    const camera = app.renderer && app.renderer.getCamera();
    if (!camera) return;
    const state = camera.getState();
    const step = 0.1 * state.ratio;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, step], ArrowDown: [0, -step] };
    if (moves[ev.key]) {
      ev.preventDefault();
      camera.animate({ x: state.x + moves[ev.key][0], y: state.y + moves[ev.key][1] }, { duration: 100 });
    } else if (ev.key === "+" || ev.key === "=") camera.animatedZoom({ duration: 150 });
    else if (ev.key === "-") camera.animatedUnzoom({ duration: 150 });
    else if (ev.key === "0") camera.animatedReset({ duration: 200 });
  });
  document.addEventListener("keydown", (ev) => {
    const typing = ["INPUT", "SELECT", "TEXTAREA"].includes(document.activeElement.tagName);
    if (ev.key === "/" && !typing) {
      ev.preventDefault();
      $("#search").focus();
    } else if (ev.key === "Escape" && !typing) {
      if (app.path || app.focus) clearFocus();
      else if (app.selected) clearSelection();
    }
  });
  // Sigma follows window resizes itself; this catches layout changes of the container only,
  // and redraws only when sigma's own size is out of date (a redraw of a large network costs).
  new ResizeObserver(([entry]) => {
    if (!app.renderer) return;
    const { width, height } = app.renderer.getDimensions();
    const box = entry.contentRect;
    if (Math.round(box.width) === Math.round(width) && Math.round(box.height) === Math.round(height)) return;
    app.renderer.resize();
    app.renderer.scheduleRefresh();
  }).observe($("#graph"));
}

wire();
loadQueries();
loadNetworks().catch((err) => setMessage(`Could not start the explorer: ${err.message}`));
