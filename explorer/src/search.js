// Sources for the search box and the path comboboxes: server-side name search (alternative
// names, acronyms) merged with labels in the graph, or labels in the graph only.
import { app } from "./state.js";
import { attrValue } from "./styling.js";
import { fetchJSON } from "./util.js";

export async function searchSource(text) {
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

export function localSource(text) {
  const t = text.toLowerCase();
  const out = [];
  app.graph.forEachNode((id, a) => {
    if (out.length < 20 && a.label.toLowerCase().includes(t)) out.push({ id, label: a.label, hint: attrValue(a, "country") });
  });
  return out;
}
