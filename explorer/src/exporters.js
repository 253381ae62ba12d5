// Exports of the current view: PNG (sigma's own snapshot + title and legend), SVG (drawn here
// from the rendered positions), GEXF (graphology-gexf), GraphML (written here: graphology-graphml
// only parses) and CSV. Every export contains exactly the nodes and edges on screen.
import Graph from "graphology";
import { write as writeGEXF } from "graphology-gexf/browser";

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
 * The picture on screen as SVG: what the canvas shows, cropped to the visible nodes and their
 * labels, with the labels exactly as drawn (labels.js), the rings of group positions, a title,
 * a subtitle naming the view, the legend and a source line. Text stays text.
 */
export function toSVG(app, { title, subtitle, legend }) {
  const r = app.renderer;
  const { width, height } = r.getDimensions();
  const onCanvas = (p, m = 0) => p.x >= -m && p.y >= -m && p.x <= width + m && p.y <= height + m;
  const pos = new Map();
  for (const id of app.visibleNodes) {
    const d = r.getNodeDisplayData(id);
    if (!d || d.hidden) continue;
    const p = r.framedGraphToViewport(d);
    const size = Math.max(1.5, r.scaleSize(d.size));
    if (onCanvas(p, size)) pos.set(id, { ...p, size, color: d.color, label: d.label });
  }
  const labels = app.drawnLabels || [];
  // The crop: the nodes and labels on screen, with a margin, within the canvas.
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  const grow = (a, b, c, d) => {
    x0 = Math.min(x0, a);
    y0 = Math.min(y0, b);
    x1 = Math.max(x1, c);
    y1 = Math.max(y1, d);
  };
  for (const p of pos.values()) grow(p.x - p.size - 4, p.y - p.size - 4, p.x + p.size + 4, p.y + p.size + 4);
  for (const l of labels) grow(l.box.x0, l.box.y0, l.box.x1, l.box.y1);
  if (!Number.isFinite(x0)) [x0, y0, x1, y1] = [0, 0, width, height];
  const m = 12;
  x0 = Math.max(0, x0 - m);
  y0 = Math.max(0, y0 - m);
  x1 = Math.min(width, x1 + m);
  y1 = Math.min(height, y1 + m);
  const cw = Math.max(1, x1 - x0);
  const ch = Math.max(1, y1 - y0);
  const legendWidth = 300;
  const top = 70;
  const rowH = 18;
  const legendRows = legend.nodes.length + (legend.rings || []).length + (legend.edges.length ? legend.edges.length + 2 : 0) + 3;
  const plotW = Math.max(cw, 360);
  const H = Math.round(Math.max(ch, legendRows * rowH + 20) + top + 40);
  const W = Math.round(plotW + legendWidth + 16);
  const out = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Arial, Helvetica, sans-serif">`,
    `<title>${xml(title)}</title>`,
    `<desc>${xml(subtitle)}</desc>`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="context-stroke"/></marker></defs>`,
    `<text class="title" x="16" y="28" font-size="20" font-weight="bold" fill="#111">${xml(title)}</text>`,
    `<text class="subtitle" x="16" y="52" font-size="12" fill="#444">${xml(subtitle)}</text>`,
    `<svg x="8" y="${top}" width="${cw.toFixed(1)}" height="${ch.toFixed(1)}" viewBox="${x0.toFixed(1)} ${y0.toFixed(1)} ${cw.toFixed(1)} ${ch.toFixed(1)}">`,
    `<g class="edges" fill="none">`,
  ];
  for (const id of app.visibleEdges) {
    const [s, t] = app.graph.extremities(id);
    const a = pos.get(s);
    const b = pos.get(t);
    if (!a || !b) continue;
    const d = r.getEdgeDisplayData ? r.getEdgeDisplayData(id) : null;
    const colour = (d && d.color) || app.graph.getEdgeAttribute(id, "color") || "#bbb";
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
  for (const [id, p] of pos) {
    out.push(`<circle cx="${p.x.toFixed(1)}" cy="${p.y.toFixed(1)}" r="${p.size.toFixed(1)}" fill="${p.color}"><title>${xml(p.label || app.graph.getNodeAttribute(id, "label"))}</title></circle>`);
  }
  out.push(`</g><g class="rings" fill="none" stroke-width="3" stroke-dasharray="4 2">`);
  for (const ring of app.drawnRings || []) {
    out.push(`<circle cx="${ring.x.toFixed(1)}" cy="${ring.y.toFixed(1)}" r="${ring.r.toFixed(1)}" stroke="${ring.colour}"/>`);
  }
  out.push(`</g><g class="labels" font-size="12" fill="#111" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">`);
  for (const l of labels) {
    out.push(`<text x="${l.x.toFixed(1)}" y="${l.y.toFixed(1)}"${l.anchor !== "start" ? ` text-anchor="${l.anchor}"` : ""} data-node="${xml(l.id)}">${xml(l.label)}</text>`);
  }
  out.push(`</g></svg>`);
  // Legend
  let y = top + 10;
  const x = plotW + 32;
  out.push(`<g class="legend" font-size="12" fill="#111">`);
  out.push(`<text x="${x}" y="${y}" font-weight="bold">${xml(legend.nodeTitle)}</text>`);
  y += rowH;
  for (const item of legend.nodes) {
    out.push(`<circle cx="${x + 6}" cy="${y - 4}" r="6" fill="${item.colour}" stroke="#555" stroke-width="0.5"/>`);
    out.push(`<text x="${x + 18}" y="${y}">${xml(`${item.label} (${item.count})`)}</text>`);
    y += rowH;
  }
  for (const item of legend.rings || []) {
    out.push(`<circle cx="${x + 6}" cy="${y - 4}" r="5" fill="none" stroke="${item.colour}" stroke-width="2.5" stroke-dasharray="3 1.5"/>`);
    out.push(`<text x="${x + 18}" y="${y}" font-size="11">${xml(`${item.label} (${item.count})`)}</text>`);
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
  out.push(`<text class="source" x="16" y="${H - 12}" font-size="10" fill="#666">${xml(legend.footer)}</text>`);
  out.push(`</svg>`);
  return out.join("\n");
}

/**
 * PNG: the SVG above drawn onto a canvas at twice the screen's resolution, so the picture
 * (labels, crop, legend) is the same in both formats.
 */
export async function toPNG(app, figure) {
  const svg = toSVG(app, figure);
  const [, w, h] = svg.match(/width="(\d+)" height="(\d+)"/);
  const url = URL.createObjectURL(new Blob([svg], { type: "image/svg+xml" }));
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    const scale = 2;
    const canvas = document.createElement("canvas");
    canvas.width = Number(w) * scale;
    canvas.height = Number(h) * scale;
    const ctx = canvas.getContext("2d");
    ctx.scale(scale, scale);
    ctx.drawImage(img, 0, 0, Number(w), Number(h));
    return await new Promise((resolve) => canvas.toBlob(resolve, "image/png"));
  } finally {
    URL.revokeObjectURL(url);
  }
}
