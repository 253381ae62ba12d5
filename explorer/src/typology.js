// The typology page at /typology: the country × position matrix of /api/typology
// (kg.entities.typology.typology_matrix). Each cell lists the report's statements with what
// they are about (group-level ones marked so), qualifier, level, quotes and a link to the passage
// in the source viewer (/sources/{doc}#L123). Text is always inserted as text, never as HTML.
import { $, download, el, fetchJSON, orgHref, setChildren } from "./util.js";
import { shortLabel, toCSV, toPNG, toSVG } from "./typology-export.js";

function statementView(s) {
  const scope = s.scope === "organisation" ? null : el("span", { class: "scope-tag", title: s.scope_label }, "group-level");
  const quantifier =
    s.quantifier && s.quantifier !== "-"
      ? el("span", { class: "qualifier" }, s.quantifier_text && s.quantifier_text !== "-" ? `“${s.quantifier_text}”` : s.quantifier)
      : null;
  // The group's own page (what else the sources say about it), or the organisation's.
  const about = el("a", { href: orgHref(s.target_ref), class: "target" }, s.target_label);
  return el(
    "div",
    {
      class: `statement ${s.negated ? "neg" : "pos"}`,
      dataset: { assessment: s.assessment, negated: String(s.negated), scope: s.scope },
    },
    el(
      "p",
      { class: "claim" },
      el("span", { class: `mark ${s.negated ? "neg" : "pos"}`, "aria-hidden": "true" }, s.negated ? "−" : "+"),
      " ",
      el("strong", { class: "text" }, s.text),
    ),
    el("p", { class: "about small" }, "About ", about, " ", scope),
    el(
      "p",
      { class: "small muted" },
      quantifier ? ["Qualifier: ", quantifier, ` (${s.quantifier}) · `] : null,
      `Level: ${s.level}`,
    ),
    s.quotes.map((q) =>
      el(
        "figure",
        { class: "quote" },
        el("blockquote", { class: "quote-text" }, q.quote),
        el(
          "figcaption",
          { class: "small" },
          "— ",
          el(
            "a",
            { href: q.href, class: "source-link", title: q.source_title, dataset: { doc: q.doc, line: q.line ?? "" } },
            q.source_title.split(":")[0],
            q.line ? `, line ${q.line}` : "",
          ),
        ),
      ),
    ),
  );
}

function render(data) {
  const table = $("#matrix");
  const head = el(
    "thead",
    {},
    el(
      "tr",
      {},
      el("th", { scope: "col", class: "corner" }, "Country"),
      data.positions.map((p) =>
        el(
          "th",
          { scope: "col", class: p.broader ? "modality" : "position", dataset: { position: p.id }, title: p.label },
          shortLabel(p),
        ),
      ),
    ),
  );
  const cellOf = new Map(data.cells.map((c) => [`${c.country} ${c.position}`, c]));
  const body = el(
    "tbody",
    {},
    data.countries.map((c) => {
      const label = el("th", { scope: "row" }, c.label, c.in_report ? null : el("span", { class: "small muted" }, " (not a country chapter)"));
      if (!c.assessed) {
        return el(
          "tr",
          { dataset: { country: c.code }, class: "unassessed" },
          label,
          el("td", { colspan: data.positions.length, class: "no-assessment" }, data.no_assessment),
        );
      }
      return el(
        "tr",
        { dataset: { country: c.code } },
        label,
        data.positions.map((p) => {
          const cell = cellOf.get(`${c.code} ${p.id}`);
          return el(
            "td",
            { dataset: { country: c.code, position: p.id, label: shortLabel(p) }, class: cell ? "filled" : "empty" },
            cell ? cell.statements.map(statementView) : el("span", { class: "not-stated" }, "not stated"),
          );
        }),
      );
    }),
  );
  setChildren(table, head, body);
  const withoutAssessment = data.countries.filter((c) => c.in_report && !c.assessed).map((c) => c.label);
  $("#coverage").textContent = withoutAssessment.length
    ? `${data.coverage}. No position stated for ${withoutAssessment.join(", ")}: "${data.no_assessment}".`
    : `${data.coverage}.`;
}

function wireExports(data) {
  const svg = () => toSVG(data, { subtitle: data.coverage });
  const buttons = {
    "#export-csv": () => download(new Blob([toCSV(data, window.location.origin)], { type: "text/csv" }), "typology-matrix.csv"),
    "#export-svg": () => download(new Blob([svg()], { type: "image/svg+xml" }), "typology-matrix.svg"),
    "#export-png": async () => download(await toPNG(svg()), "typology-matrix.png"),
  };
  for (const [selector, action] of Object.entries(buttons)) {
    const button = $(selector);
    button.disabled = false;
    button.addEventListener("click", async () => {
      try {
        await action();
      } catch (err) {
        $("#message").textContent = `Export failed: ${err.message}`;
      }
    });
  }
}

async function main() {
  try {
    const data = await fetchJSON("/api/typology");
    render(data);
    wireExports(data);
    window.__typology = { data, csv: () => toCSV(data, window.location.origin), svg: () => toSVG(data) };
  } catch (err) {
    $("#coverage").textContent = "";
    $("#message").textContent = `The typology could not be loaded: ${err.message}`;
  }
  document.body.dataset.ready = "true";
}

main();
