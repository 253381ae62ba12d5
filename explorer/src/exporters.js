// Exports of the current view: PNG (sigma's own snapshot + title and legend), SVG (drawn here
// from the rendered positions), GEXF (graphology-gexf), GraphML (written here: graphology-graphml
// only parses) and CSV. Every export contains exactly the nodes and edges on screen.
import Graph from "graphology";
import { write as writeGEXF } from "graphology-gexf/browser";
import { toBlob } from "@sigma/export-image";

const XML_ESCAPES = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };
const xml = (value) =>
  String(value)
    // Characters XML 1.0 cannot hold at all.
    // eslint-disable-next-line no-control-regex -- matching control characters is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
    .replace(/[&<>"']/g, (c) => XML_ESCAPES[c]);

/** Scalar value for GraphML/GEXF/CSV: lists joined with " | " (as kg.export does). */
export function scalar(value) {
  if (Array.isArray(value)) return value.join(" | ");
  if (value === null || value === undefined) return "";
  return value;
}

const NODE_FIELDS = [
  "label", "ref", "kind", "kinds", "country", "ntype", "position", "position_level", "position_quantifier",
  "degree", "in_degree", "out_degree", "betweenness",
  "brokerage_coordinator", "brokerage_itinerant", "brokerage_representative",
  "brokerage_gatekeeper", "brokerage_liaison", "brokerage_total", "x", "y",
];

function edgeFields(edges) {
  const skip = new Set(["source", "target", "id", "type", "color", "size", "hidden", "undirected"]);
  const fields = new Set();
  for (const e of edges) for (const k of Object.keys(e.attrs)) if (!skip.has(k)) fields.add(k);
  const first = ["relation", "weight", "start", "end", "awards", "quotes", "sources", "relations"];
  return [...first.filter((f) => fields.has(f)), ...[...fields].filter((f) => !first.includes(f)).sort()];
}

/**
 * The visible part of the network as plain lists: nodes [{id, attrs}] and edges
 * [{id, source, target, attrs}], undirected edges (partnerships) written as two arcs in a
 * directed export, as the Python projection of the combined network does.
 */
export function viewData(app) {
  const g = app.graph;
  const nodes = [...app.visibleNodes].map((id) => ({ id, attrs: g.getNodeAttributes(id) }));
  const edges = [];
  for (const id of app.visibleEdges) {
    const attrs = g.getEdgeAttributes(id);
    const [source, target] = g.extremities(id);
    edges.push({ id, source, target, attrs });
    if (app.data.directed && g.isUndirected(id)) edges.push({ id: `${id}-r`, source: target, target: source, attrs });
  }
  return { nodes, edges, directed: app.data.directed };
}

/** GraphML with typed keys; opens in networkx, igraph, Gephi, Cytoscape and yEd. */
export function toGraphML(app) {
  const { nodes, edges, directed } = viewData(app);
  const efields = edgeFields(edges);
  const typeOf = (values) => {
    const present = values.filter((v) => v !== null && v !== undefined && v !== "" && !Array.isArray(v));
    if (values.some((v) => Array.isArray(v))) return "string";
    if (present.length && present.every((v) => Number.isInteger(v))) return "long";
    if (present.length && present.every((v) => typeof v === "number")) return "double";
    if (present.length && present.every((v) => typeof v === "boolean")) return "boolean";
    return "string";
  };
  const nodeTypes = Object.fromEntries(NODE_FIELDS.map((f) => [f, typeOf(nodes.map((n) => n.attrs[f]))]));
  const edgeTypes = Object.fromEntries(efields.map((f) => [f, typeOf(edges.map((e) => e.attrs[f]))]));
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"',
    '  xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">',
  ];
  NODE_FIELDS.forEach((f, i) => out.push(`  <key id="n${i}" for="node" attr.name="${xml(f === "ntype" ? "type" : f)}" attr.type="${nodeTypes[f]}"/>`));
  efields.forEach((f, i) => out.push(`  <key id="e${i}" for="edge" attr.name="${xml(f)}" attr.type="${edgeTypes[f]}"/>`));
  out.push(`  <graph id="${xml(app.data.name)}" edgedefault="${directed ? "directed" : "undirected"}">`);
  const value = (v, type) => {
    const s = scalar(v);
    if (s === "") return null;
    if (type === "boolean") return s ? "true" : "false";
    return xml(s);
  };
  for (const n of nodes) {
    out.push(`    <node id="${xml(n.id)}">`);
    NODE_FIELDS.forEach((f, i) => {
      const v = value(n.attrs[f], nodeTypes[f]);
      if (v !== null) out.push(`      <data key="n${i}">${v}</data>`);
    });
    out.push("    </node>");
  }
  for (const e of edges) {
    out.push(`    <edge id="${xml(e.id)}" source="${xml(e.source)}" target="${xml(e.target)}">`);
    efields.forEach((f, i) => {
      const v = value(e.attrs[f], edgeTypes[f]);
      if (v !== null) out.push(`      <data key="e${i}">${v}</data>`);
    });
    out.push("    </edge>");
  }
  out.push("  </graph>", "</graphml>", "");
  return out.join("\n");
}

/** GEXF 1.2 with attributes and viz (colour, size, position) through graphology-gexf. */
export function toGEXF(app) {
  const { nodes, edges, directed } = viewData(app);
  const h = new Graph({ type: directed ? "directed" : "undirected", multi: true });
  for (const n of nodes) h.addNode(n.id, n.attrs);
  for (const e of edges) h.addEdgeWithKey(e.id, e.source, e.target, e.attrs);
  const efields = edgeFields(edges);
  const gexf = writeGEXF(h, {
    version: "1.2", // networkx cannot read 1.3's hex colours
    formatNode: (key, a) => ({
      label: a.label,
      attributes: Object.fromEntries(
        NODE_FIELDS.filter((f) => f !== "label" && f !== "x" && f !== "y" && a[f] !== undefined && a[f] !== null)
          .map((f) => [f === "ntype" ? "type" : f, a[f]]),
      ),
      viz: { color: a.color, size: a.size, x: a.x, y: a.y },
    }),
    formatEdge: (key, a) => ({
      weight: typeof a.weight === "number" ? a.weight : 1,
      attributes: Object.fromEntries(
        efields.filter((f) => f !== "weight" && a[f] !== undefined && a[f] !== null).map((f) => [f, scalar(a[f])]),
      ),
      viz: { color: a.color },
    }),
  });
  return gexf;
}

const csvCell = (v) => {
  const s = String(scalar(v));
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
};

export function toCSVEdges(app) {
  const { edges } = viewData(app);
  const g = app.graph;
  const efields = edgeFields(edges);
  const rows = [["source", "target", "source_label", "target_label", ...efields]];
  for (const e of edges) {
    rows.push([e.source, e.target, g.getNodeAttribute(e.source, "label"), g.getNodeAttribute(e.target, "label"),
      ...efields.map((f) => e.attrs[f])]);
  }
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

export function toCSVNodes(app) {
  const { nodes } = viewData(app);
  const rows = [["id", ...NODE_FIELDS.map((f) => (f === "ntype" ? "type" : f))]];
  for (const n of nodes) rows.push([n.id, ...NODE_FIELDS.map((f) => n.attrs[f])]);
  return rows.map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}

/**
 * Labels that do not overlap, largest nodes first (as sigma's label grid does on screen):
 * a node's label is kept when its box, about 6 px per character, meets no kept box.
 */
function placeLabels(candidates, { minSize = 6.5, max = 120 } = {}) {
  const kept = [];
  const boxes = [];
  const ordered = candidates
    .filter((p) => p.forced || p.size >= minSize)
    .sort((a, b) => (b.forced - a.forced) || b.size - a.size)
    .slice(0, 600);
  for (const p of ordered) {
    const box = { x0: p.x + p.size + 2, y0: p.y - 8, x1: p.x + p.size + 4 + 6 * p.label.length, y1: p.y + 6 };
    const clash = boxes.some((b) => box.x0 < b.x1 && b.x0 < box.x1 && box.y0 < b.y1 && b.y0 < box.y1);
    if (clash && !p.forced) continue;
    kept.push(p);
    boxes.push(box);
    if (kept.length >= max) break;
  }
  return kept;
}

/** The picture on screen as SVG: edges, nodes, labels of the larger nodes, title and legend. */
export function toSVG(app, { title, subtitle, legend }) {
  const r = app.renderer;
  const { width, height } = r.getDimensions();
  const legendWidth = 280;
  const top = 64;
  const rowH = 18;
  const legendRows = legend.nodes.length + (legend.edges.length ? legend.edges.length + 2 : 0) + 2;
  const H = Math.max(height, legendRows * rowH + 20) + top + 30;
  const W = width + legendWidth;
  const inView = (p, m = 40) => p.x > -m && p.y > -m && p.x < width + m && p.y < height + m;
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Arial, Helvetica, sans-serif">`,
    `<title>${xml(title)}</title>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>`,
    `<text x="16" y="28" font-size="20" font-weight="bold" fill="#111">${xml(title)}</text>`,
    `<text x="16" y="50" font-size="12" fill="#444">${xml(subtitle)}</text>`,
    `<g transform="translate(0,${top})"><svg width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<g class="edges" fill="none">`,
  ];
  const pos = new Map();
  for (const id of app.visibleNodes) {
    const d = r.getNodeDisplayData(id);
    if (!d) continue;
    const p = r.framedGraphToViewport(d);
    pos.set(id, { ...p, size: r.scaleSize(d.size), color: d.color, label: d.label });
  }
  for (const id of app.visibleEdges) {
    const [s, t] = app.graph.extremities(id);
    const a = pos.get(s);
    const b = pos.get(t);
    if (!a || !b || (!inView(a) && !inView(b))) continue;
    const attrs = app.graph.getEdgeAttributes(id);
    const d = r.getEdgeDisplayData ? r.getEdgeDisplayData(id) : null;
    const colour = (d && d.color) || attrs.color || "#bbb";
    const directed = app.graph.isDirected(id);
    // Stop arrows at the target's rim.
    const dx = b.x - a.x;
    const dy = b.y - a.y;
    const len = Math.hypot(dx, dy) || 1;
    const bx = directed ? b.x - (dx / len) * b.size : b.x;
    const by = directed ? b.y - (dy / len) * b.size : b.y;
    out.push(`<line x1="${a.x.toFixed(1)}" y1="${a.y.toFixed(1)}" x2="${bx.toFixed(1)}" y2="${by.toFixed(1)}" stroke="${colour}" stroke-width="1.2"${directed ? ' marker-end="url(#arrow)"' : ""}/>`);
  }
  out.push(`</g><g class="nodes" stroke="#ffffff" stroke-width="0.8">`);
  const labels = [];
  for (const [id, p] of pos) {
    if (!inView(p)) continue;
    out.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${Math.max(1.5, p.size).toFixed(1)}" fill="${p.color}"><title>${xml(p.label || id)}</title></circle>`);
    if (p.label) labels.push({ ...p, forced: id === app.selected || (app.path && app.path.nodes.has(id)) });
  }
  out.push(`</g><g class="labels" font-size="11" fill="#111" stroke="#ffffff" stroke-width="3" paint-order="stroke">`);
  for (const p of placeLabels(labels)) {
    out.push(`<text x="${(p.x + p.size + 3).toFixed(1)}" y="${(p.y + 4).toFixed(1)}">${xml(p.label)}</text>`);
  }
  out.push(`</g></svg></g>`);
  // Legend
  let y = top + 10;
  const x = width + 16;
  out.push(`<g class="legend" font-size="12" fill="#111">`);
  out.push(`<text x="${x}" y="${y}" font-weight="bold">${xml(legend.nodeTitle)}</text>`);
  y += rowH;
  for (const item of legend.nodes) {
    out.push(`<circle cx="${x + 6}" cy="${y - 4}" r="6" fill="${item.colour}" stroke="#555" stroke-width="0.5"/>`);
    out.push(`<text x="${x + 18}" y="${y}">${xml(`${item.label} (${item.count})`)}</text>`);
    y += rowH;
  }
  if (legend.edges.length) {
    y += rowH / 2;
    out.push(`<text x="${x}" y="${y}" font-weight="bold">Relations</text>`);
    y += rowH;
    for (const item of legend.edges) {
      out.push(`<line x1="${x}" y1="${y - 4}" x2="${x + 14}" y2="${y - 4}" stroke="${item.colour}" stroke-width="3"/>`);
      out.push(`<text x="${x + 18}" y="${y}">${xml(`${item.label} (${item.count})`)}</text>`);
      y += rowH;
    }
  }
  y += rowH / 2;
  out.push(`<text x="${x}" y="${y}" fill="#444">${xml(legend.sizeNote)}</text>`);
  out.push(`</g>`);
  out.push(`<text x="16" y="${H - 10}" font-size="10" fill="#666">${xml(legend.footer)}</text>`);
  out.push(`</svg>`);
  return out.join("\n");
}

/** PNG: sigma's snapshot of the WebGL layers with the title and legend drawn around it. */
export async function toPNG(app, { title, subtitle, legend }) {
  const r = app.renderer;
  const { width, height } = r.getDimensions();
  const graphBlob = await toBlob(r, { format: "png", backgroundColor: "#ffffff" });
  const image = await createImageBitmap(graphBlob);
  const legendWidth = 280;
  const top = 64;
  const rowH = 18;
  const legendRows = legend.nodes.length + (legend.edges.length ? legend.edges.length + 2 : 0) + 2;
  const H = Math.max(height, legendRows * rowH + 20) + top + 30;
  const W = width + legendWidth;
  const scale = window.devicePixelRatio || 1;
  const canvas = document.createElement("canvas");
  canvas.width = W * scale;
  canvas.height = H * scale;
  const ctx = canvas.getContext("2d");
  ctx.scale(scale, scale);
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, W, H);
  ctx.drawImage(image, 0, top, width, height);
  ctx.fillStyle = "#111";
  ctx.font = "bold 20px Arial, Helvetica, sans-serif";
  ctx.fillText(title, 16, 28);
  ctx.font = "12px Arial, Helvetica, sans-serif";
  ctx.fillStyle = "#444";
  ctx.fillText(subtitle, 16, 50);
  let y = top + 10;
  const x = width + 16;
  ctx.fillStyle = "#111";
  ctx.font = "bold 12px Arial, Helvetica, sans-serif";
  ctx.fillText(legend.nodeTitle, x, y);
  ctx.font = "12px Arial, Helvetica, sans-serif";
  y += rowH;
  for (const item of legend.nodes) {
    ctx.beginPath();
    ctx.arc(x + 6, y - 4, 6, 0, 2 * Math.PI);
    ctx.fillStyle = item.colour;
    ctx.fill();
    ctx.strokeStyle = "#555";
    ctx.lineWidth = 0.5;
    ctx.stroke();
    ctx.fillStyle = "#111";
    ctx.fillText(`${item.label} (${item.count})`, x + 18, y);
    y += rowH;
  }
  if (legend.edges.length) {
    y += rowH / 2;
    ctx.font = "bold 12px Arial, Helvetica, sans-serif";
    ctx.fillText("Relations", x, y);
    ctx.font = "12px Arial, Helvetica, sans-serif";
    y += rowH;
    for (const item of legend.edges) {
      ctx.fillStyle = item.colour;
      ctx.fillRect(x, y - 6, 14, 3);
      ctx.fillStyle = "#111";
      ctx.fillText(`${item.label} (${item.count})`, x + 18, y);
      y += rowH;
    }
  }
  y += rowH / 2;
  ctx.fillStyle = "#444";
  ctx.fillText(legend.sizeNote, x, y);
  ctx.font = "10px Arial, Helvetica, sans-serif";
  ctx.fillStyle = "#666";
  ctx.fillText(legend.footer, 16, H - 10);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
}
