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
      // The whole graph is searched: a match outside this network offers to switch.
      else found.set(r.id, { id: r.id, ref: r.ref, label: r.label, outside: true, hint: `not in this network: open it in All relations${r.matched !== r.label ? ` (${r.matched})` : ""}` });
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
  // Matches in this network first.
  return [...found.values()].sort((a, b) => Number(!!a.outside) - Number(!!b.outside)).slice(0, 20);
}

/** The path boxes: names and acronyms (the server's search) of nodes in this network only. */
export async function pathSource(text) {
  return (await searchSource(text)).filter((item) => !item.outside);
}
