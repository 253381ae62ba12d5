// The whole view in the page URL (network, filters, colour, size, selection, ego network,
// camera), so that a copied link reopens the same view, and named saved views (localStorage,
// exportable as JSON) that are such URLs with a name.
import { app } from "./state.js";
import { $, debounce, download, el, setChildren } from "./util.js";

const STORE = "kg-explorer-views";
const list = (v) => (v ? v.split(",").filter(Boolean) : []);
const round = (v, digits = 4) => Number(v.toFixed(digits));

/** The query string of the current view. */
export function viewQuery() {
  const p = new URLSearchParams();
  if (!app.data) return p;
  const g = app.graph;
  const f = app.filters;
  const years = app.data.meta.years;
  const ref = (id) => g.getNodeAttribute(id, "ref") || id;
  p.set("network", app.data.name);
  if (app.colourBy !== "kind") p.set("colour", app.colourBy);
  if (app.sizeBy !== "degree") p.set("size", app.sizeBy);
  if (app.brokerageGroup !== "kind") p.set("groups", app.brokerageGroup);
  if (app.groupPositions) p.set("rings", "1");
  if (f) {
    if (f.countries.size) p.set("hide-country", [...f.countries].sort().join(","));
    if (f.kinds.size) p.set("hide-kind", [...f.kinds].sort().join(","));
    if (f.relations.size) p.set("hide-relation", [...f.relations].sort().join(","));
    if (f.funder && g.hasNode(f.funder)) p.set("funder", ref(f.funder));
    if (years && f.from > years[0]) p.set("from", f.from);
    if (years && f.to < years[1]) p.set("to", f.to);
    if (!f.undated) p.set("undated", "0");
    if (f.minDegree) p.set("min-degree", f.minDegree);
    if (f.kcore) p.set("k-core", f.kcore);
    if (f.largest) p.set("largest", "1");
  }
  if (app.selected && g.hasNode(app.selected)) p.set("focus", ref(app.selected));
  if (app.focus && g.hasNode(app.focus.node)) p.set("ego", `${ref(app.focus.node)}:${app.focus.hops}`);
  if (app.renderer) {
    const c = app.renderer.getCamera().getState();
    p.set("camera", `${round(c.x)},${round(c.y)},${round(c.ratio)}`);
  }
  return p;
}

export function writeURL() {
  if (!app.data) return;
  history.replaceState(null, "", `${location.pathname}?${viewQuery()}`);
}

/** The camera moves often: the URL follows once it rests. */
export const writeURLSoon = debounce(writeURL, 250);

/**
 * Read a view from `params` into the state of the freshly loaded network (before the first
 * drawing): colour, size, filters. Returns what needs the renderer: {focus, ego, camera}.
 */
export function readView(params) {
  const g = app.graph;
  const byRef = (ref) => (ref ? g.findNode((id, a) => a.ref === ref || id === ref) : null);
  const pick = (value, options) => (options.includes(value) ? value : null);
  const options = (sel) => [...$(sel).options].map((o) => o.value);
  app.colourBy = pick(params.get("colour"), options("#colour-by")) || "kind";
  app.sizeBy = pick(params.get("size"), options("#size-by")) || "degree";
  app.brokerageGroup = pick(params.get("groups"), options("#brokerage-group")) || "kind";
  app.groupPositions = params.get("rings") === "1";
  $("#colour-by").value = app.colourBy;
  $("#size-by").value = app.sizeBy;
  $("#brokerage-group").value = app.brokerageGroup;
  $("#group-positions").checked = app.groupPositions;
  const f = app.filters;
  for (const v of list(params.get("hide-country"))) f.countries.add(v);
  for (const v of list(params.get("hide-kind"))) f.kinds.add(v);
  for (const v of list(params.get("hide-relation"))) f.relations.add(v);
  const funder = byRef(params.get("funder"));
  if (funder) f.funder = funder;
  const years = app.data.meta.years;
  const year = (name, fallback) => {
    const v = Number(params.get(name));
    return years && params.has(name) && Number.isInteger(v) ? Math.min(years[1], Math.max(years[0], v)) : fallback;
  };
  f.from = year("from", f.from);
  f.to = Math.max(f.from, year("to", f.to));
  if (params.get("undated") === "0") f.undated = false;
  const num = (name) => Math.max(0, Math.floor(Number(params.get(name)) || 0));
  if (params.has("min-degree")) f.minDegree = num("min-degree");
  f.kcore = num("k-core");
  f.largest = params.get("largest") === "1";
  const [egoRef, hops] = (params.get("ego") || "").split(":");
  const egoNode = byRef(egoRef);
  const camera = (params.get("camera") || "").split(",").map(Number);
  return {
    focus: byRef(params.get("focus")),
    ego: egoNode ? { node: egoNode, hops: Math.min(3, Math.max(1, Number(hops) || 1)) } : null,
    camera: camera.length === 3 && camera.every(Number.isFinite) && camera[2] > 0 ? { x: camera[0], y: camera[1], ratio: camera[2], angle: 0 } : null,
  };
}

// Saved views: [{name, query, saved}] in localStorage.
function savedViews() {
  try {
    const v = JSON.parse(localStorage.getItem(STORE) || "[]");
    return Array.isArray(v) ? v.filter((x) => x && typeof x.name === "string" && typeof x.query === "string") : [];
  } catch (_) {
    return [];
  }
}

function storeViews(views) {
  localStorage.setItem(STORE, JSON.stringify(views));
  renderSavedViews();
}

export function saveView(name) {
  const clean = name.trim();
  if (!clean) return false;
  const views = savedViews().filter((v) => v.name !== clean);
  views.push({ name: clean, query: viewQuery().toString(), saved: new Date().toISOString() });
  storeViews(views);
  return true;
}

export function renderSavedViews() {
  const views = savedViews();
  setChildren($("#views-list"),
    ...views.map((v) =>
      el("li", {},
        el("a", { href: `${location.pathname}?${v.query}` }, v.name),
        " ",
        el("button", { type: "button", class: "linklike small", "aria-label": `Delete the view ${v.name}`, onclick: () => storeViews(savedViews().filter((x) => x.name !== v.name)) }, "delete")),
    ),
  );
  if (!views.length) $("#views-list").append(el("li", { class: "muted small" }, "No saved view yet."));
  $("#views-export").disabled = !views.length;
}

export function exportViews() {
  const views = savedViews().map((v) => ({ ...v, url: `${location.origin}${location.pathname}?${v.query}` }));
  download(new Blob([JSON.stringify({ views }, null, 1) + "\n"], { type: "application/json" }), "explorer-views.json");
}
