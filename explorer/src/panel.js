// The side panel of a selected node: kind and country, its relations in this network with their
// quotes and sources, its metrics, and its names and quotes from /api/organisations/{ref}.
import { setPathEnd } from "./path.js";
import { clearSelection, selectNode, setFocus } from "./selection.js";
import { ROLES, app } from "./state.js";
import { attrValue, valueLabel } from "./styling.js";
import { $, el, fetchJSON, formatNumber, orgHref, period, quoteBlock, setChildren } from "./util.js";

/** How each relation reads from its source to its target: "Government of Luxembourg → funds → ASTI". */
const VERBS = {
  funding: "funds",
  membership: "is a member of",
  partnership: "works with",
  referral: "refers people to",
  placement: "places interns with",
  revenue: "passes revenue to",
};

export function relationVerb(relation) {
  return VERBS[relation] || relation || "is related to";
}

/** "A → funds → B" (or "A — works with — B" when undirected) as DOM pieces; `link(id)` renders a node. */
export function directedPhrase(source, target, relation, undirected, link) {
  const arrow = undirected ? "—" : "→";
  return [link(source), ` ${arrow} `, el("span", { class: "verb" }, relationVerb(relation)), ` ${arrow} `, link(target)];
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

export function renderPanel(id) {
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
  const awards = el("div", { class: "awards" });
  const sources = el("div", { class: "sources" });
  setChildren(panel, 
    el("div", { class: "panel-head" },
      el("h2", { id: "panel-title" }, a.label),
      el("button", { type: "button", class: "close", "aria-label": "Close the panel", onclick: clearSelection }, "×")),
    el("p", { class: "facts" },
      el("span", { class: "swatch", style: `background:${a.color}`, "aria-hidden": "true" }),
      ` ${valueLabel("kind", attrValue(a, "kind"))} · ${valueLabel("country", attrValue(a, "country"))}`),
    a.position && a.position !== "unassessed"
      ? el("p", { class: "small" }, `Typology position: ${valueLabel("position", a.position)} `, el("span", { class: "muted" }, a.position_quantifier && a.position_quantifier !== "-" && a.position_quantifier !== "not stated" ? `(assessed at ${a.position_level} level, of ${a.position_quantifier} of the group)` : `(assessed at ${a.position_level} level)`))
      : null,
    el("p", {}, el("a", { href: orgHref(a.ref || id), class: "org-link" }, "Open the organisation page →")),
    el("div", { class: "buttons" },
      el("button", { type: "button", onclick: () => setFocus(id, 1) }, "Ego network: 1 hop"),
      el("button", { type: "button", onclick: () => setFocus(id, 2) }, "2 hops"),
      el("button", { type: "button", onclick: () => setPathEnd("from", id) }, "Path from here"),
      el("button", { type: "button", onclick: () => setPathEnd("to", id) }, "Path to here")),
    names,
    awards,
    el("h3", {}, `Relations in this network (${items.length})`),
    el("ul", { class: "relations" },
      ...items.map(({ a: ea, other, outgoing, undirected, visible }) => {
        const when = period(ea.start, ea.end);
        const link = (n) => (n === id ? el("strong", {}, g.getNodeAttribute(n, "label")) : el("button", { type: "button", class: "linklike", onclick: () => selectNode(n, { zoom: true }) }, g.getNodeAttribute(n, "label")));
        const [from, to] = outgoing ? [id, other] : [other, id];
        const amounts = Object.keys(ea).filter((k) => k.startsWith("amount_")).map((k) => `${formatNumber(ea[k])} ${k.slice(7)}`);
        const quotes = (ea.quotes || []).map((q, i) => {
          const source = (ea.sources || [])[i];
          return quoteBlock(q, source, docs[source]);
        });
        return el("li", { class: visible ? "" : "hidden-rel" },
          el("p", { class: "relation-row" }, ...directedPhrase(from, to, ea.relation, undirected, link),
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
  if (id.startsWith("http")) {
    loadProfile(a.ref || id, names, sources);
    loadAwards(id, a.ref || id, awards);
  } else setChildren(names);
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

/** Who funds the node, award by award (the funders-of query): every award, unnamed donors included. */
async function loadAwards(id, ref, box) {
  let res;
  try {
    res = await fetchJSON(`/api/queries/funders-of?org=${encodeURIComponent(ref).replaceAll("%3A", ":")}`);
  } catch (_) {
    return; // a node that is not a recipient (a programme, a group the query does not take)
  }
  if (app.selected !== id) return;
  const docs = app.data.meta.documents || {};
  const awards = new Map();
  for (const r of res.rows || []) {
    if (!r.award) continue;
    if (!awards.has(r.award)) awards.set(r.award, { ...r, quotes: [] });
    if (r.quote) awards.get(r.award).quotes.push(r);
  }
  if (!awards.size) return;
  const label = app.graph.getNodeAttribute(id, "label");
  const funderOf = (r) => {
    if (r.funder_label && r.funder_label !== "not stated" && !r.funder_label.startsWith("not stated")) return r.funder_label;
    if (/donat/i.test(r.nature || "")) return "unnamed private donors";
    return r.funder_label || "funder not stated";
  };
  setChildren(box,
    el("h3", {}, `Funding received (${awards.size} award${awards.size > 1 ? "s" : ""})`),
    el("ul", { class: "relations awards-list" },
      ...[...awards.values()].map((r) =>
        el("li", {},
          el("p", { class: "relation-row" }, funderOf(r), " → ", el("span", { class: "verb" }, "funds"), " → ", el("strong", {}, label)),
          el("p", { class: "small award-facts" },
            `programme: ${r.programme_label || "not stated"} · amount: ${r.amount_stated || "not stated"} · period: ${r.period || "not stated"}`,
            r.scope && r.scope !== "organisation" ? ` · stated for the ${r.scope}` : "",
            r.quantifier && r.quantifier !== "-" && r.quantifier !== "not stated" ? ` (${r.quantifier})` : ""),
          ...r.quotes.map((q) => quoteBlock(q.quote, q.source, docs[q.source], q.line)),
        ),
      ),
    ),
  );
}
