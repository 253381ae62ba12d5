// The export buttons: file names, a one-line description of the view, and the call into
// exporters.js (PNG, SVG, GEXF, GraphML, CSV of exactly what is on screen).
import { toCSVEdges, toCSVNodes, toGEXF, toGraphML, toPNG, toSVG } from "./exporters.js";
import { app } from "./state.js";
import { attrValue, legendData } from "./styling.js";
import { $, download } from "./util.js";

function exportName(ext) {
  const stamp = new Date().toISOString().slice(0, 10);
  return `${app.data.name}-${stamp}.${ext}`;
}

const COLOUR_TITLES = { position: "typology position", community: "community (Leiden)" };

/** The values of `key` the filters keep, when they hide some (else null). */
function kept(key, hidden) {
  if (!hidden.size) return null;
  const values = new Set();
  app.graph.forEachNode((_, a) => values.add(attrValue(a, key)));
  return [...values].filter((v) => !hidden.has(v)).sort();
}

function names(key, values) {
  if (values.length > 3) return `${values.length} ${key === "country" ? "countries" : "kinds"}`;
  const labels = (app.data.meta.labels || {})[key] || {};
  return values.map((v) => labels[v] || v).join(" + ");
}

/**
 * What the figure shows, in the words kg.network.subset.view_subtitle uses for `kg export`
 * ("Luxembourg · colour: kind · size: brokerage total · 35 nodes, 50 edges"), then what only
 * the page can do (ego network, funder, degree, k-core, component).
 */
export function viewSubtitle() {
  const f = app.filters;
  const g = app.graph;
  const years = app.data.meta.years;
  const parts = [];
  const countries = kept("country", f.countries);
  const kinds = kept("kind", f.kinds);
  if (countries) parts.push(names("country", countries));
  if (kinds) parts.push(names("kind", kinds));
  if (f.relations.size) {
    const all = new Set(g.mapEdges((_, a) => a.relation || "relation"));
    parts.push(`relations: ${[...all].filter((r) => !f.relations.has(r)).sort().join(" + ")}`);
  }
  if (years && (f.from > years[0] || f.to < years[1])) parts.push(f.from === f.to ? `${f.from}` : `${f.from}–${f.to}`);
  parts.push(`colour: ${COLOUR_TITLES[app.colourBy] || app.colourBy}`);
  parts.push(`size: ${app.sizeBy === "uniform" ? "same size" : app.sizeBy.replaceAll("_", " ")}`);
  const n = app.visibleNodes.size;
  const m = app.visibleEdges.size;
  parts.push(`${n.toLocaleString("en")} node${n !== 1 ? "s" : ""}, ${m.toLocaleString("en")} edge${m !== 1 ? "s" : ""}`);
  if (!f.undated) parts.push("dated relations only");
  if (f.funder) parts.push(`funded by ${g.getNodeAttribute(f.funder, "label")}`);
  if (f.minDegree) parts.push(`degree ≥ ${f.minDegree}`);
  if (f.kcore) parts.push(`${f.kcore}-core`);
  if (f.largest) parts.push("largest component");
  if (app.focus) parts.push(`ego network of ${g.getNodeAttribute(app.focus.node, "label")} (${app.focus.hops} hop${app.focus.hops > 1 ? "s" : ""})`);
  return parts.join(" · ");
}

/** The figure route (kg export's drawing) for the countries, kinds, relations, years, colour and size on screen. */
export function figureURL(format) {
  const f = app.filters;
  const years = app.data.meta.years;
  const p = new URLSearchParams({ format, colour: app.colourBy, size: app.sizeBy });
  for (const v of kept("country", f.countries) || []) p.append("country", v);
  for (const v of kept("kind", f.kinds) || []) p.append("kind", v);
  if (f.relations.size) {
    for (const r of new Set(app.graph.mapEdges((_, a) => a.relation || "relation"))) if (!f.relations.has(r)) p.append("relation", r);
  }
  if (years && (f.from > years[0] || f.to < years[1])) {
    p.set("from", f.from);
    p.set("to", f.to);
  }
  if (!f.undated) p.set("dated_only", "true");
  return `/api/networks/${encodeURIComponent(app.data.name)}/figure?${p}`;
}

export function figureTitle() {
  return app.data.title.endsWith("network") ? app.data.title : `${app.data.title} network`;
}

export async function runExport(kind) {
  const figure = { title: figureTitle(), subtitle: viewSubtitle(), legend: legendData() };
  const status = $("#status");
  try {
    if (kind === "png") download(await toPNG(app, figure), exportName("png"));
    else if (kind === "pdf") {
      // The PDF is the figure `kg export` draws for the same filters, colour and size.
      const res = await fetch(figureURL("pdf"));
      if (!res.ok) throw new Error((await res.json().catch(() => ({}))).detail || res.statusText);
      download(await res.blob(), exportName("pdf"));
    } else if (kind === "svg") download(new Blob([toSVG(app, figure)], { type: "image/svg+xml" }), exportName("svg"));
    else if (kind === "gexf") download(new Blob([toGEXF(app)], { type: "application/xml" }), exportName("gexf"));
    else if (kind === "graphml") download(new Blob([toGraphML(app)], { type: "application/xml" }), exportName("graphml"));
    else if (kind === "csv-edges") download(new Blob([toCSVEdges(app)], { type: "text/csv" }), exportName("edges.csv"));
    else if (kind === "csv-nodes") download(new Blob([toCSVNodes(app)], { type: "text/csv" }), exportName("nodes.csv"));
  } catch (err) {
    status.textContent = `Export failed: ${err.message}`;
  }
}
