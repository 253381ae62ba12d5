// Colours, sizes and the legend: the colour scale over the chosen attribute (palette.js), node
// sizes from the chosen metric, and the legend of what is on screen (also used by the exports).
import { DEFAULT_EDGE_COLOUR, MISSING_COLOUR, MISSING_VALUES, OTHER_COLOUR, POSITIONS, RELATION_COLOURS, colourScale } from "./palette.js";
import { LIGHT_DRAWING_ABOVE, app } from "./state.js";
import { $, el, setChildren } from "./util.js";

const MIN_SIZE = 3;
/** No node is drawn smaller than this (pixels), whatever its value: a zero stays visible. */
const READABLE_MIN = 2.5;
const MAX_SIZE = 18;
const ATTR_TITLES = { kind: "Kind", country: "Country", position: "Typology position (organisation level)", community: "Community (Leiden, on the whole network)" };

export function attrValue(attrs, key) {
  const v = attrs[key];
  return v === undefined || v === null || v === "" ? "-" : String(v);
}

/**
 * The value a node is coloured by. Typology positions fill a node only when assessed for the
 * organisation itself; a position stated for a group (a country's or a kind's organisations)
 * is not a fact about each member, and is drawn as a ring when asked (app.groupPositions).
 */
export function colourValue(attrs, key) {
  if (key === "position" && attrs.position_level !== "organisation") return "-";
  return attrValue(attrs, key);
}

/** Nodes whose position is stated for a group, drawn as rings when asked. */
export function groupPosition(attrs) {
  if (attrs.position_level === "organisation" || attrs.position_level === "none" || !attrs.position_level) return null;
  if (MISSING_VALUES.has(String(attrs.position))) return null;
  return attrs.position;
}

export function valueLabel(key, value) {
  if (key === "community" && !MISSING_VALUES.has(value)) return `community ${value}`;
  if (MISSING_VALUES.has(value)) return key === "position" ? "not assessed" : "not stated";
  const labels = (app.data.meta.labels || {})[key] || {};
  if (key === "position") return value.split("|").map((v) => labels[v] || v).join(" + ");
  if (key === "country") return labels[value] ? `${labels[value]} (${value})` : value;
  return labels[value] || value;
}

// Colours and sizes are written into the attribute objects directly (no copy per node); the
// callers redraw with a full refresh afterwards, which is what graphology's events would cause.
export function applyColours() {
  const key = app.colourBy;
  app.scale = colourScale(app.graph.mapNodes((_, a) => colourValue(a, key)), key);
  app.graph.forEachNode((_, a) => {
    a.color = app.scale.colourOf(colourValue(a, key));
  });
}

export function applySizes() {
  const key = app.sizeBy;
  let max = 0;
  app.graph.forEachNode((_, a) => {
    const v = Number(a[key]) || 0;
    if (v > max) max = v;
  });
  // Smaller nodes in larger networks, so that thousands of them do not cover each other.
  const shrink = app.graph.order > 5000 ? 0.45 : app.graph.order > 1000 ? 0.7 : 1;
  const lo = Math.max(READABLE_MIN, MIN_SIZE * shrink);
  const hi = MAX_SIZE * shrink;
  app.graph.forEachNode((_, a) => {
    const v = key === "uniform" ? 0 : Number(a[key]) || 0;
    a.size = key === "uniform" || max <= 0 ? (lo + hi) / 3 : lo + (hi - lo) * Math.sqrt(v / max);
  });
}

export function legendData() {
  const key = app.colourBy;
  const counts = new Map();
  for (const id of app.visibleNodes) {
    const v = colourValue(app.graph.getNodeAttributes(id), key);
    counts.set(v, (counts.get(v) || 0) + 1);
  }
  // Every typology position is listed, drawn or not, so that an absent one reads as absent.
  const absent = key === "position" ? POSITIONS.filter((p) => !counts.has(p)) : [];
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
  for (const p of absent) nodes.push({ value: p, label: valueLabel(key, p), colour: positionColour(p), count: 0 });
  if (other) nodes.push({ value: "__other", label: `other (${otherValues} values)`, colour: OTHER_COLOUR, count: other });
  if (missing) nodes.push({ value: "-", label: valueLabel(key, "-"), colour: MISSING_COLOUR, count: missing });
  const rings = [];
  if (key === "position" && app.groupPositions) {
    const ringCounts = new Map();
    for (const id of app.visibleNodes) {
      const a = app.graph.getNodeAttributes(id);
      const p = groupPosition(a);
      if (!p) continue;
      const q = a.position_quantifier && !MISSING_VALUES.has(a.position_quantifier) && a.position_quantifier !== "not stated" ? a.position_quantifier : "qualifier not stated";
      const k = `${p}\u0000${a.position_level}\u0000${q}`;
      ringCounts.set(k, (ringCounts.get(k) || 0) + 1);
    }
    for (const [k, count] of [...ringCounts.entries()].sort()) {
      const [p, level, q] = k.split("\u0000");
      rings.push({ value: p, label: `${valueLabel("position", p)}: stated for a group (${level} level; ${q})`, colour: positionColour(p), count });
    }
  }
  const edges = [...app.edgeStats.relations.entries()]
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
    rings,
    edges,
    sizeNote,
    footer: `Source: integration knowledge graph${Object.keys(app.data.meta.documents || {}).length ? `, read from ${Object.keys(app.data.meta.documents).length} source documents` : ""} · ${app.data.title} · ${new Date().toISOString().slice(0, 10)} · ${app.data.meta.layout}`,
  };
}

export function renderLegend() {
  const legend = legendData();
  setChildren($("#legend"), 
    ...legend.nodes.map((item) =>
      el("li", { dataset: { value: item.value } }, el("span", { class: "swatch", style: `background:${item.colour}`, "aria-hidden": "true" }), `${item.label} `, el("span", { class: "count" }, `(${item.count})`)),
    ),
  );
  for (const item of legend.rings) {
    $("#legend").append(el("li", { class: "ring-item", dataset: { value: item.value } }, el("span", { class: "swatch ring", style: `border-color:${item.colour}`, "aria-hidden": "true" }), `${item.label} `, el("span", { class: "count" }, `(${item.count})`)));
  }
  $("#legend-title").textContent = `Legend: ${legend.nodeTitle.toLowerCase()}`;
  setChildren($("#edge-legend"), 
    ...legend.edges.map((item) =>
      el("li", {}, el("span", { class: `edge-swatch${app.data.directed && app.graph.size <= LIGHT_DRAWING_ABOVE ? " arrow" : ""}`, style: `background:${item.colour}`, "aria-hidden": "true" }), `${item.label} `, el("span", { class: "count" }, `(${item.count})`)),
    ),
  );
  $("#size-note").textContent = `${legend.sizeNote} Metrics are computed on the whole network.`;
}

/** The colour of a position value (a ring is drawn in the colour its fill would have). */
export function positionColour(value) {
  return colourScale([value], "position").colourOf(value);
}
