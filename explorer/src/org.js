// The organisation page at /org/{ref}: the profile from /api/organisations/{ref} and the
// results of the named queries about the organisation (/api/queries/{name}?param=ref).
import { $, el, fetchJSON, formatNumber, orgHref, quoteBlock, setChildren } from "./util.js";

const QUERY_TITLES = {
  "funders-of": "Who funds it",
  "funded-by": "Whom it funds",
  "umbrella-roster": "Its members (as an umbrella body)",
  "assessments-of": "Typology assessments",
  "provenance-audit": "Provenance audit",
  "org-profile": "All statements (org-profile query)",
};
// Columns that hold IRIs of other nodes: shown as links to their pages.
const IRI_COLUMN = /^(org|funder|recipient|member|body|other|node|target|programme)$/;

function refFromPath() {
  const raw = location.pathname.replace(/^\/org\//, "");
  return decodeURIComponent(raw);
}

function conceptList(title, items) {
  if (!items || !items.length) return null;
  return el("div", { class: "facts-row" }, el("h3", {}, title), el("ul", { class: "chips" }, ...items.map((c) => el("li", {}, c.label || c.ref))));
}

const ID_BASE = "https://w3id.org/integration-kg/id/";

/** A table of rows; IRIs of graph nodes link to their pages, `<col>_label` columns fold into them. */
function table(columns, rows, labels = {}) {
  const shown = columns.filter(
    (c) => rows.some((r) => r[c] !== null && r[c] !== undefined && r[c] !== "") &&
      !(c.endsWith("_label") && columns.includes(c.slice(0, -6))),
  );
  const cell = (c, v) => {
    if (v === null || v === undefined) return el("td", {}, "");
    if (typeof v === "string" && v.startsWith(ID_BASE)) {
      const text = labels[v] || v.slice(ID_BASE.length);
      return el("td", {}, IRI_COLUMN.test(c) || v.startsWith(`${ID_BASE}org/`) ? el("a", { href: orgHref(v) }, text) : el("span", { title: v }, text));
    }
    return el("td", {}, typeof v === "number" ? formatNumber(v) : String(v));
  };
  return el(
    "div",
    { class: "table-wrap" },
    el(
      "table",
      { class: "rows" },
      el("thead", {}, el("tr", {}, ...shown.map((c) => el("th", { scope: "col" }, c)))),
      el("tbody", {}, ...rows.map((r) => el("tr", {}, ...shown.map((c) => cell(c, r[c]))))),
    ),
  );
}

/** A section for one named query, filled in when its rows arrive (slow queries do not hold the page). */
function queryBlock(name, url) {
  const box = el("section", { class: "query", "aria-labelledby": `q-${name}` }, el("h3", { id: `q-${name}` }, QUERY_TITLES[name] || name, " ", el("a", { class: "small", href: url }, "JSON"), " ", el("span", { class: "muted small" }, `(${name})`)), el("p", { class: "muted" }, "Loading…"));
  fillQuery(box, url);
  return box;
}

async function fillQuery(box, url) {
  try {
    const res = await fetchJSON(url);
    const rows = res.rows || [];
    // Label columns (x_label) make IRI columns readable.
    const labels = {};
    for (const r of rows) for (const c of res.columns) if (r[`${c}_label`] && r[c]) labels[r[c]] = r[`${c}_label`];
    box.lastChild.replaceWith(rows.length ? table(res.columns, rows.slice(0, 200), labels) : el("p", { class: "muted" }, "No rows."));
    if (rows.length > 200) box.append(el("p", { class: "muted small" }, `First 200 of ${rows.length} rows; the JSON link has them all.`));
  } catch (err) {
    box.lastChild.replaceWith(el("p", { class: "muted" }, `Not available: ${err.message}`));
  }
}

async function main() {
  const root = $("#org");
  const ref = refFromPath();
  let p;
  try {
    p = await fetchJSON(`/api/organisations/${encodeURIComponent(ref).replaceAll("%3A", ":")}`);
  } catch (err) {
    document.title = "Not found · integration knowledge graph";
    setChildren(root, el("h1", {}, err.status === 404 ? "No such organisation" : "Could not load the profile"), el("p", {}, err.message), el("p", {}, el("a", { href: "/" }, "Back to the explorer")));
    return;
  }
  document.title = `${p.label} · integration knowledge graph`;
  const m = p.metrics;
  const relations = p.relations;
  const byRelation = new Map();
  for (const r of relations) {
    if (!byRelation.has(r.relation)) byRelation.set(r.relation, []);
    byRelation.get(r.relation).push(r);
  }
  setChildren(root, 
    el("h1", {}, p.label),
    el("p", { class: "facts" }, [p.kinds.map((k) => k.label).join(", "), p.country ? p.country.label : null, p.founded ? `founded ${p.founded}` : null].filter(Boolean).join(" · ")),
    el("p", { class: "links" }, el("a", { href: p.links.explorer }, "Show in the network explorer"), " ", el("a", { href: p.links.sparql }, "DESCRIBE in SPARQL"), " ", el("a", { href: p.links.api }, "JSON"), " ", el("code", { class: "iri" }, p.id)),
    el("section", { "aria-labelledby": "names-h" }, el("h2", { id: "names-h" }, "Names"),
      table(["label", "language", "type"], p.names.map((n) => ({ label: n.label, language: n.lang || "", type: n.type === "pref" ? "preferred" : n.type === "alt" ? "alternative" : "hidden (spelling in the source)" })))),
    el("section", { class: "facts-grid" },
      conceptList("Levels of operation", p.levels),
      conceptList("Activities", p.activities),
      conceptList("Target groups", p.target_groups),
      conceptList("Programme type", p.programme_types)),
    p.notes.length ? el("section", {}, el("h2", {}, "Notes"), el("ul", {}, ...p.notes.map((n) => el("li", {}, n)))) : null,
    p.quotes.length ? el("section", {}, el("h2", {}, "What the sources say about it"), ...p.quotes.map((q) => quoteBlock(q.quote, q.source, q.source_file, q.line))) : null,
    m
      ? el("section", {}, el("h2", {}, "Metrics in the combined network"),
          table(["measure", "value"], Object.entries(m).filter(([k]) => k !== "network").map(([k, v]) => ({ measure: k.replaceAll("_", " "), value: v }))))
      : el("p", { class: "muted" }, "Takes part in no relation of the combined network."),
    el("section", { "aria-labelledby": "rel-h" }, el("h2", { id: "rel-h" }, `Relations (${relations.length} statements)`),
      ...[...byRelation.entries()].map(([name, rows]) =>
        el("section", { class: "relation-group" }, el("h3", {}, `${name} (${rows.length})`),
          el("ul", { class: "relations" }, ...rows.map((r) =>
            el("li", {},
              el("p", {}, r.other ? el("a", { href: orgHref(r.other_ref || r.other) }, r.other_label || r.other_ref) : null, r.detail ? el("span", { class: "muted" }, `${r.other ? " · " : ""}${r.detail}`) : null),
              r.quote ? quoteBlock(r.quote, r.source, r.source_file, r.line) : el("p", { class: "muted small" }, "no quote recorded"))))))),
    el("section", { id: "queries", "aria-labelledby": "queries-h" }, el("h2", { id: "queries-h" }, "Named queries about it")),
  );
  const box = $("#queries");
  const { "org-profile": profileQuery, ...others } = p.links.queries;
  box.append(
    el("p", { class: "small" }, "The relations above are the statements of the ", el("a", { href: profileQuery }, "org-profile"), " query."),
    ...Object.entries(others).map(([name, url]) => queryBlock(name, url)),
  );
}

main();
