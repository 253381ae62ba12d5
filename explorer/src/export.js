// The export buttons: file names, a one-line description of the view, and the call into
// exporters.js (PNG, SVG, GEXF, GraphML, CSV of exactly what is on screen).
import { toCSVEdges, toCSVNodes, toGEXF, toGraphML, toPNG, toSVG } from "./exporters.js";
import { app } from "./state.js";
import { legendData } from "./styling.js";
import { $, download } from "./util.js";

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

export async function runExport(kind) {
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
